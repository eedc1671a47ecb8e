package stackconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const validRoles = `{"limited-read-write": {"name": "Limited Read Write", "permissions": ["logs_read_data", "monitors_write"]}}`

// raw builds a Raw config with a valid apiUrl, the given roles and users
// JSON (omitted when empty) and any extra keys.
func raw(roles, users string, extra ...string) Raw {
	r := Raw{Values: map[string]string{KeyAPIURL: "https://api.us3.datadoghq.com/"}, Secret: map[string]bool{}}
	if roles != "" {
		r.Values[Namespace+":"+KeyRoles] = roles
	}
	if users != "" {
		r.Values[Namespace+":"+KeyUsers] = users
	}
	for i := 0; i+1 < len(extra); i += 2 {
		r.Values[extra[i]] = extra[i+1]
	}
	return r
}

func TestLoadValid(t *testing.T) {
	cfg, err := Load(raw(validRoles, `{
		"jane-smith": {"email": "jane.smith@example.org", "roles": ["limited-read-write"], "name": "Jane Smith"},
		"john-doe": {"email": "john.doe@example.org", "roles": ["Limited Read Write", "Datadog Read Only Role"], "disabled": true, "sendUserInvitation": false},
		"ops": {"email": "ops@example.org", "roles": ["PyTorch Release Managers"]}
	}`))
	require.NoError(t, err)

	assert.Equal(t, "https://api.us3.datadoghq.com/", cfg.Datadog.APIURL)
	assert.Equal(t, Role{Name: "Limited Read Write", Permissions: []string{"logs_read_data", "monitors_write"}}, cfg.Roles["limited-read-write"])

	jane := cfg.Users["jane-smith"]
	assert.Equal(t, []RoleRef{{Managed: "limited-read-write"}}, jane.Roles)
	require.NotNil(t, jane.Name)
	assert.Equal(t, "Jane Smith", *jane.Name)
	assert.False(t, jane.Disabled)
	assert.Nil(t, jane.SendUserInvitation)

	john := cfg.Users["john-doe"]
	assert.Equal(t, []RoleRef{{Managed: "limited-read-write"}, {Datadog: "Datadog Read Only Role"}}, john.Roles,
		"a managed role is found by its name as well as its key")
	assert.True(t, john.Disabled)
	require.NotNil(t, john.SendUserInvitation)
	assert.False(t, *john.SendUserInvitation)

	assert.Equal(t, []RoleRef{{Datadog: "PyTorch Release Managers"}}, cfg.Users["ops"].Roles,
		"a display name that is no typo of a known role is a Datadog role to look up")
}

func TestLoadSecretKeys(t *testing.T) {
	r := raw("", `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"]}}`, KeyAPIKey, "k1", KeyAppKey, "k2")
	r.Secret[KeyAPIKey], r.Secret[KeyAppKey] = true, true
	cfg, err := Load(r)
	require.NoError(t, err)
	assert.Equal(t, Datadog{APIURL: "https://api.us3.datadoghq.com/", APIKey: "k1", AppKey: "k2"}, cfg.Datadog)
}

