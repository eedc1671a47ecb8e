package program_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

const (
	stack       = "test"
	version     = "4.68.0"
	apiURL      = "https://api.us3.datadoghq.com/"
	providerURN = "urn:pulumi:test::pytorch-datadog::pulumi:providers:datadog::datadog"
)

type obj = map[string]any

// engineConfig is a stack config as the engine hands it to the program:
// project sections (Go values) as JSON under the project's namespace, and
// other keys as they are.
type engineConfig struct {
	sections map[string]any
	extra    map[string]string
	secret   []string
}

func (c engineConfig) values(t testing.TB) map[string]string {
	t.Helper()
	values := map[string]string{program.KeyAPIURL: apiURL}
	for key, v := range c.sections {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		values[kit.Namespace+":"+key] = string(data)
	}
	for k, v := range c.extra {
		values[k] = v
	}
	return values
}

// run runs program.Run under the mock engine with the config.
func (c engineConfig) run(t testing.TB) (*ddmock.Recorder, error) {
	t.Helper()
	return ddmock.Run(kit.Namespace, stack, c.values(t), c.secret, program.Run)
}

// ordered records the order in which resources reach the engine.
type ordered struct {
	*ddmock.Recorder
	mu    sync.Mutex
	names []string
}

func (o *ordered) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	o.mu.Lock()
	o.names = append(o.names, args.TypeToken+"::"+args.Name)
	o.mu.Unlock()
	return o.Recorder.NewResource(args)
}

func byName(rec *ddmock.Recorder) map[string]ddmock.Resource {
	out := map[string]ddmock.Resource{}
	for _, r := range rec.Resources() {
		out[r.Type+"::"+r.Name] = r
	}
	return out
}

// everyType is a config with entries of every registered type. The monitor
// notifies a Slack channel and a webhook of the stack by their keys.
func everyType() map[string]any {
	return map[string]any{
		kit.ChannelsKey: obj{"infra": "@slack-infra", "lf": "@webhook-lf"},
		roles.Section: obj{
			"readers": obj{"name": "Readers", "permissions": []string{"logs_read_data"}},
		},
		users.Section: obj{
			"zed":  obj{"email": "zed@example.org", "roles": []string{"Datadog Admin Role"}},
			"jane": obj{"email": "jane@example.org", "roles": []string{"Readers", "Datadog Read Only Role"}, "name": "Jane"},
		},
		teams.Section: obj{
			"staff": obj{"name": "Staff", "description": "Everyone.", "members": []string{"zed", "jane"}},
		},
		slack.Section: obj{
			"ops-slack": obj{"account": "PyTorch", "channel": "#ops"},
		},
		webhooks.Section: obj{
			"pager": obj{"url": "https://pager.example.org/hook", "payload": obj{"text": "$EVENT_MSG"}, "headers": obj{"X-Source": "datadog"}},
		},
		monitors.Section: obj{
			"dlq": obj{"name": "DLQ", "kind": "metric", "query": "sum(last_5m):max:q{*}.as_count()", "critical": 5000,
				"message": "Check the queue.", "notify": []string{"lf", "infra", "ops-slack", "pager"}},
		},
		synthetics.Section: obj{
			"site": obj{"name": "Site", "url": "https://pytorch.org", "message": "Site down.", "notify": []string{"infra"},
				"assertions": []obj{{"type": "statusCode", "operator": "is", "target": 200}}},
		},
		dashboards.Section: obj{
			"status": obj{"title": "Status", "layoutType": "ordered", "widgets": []obj{{"monitorSummary": obj{}}}},
		},
		awsaccounts.Section: obj{
			"main": obj{"accountId": "123456789012", "roleName": "DatadogIntegrationRole"},
		},
	}
}

