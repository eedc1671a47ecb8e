package stackconfig

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const channels = `{"infra": "@slack-infra", "lf": "@webhook-lf"}`

func alerting(monitors, synthetics string) Raw {
	r := raw("", `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"]}}`, Namespace+":"+KeyChannels, channels)
	if monitors != "" {
		r.Values[Namespace+":"+KeyMonitors] = monitors
	}
	if synthetics != "" {
		r.Values[Namespace+":"+KeySynthetics] = synthetics
	}
	return r
}

func TestAlertingErrors(t *testing.T) {
	metric := func(extra string) string {
		return `{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{}", "critical": 10, "message": "m"` + extra + `}}`
	}
	event := func(extra string) string {
		return `{"e": {"name": "E", "kind": "event", "search": "source:sns", "critical": 0, "message": "m"` + extra + `}}`
	}
	http := func(extra string) string {
		return `{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [{"type": "statusCode", "operator": "is", "target": 200}]` + extra + `}}`
	}
	assertion := func(a string) string {
		return `{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [` + a + `]}}`
	}
	tests := map[string]struct {
		raw            Raw
		path, contains string
	}{
		"unknown channel in a monitor": {alerting(metric(`, "notify": ["infra", "infar-slack"]`), ""),
			"monitors.m.notify[1]", `no channel "infar-slack"`},
		"unknown channel in a test": {alerting("", http(`, "notify": ["ifra"]`)),
			"synthetics.t.notify[0]", `no channel "ifra" in channels (did you mean "infra"?)`},
		"channel not a handle": {func() Raw {
			r := alerting("", "")
			r.Values[Namespace+":"+KeyChannels] = `{"infra": "slack-infra"}`
			return r
		}(), "channels.infra", "not a Datadog notification handle"},
		"metric query with its own comparison": {alerting(`{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{} > 5000", "critical": 5000, "message": "m"}}`, ""),
			"monitors.m.query", "ends with a comparison"},
		"warning above critical": {alerting(metric(`, "warning": 20`), ""),
			"monitors.m.warning", "must be below critical (10) for comparator >"},
		"recovery not below critical": {alerting(metric(`, "criticalRecovery": 10`), ""),
			"monitors.m.criticalRecovery", "must be below critical"},
		"warning below critical for <": {alerting(metric(`, "comparator": "<", "warning": 5`), ""),
			"monitors.m.warning", "must be above critical (10) for comparator <"},
		"threshold as a string": {alerting(metric(`, "warning": "5"`), ""),
			"monitors.m.warning", `must be a number, got the string "5"`},
		"unknown comparator": {alerting(metric(`, "comparator": "=>"`), ""),
			"monitors.m.comparator", `"=>" is not one of >, >=, <, <=`},
		"unknown monitor kind": {alerting(`{"m": {"name": "M", "kind": "metrics", "critical": 1, "message": "m"}}`, ""),
			"monitors.m.kind", `(did you mean "metric"?)`},
		"event monitor without search": {alerting(`{"e": {"name": "E", "kind": "event", "critical": 0, "message": "m"}}`, ""),
			"monitors.e.search", "missing"},
		"event monitor with a query": {alerting(event(`, "query": "x"`), ""),
			"monitors.e.query", "is for metric monitors"},
		"bad window": {alerting(event(`, "window": "5 minutes"`), ""),
			"monitors.e.window", "not a window"},
		"onMissingData on a metric monitor": {alerting(metric(`, "onMissingData": "resolve"`), ""),
			"monitors.m.onMissingData", "is for event and log monitors"},
		"priority out of range": {alerting(metric(`, "priority": 7`), ""),
			"monitors.m.priority", "must be from 1 to 5"},
		"locked is not a field": {alerting(metric(`, "locked": true`), ""),
			"monitors.m.locked", "unknown field"},
		"duplicate monitor names": {alerting(`{"a": {"name": "M", "kind": "event", "search": "s", "critical": 0, "message": "m"}, "b": {"name": "M", "kind": "event", "search": "s", "critical": 0, "message": "m"}}`, ""),
			"monitors.b.name", "also the name of monitors.a"},
		"malformed URL": {alerting("", `{"t": {"name": "T", "url": "pytorch.org", "message": "m", "assertions": [{"type": "statusCode", "operator": "is", "target": 200}]}}`),
			"synthetics.t.url", `"pytorch.org" is not an http:// or https:// URL`},
		"unknown assertion operator": {alerting("", assertion(`{"type": "body", "operator": "contain", "target": "x"}`)),
			"synthetics.t.assertions[0].operator", `"contain" is not one of contains, doesNotContain, is, isNot, matches, doesNotMatch (did you mean "contains"?)`},
		"operator of another type": {alerting("", assertion(`{"type": "statusCode", "operator": "contains", "target": "20"}`)),
			"synthetics.t.assertions[0].operator", "is not one of is, isNot, matches, doesNotMatch"},
		"unknown assertion type": {alerting("", assertion(`{"type": "status", "operator": "is", "target": 200}`)),
			"synthetics.t.assertions[0].type", `(did you mean "statusCode"?)`},
		"certificate assertion in an HTTP test": {alerting("", assertion(`{"type": "certificate", "operator": "isInMoreThan", "target": 14}`)),
			"synthetics.t.assertions[0].type", "is not one of statusCode, body, header, responseTime, javascript"},
		"status code not a number": {alerting("", assertion(`{"type": "statusCode", "operator": "is", "target": "OK"}`)),
			"synthetics.t.assertions[0].target", "must be a whole number"},
		"status code out of range": {alerting("", assertion(`{"type": "statusCode", "operator": "is", "target": 2000}`)),
			"synthetics.t.assertions[0].target", "must be from 100 to 599"},
		"invalid regular expression": {alerting("", assertion(`{"type": "body", "operator": "matches", "target": "(unclosed"}`)),
			"synthetics.t.assertions[0].target", "is not a JavaScript regular expression"},
		"header name in upper case": {alerting("", assertion(`{"type": "header", "property": "Location", "operator": "is", "target": "x"}`)),
			"synthetics.t.assertions[0].property", "lower case"},
		"header assertion without property": {alerting("", assertion(`{"type": "header", "operator": "is", "target": "x"}`)),
			"synthetics.t.assertions[0].property", "missing"},
		"missing target": {alerting("", assertion(`{"type": "body", "operator": "contains"}`)),
			"synthetics.t.assertions[0].target", "missing"},
		"target with doesNotExist": {alerting("", assertion(`{"type": "header", "property": "x", "operator": "doesNotExist", "target": "y"}`)),
			"synthetics.t.assertions[0].target", "takes no target"},
		"javascript with a top-level return": {alerting("", assertion(`{"type": "javascript", "code": "return;"}`)),
			"synthetics.t.assertions[0].code", "is not a script Datadog can run"},
		"no assertions": {alerting("", `{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": []}}`),
			"synthetics.t.assertions", "is empty"},
		"tickEvery too often": {alerting("", http(`, "tickEvery": 10`)),
			"synthetics.t.tickEvery", "must be from 30 to 604800"},
		"too many retries": {alerting("", http(`, "retry": {"count": 5}`)),
			"synthetics.t.retry.count", "must be from 0 to 3"},
		"retry interval typo": {alerting("", http(`, "retry": {"interval": 1000}`)),
			"synthetics.t.retry.interval", `(did you mean "intervalMs"?)`},
		"ssl test without host": {alerting("", `{"c": {"name": "C", "kind": "ssl", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]}}`),
			"synthetics.c.host", "missing"},
		"ssl test with a URL": {alerting("", `{"c": {"name": "C", "kind": "ssl", "host": "x.org", "url": "https://x.org", "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]}}`),
			"synthetics.c.url", "unknown field"},
		"queue test with two rules": {alerting("", `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx.", "startsWith": "lf.", "thresholdHours": 3}}}`),
			"synthetics.q.queue", "more than one of startsWith, contains and equals"},
		"queue test without threshold": {alerting("", `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx."}}}`),
			"synthetics.q.queue.thresholdHours", "missing"},
		"queue test with a bad anchored pattern": {alerting("", `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"exclude": ["^lf\\.(", ".dgx."], "thresholdHours": 3}}}`),
			"synthetics.q.queue.exclude[0]", "is not a JavaScript regular expression"},
		"queue test with assertions": {alerting("", `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx.", "thresholdHours": 3}, "assertions": []}}`),
			"synthetics.q.assertions", "unknown field"},
		"user importId not a UUID": {func() Raw {
			return raw("", `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"], "importId": "1234"}}`)
		}(), "users.a.importId", `"1234" is not an id of this type`},
		"monitor importId not numeric": {alerting(metric(`, "importId": "abc-123-xyz"`), ""),
			"monitors.m.importId", `"abc-123-xyz" is not an id of this type, such as 12345678`},
		"test importId as a number": {alerting("", http(`, "importId": 123`)),
			"synthetics.t.importId", "must be a string"},
		"one importId twice": {alerting(`{"a": {"name": "A", "kind": "event", "search": "s", "critical": 0, "message": "m", "importId": "42"}, "b": {"name": "B", "kind": "event", "search": "s", "critical": 0, "message": "m", "importId": "42"}}`, ""),
			"monitors.b.importId", `"42" is also the importId of monitors.a`},
		"duplicate test names": {alerting("", `{"a": {"name": "T", "url": "https://a.org", "message": "m", "assertions": [{"type": "statusCode", "operator": "is", "target": 200}]}, "b": {"name": "T", "url": "https://b.org", "message": "m", "assertions": [{"type": "statusCode", "operator": "is", "target": 200}]}}`),
			"synthetics.b.name", "also the name of synthetics.a"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assertLoadError(t, tc.raw, tc.path, tc.contains)
		})
	}
}

