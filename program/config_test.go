package program

import (
	"errors"
	"slices"
	"strings"
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

const testAPIURL = "https://api.us3.datadoghq.com/"

// oneUser is the smallest valid users section: the stack must manage one.
const oneUser = `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"]}}`

// ns qualifies a project key with the project's namespace.
func ns(key string) string { return kit.Namespace + ":" + key }

// rawConfig is the smallest valid config (an https apiUrl and one user),
// then the given fully qualified keys set; a nil value removes the key.
func rawConfig(set map[string]*string) kit.Raw {
	r := kit.Raw{
		Values: map[string]string{KeyAPIURL: testAPIURL, ns(users.Section): oneUser},
		Secret: map[string]bool{},
	}
	for k, v := range set {
		if v == nil {
			delete(r.Values, k)
			continue
		}
		r.Values[k] = *v
	}
	return r
}

func str(s string) *string { return &s }

// leaves are the single problems a Load error joins.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func messages(err error) []string {
	var out []string
	for _, e := range leaves(err) {
		out = append(out, e.Error())
	}
	return out
}

// requireProblem checks that Load rejects r, returns no config, and reports
// a problem at path whose message contains every one of contains.
func requireProblem(t *testing.T, r kit.Raw, path string, contains ...string) []string {
	t.Helper()
	cfg, err := Load(r)
	require.Error(t, err)
	assert.Nil(t, cfg, "an invalid config yields nothing to register")
	msgs := messages(err)
	for _, m := range msgs {
		if !strings.HasPrefix(m, path+": ") {
			continue
		}
		ok := true
		for _, c := range contains {
			ok = ok && strings.Contains(m, c)
		}
		if ok {
			return msgs
		}
	}
	t.Fatalf("no problem at %s containing %q in:\n%s", path, contains, strings.Join(msgs, "\n"))
	return nil
}

// full is a valid config with every section: a Slack channel and a webhook
// that the monitor and a test notify, and the secret the webhook's header
// takes.
func full() kit.Raw {
	r := rawConfig(map[string]*string{
		ns(kit.ChannelsKey): str(`{"infra": "@slack-infra", "lf": "@webhook-lf"}`),
		ns(kit.SecretsKey):  str(`{"pager-token": "t0ken-value"}`),
		ns(roles.Section):   str(`{"readers": {"name": "Readers", "permissions": ["logs_read_data"], "importId": "11111111-2222-3333-4444-555555555555"}}`),
		ns(users.Section): str(`{
			"jane": {"email": "Jane@Example.org", "roles": ["Readers", "Datadog Read Only Role"]},
			"amy": {"email": "amy@example.org", "roles": ["readers"], "importId": "66666666-7777-8888-9999-000000000000"}
		}`),
		ns(teams.Section): str(`{
			"staff": {"name": "Staff", "description": "Everyone.", "members": ["jane", "amy"]},
			"ops": {"name": "Ops", "description": "On call.", "handle": "ops-team", "importId": "77777777-2222-3333-4444-555555555555"}
		}`),
		ns(slack.Section):    str(`{"ops-slack": {"account": "PyTorch", "channel": "#ops", "importId": "PyTorch:#ops"}}`),
		ns(webhooks.Section): str(`{"pager": {"url": "https://pager.example.org/hook", "payload": {"text": "$EVENT_MSG"}, "headers": {"Authorization": {"secret": "pager-token", "prefix": "Bearer "}}}}`),
		ns(monitors.Section): str(`{"dlq": {"name": "DLQ", "kind": "metric", "query": "sum(last_5m):max:q{*}", "critical": 5, "message": "m", "notify": ["lf", "infra", "pager"], "importId": "12345"}}`),
		ns(synthetics.Section): str(`{
			"site": {"name": "Site", "url": "https://pytorch.org", "message": "m", "notify": ["infra", "ops-slack"],
				"assertions": [{"type": "statusCode", "operator": "is", "target": 200}], "importId": "abc-123-xyz"},
			"cert": {"name": "Cert", "kind": "ssl", "host": "pytorch.org", "message": "m",
				"assertions": [{"type": "certificate", "operator": "isInMoreThan", "target": 14}]}
		}`),
		ns(dashboards.Section):             str(`{"status": {"title": "Status", "layoutType": "ordered", "widgets": [{"monitorSummary": {}}], "importId": "abc-def-ghi"}}`),
		ns(awsaccounts.Section):            str(`{"main": {"accountId": "123456789012", "roleName": "DatadogIntegrationRole"}}`),
		"pulumi:disable-default-providers": str(`["datadog"]`),
	})
	r.Secret[ns(kit.SecretsKey)] = true
	return r
}