func TestRunRegistersProviderAndEveryType(t *testing.T) {
	t.Parallel()
	rec := &ordered{Recorder: ddmock.New(kit.Namespace, stack)}
	c := engineConfig{sections: everyType()}
	err := pulumi.RunErr(program.Run, pulumi.WithMocks(kit.Namespace, stack, rec), func(ri *pulumi.RunInfo) {
		ri.Config = c.values(t)
	})
	require.NoError(t, err)

	var names []string
	for _, r := range rec.Resources() {
		names = append(names, r.Type+"::"+r.Name)
	}
	assert.ElementsMatch(t, []string{
		program.ProviderToken + "::" + program.ProviderName,
		roles.Token + "::readers",
		users.Token + "::jane", users.Token + "::zed",
		teams.Token + "::staff",
		teams.MembershipToken + "::" + teams.MembershipName("staff", "jane"),
		teams.MembershipToken + "::" + teams.MembershipName("staff", "zed"),
		slack.Token + "::ops-slack",
		webhooks.Token + "::pager",
		monitors.Token + "::dlq",
		synthetics.Token + "::site",
		dashboards.Token + "::status",
		awsaccounts.Token + "::main",
	}, names, "the provider and one resource per entry (and per team member), named by its config key")
	for _, ty := range program.Types {
		assert.True(t, slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, ty.Token+"::") }),
			"%s registers %s", ty.Section, ty.Token)
	}

	// The order: the provider first, as every resource needs it; a role
	// before the users that have it; a team and its users before their
	// memberships.
	require.NotEmpty(t, rec.names)
	assert.Equal(t, program.ProviderToken+"::"+program.ProviderName, rec.names[0])
	assert.Less(t, slices.Index(rec.names, roles.Token+"::readers"), slices.Index(rec.names, users.Token+"::jane"))
	membership := slices.Index(rec.names, teams.MembershipToken+"::"+teams.MembershipName("staff", "jane"))
	assert.Less(t, slices.Index(rec.names, teams.Token+"::staff"), membership)
	assert.Less(t, slices.Index(rec.names, users.Token+"::jane"), membership)

	got := byName(rec.Recorder)
	provider := got[program.ProviderToken+"::"+program.ProviderName]
	assert.Equal(t, obj{"apiUrl": apiURL}, ddmock.PlainMap(provider.Inputs),
		"without keys in config the provider reads DD_API_KEY and DD_APP_KEY itself")
	for _, r := range rec.Resources() {
		assert.Equal(t, version, r.Version, "%s pins the provider version", r.Name)
		assert.True(t, r.Custom, r.Name)
		assert.Empty(t, r.ImportID, "%s: no importId, created", r.Name)
		if r.Type != program.ProviderToken {
			assert.Equal(t, providerURN, r.Provider, "%s uses the explicit provider", r.Name)
		}
	}
	assert.Equal(t, []any{"<role:readers>", ddmock.DatadogRoleID("Datadog Read Only Role")},
		ddmock.PlainMap(got[users.Token+"::jane"].Inputs)["roles"], "a managed role by its id, a Datadog role looked up")
	assert.Equal(t, []string{"urn:pulumi:test::pytorch-datadog::" + roles.Token + "::readers"}, got[users.Token+"::jane"].DependsOn)
	assert.Equal(t, obj{"teamId": ddmock.ResourceID(teams.Token, "staff"), "userId": ddmock.ResourceID(users.Token, "jane")},
		ddmock.PlainMap(got[teams.MembershipToken+"::"+teams.MembershipName("staff", "jane")].Inputs),
		"a membership takes its team's and its user's ids from their resources")
	assert.True(t, strings.HasSuffix(ddmock.PlainMap(got[monitors.Token+"::dlq"].Inputs)["message"].(string),
		"\n\n@webhook-lf\n@slack-infra\n@slack-PyTorch-ops\n@webhook-pager"),
		"the channels' handles end the message, in notify's order; a Slack channel's and a webhook's key are channels")

	var tokens []string
	for _, inv := range rec.Invokes() {
		assert.Equal(t, providerURN, inv.Provider, "%s goes through the explicit provider", inv.Token)
		tokens = append(tokens, inv.Token)
	}
	assert.Equal(t, []string{ddmock.GetPermissions, ddmock.GetRole, ddmock.GetRole}, tokens,
		"the roles' lookup, then the users' (in the registry's order)")
}

func TestRunProviderKeysFromSecretConfig(t *testing.T) {
	t.Parallel()
	rec, err := engineConfig{
		sections: map[string]any{users.Section: obj{"a": obj{"email": "a@example.org", "roles": []string{"Datadog Admin Role"}}}},
		extra:    map[string]string{program.KeyAPIKey: "api-key-value", program.KeyAppKey: "app-key-value"},
		secret:   []string{program.KeyAPIKey, program.KeyAppKey},
	}.run(t)
	require.NoError(t, err)

	provider := byName(rec)[program.ProviderToken+"::"+program.ProviderName]
	for _, key := range []resource.PropertyKey{"apiKey", "appKey"} {
		v, ok := provider.Inputs[key]
		require.True(t, ok, "%s reaches the provider", key)
		assert.True(t, v.ContainsSecrets(), "%s is secret", key)
	}
	assert.Equal(t, obj{"apiUrl": apiURL, "apiKey": ddmock.Secret, "appKey": ddmock.Secret}, ddmock.PlainMap(provider.Inputs))
	assert.NotContains(t, fmt.Sprint(ddmock.PlainMap(provider.Inputs)), "key-value")
}

