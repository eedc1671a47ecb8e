package adopt

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

func addition(section, key, address string, entry map[string]any) Addition {
	return Addition{Section: section, Key: key, By: "ddstack import --add", Source: address, Entry: entry}
}

func TestAddKeepsEverythingElse(t *testing.T) {
	t.Parallel()
	in := "# head\r\n" +
		"config:\r\n" +
		"  pytorch-datadog:users:\r\n" +
		"    # the first user\r\n" +
		"    a: {email: a@example.org, roles: [x]}\r\n" +
		"  pytorch-datadog:teams:\r\n" +
		"  pytorch-datadog:monitors: {}"
	out, err := Add([]byte(in), []Addition{
		addition("users", "b", `datadog_user.users["b"]`, map[string]any{"email": "b@example.org", "roles": []any{"Datadog Admin Role"}, "importId": "0123"}),
		addition("teams", "t", "datadog_team.t", map[string]any{"name": "T", "members": []any{}}),
		addition("roles", "r", "datadog_role.r", map[string]any{"name": "R"}),
	})
	require.NoError(t, err)
	assert.Equal(t, "# head\r\n"+
		"config:\r\n"+
		"  pytorch-datadog:users:\r\n"+
		"    # the first user\r\n"+
		"    a: {email: a@example.org, roles: [x]}\r\n"+
		"    # Added by ddstack import --add from datadog_user.users[\"b\"].\r\n"+
		"    b:\r\n"+
		"      email: b@example.org\r\n"+
		"      importId: \"0123\"\r\n"+
		"      roles:\r\n"+
		"        - Datadog Admin Role\r\n"+
		"  pytorch-datadog:teams:\r\n"+
		"    # Added by ddstack import --add from datadog_team.t.\r\n"+
		"    t:\r\n"+
		"      members: []\r\n"+
		"      name: T\r\n"+
		"  pytorch-datadog:monitors: {}\r\n"+
		"  pytorch-datadog:roles:\r\n"+
		"    # Added by ddstack import --add from datadog_role.r.\r\n"+
		"    r:\r\n"+
		"      name: R\r\n", string(out), "CRLF kept, a string that looks like a number quoted, a missing section added at the end")
}

// New entries go where their keys sort among the section's, each with
// the comments of the entry after it kept above that entry, and their
// fields in the order their declaration has.
func TestAddInsertsInKeyOrder(t *testing.T) {
	t.Parallel()
	in := "config:\n" +
		"  pytorch-datadog:users:\n" +
		"    # Bob's comment\n" +
		"    bob: {email: bob@example.org}\n" +
		"    # Dan's comment\n" +
		"    dan:\n" +
		"      email: dan@example.org\n" +
		"  # The teams' comment\n" +
		"  pytorch-datadog:teams: {}\n"
	spec := &kit.Spec{Kind: kit.Object, Fields: []*kit.Spec{{Name: "email"}, {Name: "roles"}, {Name: "importId"}}}
	user := func(key string) Addition {
		a := addition("users", key, "x", map[string]any{"importId": "1", "roles": []any{"r"}, "email": key + "@example.org"})
		a.Spec = spec
		return a
	}
	out, err := Add([]byte(in), []Addition{user("eve"), user("carol"), user("alice"), user("cat")})
	require.NoError(t, err)
	entry := func(key string) string {
		return "    # Added by ddstack import --add from x.\n    " + key + ":\n      email: " + key + "@example.org\n      roles:\n        - r\n      importId: \"1\"\n"
	}
	assert.Equal(t, "config:\n"+
		"  pytorch-datadog:users:\n"+
		entry("alice")+
		"    # Bob's comment\n"+
		"    bob: {email: bob@example.org}\n"+
		entry("carol")+entry("cat")+
		"    # Dan's comment\n"+
		"    dan:\n"+
		"      email: dan@example.org\n"+
		entry("eve")+
		"  # The teams' comment\n"+
		"  pytorch-datadog:teams: {}\n", string(out))
}

func TestAddRefusesWhatItCannotEditSafely(t *testing.T) {
	t.Parallel()
	a := []Addition{addition("monitors", "m", "datadog_monitor.m", map[string]any{"name": "M"})}
	for name, tc := range map[string]struct{ in, want string }{
		"flow section":      {"config:\n  pytorch-datadog:monitors: {a: {name: A}}\n", "flow style"},
		"keys after config": {"config:\n  pytorch-datadog:users: {}\nother: 1\n", "keys after config"},
		"flow config":       {"config: {a: 1}\n", "block map"},
		"not a map":         {"- 1\n", "not a map"},
		"scalar section":    {"config:\n  pytorch-datadog:monitors: none\n", "flow style or is not a map"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Add([]byte(tc.in), a)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	same, err := Add([]byte("config:\n  x: 1\n"), nil)
	require.NoError(t, err)
	assert.Equal(t, "config:\n  x: 1\n", string(same), "nothing to add changes nothing")
}

// An entry of a type of several forms is written in the order of the form
// it is in.
func TestAddOrdersByTheEntrysForm(t *testing.T) {
	t.Parallel()
	spec := &kit.Spec{AnyOf: []*kit.Spec{
		{Kind: kit.Object, Fields: []*kit.Spec{{Name: "title"}, {Name: "widgets"}, {Name: "importId"}}},
		{Kind: kit.Object, Fields: []*kit.Spec{{Name: "json"}, {Name: "importId"}}},
	}}
	a := addition("dashboards", "d", "x", map[string]any{"importId": "abc-def-ghi", "json": "{}"})
	a.Spec = spec
	b := addition("dashboards", "e", "x", map[string]any{"widgets": []any{}, "importId": "abc-def-ghj", "title": "T"})
	b.Spec = spec
	out, err := Add([]byte("config:\n  pytorch-datadog:dashboards:\n    c: {json: '{}'}\n"), []Addition{a, b})
	require.NoError(t, err)
	assert.Contains(t, string(out), "    d:\n      json: '{}'\n      importId: abc-def-ghi\n")
	assert.Contains(t, string(out), "    e:\n      title: T\n      widgets: []\n      importId: abc-def-ghj\n")
}