func TestLoadValid(t *testing.T) {
	t.Parallel()
	cfg, err := Load(full())
	require.NoError(t, err)

	assert.Equal(t, Datadog{APIURL: testAPIURL}, cfg.Datadog, "no keys in config: the provider reads them from the environment")
	assert.Equal(t, map[string]string{
		"infra": "@slack-infra", "lf": "@webhook-lf",
		"ops-slack": "@slack-PyTorch-ops", "pager": "@webhook-pager",
	}, cfg.Channels, "the Slack channels' and webhooks' keys are channels too")
	assert.Equal(t, map[string]string{"pager-token": "t0ken-value"}, cfg.Secrets)
	assert.Empty(t, MissingSecrets(cfg))
	assert.Equal(t, []string{"readers"}, kit.SortedKeys(cfg.Roles))
	assert.Equal(t, []string{"amy", "jane"}, kit.SortedKeys(cfg.Users))
	assert.Equal(t, []users.RoleRef{{Managed: "readers"}, {Datadog: "Datadog Read Only Role"}}, cfg.Users["jane"].Roles,
		"roles are decoded before users: a user names a managed role by its display name")
	assert.Equal(t, []string{"jane", "amy"}, cfg.Teams["staff"].Members, "users are decoded before teams: members are user keys")
	assert.Equal(t, "ops-team", cfg.Teams["ops"].Handle)
	assert.Equal(t, []string{"ops-slack"}, kit.SortedKeys(cfg.SlackChannels))
	assert.Equal(t, []string{"pager"}, kit.SortedKeys(cfg.Webhooks))
	assert.Equal(t, []string{"@webhook-lf", "@slack-infra", "@webhook-pager"}, cfg.Monitors["dlq"].Notify,
		"channels are decoded before monitors: notify resolves to handles, in the list's order")
	assert.Equal(t, []string{"cert", "site"}, kit.SortedKeys(cfg.Synthetics))
	assert.Equal(t, []string{"@slack-infra", "@slack-PyTorch-ops"}, cfg.Synthetics["site"].Notify)
	assert.Equal(t, "abc-123-xyz", cfg.Synthetics["site"].ImportID)
	assert.Equal(t, "Status", cfg.Dashboards["status"].Title)
	assert.Equal(t, "123456789012", cfg.AWSAccounts["main"].AccountID)
}

func TestLoadOptionalSectionsAbsent(t *testing.T) {
	t.Parallel()
	cfg, err := Load(rawConfig(nil))
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, kit.SortedKeys(cfg.Users))
	for name, m := range map[string]any{
		"channels": cfg.Channels, "secrets": cfg.Secrets, "roles": cfg.Roles, "teams": cfg.Teams,
		"slackChannels": cfg.SlackChannels, "webhooks": cfg.Webhooks, "monitors": cfg.Monitors,
		"synthetics": cfg.Synthetics, "dashboards": cfg.Dashboards, "awsAccounts": cfg.AWSAccounts,
	} {
		assert.NotNil(t, m, "%s: an absent section is an empty map, never nil", name)
		assert.Empty(t, m, name)
	}
}

