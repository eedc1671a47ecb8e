package webhooks_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// stateToken is the bearer token in the Terraform state: never copied.
const stateToken = "tf-state-token-7c1d2e3f"

// statePayload is production's payload as Terraform wrote it: a heredoc,
// $LOGS_SAMPLE without quotes.
const statePayload = `{
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
        "logs_sample": $LOGS_SAMPLE,
        "org": {
            "id": "$ORG_ID",
            "name": "$ORG_NAME"
        },
        "snapshot_url": "$SNAPSHOT",
        "tags": "$TAGS"
    }
}
`

// productionState is the attributes of production's datadog_webhook as
// `tofu show -json` gives them.
func productionState() map[string]any {
	return map[string]any{
		"id":             "lf-incident-io",
		"name":           "lf-incident-io",
		"url":            "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN",
		"encode_as":      "json",
		"custom_headers": `{"Authorization":"Bearer ` + stateToken + `  "}`,
		"payload":        statePayload,
	}
}

// roundTrip gives an entry to Decode as the stack config would hold it.
func roundTrip(t *testing.T, key string, entry map[string]any) webhooks.Webhook {
	t.Helper()
	raw, err := json.Marshal(map[string]any{key: entry})
	require.NoError(t, err)
	got, list := decode(t, string(raw))
	require.Empty(t, list)
	require.Contains(t, got, key)
	return got[key]
}

