package program

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

var (
	// resourceToken is the form of a Pulumi resource type of the Datadog
	// provider: datadog:<module>/<name>:<Name>.
	resourceToken = regexp.MustCompile(`^datadog:[a-z]+/[a-z][A-Za-z]*:[A-Z][A-Za-z]*$`)
	terraformType = regexp.MustCompile(`^datadog_[a-z_]+$`)
	shortName     = regexp.MustCompile(`^[a-z][A-Za-z]*$`)
	// sectionName is the form of a section: a config key of the project's
	// namespace, lower camel case (slackChannels).
	sectionName = regexp.MustCompile(`^[a-z][A-Za-z]*$`)
	// terraformAttr is the form of a Terraform attribute name.
	terraformAttr = regexp.MustCompile(`^[a-z][a-z_]*$`)
)

func TestTypesAreComplete(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, Types)
	for _, ty := range Types {
		t.Run(ty.Section, func(t *testing.T) {
			t.Parallel()
			assert.Regexp(t, sectionName, ty.Section, "section %q is a config key", ty.Section)
			assert.NotEqual(t, kit.ChannelsKey, ty.Section, "the channels are not a resource type")
			assert.NotEqual(t, kit.SecretsKey, ty.Section, "the secrets are not a resource type")
			assert.Regexp(t, resourceToken, ty.Token)
			assert.Regexp(t, shortName, ty.Short)
			assert.NotEqual(t, ProviderShort, ty.Short)
			assert.Regexp(t, terraformType, ty.Terraform)
			assert.NotEmpty(t, ty.MatchOn, "ddstack import matches on an attribute")
			for _, attr := range ty.MatchOn {
				assert.Regexp(t, terraformAttr, attr, "a Terraform attribute")
			}
			assert.Equal(t, len(ty.MatchOn), len(slices.Compact(slices.Clone(ty.MatchOn))), "no attribute twice")
			for token, short := range ty.Others {
				assert.Regexp(t, resourceToken, token)
				assert.Regexp(t, shortName, short)
				assert.NotEqual(t, ty.Token, token, "Others are further types")
				assert.NotEqual(t, ProviderShort, short)
			}
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
	for name, of := range map[string]func(Type) []string{
		"section":   func(ty Type) []string { return []string{ty.Section} },
		"token":     func(ty Type) []string { return append([]string{ty.Token}, kit.SortedKeys(ty.Others)...) },
		"short":     func(ty Type) []string { return append([]string{ty.Short}, slices.Sorted(maps.Values(ty.Others))...) },
		"terraform": func(ty Type) []string { return []string{ty.Terraform} },
	} {
		seen := map[string]bool{ProviderToken: true, ProviderShort: true}
		for _, ty := range Types {
			for _, v := range of(ty) {
				assert.False(t, seen[v], "two types (or a type and the provider) share the %s %q", name, v)
				seen[v] = true
			}
		}
	}
}

// TestTypesOrder: a type comes after the types it uses. Users resolve
// their role references against the decoded roles, and take managed
// roles' ids from the registered role resources; teams their members from
// the users; monitors and tests notify the channels Slack channels and
// webhooks add.
func TestTypesOrder(t *testing.T) {
	t.Parallel()
	var sections []string
	for _, ty := range Types {
		sections = append(sections, ty.Section)
	}
	assert.Equal(t, []string{
		roles.Section, users.Section, teams.Section, slack.Section, webhooks.Section,
		monitors.Section, synthetics.Section, dashboards.Section, awsaccounts.Section,
	}, sections)

	index := func(section string) int {
		return slices.IndexFunc(Types, func(ty Type) bool { return ty.Section == section })
	}
	for _, before := range []struct{ first, then string }{
		{roles.Section, users.Section},
		{users.Section, teams.Section},
	} {
		require.GreaterOrEqual(t, index(before.first), 0)
		assert.Less(t, index(before.first), index(before.then), "%s before %s", before.first, before.then)
	}
	var channelTypes []string
	for i, ty := range Types {
		if ty.channels == nil {
			continue
		}
		channelTypes = append(channelTypes, ty.Section)
		for _, notifier := range []string{monitors.Section, synthetics.Section} {
			assert.Less(t, i, index(notifier), "%s adds channels before %s notify them", ty.Section, notifier)
		}
	}
	assert.Equal(t, []string{slack.Section, webhooks.Section}, channelTypes, "Slack channels and webhooks are notification channels")
}

func TestSections(t *testing.T) {
	t.Parallel()
	got := Sections()
	assert.True(t, slices.IsSorted(got), "sorted: %v", got)
	assert.Contains(t, got, kit.ChannelsKey)
	assert.Contains(t, got, kit.SecretsKey)
	for _, ty := range Types {
		assert.Contains(t, got, ty.Section)
	}
	assert.Len(t, got, len(Types)+2, "the channels, the secrets and one section per type, each once")
	assert.Equal(t, len(got), len(slices.Compact(slices.Clone(got))), "no section twice")
}

func TestShortType(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ token, want string }{
		"the provider":                       {ProviderToken, ProviderShort},
		"a lookup":                           {"datadog:index/getRole:getRole", "getRole"},
		"another lookup":                     {"datadog:index/getPermissions:getPermissions", "getPermissions"},
		"a type the program never registers": {"datadog:index/logsIndex:LogsIndex", "LogsIndex"},
		"no module":                          {"pulumi:pulumi:Stack", "Stack"},
		"a team membership":                  {teams.MembershipToken, "teamMembership"},
		"a dashboard by its JSON":            {dashboards.JSONToken, "dashboardJson"},
		"a Slack channel":                    {slack.Token, "slackChannel"},
		"an AWS account":                     {awsaccounts.Token, "awsAccount"},
	}
	for _, ty := range Types {
		tests["registered "+ty.Section] = struct{ token, want string }{ty.Token, ty.Short}
		for token, short := range ty.Others {
			tests["also registered by "+ty.Section+": "+short] = struct{ token, want string }{token, short}
		}
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
	assert.Equal(t, []string{"email"}, got["datadog_user"], "users are matched on their email")
	assert.Equal(t, []string{"name"}, got["datadog_role"], "roles on their name")
	assert.Equal(t, []string{"account_name", "channel_name"}, got["datadog_integration_slack_channel"],
		"a Slack channel on its account and channel together")
	assert.Equal(t, map[string][]string{
		"datadog_role":                      {"name"},
		"datadog_user":                      {"email"},
		"datadog_team":                      {"handle"},
		"datadog_integration_slack_channel": {"account_name", "channel_name"},
		"datadog_webhook":                   {"name"},
		"datadog_monitor":                   {"name"},
		"datadog_synthetics_test":           {"name"},
		"datadog_dashboard":                 {"title"},
		"datadog_integration_aws_account":   {"aws_account_id"},
	}, got)
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
		"teams": {
			{Key: "ops", On: "ops-team", ImportID: "77777777-2222-3333-4444-555555555555"},
			{Key: "staff", On: "staff"},
		},
		"slackChannels": {{Key: "ops-slack", On: "PyTorch:#ops", ImportID: "PyTorch:#ops"}},
		"webhooks":      {{Key: "pager", On: "pager"}},
		"monitors":      {{Key: "dlq", On: "DLQ", ImportID: "12345"}},
		"synthetics":    {{Key: "cert", On: "Cert"}, {Key: "site", On: "Site", ImportID: "abc-123-xyz"}},
		"dashboards":    {{Key: "status", On: "Status", ImportID: "abc-def-ghi"}},
		"awsAccounts":   {{Key: "main", On: "123456789012"}},
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

func TestFromTerraform(t *testing.T) {
	t.Parallel()
	typeOf := func(section string) Type {
		i := slices.IndexFunc(Types, func(ty Type) bool { return ty.Section == section })
		require.GreaterOrEqual(t, i, 0, section)
		return Types[i]
	}

	t.Run("monitors and synthetics have no conversion", func(t *testing.T) {
		t.Parallel()
		for _, section := range []string{monitors.Section, synthetics.Section} {
			key, entry, ok, err := typeOf(section).FromTerraform(map[string]any{"name": "N", "id": "1"}, nil)
			assert.False(t, ok, section)
			assert.NoError(t, err, section)
			assert.Empty(t, key, section)
			assert.Nil(t, entry, section)
		}
	})
	t.Run("every other type has one", func(t *testing.T) {
		t.Parallel()
		for _, ty := range Types {
			if ty.Section == monitors.Section || ty.Section == synthetics.Section {
				continue
			}
			assert.NotNil(t, ty.fromTerraform, ty.Section)
			// An object without its attributes is an error, never an entry.
			_, entry, ok, err := ty.FromTerraform(map[string]any{}, nil)
			assert.True(t, ok, ty.Section)
			assert.Error(t, err, ty.Section)
			assert.Nil(t, entry, ty.Section)
		}
	})
	t.Run("a role", func(t *testing.T) {
		t.Parallel()
		key, entry, ok, err := typeOf(roles.Section).FromTerraform(map[string]any{
			"id": "11111111-2222-3333-4444-555555555555", "name": "Limited Read Write",
			"permission": []any{map[string]any{"id": "p1", "name": "logs_read_data"}},
		}, map[string]string{"ignored": "by roles"})
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, "limited-read-write", key)
		assert.Equal(t, map[string]any{
			"name": "Limited Read Write", "permissions": []any{"logs_read_data"},
			"defaultPermissionsOptOut": false, "importId": "11111111-2222-3333-4444-555555555555",
		}, entry)
	})
	t.Run("a user's role ids by the role names given", func(t *testing.T) {
		t.Parallel()
		ty := typeOf(users.Section)
		attrs := map[string]any{"id": "66666666-7777-8888-9999-000000000000", "email": "jane.smith@example.org", "roles": []any{"r1"}}
		key, entry, ok, err := ty.FromTerraform(attrs, map[string]string{"r1": "Datadog Admin Role"})
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, "jane-smith", key)
		assert.Equal(t, []any{"Datadog Admin Role"}, entry["roles"])

		_, _, ok, err = ty.FromTerraform(attrs, nil)
		assert.True(t, ok)
		assert.ErrorContains(t, err, `role id "r1" is not a role of the state`)
	})
}