func TestLoadUnknownProjectKeys(t *testing.T) {
	t.Parallel()
	reads := "this program reads: awsAccounts, channels, dashboards, monitors, roles, secrets, slackChannels, synthetics, teams, users, webhooks"
	tests := map[string]struct {
		key, contains string
	}{
		"user for users":         {"user", `unknown config key (did you mean "users"?)`},
		"role for roles":         {"role", `(did you mean "roles"?)`},
		"monitor for monitors":   {"monitor", `(did you mean "monitors"?)`},
		"chanels for channels":   {"chanels", `(did you mean "channels"?)`},
		"synthetic":              {"synthetic", `(did you mean "synthetics"?)`},
		"different case":         {"Users", `(did you mean "users"?)`},
		"nothing close":          {"pagerduty", "unknown config key; " + reads},
		"secret for secrets":     {"secret", `(did you mean "secrets"?)`},
		"team for teams":         {"team", `(did you mean "teams"?)`},
		"webhook for webhooks":   {"webhook", `(did you mean "webhooks"?)`},
		"a provider key here":    {"apiUrl", "unknown config key"},
		"an alias of a provider": {"datadog", "unknown config key"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			msgs := requireProblem(t, rawConfig(map[string]*string{ns(tc.key): str("{}")}), tc.key, tc.contains, reads)
			assert.Len(t, msgs, 1, "an unknown key is the only problem: %v", msgs)
		})
	}
}

func TestLoadRefusesKeysItWouldIgnore(t *testing.T) {
	t.Parallel()
	r := rawConfig(map[string]*string{
		"pulumi:disable-default-providers": str(`["datadog"]`),
		"aws:region":                       str("us-west-2"),
		"datadog:site":                     str("us3.datadoghq.com"),
		"datadog:apikey":                   str("0123456789abcdef"),
		"pytorch_datadog:monitors":         str("{}"),
	})
	requireProblem(t, r, "aws:region", `unknown config namespace "aws"`)
	requireProblem(t, r, "datadog:site", "unknown config key", "datadog:apiUrl")
	requireProblem(t, r, "datadog:apikey", `did you mean "datadog:apiKey"?`)
	msgs := requireProblem(t, r, "pytorch_datadog:monitors", `did you mean "pytorch-datadog"?`)
	assert.Len(t, msgs, 4, "pulumi:disable-default-providers is the engine's: %v", msgs)
	assert.NotContains(t, strings.Join(msgs, "\n"), "0123456789abcdef", "a mistyped key's value may be a credential")
}

func TestLoadProviderKeys(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		set    map[string]*string
		secret []string
		// path is where the problem must be; contains is in its text.
		path, contains string
	}{
		"apiUrl missing": {
			set:  map[string]*string{KeyAPIURL: nil},
			path: KeyAPIURL, contains: "missing; set the Datadog site's API address",
		},
		"apiUrl over http": {
			set:  map[string]*string{KeyAPIURL: str("http://api.us3.datadoghq.com/")},
			path: KeyAPIURL, contains: `must be an https:// address such as https://api.us3.datadoghq.com/, got "http://api.us3.datadoghq.com/"`,
		},
		"apiUrl without scheme": {
			set:  map[string]*string{KeyAPIURL: str("api.us3.datadoghq.com")},
			path: KeyAPIURL, contains: "must be an https:// address",
		},
		"apiUrl without host": {
			set:  map[string]*string{KeyAPIURL: str("https://")},
			path: KeyAPIURL, contains: "must be an https:// address",
		},
		"apiUrl empty": {
			set:  map[string]*string{KeyAPIURL: str("")},
			path: KeyAPIURL, contains: "must be an https:// address",
		},
		"apiKey in plaintext": {
			set:  map[string]*string{KeyAPIKey: str("0123456789abcdef")},
			path: KeyAPIKey, contains: "pulumi config set --secret datadog:apiKey, or leave it unset and export DD_API_KEY",
		},
		"appKey in plaintext": {
			set:  map[string]*string{KeyAppKey: str("0123456789abcdef")},
			path: KeyAppKey, contains: "pulumi config set --secret datadog:appKey, or leave it unset and export DD_APP_KEY",
		},
		"apiKey secret but empty": {
			set: map[string]*string{KeyAPIKey: str("")}, secret: []string{KeyAPIKey},
			path: KeyAPIKey, contains: "is empty",
		},
		"appKey secret but empty": {
			set: map[string]*string{KeyAppKey: str("")}, secret: []string{KeyAppKey},
			path: KeyAppKey, contains: "is empty",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := rawConfig(tc.set)
			for _, k := range tc.secret {
				r.Secret[k] = true
			}
			requireProblem(t, r, tc.path, tc.contains)
		})
	}
}

