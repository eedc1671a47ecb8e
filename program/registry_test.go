package program

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

var (
	// resourceToken is the form of a Pulumi resource type of the Datadog
	// provider: datadog:<module>/<name>:<Name>.
	resourceToken = regexp.MustCompile(`^datadog:[a-z]+/[a-z][A-Za-z]*:[A-Z][A-Za-z]*$`)
	terraformType = regexp.MustCompile(`^datadog_[a-z_]+$`)
	shortName     = regexp.MustCompile(`^[a-z][A-Za-z]*$`)
)

func TestTypesAreComplete(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, Types)
	for _, ty := range Types {
		t.Run(ty.Section, func(t *testing.T) {
			t.Parallel()
			assert.True(t, kit.IsKey(ty.Section), "section %q is a config key", ty.Section)
			assert.NotEqual(t, kit.ChannelsKey, ty.Section, "the channels are not a resource type")
			assert.Regexp(t, resourceToken, ty.Token)
			assert.Regexp(t, shortName, ty.Short)
			assert.NotEqual(t, ProviderShort, ty.Short)
			assert.Regexp(t, terraformType, ty.Terraform)
			assert.NotEmpty(t, ty.MatchOn, "ddstack import matches on an attribute")
			require.NotNil(t, ty.ImportID.Pattern, "an import id form")
			assert.Regexp(t, ty.ImportID.Pattern, ty.ImportID.Example, "the example in messages has the form")
			assert.NotRegexp(t, ty.ImportID.Pattern, "", "an empty id is no id")
			assert.NotNil(t, ty.decode, "decodes its section")
			assert.NotNil(t, ty.entries, "lists its entries")
			assert.NotNil(t, ty.register, "registers its resources")
		})
	}
}

func TestTypesAreUnique(t *testing.T) {
	t.Parallel()
	for name, of := range map[string]func(Type) string{
		"section":   func(ty Type) string { return ty.Section },
		"token":     func(ty Type) string { return ty.Token },
		"short":     func(ty Type) string { return ty.Short },
		"terraform": func(ty Type) string { return ty.Terraform },
	} {
		seen := map[string]bool{}
		for _, ty := range Types {
			v := of(ty)
			assert.False(t, seen[v], "two types share the %s %q", name, v)
			seen[v] = true
		}
	}
}

// TestTypesOrder: a type comes after the types it uses. Users resolve
// their role references against the decoded roles, and take managed
// roles' ids from the registered role resources.
func TestTypesOrder(t *testing.T) {
	t.Parallel()
	index := func(section string) int {
		return slices.IndexFunc(Types, func(ty Type) bool { return ty.Section == section })
	}
	require.GreaterOrEqual(t, index(roles.Section), 0)
	require.GreaterOrEqual(t, index(users.Section), 0)
	assert.Less(t, index(roles.Section), index(users.Section))
}

func TestSections(t *testing.T) {
	t.Parallel()
	got := Sections()
	assert.True(t, slices.IsSorted(got), "sorted: %v", got)
	assert.Contains(t, got, kit.ChannelsKey)
	for _, ty := range Types {
		assert.Contains(t, got, ty.Section)
	}
	assert.Len(t, got, len(Types)+1, "the channels and one section per type, each once")
	assert.Equal(t, len(got), len(slices.Compact(slices.Clone(got))), "no section twice")
}

func TestShortType(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ token, want string }{
		"the provider":                       {ProviderToken, ProviderShort},
		"a lookup":                           {"datadog:index/getRole:getRole", "getRole"},
		"another lookup":                     {"datadog:index/getPermissions:getPermissions", "getPermissions"},
		"a type the program never registers": {"datadog:index/dashboard:Dashboard", "Dashboard"},
		"no module":                          {"pulumi:pulumi:Stack", "Stack"},
	}
	for _, ty := range Types {
		tests["registered "+ty.Section] = struct{ token, want string }{ty.Token, ty.Short}
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, ShortType(tc.token))
		})
	}
	assert.Equal(t, "provider", ProviderShort)
	assert.Equal(t, "user", ShortType(users.Token), "the short name is what plans and placeholder ids show")
	assert.Equal(t, "role", ShortType(roles.Token))
}

func TestTerraformTypes(t *testing.T) {
	t.Parallel()
	got := TerraformTypes()
	assert.Len(t, got, len(Types), "one Terraform type per registered type")
	for _, ty := range Types {
		assert.Equal(t, ty.MatchOn, got[ty.Terraform], ty.Terraform)
	}
	assert.Equal(t, "email", got["datadog_user"], "users are matched on their email")
	assert.Equal(t, "name", got["datadog_role"], "roles on their name")
}

func TestEntries(t *testing.T) {
	t.Parallel()
	cfg, err := Load(full())
	require.NoError(t, err)
	want := map[string][]Entry{
		"roles": {{Key: "readers", On: "Readers", ImportID: "11111111-2222-3333-4444-555555555555"}},
		"users": {
			{Key: "amy", On: "amy@example.org", ImportID: "66666666-7777-8888-9999-000000000000"},
			{Key: "jane", On: "Jane@Example.org"},
		},
		"monitors":   {{Key: "dlq", On: "DLQ", ImportID: "12345"}},
		"synthetics": {{Key: "cert", On: "Cert"}, {Key: "site", On: "Site", ImportID: "abc-123-xyz"}},
	}
	require.Len(t, want, len(Types), "a case per registered type")
	for _, ty := range Types {
		t.Run(ty.Section, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, want[ty.Section], ty.Entries(cfg), "in sorted key order, matched on %s", ty.MatchOn)
		})
	}

	t.Run("many entries, sorted", func(t *testing.T) {
		t.Parallel()
		keys := []string{"zed", "yara", "xavi", "walt", "vera", "uma", "tom", "sam", "rob", "quinn", "pat", "oli"}
		body := map[string]any{}
		for _, k := range keys {
			body[k] = map[string]any{"email": k + "@example.org", "roles": []string{"Datadog Admin Role"}}
		}
		data, err := json.Marshal(body)
		require.NoError(t, err)
		cfg, err := Load(rawConfig(map[string]*string{ns(users.Section): str(string(data))}))
		require.NoError(t, err)
		i := slices.IndexFunc(Types, func(ty Type) bool { return ty.Section == users.Section })
		require.GreaterOrEqual(t, i, 0)
		var got []string
		for _, e := range Types[i].Entries(cfg) {
			got = append(got, e.Key)
			assert.Equal(t, e.Key+"@example.org", e.On)
		}
		assert.Equal(t, slices.Sorted(slices.Values(keys)), got)
	})

	empty, err := Load(rawConfig(nil))
	require.NoError(t, err)
	for _, ty := range Types {
		if ty.Section == users.Section {
			continue
		}
		got := ty.Entries(empty)
		assert.NotNil(t, got, "%s: no entries is an empty list", ty.Section)
		assert.Empty(t, got, ty.Section)
	}
}