func TestRunInvalidConfigRegistersNothing(t *testing.T) {
	t.Parallel()
	user := obj{"a": obj{"email": "a@example.org", "roles": []string{"Datadog Admin Role"}}}
	tests := map[string]struct {
		c engineConfig
		// contains are in the error.
		contains []string
		// never is never in the error.
		never string
	}{
		"a bad email": {
			c:        engineConfig{sections: map[string]any{users.Section: obj{"a": obj{"email": "not-an-email", "roles": []string{"Datadog Admin Role"}}}}},
			contains: []string{"users.a.email"},
		},
		"no users": {
			c:        engineConfig{},
			contains: []string{"users: missing"},
		},
		"apiUrl over http": {
			c:        engineConfig{sections: map[string]any{users.Section: user}, extra: map[string]string{program.KeyAPIURL: "http://api.us3.datadoghq.com/"}},
			contains: []string{"datadog:apiUrl: must be an https:// address"},
		},
		"a key in plaintext": {
			c:        engineConfig{sections: map[string]any{users.Section: user}, extra: map[string]string{program.KeyAPIKey: "plain-k3y-value"}},
			contains: []string{"datadog:apiKey: is set in plaintext"},
			never:    "plain-k3y-value",
		},
		"a monitor notifying an unknown channel": {
			c: engineConfig{sections: map[string]any{
				users.Section:    user,
				kit.ChannelsKey:  obj{"infra": "@slack-infra"},
				monitors.Section: obj{"m": obj{"name": "M", "kind": "metric", "query": "avg(last_5m):q{*}", "critical": 1, "message": "m", "notify": []string{"infr"}}},
			}},
			contains: []string{`monitors.m.notify[0]: no channel "infr" in channels (did you mean "infra"?)`},
		},
		"a webhook keyed as a channel": {
			c: engineConfig{sections: map[string]any{
				users.Section:    user,
				kit.ChannelsKey:  obj{"pager": "@webhook-old"},
				webhooks.Section: obj{"pager": obj{"url": "https://pager.example.org/hook", "payload": obj{}}},
			}},
			contains: []string{`webhooks.pager: "pager" is also a channel key (for @webhook-old)`},
		},
		"every problem, not the first": {
			c: engineConfig{sections: map[string]any{
				users.Section:      obj{"a": obj{"email": "a@", "roles": []string{"Datadog Admin Role"}}},
				synthetics.Section: obj{"t": obj{"name": "T", "url": "https://x.org", "message": "m"}},
			}},
			contains: []string{"users.a.email", "synthetics.t.assertions: missing"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec, err := tc.c.run(t)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			if tc.never != "" {
				assert.NotContains(t, err.Error(), tc.never)
			}
			assert.Empty(t, rec.Resources(), "not even the provider")
			assert.Empty(t, rec.Invokes())
		})
	}
}

func TestRunImportIDBecomesImportOption(t *testing.T) {
	t.Parallel()
	const roleID, userID = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
	sections := everyType()
	sections[roles.Section].(obj)["readers"].(obj)["importId"] = roleID
	sections[users.Section].(obj)["zed"].(obj)["importId"] = userID
	sections[monitors.Section].(obj)["dlq"].(obj)["importId"] = "12345678"
	sections[synthetics.Section].(obj)["site"].(obj)["importId"] = "abc-123-xyz"
	const teamID, accountID = "77777777-2222-3333-4444-555555555555", "88888888-2222-3333-4444-555555555555"
	sections[teams.Section].(obj)["staff"].(obj)["importId"] = teamID
	sections[slack.Section].(obj)["ops-slack"].(obj)["importId"] = "PyTorch:#ops"
	sections[webhooks.Section].(obj)["pager"].(obj)["importId"] = "pager"
	sections[dashboards.Section].(obj)["status"].(obj)["importId"] = "abc-def-ghi"
	sections[awsaccounts.Section].(obj)["main"].(obj)["importId"] = accountID

	rec, err := engineConfig{sections: sections}.run(t)
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range rec.Resources() {
		got[r.Type+"::"+r.Name] = r.ImportID
	}
	assert.Equal(t, map[string]string{
		program.ProviderToken + "::" + program.ProviderName: "",
		roles.Token + "::readers":                           roleID,
		users.Token + "::zed":                               userID,
		users.Token + "::jane":                              "",
		monitors.Token + "::dlq":                            "12345678",
		synthetics.Token + "::site":                         "abc-123-xyz",
		teams.Token + "::staff":                             teamID,
		teams.MembershipToken + "::staff.jane":              "",
		teams.MembershipToken + "::staff.zed":               "",
		slack.Token + "::ops-slack":                         "PyTorch:#ops",
		webhooks.Token + "::pager":                          "pager",
		dashboards.Token + "::status":                       "abc-def-ghi",
		awsaccounts.Token + "::main":                        accountID,
	}, got, "an importId adopts; without one, the resource is created (a membership has none)")
	assert.Equal(t, obj{"teamId": teamID, "userId": userID},
		ddmock.PlainMap(byName(rec)[teams.MembershipToken+"::staff.zed"].Inputs), "a membership of adopted objects takes their ids")
	assert.Equal(t, []any{roleID, ddmock.DatadogRoleID("Datadog Read Only Role")},
		ddmock.PlainMap(byName(rec)[users.Token+"::jane"].Inputs)["roles"], "an adopted role's id is the imported one")
}