func TestLoadKeepsSecretKeys(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		set  map[string]*string
		want Datadog
	}{
		"both keys": {
			map[string]*string{KeyAPIKey: str("api-value"), KeyAppKey: str("app-value")},
			Datadog{APIURL: testAPIURL, APIKey: "api-value", AppKey: "app-value"},
		},
		"api key only": {
			map[string]*string{KeyAPIKey: str("api-value")},
			Datadog{APIURL: testAPIURL, APIKey: "api-value"},
		},
		"neither: from the environment": {nil, Datadog{APIURL: testAPIURL}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := rawConfig(tc.set)
			for k := range tc.set {
				r.Secret[k] = true
			}
			cfg, err := Load(r)
			require.NoError(t, err)
			assert.Equal(t, tc.want, cfg.Datadog)
		})
	}
}

func TestLoadNeverEchoesAKey(t *testing.T) {
	t.Parallel()
	const value = "s3cr3t-k3y-value"
	for _, key := range []string{KeyAPIKey, KeyAppKey} {
		t.Run(key+" in plaintext", func(t *testing.T) {
			t.Parallel()
			msgs := requireProblem(t, rawConfig(map[string]*string{key: str(value)}), key, "plaintext")
			assert.NotContains(t, strings.Join(msgs, "\n"), value)
		})
		t.Run(key+" secret, beside other problems", func(t *testing.T) {
			t.Parallel()
			r := rawConfig(map[string]*string{key: str(value), ns(users.Section): str(`{"a": {"email": "nope", "roles": []}}`)})
			r.Secret[key] = true
			msgs := requireProblem(t, r, "users.a.email", "not an email address")
			assert.NotContains(t, strings.Join(msgs, "\n"), value)
		})
	}
}

// TestLoadReportsEveryProblemAtOnce puts problems in every part of the
// config: Load reports all of them, each with its path, in the order it
// decodes: unknown keys, the provider's keys, the channels, the secrets,
// then the registry's sections in its order.
func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	r := rawConfig(map[string]*string{
		KeyAPIURL:           str("http://api.us3.datadoghq.com/"),
		KeyAppKey:           str("plain"),
		ns("monitor"):       str("{}"),
		ns(kit.ChannelsKey): str(`{"infra": "slack-infra"}`),
		ns(roles.Section):   str(`{"r": {"name": "", "permissions": "logs_read_data"}}`),
		ns(users.Section): str(`{
			"a": {"email": "not-an-email", "roles": ["admin"], "disabled": "yes"},
			"b": {"emial": "b@example.org", "roles": ["r"]}
		}`),
		ns(monitors.Section):    str(`{"m": {"name": "M", "kind": "metrics", "critical": 1, "message": "m"}}`),
		ns(synthetics.Section):  str(`{"t": {"name": "T", "url": "ftp://x", "message": "m", "assertions": []}}`),
		ns(kit.SecretsKey):      str(`{"x": 1}`),
		ns(teams.Section):       str(`{"t": {"name": "T", "description": "d", "members": ["nobody"]}}`),
		ns(slack.Section):       str(`{"s": {"account": "PyTorch", "channel": "ops"}}`),
		ns(webhooks.Section):    str(`{"w": {"url": "http://x.org", "payload": {}}}`),
		ns(dashboards.Section):  str(`{"d": {"title": "D"}}`),
		ns(awsaccounts.Section): str(`{"a": {"accountId": 1234, "roleName": "R"}}`),
	})
	r.Secret[ns(kit.SecretsKey)] = true
	_, err := Load(r)
	require.Error(t, err)

	var paths []string
	for _, e := range leaves(err) {
		var pe *kit.PathError
		require.True(t, errors.As(e, &pe), "every problem carries its path: %v", e)
		paths = append(paths, pe.Path)
	}
	assert.ElementsMatch(t, []string{
		"monitor",
		KeyAPIURL, KeyAppKey,
		"channels.infra",
		"roles.r.name", "roles.r.permissions",
		"users.a.email", "users.a.roles[0]", "users.a.disabled", "users.b.emial", "users.b.email",
		"secrets.x",
		"teams.t.members[0]",
		"slackChannels.s.channel",
		"webhooks.w.url",
		"monitors.m.kind",
		"synthetics.t.url", "synthetics.t.assertions",
		"dashboards.d.layoutType",
		"awsAccounts.a.accountId",
	}, paths)

	// The order: each path's rank never goes down.
	rank := func(path string) int {
		head, _, _ := strings.Cut(path, ".")
		switch head {
		case "monitor":
			return 0
		case KeyAPIURL, KeyAppKey:
			return 1
		case kit.ChannelsKey:
			return 2
		case kit.SecretsKey:
			return 3
		}
		i := slices.IndexFunc(Types, func(ty Type) bool { return ty.Section == head })
		require.GreaterOrEqual(t, i, 0, path)
		return 4 + i
	}
	for i := 1; i < len(paths); i++ {
		assert.LessOrEqual(t, rank(paths[i-1]), rank(paths[i]), "%s is reported before %s", paths[i-1], paths[i])
	}
}

