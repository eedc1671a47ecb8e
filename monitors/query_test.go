package monitors_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func quote(t *testing.T, s string) string {
	t.Helper()
	data, err := json.Marshal(s)
	require.NoError(t, err)
	return string(data)
}

// TestDecodeMetricQuery: a metric query is written up to its comparison,
// which is rendered from comparator and critical; one ending in a
// comparison of its own, in any form, or empty is an error at the query.
func TestDecodeMetricQuery(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		query string
		// want is part of the message at monitors.m.query; "" for valid.
		want string
	}{
		"plain":                    {"sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count()", ""},
		"arithmetic":               {"avg(last_5m):a{} / 100", ""},
		"tag with a comparison":    {"avg(last_5m):x{version:>=2}.rollup(sum, 60)", ""},
		"negative arithmetic":      {"avg(last_5m):x{} - 5", ""},
		"function call":            {"avg(last_1h):anomalies(x{}, 'basic', 2)", ""},
		"empty":                    {"", "is empty; write the metric query up to the comparison, such as sum(last_5m):"},
		"only spaces":              {"  \n", "is empty"},
		"> 5":                      {"avg(last_5m):x{} > 5", `ends with a comparison ("> 5"); write the query up to it: the comparison is rendered from comparator and critical`},
		">5 unspaced":              {"avg(last_5m):x{}>5", `(">5")`},
		">= negative decimal":      {"avg(last_5m):x{} >= -2.5 ", `(">= -2.5")`},
		"<= decimal":               {"avg(last_5m):x{} <= 0.75", "ends with a comparison"},
		"< leading dot":            {"avg(last_5m):x{} < .5", "ends with a comparison"},
		"== whole":                 {"avg(last_5m):x{} == 1", `("== 1")`},
		"!= 5":                     {"avg(last_5m):x{} != 5", `("!= 5")`},
		"5e3":                      {"avg(last_5m):x{} > 5e3", `("> 5e3")`},
		"1E-3 with a sign":         {"avg(last_5m):x{} > +1E-3", "ends with a comparison"},
		"spaced sign":              {"avg(last_5m):x{} > - 5", "ends with a comparison"},
		"single =":                 {"avg(last_5m):x{} = 5", "ends with a comparison"},
		"trailing operator only":   {"avg(last_5m):x{} >", `(">")`},
		"trailing tab and newline": {"avg(last_5m):x{} > 5\t\n", "ends with a comparison"},
		"escape":                   {"avg(last_5m):x{}\x1b[2J", "holds the control character U+001B ESCAPE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := `{"m": {"name": "M", "kind": "metric", "query": ` + quote(t, tc.query) + `, "critical": 10, "message": "m"}}`
			got, list := decode(t, raw)
			if tc.want == "" {
				assert.Empty(t, list)
				assert.Equal(t, tc.query, got["m"].Query)
				return
			}
			requireOnly(t, list, "monitors.m.query", tc.want)
		})
	}
}

// TestDecodePrintableText: names, messages and searches hold no character
// that acts instead of showing.
func TestDecodePrintableText(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, path, want string
	}{
		"escape in the name":           {`{"m": {"name": "M\u001b[2J", "kind": "metric", "query": "q{}", "critical": 1, "message": "m"}}`, "monitors.m.name", "holds the control character U+001B ESCAPE at byte 1"},
		"line break in the name":       {`{"m": {"name": "M\nN", "kind": "metric", "query": "q{}", "critical": 1, "message": "m"}}`, "monitors.m.name", "holds a line break or tab"},
		"bidi override in the message": {`{"m": {"name": "M", "kind": "metric", "query": "q{}", "critical": 1, "message": "ok \u202e"}}`, "monitors.m.message", "U+202E RIGHT-TO-LEFT OVERRIDE"},
		"C1 control in the message":    {`{"m": {"name": "M", "kind": "metric", "query": "q{}", "critical": 1, "message": "a\u009b2J"}}`, "monitors.m.message", "U+009B CONTROL SEQUENCE INTRODUCER"},
		"zero-width space in a search": {`{"e": {"name": "E", "kind": "event", "search": "source:sns\u200b", "critical": 0, "message": "m"}}`, "monitors.e.search", "U+200B ZERO WIDTH SPACE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, list := decode(t, tc.raw)
			requireOnly(t, list, tc.path, tc.want)
		})
	}
	_, list := decode(t, `{"m": {"name": "M", "kind": "metric", "query": "q{}", "critical": 1, "message": "line one\n\tline two 🔥"}}`)
	assert.Empty(t, list, "a message may have lines, tabs and emoji")
}