func TestFromContext(t *testing.T) {
	t.Parallel()
	c := engineConfig{
		sections: map[string]any{users.Section: obj{"a": obj{"email": "a@example.org", "roles": []string{"Datadog Admin Role"}}}},
		extra: map[string]string{
			program.KeyAPIKey:                  "k",
			kit.Namespace + ":user":            "{}",
			"pulumi:disable-default-providers": `["datadog"]`,
		},
		secret: []string{program.KeyAPIKey},
	}
	var raw kit.Raw
	_, err := ddmock.Run(kit.Namespace, stack, c.values(t), c.secret, func(ctx *pulumi.Context) error {
		raw = program.FromContext(ctx)
		return nil
	})
	require.NoError(t, err)
	values := c.values(t)
	assert.Equal(t, map[string]string{
		program.KeyAPIURL:                   apiURL,
		program.KeyAPIKey:                   "k",
		kit.Namespace + ":" + users.Section: values[kit.Namespace+":"+users.Section],
	}, raw.Values, "only the keys the program knows: the context shows no others")
	assert.Equal(t, map[string]bool{
		program.KeyAPIURL:                   false,
		program.KeyAPIKey:                   true,
		kit.Namespace + ":" + users.Section: false,
	}, raw.Secret)
}

// TestRunWebhookSecrets: a webhook's header takes its secret from the
// secret `secrets` key; the header input is then secret, its value never
// in plain sight.
func TestRunWebhookSecrets(t *testing.T) {
	t.Parallel()
	const token = "s3cr3t-b3arer-token"
	user := obj{"a": obj{"email": "a@example.org", "roles": []string{"Datadog Admin Role"}}}
	hooks := obj{"pager": obj{"url": "https://pager.example.org/hook", "payload": obj{"text": "$EVENT_MSG"},
		"headers": obj{"Authorization": obj{"secret": "pager-token", "prefix": "Bearer "}}}}

	t.Run("from secret config", func(t *testing.T) {
		t.Parallel()
		rec, err := engineConfig{
			sections: map[string]any{users.Section: user, webhooks.Section: hooks, kit.SecretsKey: obj{"pager-token": token}},
			secret:   []string{kit.Namespace + ":" + kit.SecretsKey},
		}.run(t)
		require.NoError(t, err)
		hook, ok := byName(rec)[webhooks.Token+"::pager"]
		require.True(t, ok, "the webhook is registered")
		headers, ok := hook.Inputs["customHeaders"]
		require.True(t, ok)
		assert.True(t, headers.ContainsSecrets(), "the headers hold the secret: they are secret")
		assert.Equal(t, ddmock.Secret, ddmock.PlainMap(hook.Inputs)["customHeaders"])
		assert.Equal(t, ddmock.Secret, ddmock.Fingerprinted(hook.Inputs)["customHeaders"], "no placeholder in it: no fingerprint either")
		assert.NotContains(t, fmt.Sprint(ddmock.PlainMap(hook.Inputs)), token)
		assert.NotContains(t, fmt.Sprint(ddmock.Fingerprinted(hook.Inputs)), token)
	})
	t.Run("not set: an error at the secret, and nothing registered", func(t *testing.T) {
		t.Parallel()
		rec, err := engineConfig{sections: map[string]any{users.Section: user, webhooks.Section: hooks}}.run(t)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `secrets.pager-token: not set; pulumi config set --secret --path 'secrets.pager-token'`)
		assert.Contains(t, err.Error(), "PAGER_TOKEN", "the repository secret the workflows set it from")
		assert.Empty(t, rec.Resources(), "a missing secret stops the run before anything is registered")
	})
	t.Run("in plaintext: an error, never echoed, nothing registered", func(t *testing.T) {
		t.Parallel()
		rec, err := engineConfig{
			sections: map[string]any{users.Section: user, webhooks.Section: hooks, kit.SecretsKey: obj{"pager-token": token}},
		}.run(t)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "secrets: is set in plaintext")
		assert.NotContains(t, err.Error(), token)
		assert.Empty(t, rec.Resources(), "not even the provider")
	})
}
