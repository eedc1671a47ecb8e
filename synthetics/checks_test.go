package synthetics_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonString(t *testing.T, s string) string {
	t.Helper()
	data, err := json.Marshal(s)
	require.NoError(t, err)
	return string(data)
}

func TestDecodeURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url  string
		want string // part of the message at synthetics.t.url; "" for valid
	}{
		"https":              {"https://pytorch.org", ""},
		"http":               {"http://pytorch.org/", ""},
		"query":              {"https://github.com/pytorch/pytorch/issues?q=state%3Aopen%20label%3A%22ci%3A%20sev%22", ""},
		"port":               {"https://hud.pytorch.org:8443/", ""},
		"config variable":    {"https://pytorch.org/api?token={{ HUD_TOKEN }}", ""},
		"empty":              {"", "is empty; write an address such as https://pytorch.org"},
		"empty host":         {"https:///docs", "has no host"},
		"port 0":             {"https://pytorch.org:0/", "port 0 is not a port from 1 to 65535"},
		"port 99999":         {"https://pytorch.org:99999/", "port 99999 is not a port from 1 to 65535"},
		"underscore in host": {"https://py_torch.org/", `host "py_torch.org" is not a host name`},
		"bracket in host":    {"https://pyt<orch.org/", "is not a host name"},
		"user and password":  {"https://jane:hunter2@pytorch.org/", "holds a user name or password (the part before @); a credential in plain config shows in the stack file and in plans: remove it and use a secret instead: a {{ NAME }} variable from secrets"},
		"file scheme":        {"file:///etc/passwd", "must be an http or https URL"},
		"line feed":          {"https://pytorch.org/\r\nX: y", "holds a line break or tab (U+000D CARRIAGE RETURN)"},
		"escape":             {"https://pytorch.org/\x1b[2J", "U+001B ESCAPE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, list := decode(t, httpTest(`, "url": `+jsonString(t, tc.url)))
			if tc.want == "" {
				assert.Empty(t, list)
				return
			}
			_ = got
			requireOnly(t, list, "synthetics.t.url", tc.want)
			assert.NotContains(t, list[0].Msg, "hunter2")
		})
	}
}

func TestDecodeSSLHost(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		host string
		want string // part of the message at synthetics.s.host; "" for valid
	}{
		"name":           {"discuss.pytorch.org", ""},
		"IDN":            {"bücher.example", ""},
		"IPv4":           {"192.0.2.1", ""},
		"empty":          {"", "is empty; write the host whose certificate is checked"},
		"with a scheme":  {"https://discuss.pytorch.org", "write the host alone, without scheme, port or path"},
		"with a port":    {"discuss.pytorch.org:443", "without scheme, port or path"},
		"space":          {"discuss pytorch.org", `host "discuss pytorch.org" is not a host name`},
		"underscore":     {"dis_cuss.pytorch.org", "is not a host name"},
		"zero-width":     {"discuss\u200b.pytorch.org", "U+200B ZERO WIDTH SPACE"},
		"leading hyphen": {"-discuss.pytorch.org", "is not a host name"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := `{"s": {"name": "S", "kind": "ssl", "host": ` + jsonString(t, tc.host) + `, "message": "m", "assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 10}]}}`
			_, list := decode(t, raw)
			if tc.want == "" {
				assert.Empty(t, list)
				return
			}
			requireOnly(t, list, "synthetics.s.host", tc.want)
		})
	}
}

func TestDecodeRequestHeaders(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name, value string
		// want is part of the message at synthetics.t.headers.<name>; ""
		// for valid.
		want string
	}{
		"plain":                    {"Accept", "application/json", ""},
		"token signs":              {"X-Request_ID.v2~", "abc", ""},
		"tab in a value":           {"Accept", "a\tb", ""},
		"space in the name":        {"X Header", "v", `"X Header" is not an HTTP header name`},
		"colon in the name":        {"X-Header:", "v", "is not an HTTP header name"},
		"line feed in the name":    {"X\nInjected", "v", "is not an HTTP header name"},
		"non-ASCII name":           {"X-Näme", "v", "is not an HTTP header name"},
		"empty name":               {"", "v", "is not an HTTP header name"},
		"CR LF in a value":         {"Accept", "a\r\nX-Injected: 1", "holds a control or invisible character at byte 1 (the value is not shown); a header value is one line of text"},
		"line feed in a value":     {"Accept", "a\nb", "at byte 1"},
		"NUL in a value":           {"Accept", "a\x00", "holds a control or invisible character"},
		"bidi override in a value": {"Accept", "\u202ea", "at byte 0"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, list := decode(t, httpTest(`, "headers": {`+jsonString(t, tc.name)+`: `+jsonString(t, tc.value)+`}`))
			if tc.want == "" {
				assert.Empty(t, list)
				return
			}
			requireOnly(t, list, "synthetics.t.headers."+tc.name, tc.want)
			assert.NotContains(t, list[0].Msg, tc.value, "a header value is never shown")
		})
	}
}

