package webhooks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// productionSection is production's webhook as the stack config holds it
// (the JSON the engine passes): the bearer token is only named.
const productionSection = `{"lf-incident-io": {
	"url": "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN",
	"encodeAs": "json",
	"headers": {"Authorization": {"prefix": "Bearer ", "secret": "incident-io-bearer", "suffix": "  "}},
	"payload": {
		"alert_transition": "$ALERT_TRANSITION",
		"deduplication_key": "$AGGREG_KEY-$ALERT_CYCLE_KEY",
		"title": "$EVENT_TITLE",
		"description": "$EVENT_MSG",
		"source_url": "$LINK",
		"metadata": {
			"id": "$ID",
			"alert_metric": "$ALERT_METRIC",
			"alert_query": "$ALERT_QUERY",
			"alert_scope": "$ALERT_SCOPE",
			"alert_status": "$ALERT_STATUS",
			"alert_title": "$ALERT_TITLE",
			"alert_type": "$ALERT_TYPE",
			"alert_url": "$LINK",
			"alert_priority": "$ALERT_PRIORITY",
			"date": "$DATE",
			"event_type": "$EVENT_TYPE",
			"hostname": "$HOSTNAME",
			"last_updated": "$LAST_UPDATED",
			"logs_sample": "$LOGS_SAMPLE",
			"org": {"id": "$ORG_ID", "name": "$ORG_NAME"},
			"snapshot_url": "$SNAPSHOT",
			"tags": "$TAGS"
		}
	},
	"unquoted": ["$LOGS_SAMPLE"]
}}`

// productionPayload is production's payload as Decode gives it.
func productionPayload() map[string]any {
	return map[string]any{
		"alert_transition":  "$ALERT_TRANSITION",
		"deduplication_key": "$AGGREG_KEY-$ALERT_CYCLE_KEY",
		"title":             "$EVENT_TITLE",
		"description":       "$EVENT_MSG",
		"source_url":        "$LINK",
		"metadata": map[string]any{
			"id":             "$ID",
			"alert_metric":   "$ALERT_METRIC",
			"alert_query":    "$ALERT_QUERY",
			"alert_scope":    "$ALERT_SCOPE",
			"alert_status":   "$ALERT_STATUS",
			"alert_title":    "$ALERT_TITLE",
			"alert_type":     "$ALERT_TYPE",
			"alert_url":      "$LINK",
			"alert_priority": "$ALERT_PRIORITY",
			"date":           "$DATE",
			"event_type":     "$EVENT_TYPE",
			"hostname":       "$HOSTNAME",
			"last_updated":   "$LAST_UPDATED",
			"logs_sample":    "$LOGS_SAMPLE",
			"org":            map[string]any{"id": "$ORG_ID", "name": "$ORG_NAME"},
			"snapshot_url":   "$SNAPSHOT",
			"tags":           "$TAGS",
		},
	}
}

// production is production's webhook as Decode gives it.
func production() webhooks.Webhook {
	return webhooks.Webhook{
		Name:     "lf-incident-io",
		URL:      "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN",
		EncodeAs: "json",
		Headers:  map[string]webhooks.Header{"Authorization": {Secret: "incident-io-bearer", Prefix: "Bearer ", Suffix: "  "}},
		Payload:  productionPayload(),
		Unquoted: []string{"$LOGS_SAMPLE"},
	}
}

// decode decodes a webhooks section as present and returns the webhooks
// and every problem found, each a *configkit.PathError.
func decode(t *testing.T, raw string) (map[string]webhooks.Webhook, []*configkit.PathError) {
	t.Helper()
	p := &configkit.Problems{}
	out := webhooks.Decode(p, raw, true)
	return out, kittest.Problems(t, p)
}

// requireOnly checks that list is exactly one problem, at path, whose
// message contains fragment.
func requireOnly(t *testing.T, list []*configkit.PathError, path, fragment string) {
	t.Helper()
	require.Len(t, list, 1, "problems: %v", list)
	assert.Equal(t, path, list[0].Path)
	assert.Contains(t, list[0].Msg, fragment)
}

