package monitors_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
)

// channels are the notification channels every case decodes against.
var channels = map[string]string{"infra": "@slack-infra", "lf": "@webhook-lf"}

// decode decodes a monitors section as present and returns the monitors
// and every problem found, each a *configkit.PathError.
func decode(t *testing.T, raw string) (map[string]monitors.Monitor, []*configkit.PathError) {
	t.Helper()
	p := &configkit.Problems{}
	out := monitors.Decode(p, raw, true, channels)
	return out, kittest.Problems(t, p)
}

func paths(list []*configkit.PathError) []string {
	out := []string{}
	for _, pe := range list {
		out = append(out, pe.Path)
	}
	return out
}

// requireOnly checks that list is exactly one problem, at path, whose
// message contains fragment.
func requireOnly(t *testing.T, list []*configkit.PathError, path, fragment string) {
	t.Helper()
	require.Len(t, list, 1, "problems: %v", list)
	assert.Equal(t, path, list[0].Path)
	assert.Contains(t, list[0].Msg, fragment)
	assert.Equal(t, path+": "+list[0].Msg, list[0].Error())
}

func metric(extra string) string {
	return `{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{}", "critical": 10, "message": "m"` + extra + `}}`
}

func event(extra string) string {
	return `{"e": {"name": "E", "kind": "event", "search": "source:sns", "critical": 0, "message": "m"` + extra + `}}`
}

func logMonitor(extra string) string {
	return `{"l": {"name": "L", "kind": "log", "search": "service:cdn", "critical": 250, "message": "m"` + extra + `}}`
}