func TestDecodeThresholdHours(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		hours   string
		seconds int
		want    string // part of the message; "" for valid
	}{
		"a quarter of an hour": {"0.25", 900, ""},
		"three hours":          {"3", 10800, ""},
		"a day":                {"24", 86400, ""},
		"rounded to a second":  {"0.3333333", 1200, ""},
		"1e300":                {"1e300", 0, "must be from 0.25 to 24 hours, got 1e+300: a queue wait under a quarter of an hour is routine"},
		"0.0001":               {"0.0001", 0, "must be from 0.25 to 24 hours, got 0.0001"},
		"beyond a float64":     {"1e400", 0, "must be from 0.25 to 24 hours, got 1e400"},
		"below a float64":      {"1e-400", 0, "must be from 0.25 to 24 hours, got 0"},
		"negative beyond":      {"-1e400", 0, "must be from 0.25 to 24 hours, got -1e400"},
		"zero":                 {"0", 0, "must be from 0.25 to 24 hours"},
		"negative":             {"-3", 0, "got -3"},
		"a week":               {"168", 0, "GitHub cancels a job after 24 hours waiting"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx.", "thresholdHours": ` + tc.hours + `}}}`
			got, list := decode(t, raw)
			if tc.want == "" {
				assert.Empty(t, list)
				require.NotNil(t, got["q"].QueueCheck)
				assert.Equal(t, tc.seconds, got["q"].QueueCheck.ThresholdSeconds)
				return
			}
			requireOnly(t, list, "synthetics.q.queue.thresholdHours", tc.want)
		})
	}
}

func TestDecodeJavaScriptAssertion(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		code string
		want string // part of the message at assertions[0].code; "" for valid
	}{
		"a check":             {"dd.expect(dd.response.statusCode).to.equal(200);", ""},
		"a check and comment": {"// status\ndd.expect(dd.response.statusCode).to.equal(200)", ""},
		"empty":               {"", "is empty; write the script that checks dd.response"},
		"only spaces":         {" \n\t", "is empty"},
		"only a line comment": {"// TODO", "has no statement, only comments or spaces; a script that does nothing passes whatever the response"},
		"only block comments": {"/* a */\n/* b */", "has no statement"},
		"only semicolons":     {";;\n;", "has no statement"},
		"does not compile":    {"dd.expect(", "is not a script Datadog can run"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, list := decode(t, withAssertion(`{"type": "javascript", "code": `+jsonString(t, tc.code)+`}`))
			if tc.want == "" {
				assert.Empty(t, list)
				return
			}
			requireOnly(t, list, "synthetics.t.assertions[0].code", tc.want)
		})
	}
}

// TestDecodeAssertionWithoutType: one message, at type, listing the types
// of the test's kind: without its type, which fields an assertion takes is
// unknown, so none of them is reported.
func TestDecodeAssertionWithoutType(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]string{
		"operator and target": `{"operator": "is", "target": 200}`,
		"nothing":             `{}`,
		"code":                `{"code": "dd.expect(1)"}`,
		"an unknown field":    `{"operator": "is", "target": 200, "colour": "red"}`,
		"a wrong operator":    `{"operator": "contain", "target": "x", "property": "Server"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, list := decode(t, withAssertion(a))
			requireOnly(t, list, "synthetics.t.assertions[0].type", "missing; one of statusCode, body, header, responseTime, javascript")
		})
	}
	_, list := decode(t, `{"c": {"name": "C", "kind": "ssl", "host": "x.org", "message": "m", "assertions": [{"operator": "isInMoreThan", "target": 14}]}}`)
	requireOnly(t, list, "synthetics.c.assertions[0].type", "missing; one of certificate")
}

// TestDecodeExcludeIndexes: each exclude entry's problem is at its own
// index, whatever comes before it.
func TestDecodeExcludeIndexes(t *testing.T) {
	t.Parallel()
	_, list := decode(t, `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": ".dgx.", "thresholdHours": 3, "exclude": [1, "^(", "", true, "^["]}}}`)
	requireExactly(t, list, map[string]string{
		"synthetics.q.queue.exclude[0]": "must be a string, got the number 1",
		"synthetics.q.queue.exclude[1]": `"^(" is not a JavaScript regular expression`,
		"synthetics.q.queue.exclude[2]": "is empty",
		"synthetics.q.queue.exclude[3]": "must be a string, got the boolean true",
		"synthetics.q.queue.exclude[4]": `"^[" is not a JavaScript regular expression`,
	})
}

func TestDecodePrintableText(t *testing.T) {
	t.Parallel()
	_, list := decode(t, `{"t": {"name": "T\u001b[2J", "url": "https://pytorch.org", "message": "m\u202e", "assertions": [`+statusOK+`]}}`)
	requireExactly(t, list, map[string]string{
		"synthetics.t.name":    "holds the control character U+001B ESCAPE at byte 1",
		"synthetics.t.message": "U+202E RIGHT-TO-LEFT OVERRIDE",
	})
	decodeOK(t, `{"t": {"name": "T", "url": "https://pytorch.org", "message": "line one\n\tline two", "assertions": [`+statusOK+`]}}`)
}