// hook is a valid webhook "w" with extra fields.
func hook(extra string) string {
	return `{"w": {"url": "https://example.org/hook", "payload": {"text": "$EVENT_MSG", "logs": "$LOGS_SAMPLE"}` + extra + `}}`
}

func TestDecodeProduction(t *testing.T) {
	t.Parallel()
	got, list := decode(t, productionSection)
	require.Empty(t, list)
	assert.Equal(t, map[string]webhooks.Webhook{"lf-incident-io": production()}, got)
	assert.Equal(t, "@webhook-lf-incident-io", webhooks.Handle(got["lf-incident-io"]), "what monitors notify")
	assert.Equal(t, []string{"incident-io-bearer"}, webhooks.SecretNames(got))
}

func TestDecodeDefaults(t *testing.T) {
	t.Parallel()
	got, list := decode(t, `{"ops-hook": {"url": "https://example.org/hook", "payload": {"n": 1.50, "ok": true, "none": null, "list": []}}}`)
	require.Empty(t, list)
	assert.Equal(t, map[string]webhooks.Webhook{"ops-hook": {
		Name:     "ops-hook", // the key: monitors notify @webhook-ops-hook
		URL:      "https://example.org/hook",
		EncodeAs: "json", // Datadog's default, and production's
		Headers:  map[string]webhooks.Header{},
		Payload:  map[string]any{"n": json.Number("1.50"), "ok": true, "none": nil, "list": []any{}},
	}}, got)
}

func TestDecodeAbsentOrEmpty(t *testing.T) {
	t.Parallel()
	p := &configkit.Problems{}
	assert.Empty(t, webhooks.Decode(p, `{"w": "not even a webhook"}`, false), "absent: no webhooks, the value unread")
	assert.Empty(t, kittest.Problems(t, p))

	got, list := decode(t, `{}`)
	assert.Empty(t, got)
	assert.Empty(t, list)
}

func TestDecodeFields(t *testing.T) {
	t.Parallel()
	got, list := decode(t, `{"w": {"name": "Ops_Team.hook-2", "url": "https://hooks.example.org:8443/a?b=c#d", "encodeAs": "form",
		"headers": {"X-Team": "infra", "x-api-key": {"secret": "ops-key"}, "Cookie": {"secret": "ops-cookie", "prefix": "session="}},
		"payload": {"text": "$EVENT_MSG"}, "importId": "Ops_Team.hook-2"}}`)
	require.Empty(t, list)
	assert.Equal(t, webhooks.Webhook{
		Name: "Ops_Team.hook-2", URL: "https://hooks.example.org:8443/a?b=c#d", EncodeAs: "form",
		Headers: map[string]webhooks.Header{
			"X-Team":    {Value: "infra"},
			"x-api-key": {Secret: "ops-key"},
			"Cookie":    {Secret: "ops-cookie", Prefix: "session="},
		},
		Payload:  map[string]any{"text": "$EVENT_MSG"},
		ImportID: "Ops_Team.hook-2",
	}, got["w"])
	assert.Equal(t, "@webhook-Ops_Team.hook-2", webhooks.Handle(got["w"]))
}