func TestLoadErrors(t *testing.T) {
	user := func(body string) string { return `{"jane-smith": ` + body + `}` }
	tests := map[string]struct {
		raw Raw
		// path is where the error must point; contains is part of its text.
		path, contains string
	}{
		"malformed email": {
			raw(validRoles, user(`{"email": "jane.smith@", "roles": ["limited-read-write"]}`)),
			"users.jane-smith.email", "is not an email address",
		},
		"email with a display name": {
			raw(validRoles, user(`{"email": "Jane <jane@example.org>", "roles": ["limited-read-write"]}`)),
			"users.jane-smith.email", "write it bare",
		},
		"duplicate email, other case": {
			raw(validRoles, `{"a": {"email": "Jane@Example.org", "roles": ["limited-read-write"]}, "b": {"email": "jane@example.org", "roles": ["limited-read-write"]}}`),
			"users.b.email", "also the email of users.a",
		},
		"empty role name": {
			raw(`{"r": {"name": "", "permissions": ["logs_read_data"]}}`, user(`{"email": "j@example.org", "roles": ["Datadog Admin Role"]}`)),
			"roles.r.name", "is empty",
		},
		"duplicate role names": {
			raw(`{"a": {"name": "Readers", "permissions": ["logs_read_data"]}, "b": {"name": "readers", "permissions": ["logs_read_data"]}}`, user(`{"email": "j@example.org", "roles": ["a"]}`)),
			"roles.b.name", "also the name of roles.a",
		},
		"role named like a built-in role": {
			raw(`{"a": {"name": "Datadog Admin Role", "permissions": ["logs_read_data"]}}`, user(`{"email": "j@example.org", "roles": ["a"]}`)),
			"roles.a.name", "a role Datadog manages",
		},
		"misspelt managed role name": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["Limted Read Write"]}`)),
			"users.jane-smith.roles[0]", `did you mean "Limited Read Write"?`,
		},
		"misspelt built-in role": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["datadog admin role"]}`)),
			"users.jane-smith.roles[0]", `did you mean "Datadog Admin Role"?`,
		},
		"unknown role key": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["admin"]}`)),
			"users.jane-smith.roles[0]", `no managed role with key "admin"`,
		},
		"empty role reference": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": [""]}`)),
			"users.jane-smith.roles[0]", "is empty",
		},
		"same role twice": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["limited-read-write", "Limited Read Write"]}`)),
			"users.jane-smith.roles[1]", "same role as roles[0]",
		},
		"disabled as a string": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["limited-read-write"], "disabled": "yes"}`)),
			"users.jane-smith.disabled", `must be true or false, got the string "yes"`,
		},
		"roles as a string": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": "admin"}`)),
			"users.jane-smith.roles", `write it as a list: ["admin"]`,
		},
		"role entry not a string": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": [3]}`)),
			"users.jane-smith.roles[0]", "must be a string, got the number 3",
		},
		"unknown field role for roles": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["limited-read-write"], "role": "x"}`)),
			"users.jane-smith.role", `unknown field (did you mean "roles"?)`,
		},
		"unknown role field": {
			raw(`{"r": {"name": "R", "permissions": ["logs_read_data"], "permission": ["x"]}}`, user(`{"email": "j@example.org", "roles": ["r"]}`)),
			"roles.r.permission", `did you mean "permissions"?`,
		},
		"missing email": {
			raw(validRoles, user(`{"roles": ["limited-read-write"]}`)),
			"users.jane-smith.email", "missing; it is required",
		},
		"missing roles": {
			raw(validRoles, user(`{"email": "j@example.org"}`)),
			"users.jane-smith.roles", "missing; it is required",
		},
		"empty roles": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": []}`)),
			"users.jane-smith.roles", "give the user at least one role",
		},
		"user not a map": {
			raw(validRoles, user(`"jane@example.org"`)),
			"users.jane-smith", "must be a user",
		},
		"missing users section": {
			raw(validRoles, ""),
			"users", "missing",
		},
		"empty users section": {
			raw(validRoles, `{}`),
			"users", "is empty",
		},
		"users section a list": {
			raw(validRoles, `[{"email": "j@example.org"}]`),
			"users", "got a list",
		},
		"users section a plain string": {
			raw(validRoles, `jane`),
			"users", `got the string "jane"`,
		},
		"roles section null": {
			raw(`null`, user(`{"email": "j@example.org", "roles": ["Datadog Admin Role"]}`)),
			"roles", "got nothing (null)",
		},
		"empty permissions": {
			raw(`{"r": {"name": "R", "permissions": []}}`, user(`{"email": "j@example.org", "roles": ["r"]}`)),
			"roles.r.permissions", "is empty",
		},
		"duplicate permission": {
			raw(`{"r": {"name": "R", "permissions": ["logs_read_data", "logs_read_data"]}}`, user(`{"email": "j@example.org", "roles": ["r"]}`)),
			"roles.r.permissions[1]", "listed twice",
		},
		"opt-out not a boolean": {
			raw(`{"r": {"name": "R", "permissions": ["logs_read_data"], "defaultPermissionsOptOut": "no"}}`, user(`{"email": "j@example.org", "roles": ["r"]}`)),
			"roles.r.defaultPermissionsOptOut", "must be true or false",
		},
		"key not kebab-case": {
			raw(validRoles, `{"Jane_Smith": {"email": "j@example.org", "roles": ["limited-read-write"]}}`),
			"users.Jane_Smith", "lowercase letters and digits joined by '-'",
		},
		"unknown project key": {
			raw(validRoles, user(`{"email": "j@example.org", "roles": ["limited-read-write"]}`), Namespace+":user", "{}"),
			"user", `unknown config key (did you mean "users"?)`,
		},
		"missing apiUrl": {
			Raw{Values: map[string]string{Namespace + ":" + KeyUsers: user(`{"email": "j@example.org", "roles": ["Datadog Admin Role"]}`)}},
			"datadog:apiUrl", "missing",
		},
		"apiUrl not https": {
			raw("", user(`{"email": "j@example.org", "roles": ["Datadog Admin Role"]}`), KeyAPIURL, "api.us3.datadoghq.com"),
			"datadog:apiUrl", "must be an https:// address",
		},
		"api key in plaintext": {
			raw("", user(`{"email": "j@example.org", "roles": ["Datadog Admin Role"]}`), KeyAPIKey, "0123456789abcdef"),
			"datadog:apiKey", "pulumi config set --secret datadog:apiKey",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assertLoadError(t, tc.raw, tc.path, tc.contains)
		})
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	_, err := Load(raw(`{"r": {"name": "", "permissions": "logs_read_data"}}`, `{
		"a": {"email": "not-an-email", "roles": ["admin"], "disabled": "yes"},
		"b": {"emial": "b@example.org", "roles": ["r"]}
	}`))
	require.Error(t, err)
	paths := map[string]bool{}
	for _, e := range leaves(err) {
		var pe *PathError
		require.True(t, errors.As(e, &pe), "every problem carries its path: %v", e)
		paths[pe.Path] = true
	}
	assert.Equal(t, map[string]bool{
		"roles.r.name":        true,
		"roles.r.permissions": true,
		"users.a.email":       true,
		"users.a.roles[0]":    true,
		"users.a.disabled":    true,
		"users.b.emial":       true,
		"users.b.email":       true,
	}, paths)
}