func TestFromTerraformProduction(t *testing.T) {
	t.Parallel()
	key, entry, err := webhooks.FromTerraform(productionState())
	require.NoError(t, err)
	assert.Equal(t, "lf-incident-io", key)

	// The entry as plain values, as the stack file would get it.
	var payload map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{
		"alert_transition": "$ALERT_TRANSITION", "deduplication_key": "$AGGREG_KEY-$ALERT_CYCLE_KEY",
		"title": "$EVENT_TITLE", "description": "$EVENT_MSG", "source_url": "$LINK",
		"metadata": {"id": "$ID", "alert_metric": "$ALERT_METRIC", "alert_query": "$ALERT_QUERY", "alert_scope": "$ALERT_SCOPE",
			"alert_status": "$ALERT_STATUS", "alert_title": "$ALERT_TITLE", "alert_type": "$ALERT_TYPE", "alert_url": "$LINK",
			"alert_priority": "$ALERT_PRIORITY", "date": "$DATE", "event_type": "$EVENT_TYPE", "hostname": "$HOSTNAME",
			"last_updated": "$LAST_UPDATED", "logs_sample": "$LOGS_SAMPLE", "org": {"id": "$ORG_ID", "name": "$ORG_NAME"},
			"snapshot_url": "$SNAPSHOT", "tags": "$TAGS"}}`), &payload))
	assert.Equal(t, map[string]any{
		"importId": "lf-incident-io",
		"url":      "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN",
		"encodeAs": "json",
		"headers": map[string]any{
			"Authorization": map[string]any{"secret": "lf-incident-io-authorization-value", "prefix": "Bearer ", "suffix": "  "},
		},
		"payload":  payload,
		"unquoted": []any{"$LOGS_SAMPLE"},
	}, entry, "name left to the key; the token is left to be set as a secret")

	shown, err := json.Marshal(entry)
	require.NoError(t, err)
	assert.NotContains(t, string(shown), stateToken, "the credential is never copied")

	w := roundTrip(t, key, entry)
	want := production()
	want.Headers["Authorization"] = webhooks.Header{Secret: "lf-incident-io-authorization-value", Prefix: "Bearer ", Suffix: "  "}
	want.ImportID = "lf-incident-io"
	assert.Equal(t, want, w)

	// Registered with the state's token as the secret, it sends what
	// Terraform sent: the same header, an equivalent payload.
	got := register(t, map[string]webhooks.Webhook{key: w}, map[string]string{"lf-incident-io-authorization-value": stateToken})
	assert.Equal(t, productionState()["custom_headers"], secretString(t, got.ByName[key].Inputs["customHeaders"]))
	sent, sentUnquoted, err := webhooks.ParsePayload(got.Inputs[key]["payload"].(string))
	require.NoError(t, err)
	was, wasUnquoted, err := webhooks.ParsePayload(statePayload)
	require.NoError(t, err)
	assert.Equal(t, was, sent)
	assert.Equal(t, wasUnquoted, sentUnquoted)
}

func TestFromTerraformEntries(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		attrs   map[string]any
		key     string
		entry   map[string]any
		webhook webhooks.Webhook
	}{
		"a name that is not a key": {
			attrs: map[string]any{"id": "Ops_Team.hook", "name": "Ops_Team.hook", "url": "https://example.org/h", "encode_as": "form",
				"payload": `{"text": "$EVENT_MSG", "n": 2, "ok": true, "tags": ["$TAGS"]}`},
			key: "ops-team-hook",
			entry: map[string]any{"importId": "Ops_Team.hook", "name": "Ops_Team.hook", "url": "https://example.org/h", "encodeAs": "form",
				"payload": map[string]any{"text": "$EVENT_MSG", "n": 2.0, "ok": true, "tags": []any{"$TAGS"}}},
			webhook: webhooks.Webhook{Name: "Ops_Team.hook", URL: "https://example.org/h", EncodeAs: "form", Headers: map[string]webhooks.Header{},
				Payload: map[string]any{"text": "$EVENT_MSG", "n": json.Number("2"), "ok": true, "tags": []any{"$TAGS"}}, ImportID: "Ops_Team.hook"},
		},
		"plain headers copied, credentials made secrets": {
			attrs: map[string]any{"id": "h", "name": "h", "url": "https://example.org/h", "payload": `{}`,
				"custom_headers": `{"X-Team": "infra", "X-Api-Key": "` + stateToken + `", "Cookie": "s=` + stateToken + `", "proxy-authorization": "Basic  ` + stateToken + `"}`},
			key: "h",
			entry: map[string]any{"importId": "h", "url": "https://example.org/h", "payload": map[string]any{},
				"headers": map[string]any{
					"X-Team":              "infra",
					"X-Api-Key":           map[string]any{"secret": "h-x-api-key-value", "prefix": "", "suffix": ""},
					"Cookie":              map[string]any{"secret": "h-cookie-value", "prefix": "", "suffix": ""},
					"proxy-authorization": map[string]any{"secret": "h-proxy-authorization-value", "prefix": "Basic  ", "suffix": ""},
				}},
			webhook: webhooks.Webhook{Name: "h", URL: "https://example.org/h", EncodeAs: "json", Payload: map[string]any{}, ImportID: "h",
				Headers: map[string]webhooks.Header{
					"X-Team":              {Value: "infra"},
					"X-Api-Key":           {Secret: "h-x-api-key-value"},
					"Cookie":              {Secret: "h-cookie-value"},
					"proxy-authorization": {Secret: "h-proxy-authorization-value", Prefix: "Basic  "},
				}},
		},
		"an Authorization without a scheme": {
			attrs: map[string]any{"id": "h", "name": "h", "url": "https://example.org/h", "payload": `{}`,
				"custom_headers": `{"Authorization": "` + stateToken + `"}`},
			key: "h",
			entry: map[string]any{"importId": "h", "url": "https://example.org/h", "payload": map[string]any{},
				"headers": map[string]any{"Authorization": map[string]any{"secret": "h-authorization-value", "prefix": "", "suffix": ""}}},
			webhook: webhooks.Webhook{Name: "h", URL: "https://example.org/h", EncodeAs: "json", Payload: map[string]any{}, ImportID: "h",
				Headers: map[string]webhooks.Header{"Authorization": {Secret: "h-authorization-value"}}},
		},
		"no headers, several bare variables": {
			attrs: map[string]any{"id": "h", "name": "h", "url": "https://example.org/h", "custom_headers": nil,
				"payload": `{"a": $LOGS_SAMPLE, "b": [$TAGS, "$EVENT_MSG", $LOGS_SAMPLE], "c": "say \"$TAGS\" $"}`},
			key: "h",
			entry: map[string]any{"importId": "h", "url": "https://example.org/h", "unquoted": []any{"$LOGS_SAMPLE", "$TAGS"},
				"payload": map[string]any{"a": "$LOGS_SAMPLE", "b": []any{"$TAGS", "$EVENT_MSG", "$LOGS_SAMPLE"}, "c": `say "$TAGS" $`}},
			webhook: webhooks.Webhook{Name: "h", URL: "https://example.org/h", EncodeAs: "json", Headers: map[string]webhooks.Header{}, ImportID: "h",
				Payload:  map[string]any{"a": "$LOGS_SAMPLE", "b": []any{"$TAGS", "$EVENT_MSG", "$LOGS_SAMPLE"}, "c": `say "$TAGS" $`},
				Unquoted: []string{"$LOGS_SAMPLE", "$TAGS"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := webhooks.FromTerraform(tc.attrs)
			require.NoError(t, err)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.entry, entry)
			shown, err := json.Marshal(entry)
			require.NoError(t, err)
			assert.NotContains(t, string(shown), stateToken)
			assert.Equal(t, tc.webhook, roundTrip(t, key, entry))
		})
	}
}

func TestFromTerraformRefuses(t *testing.T) {
	t.Parallel()
	with := func(k string, v any) map[string]any {
		a := productionState()
		if v == nil {
			delete(a, k)
		} else {
			a[k] = v
		}
		return a
	}
	tests := map[string]struct {
		attrs map[string]any
		want  string
	}{
		"no name":            {with("name", nil), "datadog_webhook has no name"},
		"name not a string":  {with("name", 3.0), "datadog_webhook has no name"},
		"no id":              {with("id", nil), `datadog_webhook "lf-incident-io" has no id`},
		"id not the name":    {with("id", "other"), `datadog_webhook "lf-incident-io" has the id "other": a webhook's id is its name`},
		"no url":             {with("url", nil), `datadog_webhook "lf-incident-io" has no url`},
		"no payload":         {with("payload", ""), `datadog_webhook "lf-incident-io" has no payload (Datadog's default)`},
		"payload not JSON":   {with("payload", `{"a": }`), `datadog_webhook "lf-incident-io": payload: not a JSON object: invalid character '}'`},
		"payload a list":     {with("payload", `["$TAGS"]`), "payload: not a JSON object"},
		"payload null":       {with("payload", `null`), "payload: not a JSON object, but null"},
		"a bare dollar":      {with("payload", `{"a": $}`), "payload: a '$' outside a string at byte 6 is not a variable"},
		"a bare key":         {with("payload", `{$TAGS: 1}`), "payload: $TAGS is a key without quotes at byte 1"},
		"bare and quoted":    {with("payload", `{"a": $TAGS, "b": "$TAGS"}`), "payload: $TAGS is a value both bare and quoted"},
		"headers not JSON":   {with("custom_headers", `Authorization: Bearer `+stateToken), "custom_headers is not a JSON object of header name to value"},
		"headers a list":     {with("custom_headers", `["`+stateToken+`"]`), "custom_headers is not a JSON object"},
		"header not a value": {with("custom_headers", `{"X-Retries": 3}`), "custom_headers: X-Retries is not a string"},
		"http URL": {with("url", "http://example.org/h"),
			`datadog_webhook "lf-incident-io" cannot be managed as it is: webhooks.lf-incident-io.url: "http://example.org/h" must be an https URL`},
		"header with a line break": {with("custom_headers", `{"X-Team": "a\r\nX-Evil: `+stateToken+`"}`),
			"webhooks.lf-incident-io.headers.X-Team: holds a control character"},
		"unknown encoding": {with("encode_as", "xml"), `webhooks.lf-incident-io.encodeAs: "xml" is not one of json, form`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := webhooks.FromTerraform(tc.attrs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), stateToken, "no error shows a header's value")
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}
}

func TestParsePayload(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw      string
		payload  map[string]any
		unquoted []string
	}{
		"plain JSON":                 {`{"a": "$TAGS"}`, map[string]any{"a": "$TAGS"}, nil},
		"a bare variable":            {`{"a": $TAGS}`, map[string]any{"a": "$TAGS"}, []string{"$TAGS"}},
		"order of first appearance":  {"{\"z\": $Z_1,\n\"a\": [$A, $Z_1]}", map[string]any{"z": "$Z_1", "a": []any{"$A", "$Z_1"}}, []string{"$Z_1", "$A"}},
		"a quoted key is no value":   {`{"$A": $A}`, map[string]any{"$A": "$A"}, []string{"$A"}},
		"dollars inside strings":     {`{"a": "\\", "b": "x\"$A\"", "c": "$a"}`, map[string]any{"a": `\`, "b": `x"$A"`, "c": "$a"}, nil},
		"a variable in a long value": {`{"k": "$A-$B", "v": $B}`, map[string]any{"k": "$A-$B", "v": "$B"}, []string{"$B"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			payload, unquoted, err := webhooks.ParsePayload(tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.payload, payload)
			assert.Equal(t, tc.unquoted, unquoted)
		})
	}
}