func TestDecodeReportsOneProblem(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, path, fragment string
	}{
		"http URL": {`{"w": {"url": "http://example.org/hook", "payload": {}}}`,
			"webhooks.w.url", `"http://example.org/hook" must be an https URL: the payload and the headers' credentials must travel encrypted`},
		"URL without a scheme": {`{"w": {"url": "example.org/hook", "payload": {}}}`,
			"webhooks.w.url", `"example.org/hook" has no scheme; write it as https://`},
		"URL without a host": {`{"w": {"url": "https:///hook", "payload": {}}}`,
			"webhooks.w.url", `"https:///hook" has no host`},
		"URL with a password": {`{"w": {"url": "https://ops:hunter2@example.org/hook", "payload": {}}}`,
			"webhooks.w.url", "holds a user name or password (the part before @); a credential in plain config shows in the stack file and in plans: remove it and use a secret instead: send it in a header whose value is a secret"},
		"URL with spaces": {`{"w": {"url": "https://example.org/a hook", "payload": {}}}`,
			"webhooks.w.url", "holds a space at byte 21"},
		"URL with port 0": {`{"w": {"url": "https://example.org:0/hook", "payload": {}}}`,
			"webhooks.w.url", "port 0 is not a port from 1 to 65535"},
		"URL with port 99999": {`{"w": {"url": "https://example.org:99999/hook", "payload": {}}}`,
			"webhooks.w.url", "port 99999 is not a port from 1 to 65535"},
		"URL with a bad host": {`{"w": {"url": "https://exa_mple.org/hook", "payload": {}}}`,
			"webhooks.w.url", `host "exa_mple.org" is not a host name`},
		"URL with a line break": {`{"w": {"url": "https://example.org/hook\r\nX: 1", "payload": {}}}`,
			"webhooks.w.url", "holds a line break or tab (U+000D CARRIAGE RETURN)"},
		"URL with an escape": {`{"w": {"url": "https://example.org/\u001b[2J", "payload": {}}}`,
			"webhooks.w.url", "U+001B ESCAPE"},
		"URL empty": {`{"w": {"url": "", "payload": {}}}`,
			"webhooks.w.url", "is empty; write an address such as https://api.incident.io/"},
		"URL not parsable": {`{"w": {"url": "https://example.org:x/", "payload": {}}}`,
			"webhooks.w.url", "is not a URL"},
		"URL as a number": {`{"w": {"url": 443, "payload": {}}}`,
			"webhooks.w.url", "must be a string, got the number 443"},
		"URL missing": {`{"w": {"payload": {}}}`,
			"webhooks.w.url", "missing; it is required"},
		"unknown encoding": {hook(`, "encodeAs": "jsn"`),
			"webhooks.w.encodeAs", `"jsn" is not one of json, form (did you mean "json"?)`},
		"name with a space": {hook(`, "name": "lf incident"`),
			"webhooks.w.name", `"lf incident" is not a webhook name`},
		"name with an at sign": {hook(`, "name": "@webhook-lf"`),
			"webhooks.w.name", "is not a webhook name"},
		"name empty": {hook(`, "name": ""`),
			"webhooks.w.name", `"" is not a webhook name`},
		"name as a list": {hook(`, "name": ["lf"]`),
			"webhooks.w.name", "must be a string, got a list"},
		"key not kebab-case": {`{"LF_Hook": {"url": "https://example.org/hook", "payload": {}}}`,
			"webhooks.LF_Hook", `key "LF_Hook" must be lowercase letters and digits joined by '-'`},
		"headers as a list": {hook(`, "headers": ["X-Team: infra"]`),
			"webhooks.w.headers", "must be a map of header name to value or {secret, prefix, suffix}, got a list"},
		"header name with a space": {hook(`, "headers": {"X Team": "infra"}`),
			"webhooks.w.headers.X Team", `"X Team" is not an HTTP header name`},
		"header name with a colon": {hook(`, "headers": {"X-Team:": "infra"}`),
			"webhooks.w.headers.X-Team:", "is not an HTTP header name"},
		"header name with a line break": {hook(`, "headers": {"X-Team\r\nX-Evil": "infra"}`),
			"webhooks.w.headers.X-Team\r\nX-Evil", "is not an HTTP header name"},
		"header value with a line break": {hook(`, "headers": {"X-Team": "infra\r\nX-Evil: 1"}`),
			"webhooks.w.headers.X-Team", `holds a control character ('\r' at byte 5); a header value is one line`},
		"header value with a NUL": {hook(`, "headers": {"X-Team": "infra\u0000"}`),
			"webhooks.w.headers.X-Team", `holds a control character ('\x00' at byte 5)`},
		"header value a number": {hook(`, "headers": {"X-Retries": 3}`),
			"webhooks.w.headers.X-Retries", "must be a string or {secret, prefix, suffix}, got the number 3"},
		"header value null": {hook(`, "headers": {"X-Team": null}`),
			"webhooks.w.headers.X-Team", "got nothing (null)"},
		"same header twice": {hook(`, "headers": {"X-Team": "a", "x-team": "b"}`),
			"webhooks.w.headers.x-team", "is the same header as X-Team: header names are case-insensitive"},
		"plain Authorization": {hook(`, "headers": {"Authorization": "Bearer abc"}`),
			"webhooks.w.headers.Authorization", "carries a credential, which a plain string would put in the stack file and in plans in plaintext; write {secret: NAME, prefix: \"Bearer \"} and set it with pulumi config set --secret --path 'secrets.NAME' <value>"},
		"plain authorization in lower case": {hook(`, "headers": {"authorization": "Basic abc"}`),
			"webhooks.w.headers.authorization", "carries a credential"},
		"plain Proxy-Authorization": {hook(`, "headers": {"Proxy-Authorization": "Basic abc"}`),
			"webhooks.w.headers.Proxy-Authorization", "carries a credential"},
		"plain Cookie": {hook(`, "headers": {"COOKIE": "session=abc"}`),
			"webhooks.w.headers.COOKIE", "carries a credential"},
		"plain API key": {hook(`, "headers": {"X-Api-Key": "abc"}`),
			"webhooks.w.headers.X-Api-Key", "carries a credential"},
		"plain token": {hook(`, "headers": {"X-Auth-Token": ""}`),
			"webhooks.w.headers.X-Auth-Token", "carries a credential"},
		"secret missing": {hook(`, "headers": {"Authorization": {"prefix": "Bearer "}}`),
			"webhooks.w.headers.Authorization.secret", "missing; it is required"},
		"secret name not kebab-case": {hook(`, "headers": {"Authorization": {"secret": "INCIDENT_IO_BEARER"}}`),
			"webhooks.w.headers.Authorization.secret", `"INCIDENT_IO_BEARER" is not a secret name: lowercase letters and digits joined by '-'`},
		"secret name a number": {hook(`, "headers": {"Authorization": {"secret": 1}}`),
			"webhooks.w.headers.Authorization.secret", "must be a string, got the number 1"},
		"prefix with a line break": {hook(`, "headers": {"Authorization": {"secret": "s", "prefix": "Bearer\n"}}`),
			"webhooks.w.headers.Authorization.prefix", `holds a control character ('\n' at byte 6)`},
		"suffix a boolean": {hook(`, "headers": {"Authorization": {"secret": "s", "suffix": false}}`),
			"webhooks.w.headers.Authorization.suffix", "must be a string, got the boolean false"},
		"misspelt header field": {hook(`, "headers": {"Authorization": {"secret": "s", "prefx": "Bearer "}}`),
			"webhooks.w.headers.Authorization.prefx", `unknown field (did you mean "prefix"?); known fields: secret, prefix, suffix`},
		"payload missing": {`{"w": {"url": "https://example.org/hook"}}`,
			"webhooks.w.payload", "missing; it is required"},
		"payload as a JSON string": {`{"w": {"url": "https://example.org/hook", "payload": "{\"text\": \"$EVENT_MSG\"}"}}`,
			"webhooks.w.payload", `must be a map (the JSON object Datadog sends, its values Datadog variables such as $ALERT_TRANSITION), got the string`},
		"payload as a list": {`{"w": {"url": "https://example.org/hook", "payload": ["$EVENT_MSG"]}}`,
			"webhooks.w.payload", "must be a map (the JSON object Datadog sends"},
		"unquoted as a string": {hook(`, "unquoted": "$LOGS_SAMPLE"`),
			"webhooks.w.unquoted", `(write it as a list: ["$LOGS_SAMPLE"])`},
		"unquoted entry a number": {hook(`, "unquoted": [1]`),
			"webhooks.w.unquoted[0]", "must be a string, got the number 1"},
		"unquoted without the dollar": {hook(`, "unquoted": ["LOGS_SAMPLE"]`),
			"webhooks.w.unquoted[0]", `"LOGS_SAMPLE" is not a Datadog variable such as $LOGS_SAMPLE`},
		"unquoted in lower case": {hook(`, "unquoted": ["$logs_sample"]`),
			"webhooks.w.unquoted[0]", "is not a Datadog variable"},
		"unquoted not in the payload": {hook(`, "unquoted": ["$LOG_SAMPLE"]`),
			"webhooks.w.unquoted[0]", `"$LOG_SAMPLE" is not a whole string value of the payload, so there is nothing to write without quotes (did you mean "$LOGS_SAMPLE"?)`},
		"unquoted only inside a longer string": {`{"w": {"url": "https://example.org/hook", "payload": {"k": "$AGGREG_KEY-$ALERT_CYCLE_KEY"}, "unquoted": ["$AGGREG_KEY"]}}`,
			"webhooks.w.unquoted[0]", `"$AGGREG_KEY" is not a whole string value of the payload`},
		"unquoted only a key": {`{"w": {"url": "https://example.org/hook", "payload": {"$LOGS_SAMPLE": "x"}, "unquoted": ["$LOGS_SAMPLE"]}}`,
			"webhooks.w.unquoted[0]", "is not a whole string value of the payload"},
		"unquoted twice": {hook(`, "unquoted": ["$LOGS_SAMPLE", "$LOGS_SAMPLE"]`),
			"webhooks.w.unquoted[1]", `"$LOGS_SAMPLE" is listed twice (also at [0])`},
		"importId not the name": {hook(`, "importId": "lf-incident-io"`),
			"webhooks.w.importId", `"lf-incident-io" is not the webhook's name "w": a webhook's id is its name`},
		"importId of another form": {hook(`, "importId": "lf incident"`),
			"webhooks.w.importId", `"lf incident" is not an id of this type, such as lf-incident-io`},
		"misspelt field": {`{"w": {"url": "https://example.org/hook", "paylaod": {}, "payload": {}}}`,
			"webhooks.w.paylaod", `unknown field (did you mean "payload"?); known fields: name, url, encodeAs, headers, payload, unquoted, importId`},
		"customHeaders is not a field": {hook(`, "customHeaders": "{}"`),
			"webhooks.w.customHeaders", "unknown field"},
		"duplicate names": {`{"a": {"name": "lf", "url": "https://example.org/hook", "payload": {}}, "b": {"name": "lf", "url": "https://example.org/hook", "payload": {}}}`,
			"webhooks.b.name", `"lf" is also the name of webhooks.a; webhook names must be unique`},
		"a name that is another key": {`{"lf": {"url": "https://example.org/hook", "payload": {}}, "z": {"name": "lf", "url": "https://example.org/hook", "payload": {}}}`,
			"webhooks.z.name", `"lf" is also the name of webhooks.lf`},
		"webhook not a map": {`{"w": "https://example.org/hook"}`,
			"webhooks.w", "must be a webhook ({name, url, encodeAs, headers, payload, unquoted}), got the string"},
		"section a list": {`[{"url": "https://example.org/hook"}]`,
			"webhooks", "must be a map of webhook key to a webhook ({name, url, encodeAs, headers, payload, unquoted}), got a list"},
		"section not JSON": {`lf-incident-io`,
			"webhooks", `got the string "lf-incident-io"`},
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
// problems of an input, across fields, headers and webhooks.
func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	got, list := decode(t, `{
		"a": {"url": "http://example.org", "encodeAs": "xml", "payload": "text",
			"headers": {"Authorization": "Bearer abc", "X Team": "infra", "X-Ok": "fine", "X-Bad": {"secret": "Bad_Name"}},
			"unquoted": ["$NOPE", "nope"], "colour": "red"},
		"b": {},
		"c": 7
	}`)
	want := map[string]string{
		"webhooks.a.colour":                "unknown field",
		"webhooks.a.url":                   "must be an https URL",
		"webhooks.a.encodeAs":              `"xml" is not one of json, form`,
		"webhooks.a.headers.Authorization": "carries a credential",
		"webhooks.a.headers.X Team":        "is not an HTTP header name",
		"webhooks.a.headers.X-Bad.secret":  "is not a secret name",
		"webhooks.a.payload":               "must be a map",
		"webhooks.a.unquoted[1]":           `"nope" is not a Datadog variable`,
		"webhooks.b.url":                   "missing; it is required",
		"webhooks.b.payload":               "missing; it is required",
		"webhooks.c":                       "must be a webhook",
	}
	gotPaths := map[string]string{}
	for _, pe := range list {
		_, dup := gotPaths[pe.Path]
		require.False(t, dup, "one problem per path: %s", pe.Path)
		gotPaths[pe.Path] = pe.Msg
	}
	require.Len(t, gotPaths, len(want), "problems: %v", list)
	for path, fragment := range want {
		assert.Contains(t, gotPaths[path], fragment, path)
	}
	assert.Equal(t, map[string]webhooks.Header{"X-Ok": {Value: "fine"}}, got["a"].Headers, "the valid headers are kept")
	assert.NotContains(t, got, "c")
}