func TestLoadImportIDs(t *testing.T) {
	t.Parallel()
	const uuid = "11111111-2222-3333-4444-555555555555"
	tests := map[string]struct {
		section, value, path, contains string
	}{
		"two users adopt one Datadog user": {
			users.Section, `{
				"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"], "importId": "` + uuid + `"},
				"b": {"email": "b@example.org", "roles": ["Datadog Admin Role"], "importId": "` + uuid + `"}}`,
			"users.b.importId", `"` + uuid + `" is also the importId of users.a; one Datadog object is adopted once`,
		},
		"two monitors adopt one Datadog monitor": {
			monitors.Section, `{
				"a": {"name": "A", "kind": "metric", "query": "avg(last_5m):q{*}", "critical": 1, "message": "m", "importId": "42"},
				"b": {"name": "B", "kind": "metric", "query": "avg(last_5m):q{*}", "critical": 1, "message": "m", "importId": "42"}}`,
			"monitors.b.importId", "also the importId of monitors.a",
		},
		"a user id of the wrong form": {
			users.Section, `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"], "importId": "42"}}`,
			"users.a.importId", `"42" is not an id of this type, such as ` + users.ImportID.Example,
		},
		"a test id of the wrong form": {
			synthetics.Section, `{"a": {"name": "A", "url": "https://x.org", "message": "m", "importId": "` + uuid + `",
				"assertions": [{"type": "statusCode", "operator": "is", "target": 200}]}}`,
			"synthetics.a.importId", "is not an id of this type, such as " + synthetics.ImportID.Example,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			requireProblem(t, rawConfig(map[string]*string{ns(tc.section): str(tc.value)}), tc.path, tc.contains)
		})
	}

	t.Run("the same id in two sections is two objects", func(t *testing.T) {
		t.Parallel()
		_, err := Load(rawConfig(map[string]*string{
			ns(roles.Section): str(`{"r": {"name": "R", "permissions": ["logs_read_data"], "importId": "` + uuid + `"}}`),
			ns(users.Section): str(`{"a": {"email": "a@example.org", "roles": ["r"], "importId": "` + uuid + `"}}`),
		}))
		assert.NoError(t, err, "ids are unique per type, not across types")
	})
}

func TestLoadNeedsAUser(t *testing.T) {
	t.Parallel()
	requireProblem(t, rawConfig(map[string]*string{ns(users.Section): nil}), users.Section, "missing")
}
