package schema_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/schema"
)

const header = "config:\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n  pulumi:disable-default-providers: [datadog]\n" +
	"  pytorch-datadog:users:\n    jane: {email: jane@example.org, roles: [Datadog Read Only Role]}\n"

func check(t *testing.T, stack string) ([]schema.Problem, error) {
	t.Helper()
	s, err := schema.Compile()
	require.NoError(t, err)
	return schema.Check(s, []byte(stack))
}

// A URL's password is never shown, though the validator quotes the value
// that does not match; a long value is cut short.
func TestMessagesShowNoPassword(t *testing.T) {
	t.Parallel()
	problems, err := check(t, header+"  pytorch-datadog:webhooks:\n    w: {url: \"http://u:SEKRIT1@example.org/h\", payload: {a: $ID}}\n"+
		"  pytorch-datadog:monitors:\n    m: {name: \""+strings.Repeat("x", 5000)+"\t\", kind: metric, query: q, critical: 1, message: Hi.}\n")
	require.NoError(t, err)
	require.NotEmpty(t, problems)
	var all strings.Builder
	for _, p := range problems {
		all.WriteString(p.String() + "\n")
		assert.LessOrEqual(t, len(p.Msg), 310, "a long value is cut short: %.80s", p.Msg)
	}
	assert.Contains(t, all.String(), "webhooks.w.url: ")
	assert.Contains(t, all.String(), "http://…@example.org/h")
	assert.NotContains(t, all.String(), "SEKRIT1")
}

func TestInstanceRefusals(t *testing.T) {
	t.Parallel()
	var many strings.Builder
	many.WriteString("config:\n")
	for i := range schema.MaxConfigKeys + 1 {
		many.WriteString("  pytorch-datadog:x" + strings.Repeat("y", i%3) + string(rune('a'+i%26)) + strings.Repeat("z", i/26) + ": 1\n")
	}
	laughs := "config:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g"} {
		laughs += "  " + n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	for name, tc := range map[string]struct{ stack, want string }{
		"too many config keys":   {many.String(), "config holds 1001 keys"},
		"aliases that blow up":   {laughs, "stand for more than 1000000 values"},
		"a key read as a number": {header + "    1: {email: one@example.org, roles: [r]}\n", "users: line 6: the key 1 is not read as a name (YAML reads it as int): quote it ('1')"},
		"a key that is a list":   {header + "    ? [a, b]\n    : {email: one@example.org, roles: [r]}\n", "users: line 6: a key is a list or a map"},
		"a second document":      {header + "---\nconfig: {}\n", "holds more than one YAML document"},
		"an infinity":            {header + "  pytorch-datadog:monitors: {m: {critical: .inf}}\n", "monitors.m.critical: line 6: .inf is not a number a config value can hold"},
		"a key given twice":      {header + "    jane: {email: jane@example.org, roles: [r]}\n", `users: line 6: the key "jane" is given twice`},
		"an unquoted date":       {header + "  pytorch-datadog:teams: {t: {name: 2024-01-01}}\n", "teams.t.name: line 6: 2024-01-01 is an unquoted date"},
		"not YAML":               {"config: [\n", "not YAML"},
		"a list index in a path": {header + "  pytorch-datadog:teams: {t: {members: [jane, .nan]}}\n", "teams.t.members[1]: line 6"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := check(t, tc.stack)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// A merge key adds the keys a map does not set, as YAML's decoder does.
func TestInstanceMerges(t *testing.T) {
	t.Parallel()
	v, err := schema.Instance([]byte("config:\n  base: &b {a: 1, b: 2}\n  m: {<<: *b, b: 3}\n"))
	require.NoError(t, err)
	m := v.(map[string]any)["config"].(map[string]any)["m"].(map[string]any)
	assert.Len(t, m, 2)
	assert.EqualValues(t, 1, toFloat(m["a"]))
	assert.EqualValues(t, 3, toFloat(m["b"]))
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case interface{ Float64() (float64, error) }:
		f, _ := x.Float64()
		return f
	}
	return -1
}