func TestAlertingDefaults(t *testing.T) {
	cfg, err := Load(alerting(
		`{"e": {"name": "E", "kind": "event", "search": "source:sns", "critical": 0, "message": "m", "notify": ["lf", "infra"]}}`,
		`{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [{"type": "statusCode", "operator": "is", "target": 200}]},
		  "q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"startsWith": "lf.", "thresholdHours": 2.5}}}`))
	require.NoError(t, err)
	e := cfg.Monitors["e"]
	assert.Equal(t, "5m", e.Window)
	assert.Equal(t, ">", e.Comparator)
	assert.True(t, e.IncludeTags)
	assert.False(t, e.RequireFullWindow)
	assert.Equal(t, []string{"@webhook-lf", "@slack-infra"}, e.Notify, "handles in the order notified")

	tt := cfg.Synthetics["t"]
	assert.Equal(t, TestHTTP, tt.Kind)
	assert.Equal(t, "GET", tt.Method)
	assert.Equal(t, "t", tt.Service)
	assert.Equal(t, []string{"aws:us-west-2"}, tt.Locations)
	assert.Equal(t, 300, tt.TickEvery)
	assert.Equal(t, 3, tt.RetryCount)
	assert.Equal(t, 300000, tt.RetryIntervalMs)
	assert.Equal(t, "live", tt.Status)
	assert.False(t, tt.FollowRedirects)

	q := cfg.Synthetics["q"]
	assert.Equal(t, HUDQueueURL, q.URL)
	require.NotNil(t, q.Queue)
	assert.Equal(t, 9000, q.Queue.ThresholdSeconds)
	assert.Equal(t, "starting with lf.", q.Queue.Label)
	require.Len(t, q.Assertions, 1)
	assert.Equal(t, "javascript", q.Assertions[0].Type)
	assert.Contains(t, q.Assertions[0].Code, `"thresholdSeconds":9000`)
}