func TestDecodeReportsOneProblem(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, path, fragment string
	}{
		"unknown channel": {metric(`, "notify": ["infra", "pager"]`),
			"monitors.m.notify[1]", `no channel "pager" in channels; channels: infra, lf`},
		"misspelt channel": {metric(`, "notify": ["infr"]`),
			"monitors.m.notify[0]", `no channel "infr" in channels (did you mean "infra"?)`},
		"channel listed twice": {metric(`, "notify": ["lf", "infra", "lf"]`),
			"monitors.m.notify[2]", `"lf" is listed twice (also at [0])`},
		"notify as a string": {metric(`, "notify": "infra"`),
			"monitors.m.notify", `got the string "infra" (write it as a list: ["infra"])`},
		"metric query with its own comparison": {`{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{} > 5000", "critical": 5000, "message": "m"}}`,
			"monitors.m.query", "ends with a comparison"},
		"metric query ending in >=": {`{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{} >= -2.5 ", "critical": 5000, "message": "m"}}`,
			"monitors.m.query", "ends with a comparison"},
		"metric monitor without query": {`{"m": {"name": "M", "kind": "metric", "critical": 1, "message": "m"}}`,
			"monitors.m.query", "missing; a metric monitor needs its query"},
		"metric monitor with a search": {metric(`, "search": "source:sns"`),
			"monitors.m.search", "is for event and log monitors; a metric monitor has a query"},
		"metric monitor with a window": {metric(`, "window": "5m"`),
			"monitors.m.window", "a metric query carries its own window"},
		"notifyNoData with onMissingData": {metric(`, "onMissingData": "resolve", "notifyNoData": false`),
			"monitors.m.notifyNoData", "keep onMissingData and remove notifyNoData"},
		"notifyAudit not a boolean": {metric(`, "notifyAudit": "no"`),
			"monitors.m.notifyAudit", "must be true or false"},
		"warning above critical": {metric(`, "warning": 20`),
			"monitors.m.warning", "must be below critical (10) for comparator >"},
		"warning equal to critical": {metric(`, "warning": 10`),
			"monitors.m.warning", "must be below critical (10)"},
		"critical recovery not below critical": {metric(`, "criticalRecovery": 10`),
			"monitors.m.criticalRecovery", "must be below critical (10) for comparator >"},
		"warning below critical for <": {metric(`, "comparator": "<", "warning": 5`),
			"monitors.m.warning", "must be above critical (10) for comparator <"},
		"critical recovery below critical for <=": {metric(`, "comparator": "<=", "criticalRecovery": 9.5`),
			"monitors.m.criticalRecovery", "must be above critical (10) for comparator <="},
		"warning recovery without warning": {metric(`, "warningRecovery": 1`),
			"monitors.m.warningRecovery", "needs a warning threshold to recover from"},
		"warning recovery not below warning": {metric(`, "warning": 5, "warningRecovery": 5`),
			"monitors.m.warningRecovery", "must be below warning (5) for comparator >"},
		"threshold as a string": {metric(`, "warning": "5"`),
			"monitors.m.warning", `must be a number, got the string "5"`},
		"critical as a string": {`{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{}", "critical": "10", "message": "m"}}`,
			"monitors.m.critical", `must be a number, got the string "10"`},
		"unknown comparator": {metric(`, "comparator": "=>"`),
			"monitors.m.comparator", `"=>" is not one of >, >=, <, <=`},
		"unknown kind": {`{"m": {"name": "M", "kind": "metrics", "critical": 1, "message": "m"}}`,
			"monitors.m.kind", `"metrics" is not one of metric, event, log (did you mean "metric"?)`},
		"event monitor without search": {`{"e": {"name": "E", "kind": "event", "critical": 0, "message": "m"}}`,
			"monitors.e.search", "missing; an event monitor needs its search"},
		"event monitor with a blank search": {`{"e": {"name": "E", "kind": "event", "search": "  ", "critical": 0, "message": "m"}}`,
			"monitors.e.search", "is empty"},
		"event monitor with a query": {event(`, "query": "x"`),
			"monitors.e.query", "is for metric monitors; an event monitor has a search"},
		"log monitor with a query": {logMonitor(`, "query": "x"`),
			"monitors.l.query", "is for metric monitors"},
		"window in words": {event(`, "window": "5 minutes"`),
			"monitors.e.window", `"5 minutes" is not a window such as 5m, 1h or 1d`},
		"window of zero": {logMonitor(`, "window": "0m"`),
			"monitors.l.window", "is not a window"},
		"unknown onMissingData": {event(`, "onMissingData": "resolved"`),
			"monitors.e.onMissingData", `(did you mean "resolve"?)`},
		"priority out of range": {metric(`, "priority": 7`),
			"monitors.m.priority", "must be from 1 to 5, got 7"},
		"priority zero": {metric(`, "priority": 0`),
			"monitors.m.priority", "must be from 1 to 5, got 0"},
		"renotify interval not whole": {metric(`, "renotifyInterval": 1.5`),
			"monitors.m.renotifyInterval", "must be a whole number, got the number 1.5"},
		"negative renotify interval": {metric(`, "renotifyInterval": -1`),
			"monitors.m.renotifyInterval", "must be from 0 to 525600"},
		"evaluation delay over a day": {metric(`, "evaluationDelay": 86401`),
			"monitors.m.evaluationDelay", "must be from 0 to 86400"},
		"includeTags as a string": {metric(`, "includeTags": "yes"`),
			"monitors.m.includeTags", `must be true or false, got the string "yes"`},
		"requireFullWindow as a number": {metric(`, "requireFullWindow": 1`),
			"monitors.m.requireFullWindow", "must be true or false, got the number 1"},
		"tags as a string": {metric(`, "tags": "team:infra"`),
			"monitors.m.tags", `(write it as a list: ["team:infra"])`},
		"tag not a string": {metric(`, "tags": ["team:infra", 3]`),
			"monitors.m.tags[1]", "must be a string, got the number 3"},
		"blank message": {`{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{}", "critical": 10, "message": " \n"}}`,
			"monitors.m.message", "is empty"},
		"blank name": {`{"m": {"name": "", "kind": "metric", "query": "avg(last_5m):x{}", "critical": 10, "message": "m"}}`,
			"monitors.m.name", "is empty"},
		"locked is not a field": {metric(`, "locked": true`),
			"monitors.m.locked", "unknown field; known fields: name, kind, query, search, window, comparator, critical"},
		"restrictedRoles is not a field": {metric(`, "restrictedRoles": []`),
			"monitors.m.restrictedRoles", "unknown field"},
		"misspelt field": {metric(`, "warnig": 5`),
			"monitors.m.warnig", `unknown field (did you mean "warning"?)`},
		"duplicate names": {`{"a": {"name": "M", "kind": "event", "search": "s", "critical": 0, "message": "m"}, "b": {"name": "M", "kind": "log", "search": "s", "critical": 0, "message": "m"}}`,
			"monitors.b.name", `"M" is also the name of monitors.a; monitor names must be unique`},
		"importId not numeric": {metric(`, "importId": "abc-123-xyz"`),
			"monitors.m.importId", `"abc-123-xyz" is not an id of this type, such as 12345678`},
		"importId as a number": {metric(`, "importId": 123`),
			"monitors.m.importId", "must be a string, got the number 123"},
		"key not kebab-case": {`{"DLQ_Alert": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{}", "critical": 10, "message": "m"}}`,
			"monitors.DLQ_Alert", `key "DLQ_Alert" must be lowercase letters and digits joined by '-'`},
		"monitor not a map": {`{"m": "avg(last_5m):x{} > 5"}`,
			"monitors.m", `must be a monitor ({name, kind, query or search, critical, message, notify, ...}), got the string`},
		"section a list": {`[{"name": "M"}]`,
			"monitors", "must be a map of monitor key to monitor, got a list"},
		"section not JSON": {`dlq`,
			"monitors", `must be a map of monitor key to monitor, got the string "dlq"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			requireOnly(t, got, tc.path, tc.fragment)
		})
	}
}

// TestDecodeReportsEveryProblemAtOnce checks that one pass finds all the
// problems of an input, across fields and monitors, in sorted key order.
func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw  string
		want map[string]string // path: message fragment
	}{
		"empty monitor": {`{"m": {}}`, map[string]string{
			"monitors.m.name":     "missing; it is required",
			"monitors.m.kind":     "missing; it is required",
			"monitors.m.critical": "missing; it is required",
			"monitors.m.message":  "missing; it is required",
		}},
		"misspelt required field": {`{"m": {"name": "M", "kind": "metric", "query": "q{}", "critcal": 5, "message": "m"}}`, map[string]string{
			"monitors.m.critcal":  `unknown field (did you mean "critical"?)`,
			"monitors.m.critical": "missing; it is required",
		}},
		"several fields of several monitors": {`{
			"b": {"name": "B", "kind": "event", "search": "s", "query": "q", "critical": 0, "message": "m", "priority": 9, "notify": ["nobody"]},
			"a": {"name": "A", "kind": "metric", "query": "q{} > 1", "critical": 1, "warning": 2, "message": "m", "window": "5m"}
		}`, map[string]string{
			"monitors.a.query":     "ends with a comparison",
			"monitors.a.window":    "a metric query carries its own window",
			"monitors.a.warning":   "must be below critical (1)",
			"monitors.b.notify[0]": `no channel "nobody"`,
			"monitors.b.priority":  "must be from 1 to 5",
			"monitors.b.query":     "is for metric monitors",
		}},
		"all thresholds out of order": {metric(`, "warning": 11, "criticalRecovery": 12, "warningRecovery": 13`), map[string]string{
			"monitors.m.warning":          "must be below critical (10)",
			"monitors.m.criticalRecovery": "must be below critical (10)",
			"monitors.m.warningRecovery":  "must be below warning (11)",
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			want := make([]string, 0, len(tc.want))
			for path := range tc.want {
				want = append(want, path)
			}
			sort.Strings(want)
			gotPaths := paths(got)
			assert.Equal(t, want, sorted(gotPaths), "every problem, each once")
			for _, pe := range got {
				assert.Contains(t, pe.Msg, tc.want[pe.Path], pe.Path)
			}
		})
	}

	// Monitors are decoded in sorted key order, so problems come in it.
	_, got := decode(t, `{"z": {"name": "Z"}, "a": {"name": "A"}}`)
	require.NotEmpty(t, got)
	assert.True(t, strings.HasPrefix(got[0].Path, "monitors.a."), "first problem is a's: %v", paths(got))
	assert.True(t, strings.HasPrefix(got[len(got)-1].Path, "monitors.z."), "last problem is z's: %v", paths(got))
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func TestDecodeAbsentSection(t *testing.T) {
	t.Parallel()
	p := &configkit.Problems{}
	got := monitors.Decode(p, "", false, channels)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assert.NoError(t, p.Err())

	p = &configkit.Problems{}
	got = monitors.Decode(p, `{}`, true, channels)
	assert.Empty(t, got)
	assert.NoError(t, p.Err(), "an empty section is no monitors")
}

func TestDecodeDefaults(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{
		"e": {"name": "E", "kind": "event", "search": "source:sns", "critical": 0, "message": "m", "notify": ["lf", "infra"]},
		"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):x{}", "critical": 1, "message": "m"}
	}`)
	require.Empty(t, problems)
	assert.Equal(t, monitors.Monitor{
		Name: "E", Kind: monitors.Event, Search: "source:sns", Window: monitors.DefaultWindow,
		Comparator: ">", Critical: 0, Message: "m", IncludeTags: true, Tags: []string{},
		Notify: []string{"@webhook-lf", "@slack-infra"},
	}, got["e"], "defaults, and handles in the order notified")
	assert.Equal(t, "5m", monitors.DefaultWindow)

	m := got["m"]
	assert.Equal(t, ">", m.Comparator)
	assert.True(t, m.IncludeTags, "Datadog's default")
	assert.False(t, m.RequireFullWindow, "sparse data still evaluates")
	assert.Empty(t, m.Notify)
	assert.Nil(t, m.RenotifyInterval)
	assert.Zero(t, m.Priority)
	assert.Empty(t, m.OnMissingData)
	assert.Nil(t, m.Warning)
	assert.Nil(t, m.CriticalRecovery)
	assert.Nil(t, m.WarningRecovery)
}

