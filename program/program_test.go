package program

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
)

const (
	project      = stackconfig.Namespace
	stack        = "test"
	version      = "4.68.0"
	roleType     = "datadog:index/role:Role"
	userType     = "datadog:index/user:User"
	providerURN  = "urn:pulumi:test::pytorch-datadog::pulumi:providers:datadog::datadog"
	roleURNStart = "urn:pulumi:test::pytorch-datadog::datadog:index/role:Role::"
)

// config is a stack config for a test run: project keys as Go values
// (encoded to JSON as the engine does), other keys as strings.
type config struct {
	roles, users any
	extra        map[string]string
	secret       []string
}

func (c config) run(t testing.TB) (*ddmock.Recorder, error) {
	t.Helper()
	values := map[string]string{stackconfig.KeyAPIURL: "https://api.us3.datadoghq.com/"}
	for key, v := range map[string]any{stackconfig.KeyRoles: c.roles, stackconfig.KeyUsers: c.users} {
		if v == nil {
			continue
		}
		data, err := json.Marshal(v)
		require.NoError(t, err)
		values[stackconfig.Namespace+":"+key] = string(data)
	}
	for k, v := range c.extra {
		values[k] = v
	}
	return ddmock.Run(project, stack, values, c.secret, Run)
}

type obj = map[string]any

func byName(rec *ddmock.Recorder) map[string]ddmock.Resource {
	out := map[string]ddmock.Resource{}
	for _, r := range rec.Resources() {
		out[r.Type+"::"+r.Name] = r
	}
	return out
}

func permIDs(names ...string) []any {
	out := []any{}
	for _, n := range names {
		out = append(out, map[string]any{"id": ddmock.PermissionID(n)})
	}
	return out
}

func TestRegistersRolesAndUsers(t *testing.T) {
	rec, err := config{
		roles: obj{
			"readers":            obj{"name": "Readers", "permissions": []string{"logs_read_data"}},
			"limited-read-write": obj{"name": "Limited Read Write", "permissions": []string{"monitors_write", "logs_read_data", "incident_write"}},
		},
		users: obj{
			"zed":   obj{"email": "zed@example.org", "roles": []string{"Datadog Admin Role"}},
			"jane":  obj{"email": "jane@example.org", "roles": []string{"limited-read-write", "Datadog Read Only Role"}, "name": "Jane"},
			"amy":   obj{"email": "amy@example.org", "roles": []string{"Readers", "PyTorch Release Managers"}, "disabled": true, "sendUserInvitation": false},
			"admin": obj{"email": "admin@example.org", "roles": []string{"Datadog Admin Role"}},
		},
	}.run(t)
	require.NoError(t, err)

	resources := rec.Resources()
	var names []string
	for _, r := range resources {
		names = append(names, r.Type+"::"+r.Name)
	}
	assert.Equal(t, []string{
		"pulumi:providers:datadog::datadog",
		roleType + "::limited-read-write", roleType + "::readers",
		userType + "::admin", userType + "::amy", userType + "::jane", userType + "::zed",
	}, names, "logical names are the config keys")

	for _, r := range resources {
		assert.Equal(t, version, r.Version, "%s pins the provider version", r.Name)
		assert.True(t, r.Custom, r.Name)
		assert.False(t, r.Protect, r.Name)
		assert.Empty(t, r.ImportID, r.Name)
		if r.Type == ddmock.ProviderType {
			assert.Equal(t, obj{"apiUrl": "https://api.us3.datadoghq.com/"}, ddmock.PlainMap(r.Inputs),
				"without secret config the provider reads DD_API_KEY and DD_APP_KEY itself")
			continue
		}
		assert.Equal(t, providerURN, r.Provider, "%s uses the explicit provider", r.Name)
	}

	got := byName(rec)
	assert.Equal(t, obj{
		"name":                     "Limited Read Write",
		"permissions":              permIDs("monitors_write", "logs_read_data", "incident_write"),
		"defaultPermissionsOptOut": false,
	}, ddmock.PlainMap(got[roleType+"::limited-read-write"].Inputs))

	assert.Equal(t, obj{
		"email":    "jane@example.org",
		"name":     "Jane",
		"roles":    []any{"<role:limited-read-write>", ddmock.DatadogRoleID("Datadog Read Only Role")},
		"disabled": false,
	}, ddmock.PlainMap(got[userType+"::jane"].Inputs))
	assert.Equal(t, obj{
		"email":              "amy@example.org",
		"roles":              []any{"<role:readers>", ddmock.DatadogRoleID("PyTorch Release Managers")},
		"disabled":           true,
		"sendUserInvitation": false,
	}, ddmock.PlainMap(got[userType+"::amy"].Inputs))

	assert.Equal(t, []string{roleURNStart + "limited-read-write"}, got[userType+"::jane"].DependsOn,
		"a user depends on the managed role it has")
	assert.Equal(t, []string{roleURNStart + "readers"}, got[userType+"::amy"].DependsOn)
	assert.Empty(t, got[userType+"::zed"].DependsOn, "a Datadog role is looked up, not depended on")
	for _, r := range resources {
		if r.Type == roleType {
			assert.Equal(t, roleURNStart+r.Name, r.URN, "dependencies name the role's URN")
		}
	}

	type call struct {
		token string
		args  map[string]any
	}
	var calls []call
	for _, inv := range rec.Invokes() {
		assert.Equal(t, providerURN, inv.Provider, "%s goes through the explicit provider", inv.Token)
		calls = append(calls, call{inv.Token, ddmock.PlainMap(inv.Args)})
	}
	assert.Equal(t, []call{
		{ddmock.GetPermissions, obj{"includeRestricted": false}},
		{ddmock.GetRole, obj{"filter": "Datadog Admin Role"}},
		{ddmock.GetRole, obj{"filter": "Datadog Read Only Role"}},
		{ddmock.GetRole, obj{"filter": "PyTorch Release Managers"}},
	}, calls, "one getPermissions, one getRole per distinct Datadog role name")
	assert.Equal(t, []string{"PyTorch Release Managers"}, rec.LookedUpRoles())
}