// TestDecodeNeverShowsHeaderValues: a header's value may be a credential;
// no problem message shows one.
func TestDecodeNeverShowsHeaderValues(t *testing.T) {
	t.Parallel()
	const token = "tok-9f8e7d6c5b4a"
	p := &configkit.Problems{}
	webhooks.Decode(p, hook(`, "headers": {
		"Authorization": "Bearer `+token+`",
		"X-Api-Key": "`+token+`",
		"X-Team": "`+token+`\n",
		"Cookie": {"secret": "c", "prefix": "`+token+`\r"},
		"Proxy-Authorization": {"secret": "p", "suffix": "\u0000`+token+`"}
	}`), true)
	require.Equal(t, 5, p.Len())
	assert.NotContains(t, p.Err().Error(), token)
	assert.NotContains(t, p.Err().Error(), "tok-")
}

// TestDecodeWrongTypesNeverPanic gives every field every JSON type: each
// wrong one is a problem at that field's path, and nothing panics.
func TestDecodeWrongTypesNeverPanic(t *testing.T) {
	t.Parallel()
	values := []string{`null`, `true`, `3`, `"s"`, `[]`, `[1, null, {}]`, `{}`, `{"a": [null]}`}
	fields := []string{"name", "url", "encodeAs", "headers", "payload", "unquoted", "importId"}
	for _, f := range fields {
		for _, v := range values {
			t.Run(f+"="+v, func(t *testing.T) {
				t.Parallel()
				entry := map[string]json.RawMessage{"url": json.RawMessage(`"https://example.org/hook"`), "payload": json.RawMessage(`{}`)}
				entry[f] = json.RawMessage(v)
				raw, err := json.Marshal(map[string]any{"w": entry})
				require.NoError(t, err)
				require.NotPanics(t, func() {
					_, list := decode(t, string(raw))
					for _, pe := range list {
						assert.True(t, strings.HasPrefix(pe.Path, "webhooks.w."+f), "problem at its field: %v", pe)
					}
				})
			})
		}
	}
	for _, v := range values {
		t.Run("headers="+v, func(t *testing.T) {
			t.Parallel()
			require.NotPanics(t, func() {
				_, list := decode(t, hook(`, "headers": {"X-Team": `+v+`, "Authorization": {"secret": `+v+`, "prefix": `+v+`}}`))
				if v != `"s"` {
					assert.NotEmpty(t, list)
				}
				for _, pe := range list {
					assert.True(t, strings.HasPrefix(pe.Path, "webhooks.w.headers."), "problem at its header: %v", pe)
				}
			})
		})
	}
}