func TestDecodeEveryField(t *testing.T) {
	t.Parallel()
	ptr := func(f float64) *float64 { return &f }
	tests := map[string]struct {
		raw  string
		want monitors.Monitor
	}{
		"metric": {`{"dlq": {
			"name": "DLQ", "kind": "metric", "query": "sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count()",
			"comparator": ">=", "critical": 5000, "warning": 1000, "criticalRecovery": 4000, "warningRecovery": 500.5,
			"message": "Check the scale-up logs.", "notify": ["infra"], "renotifyInterval": 60, "evaluationDelay": 900,
			"requireFullWindow": true, "includeTags": false, "tags": ["team:infra", "service:ali"], "priority": 1,
			"importId": "12345678"}}`,
			monitors.Monitor{
				Name: "DLQ", Kind: monitors.Metric, Query: "sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count()",
				Window: monitors.DefaultWindow, Comparator: ">=", Critical: 5000, Warning: ptr(1000), CriticalRecovery: ptr(4000),
				WarningRecovery: ptr(500.5), Message: "Check the scale-up logs.", Notify: []string{"@slack-infra"},
				RenotifyInterval: intp(60), EvaluationDelay: 900, RequireFullWindow: true, IncludeTags: false,
				Tags: []string{"team:infra", "service:ali"}, Priority: 1, ImportID: "12345678",
			}},
		"log below": {`{"quiet": {
			"name": "Quiet", "kind": "log", "search": "service:cdn status:ok", "window": "1h", "comparator": "<",
			"critical": 10, "warning": 20, "criticalRecovery": 15, "warningRecovery": 25, "onMissingData": "show_and_notify_no_data",
			"message": "Too quiet."}}`,
			monitors.Monitor{
				Name: "Quiet", Kind: monitors.Log, Search: "service:cdn status:ok", Window: "1h", Comparator: "<",
				Critical: 10, Warning: ptr(20), CriticalRecovery: ptr(15), WarningRecovery: ptr(25),
				OnMissingData: "show_and_notify_no_data", Message: "Too quiet.", IncludeTags: true, Tags: []string{},
			}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, tc.raw)
			require.Empty(t, problems)
			require.Len(t, got, 1)
			for _, m := range got {
				assert.Equal(t, tc.want, m)
			}
		})
	}
}