func TestProviderKeysFromSecretConfigStaySecret(t *testing.T) {
	users := obj{"a": obj{"email": "a@example.org", "roles": []string{"Datadog Admin Role"}}}
	rec, err := config{
		users:  users,
		extra:  map[string]string{stackconfig.KeyAPIKey: "api-key-value", stackconfig.KeyAppKey: "app-key-value"},
		secret: []string{stackconfig.KeyAPIKey, stackconfig.KeyAppKey},
	}.run(t)
	require.NoError(t, err)

	provider := byName(rec)["pulumi:providers:datadog::datadog"]
	for _, key := range []resource.PropertyKey{"apiKey", "appKey"} {
		v, ok := provider.Inputs[key]
		require.True(t, ok, "%s reaches the provider", key)
		assert.True(t, v.ContainsSecrets(), "%s is secret", key)
	}
	assert.Equal(t, ddmock.Secret, ddmock.PlainMap(provider.Inputs)["apiKey"])
	assert.NotContains(t, fmt.Sprint(ddmock.PlainMap(provider.Inputs)), "key-value")
}

func TestInvalidConfigRegistersNothing(t *testing.T) {
	rec, err := config{
		roles: obj{"r": obj{"name": "R", "permissions": []string{"logs_read_data"}}},
		users: obj{"a": obj{"email": "not-an-email", "roles": []string{"r"}}},
	}.run(t)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "users.a.email")
	assert.Empty(t, rec.Resources())
	assert.Empty(t, rec.Invokes())
}

func TestUnknownPermissions(t *testing.T) {
	rec, err := config{
		roles: obj{
			"a": obj{"name": "A", "permissions": []string{"logs_read_data", "incidents_write"}},
			"b": obj{"name": "B", "permissions": []string{"metrics_read"}},
		},
		users: obj{"u": obj{"email": "u@example.org", "roles": []string{"a"}}},
	}.run(t)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `roles.a.permissions[1]: Datadog has no permission named "incidents_write" (closest: incident_write`)
	assert.Contains(t, msg, `roles.b.permissions[0]: Datadog has no permission named "metrics_read"`, "every unknown name is reported")
	for _, r := range rec.Resources() {
		assert.Equal(t, ddmock.ProviderType, r.Type, "no role or user is registered: %s", r.Name)
	}
}