func TestLoadNeverEchoesAPlaintextKey(t *testing.T) {
	_, err := Load(raw("", `{"a": {"email": "a@example.org", "roles": ["Datadog Admin Role"]}}`, KeyAppKey, "s3cr3t-app-key"))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cr3t-app-key")
}

// assertLoadError checks that Load rejects r with an error at path whose
// message contains the given text.
func assertLoadError(t *testing.T, r Raw, path, contains string) {
	t.Helper()
	cfg, err := Load(r)
	require.Error(t, err)
	assert.Nil(t, cfg, "an invalid config yields nothing to register")
	msgs := messages(err)
	found := false
	for _, m := range msgs {
		found = found || (strings.HasPrefix(m, path+": ") && strings.Contains(m, contains))
	}
	assert.True(t, found, "no error at %s containing %q in:\n%s", path, contains, strings.Join(msgs, "\n"))
}

func messages(err error) []string {
	var out []string
	for _, e := range leaves(err) {
		out = append(out, e.Error())
	}
	return out
}

func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func FuzzLoad(f *testing.F) {
	f.Add(validRoles, `{"jane-smith": {"email": "jane@example.org", "roles": ["limited-read-write"]}}`, "", "")
	f.Add(`{"r": {"name": 1, "permissions": [null]}}`, `{"a": {"email": [], "roles": "x", "disabled": {}}}`, `[]`, `{}`)
	f.Add(`[]`, `"x"`, `{"m": {"kind": "metric", "critical": "x"}}`, `{"t": {"kind": "queue", "queue": {"exclude": ["^("]}}}`)
	f.Add(`{"a": {"name": "A", "permissions": ["p"]}}`, `{"b": {"email": "b@x.y", "roles": ["A", "a", " A", "Datadog Admin Rol"]}}`,
		`{"e": {"name": "E", "kind": "event", "search": "s", "critical": 0, "warning": 1e400, "message": "m", "notify": ["infra", 3]}}`,
		`{"t": {"name": "T", "url": "https://x.org", "message": "m", "assertions": [{"type": "header", "property": "x", "operator": "matches", "target": 5}, {"type": "javascript", "code": "dd.expect(1).to.equal(1)"}, 7]}}`)
	f.Fuzz(func(t *testing.T, roles, users, monitors, synthetics string) {
		r := raw(roles, users, Namespace+":"+KeyChannels, `{"infra": "@slack-infra"}`)
		if monitors != "" {
			r.Values[Namespace+":"+KeyMonitors] = monitors
		}
		if synthetics != "" {
			r.Values[Namespace+":"+KeySynthetics] = synthetics
		}
		cfg, err := Load(r)
		if err == nil && cfg == nil {
			t.Fatal("Load returned neither config nor error")
		}
		if err != nil {
			for _, e := range leaves(err) {
				var pe *PathError
				if !errors.As(e, &pe) {
					t.Fatalf("error without a path: %v", e)
				}
			}
		}
	})
}