func TestRestrictedPermissions(t *testing.T) {
	users := obj{"u": obj{"email": "u@example.org", "roles": []string{"r"}}}
	_, err := config{
		roles: obj{"r": obj{"name": "R", "permissions": []string{"dashboards_read"}}},
		users: users,
	}.run(t)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "defaultPermissionsOptOut: true")

	rec, err := config{
		roles: obj{"r": obj{"name": "R", "permissions": []string{"dashboards_read"}, "defaultPermissionsOptOut": true}},
		users: users,
	}.run(t)
	require.NoError(t, err)
	inv := rec.Invokes()[0]
	assert.Equal(t, ddmock.GetPermissions, inv.Token)
	assert.Equal(t, obj{"includeRestricted": true}, ddmock.PlainMap(inv.Args))
	assert.Equal(t, obj{"name": "R", "permissions": permIDs("dashboards_read"), "defaultPermissionsOptOut": true},
		ddmock.PlainMap(byName(rec)[roleType+"::r"].Inputs))
}

func TestImportIDsAdoptInsteadOfCreate(t *testing.T) {
	const roleID, userID = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
	rec, err := config{
		roles: obj{"r": obj{"name": "R", "permissions": []string{"logs_read_data"}, "importId": roleID}},
		users: obj{
			"a": obj{"email": "a@example.org", "roles": []string{"r"}, "importId": userID},
			"b": obj{"email": "b@example.org", "roles": []string{"r"}},
		},
	}.run(t)
	require.NoError(t, err)
	got := byName(rec)
	assert.Equal(t, roleID, got[roleType+"::r"].ImportID)
	assert.Equal(t, userID, got[userType+"::a"].ImportID)
	assert.Empty(t, got[userType+"::b"].ImportID, "no importId: created")
	assert.Equal(t, []any{roleID}, ddmock.PlainMap(got[userType+"::b"].Inputs)["roles"], "an adopted role's id is the imported one")
}

func TestNoRolesNoPermissionLookup(t *testing.T) {
	rec, err := config{users: obj{"a": obj{"email": "a@example.org", "roles": []string{"Datadog Standard Role"}}}}.run(t)
	require.NoError(t, err)
	var tokens []string
	for _, inv := range rec.Invokes() {
		tokens = append(tokens, inv.Token)
	}
	assert.Equal(t, []string{ddmock.GetRole}, tokens)
}

// BenchmarkProgram runs the program under the mock engine for 10,000 users
// and 50 roles, and reports the invokes a run makes: they must not grow with
// the number of users.
func BenchmarkProgram(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("users=%d/roles=50", n), func(b *testing.B) {
			roles := obj{}
			for i := range 50 {
				roles[fmt.Sprintf("role-%02d", i)] = obj{"name": fmt.Sprintf("Role %02d", i), "permissions": []string{"logs_read_data", "monitors_write", "synthetics_read"}}
			}
			builtin := []string{"Datadog Admin Role", "Datadog Read Only Role", "Datadog Standard Role"}
			users := obj{}
			for i := range n {
				users[fmt.Sprintf("user-%05d", i)] = obj{
					"email": fmt.Sprintf("user%05d@example.org", i),
					"roles": []string{fmt.Sprintf("role-%02d", i%50), builtin[i%3]},
				}
			}
			c := config{roles: roles, users: users}
			b.ResetTimer()
			var invokes, resources int
			for b.Loop() {
				rec, err := c.run(b)
				if err != nil {
					b.Fatal(err)
				}
				invokes, resources = len(rec.Invokes()), len(rec.Resources())
			}
			b.ReportMetric(float64(invokes), "invokes/run")
			b.ReportMetric(float64(resources), "resources/run")
		})
	}
}
