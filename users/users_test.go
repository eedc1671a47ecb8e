package users_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

const (
	stack        = "test"
	version      = "4.68.0"
	providerURN  = "urn:pulumi:test::pytorch-datadog::pulumi:providers:datadog::datadog"
	roleURNStart = "urn:pulumi:test::pytorch-datadog::datadog:index/role:Role::"
	userURNStart = "urn:pulumi:test::pytorch-datadog::datadog:index/user:User::"
)

type obj = map[string]any

// result is what a run of users.New returned: the ids of the users it
// returned, by key, or its error as it returned it (the engine wraps it).
type result struct {
	mu  sync.Mutex
	ids map[string]string
	err error
}

// program registers an explicit provider, as the program does, then the
// managed roles and the users through it, and records what users.New
// returned.
func program(rs map[string]roles.Role, us map[string]users.User, res *result) pulumi.RunFunc {
	return ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		madeRoles, err := roles.New(ctx, rs, provider)
		if err != nil {
			return err
		}
		made, err := users.New(ctx, us, madeRoles, provider)
		if err != nil {
			res.err = err
			return err
		}
		if made != nil {
			res.ids = map[string]string{}
		}
		for key, u := range made {
			u.ID().ApplyT(func(id pulumi.ID) string {
				res.mu.Lock()
				defer res.mu.Unlock()
				res.ids[key] = string(id)
				return string(id)
			})
		}
		return nil
	})
}

// run runs roles.New and users.New under the mock engine.
func run(t *testing.T, rs map[string]roles.Role, us map[string]users.User) (*ddmock.Recorder, *result, error) {
	t.Helper()
	res := &result{}
	rec, err := ddmock.Run(kit.Namespace, stack, nil, nil, program(rs, us, res))
	return rec, res, err
}

// usersByName returns the recorded users by logical name.
func usersByName(rec *ddmock.Recorder) map[string]ddmock.Resource {
	out := map[string]ddmock.Resource{}
	for _, r := range rec.Resources() {
		if r.Type == users.Token {
			out[r.Name] = r
		}
	}
	return out
}

type call struct {
	Token string
	Args  obj
}

// calls returns the recorded invokes in order, checking that each went
// through the explicit provider.
func calls(t *testing.T, rec *ddmock.Recorder) []call {
	t.Helper()
	var out []call
	for _, inv := range rec.Invokes() {
		assert.Equal(t, providerURN, inv.Provider, "%s goes through the explicit provider", inv.Token)
		out = append(out, call{inv.Token, ddmock.PlainMap(inv.Args)})
	}
	return out
}

func managedRef(key string) users.RoleRef  { return users.RoleRef{Managed: key} }
func datadogRef(name string) users.RoleRef { return users.RoleRef{Datadog: name} }

func TestNewRegistersOneUserPerKey(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, map[string]roles.Role{
		"readers":            {Name: "Readers", Permissions: []string{"logs_read_data"}},
		"limited-read-write": {Name: "Limited Read Write", Permissions: []string{"monitors_write"}},
	}, map[string]users.User{
		"zed":   {Email: "zed@example.org", Roles: []users.RoleRef{datadogRef("Datadog Admin Role")}},
		"jane":  {Email: "jane@example.org", Roles: []users.RoleRef{managedRef("limited-read-write"), datadogRef("Datadog Read Only Role")}, Name: ptr("Jane")},
		"amy":   {Email: "amy@example.org", Roles: []users.RoleRef{managedRef("readers"), datadogRef("PyTorch Release Managers")}, Disabled: true, SendUserInvitation: ptr(false)},
		"admin": {Email: "admin@example.org", Roles: []users.RoleRef{datadogRef("Datadog Admin Role")}, SendUserInvitation: ptr(true)},
	})
	require.NoError(t, err)

	got := usersByName(rec)
	assert.Equal(t, []string{"admin", "amy", "jane", "zed"}, kit.SortedKeys(got), "logical names are the config keys")
	for name, r := range got {
		assert.Equal(t, version, r.Version, "%s pins the provider version", name)
		assert.True(t, r.Custom, name)
		assert.Equal(t, providerURN, r.Provider, "%s uses the explicit provider", name)
		assert.Equal(t, userURNStart+name, r.URN, "%s is not parented to a component", name)
		assert.Empty(t, r.ImportID, "%s has no importId: it is created", name)
		assert.False(t, r.Protect, name)
	}

	assert.Equal(t, obj{
		"email":    "jane@example.org",
		"name":     "Jane",
		"roles":    []any{ddmock.ResourceID(roles.Token, "limited-read-write"), ddmock.DatadogRoleID("Datadog Read Only Role")},
		"disabled": false,
	}, ddmock.PlainMap(got["jane"].Inputs), "role ids in the config's order; disabled always explicit")
	assert.Equal(t, obj{
		"email":              "amy@example.org",
		"roles":              []any{ddmock.ResourceID(roles.Token, "readers"), ddmock.DatadogRoleID("PyTorch Release Managers")},
		"disabled":           true,
		"sendUserInvitation": false,
	}, ddmock.PlainMap(got["amy"].Inputs))
	assert.Equal(t, obj{
		"email":              "admin@example.org",
		"roles":              []any{ddmock.DatadogRoleID("Datadog Admin Role")},
		"disabled":           false,
		"sendUserInvitation": true,
	}, ddmock.PlainMap(got["admin"].Inputs))
	assert.Equal(t, obj{
		"email":    "zed@example.org",
		"roles":    []any{ddmock.DatadogRoleID("Datadog Admin Role")},
		"disabled": false,
	}, ddmock.PlainMap(got["zed"].Inputs), "unset name and sendUserInvitation are left to Datadog")

	assert.Equal(t, []string{roleURNStart + "limited-read-write"}, got["jane"].DependsOn, "a user depends on the managed role it has")
	assert.Equal(t, []string{roleURNStart + "readers"}, got["amy"].DependsOn)
	assert.Empty(t, got["zed"].DependsOn, "a Datadog role is looked up, not depended on")
	assert.Empty(t, got["admin"].DependsOn)
	for _, r := range rec.Resources() {
		if r.Type == roles.Token {
			assert.Equal(t, roleURNStart+r.Name, r.URN, "dependencies name the role's URN")
		}
	}

	assert.Equal(t, []call{
		{ddmock.GetPermissions, obj{"includeRestricted": false}},
		{ddmock.GetRole, obj{"filter": "Datadog Admin Role"}},
		{ddmock.GetRole, obj{"filter": "Datadog Read Only Role"}},
		{ddmock.GetRole, obj{"filter": "PyTorch Release Managers"}},
	}, calls(t, rec), "one getRole per distinct Datadog role name, sorted, none per user")
	assert.Equal(t, []string{"PyTorch Release Managers"}, rec.LookedUpRoles())

	assert.Equal(t, map[string]string{
		"admin": ddmock.ResourceID(users.Token, "admin"),
		"amy":   ddmock.ResourceID(users.Token, "amy"),
		"jane":  ddmock.ResourceID(users.Token, "jane"),
		"zed":   ddmock.ResourceID(users.Token, "zed"),
	}, res.ids, "New returns every registered user by key")
}

func TestNewLooksUpOnlyDatadogRoles(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, map[string]roles.Role{
		"readers": {Name: "Readers", Permissions: []string{"logs_read_data"}},
	}, map[string]users.User{
		"a": {Email: "a@example.org", Roles: []users.RoleRef{managedRef("readers")}},
		"b": {Email: "b@example.org", Roles: []users.RoleRef{managedRef("readers")}},
	})
	require.NoError(t, err)
	assert.Equal(t, []call{{ddmock.GetPermissions, obj{"includeRestricted": false}}}, calls(t, rec),
		"managed roles are taken from their resources, never looked up")
	assert.Len(t, usersByName(rec), 2)
}

func TestNewNoUsers(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, nil, map[string]users.User{})
	require.NoError(t, err)
	assert.Empty(t, usersByName(rec))
	assert.Empty(t, rec.Invokes())
	assert.NotNil(t, res.ids, "New returns an empty map")
	assert.Empty(t, res.ids)
}

func TestNewImportIDIsTheImportOption(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, map[string]roles.Role{
		"r": {Name: "R", Permissions: []string{"logs_read_data"}, ImportID: roleID},
	}, map[string]users.User{
		"a": {Email: "a@example.org", Roles: []users.RoleRef{managedRef("r")}, ImportID: userID},
		"b": {Email: "b@example.org", Roles: []users.RoleRef{managedRef("r")}},
	})
	require.NoError(t, err)
	got := usersByName(rec)
	assert.Equal(t, userID, got["a"].ImportID)
	assert.Empty(t, got["b"].ImportID, "no importId: created")
	assert.Equal(t, providerURN, got["a"].Provider, "an adopted user keeps the explicit provider")
	assert.Equal(t, []any{roleID}, ddmock.PlainMap(got["b"].Inputs)["roles"], "an adopted role's id is the imported one")
	assert.Equal(t, map[string]string{"a": userID, "b": ddmock.ResourceID(users.Token, "b")}, res.ids)
}

func TestNewManagedRoleNotRegistered(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, map[string]roles.Role{
		"readers": {Name: "Readers", Permissions: []string{"logs_read_data"}},
	}, map[string]users.User{
		"a": {Email: "a@example.org", Roles: []users.RoleRef{managedRef("readers"), managedRef("ghost")}},
	})
	require.Error(t, err)
	require.Error(t, res.err)
	assert.Equal(t, `users.a.roles[1]: managed role "ghost" was not registered`, res.err.Error())
	assert.Empty(t, usersByName(rec))
}

// failingRoles answers like ddmock but fails the getRole lookups of some
// names, as Datadog does for a role that does not exist.
type failingRoles struct {
	*ddmock.Recorder
	missing []string
}

func (f failingRoles) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == ddmock.GetRole && slices.Contains(f.missing, args.Args["filter"].StringValue()) {
		return nil, errors.New("no role found")
	}
	return f.Recorder.Call(args)
}

func TestNewReportsEveryFailedRoleLookup(t *testing.T) {
	t.Parallel()
	mock := failingRoles{ddmock.New(kit.Namespace, stack), []string{"Ghost Team", "Phantom Team"}}
	res := &result{}
	err := pulumi.RunErr(program(nil, map[string]users.User{
		"a": {Email: "a@example.org", Roles: []users.RoleRef{datadogRef("Phantom Team"), datadogRef("Datadog Admin Role")}},
		"b": {Email: "b@example.org", Roles: []users.RoleRef{datadogRef("Ghost Team")}},
	}, res), pulumi.WithMocks(kit.Namespace, stack, mock))
	require.Error(t, err)
	require.Error(t, res.err)
	lines := strings.Split(res.err.Error(), "\n")
	require.Len(t, lines, 2, "every failed lookup is reported:\n%v", res.err)
	assert.True(t, strings.HasPrefix(lines[0], `looking up Datadog role "Ghost Team": `), lines[0])
	assert.Contains(t, lines[0], "no role found")
	assert.True(t, strings.HasPrefix(lines[1], `looking up Datadog role "Phantom Team": `), lines[1])
	assert.Empty(t, usersByName(mock.Recorder), "no user is registered while a role is missing")
}

func TestDatadogRoleNames(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		users map[string]users.User
		want  []string
	}{
		"none":         {users: nil, want: []string{}},
		"managed only": {users: map[string]users.User{"a": {Roles: []users.RoleRef{managedRef("readers")}}}, want: []string{}},
		"distinct and sorted": {
			users: map[string]users.User{
				"a": {Roles: []users.RoleRef{datadogRef("PyTorch Release Managers"), managedRef("readers"), datadogRef("Datadog Admin Role")}},
				"b": {Roles: []users.RoleRef{datadogRef("Datadog Admin Role"), datadogRef("Billing")}},
				"c": {Roles: []users.RoleRef{datadogRef("PyTorch Release Managers")}},
			},
			want: []string{"Billing", "Datadog Admin Role", "PyTorch Release Managers"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := users.DatadogRoleNames(tc.users)
			if len(tc.want) == 0 {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestNewDisabledUserIsNeverInvited: the provider creates a user enabled
// and disables it on the next update; a disabled entry is registered with
// sendUserInvitation false so that no invitation goes out in between. An
// enabled entry without the field leaves it to the provider.
func TestNewDisabledUserIsNeverInvited(t *testing.T) {
	t.Parallel()
	admin := []users.RoleRef{datadogRef("Datadog Admin Role")}
	rec, _, err := run(t, nil, map[string]users.User{
		"gone":     {Email: "gone@example.org", Roles: admin, Disabled: true},
		"gone-old": {Email: "gone-old@example.org", Roles: admin, Disabled: true, ImportID: userID},
		"new":      {Email: "new@example.org", Roles: admin},
		"quiet":    {Email: "quiet@example.org", Roles: admin, SendUserInvitation: ptr(false)},
		"welcomed": {Email: "welcomed@example.org", Roles: admin, SendUserInvitation: ptr(true)},
	})
	require.NoError(t, err)
	got := usersByName(rec)
	for name, want := range map[string]any{"gone": false, "gone-old": false, "quiet": false, "welcomed": true} {
		in := ddmock.PlainMap(got[name].Inputs)
		assert.Equal(t, want, in["sendUserInvitation"], name)
	}
	assert.Equal(t, true, ddmock.PlainMap(got["gone"].Inputs)["disabled"])
	assert.NotContains(t, ddmock.PlainMap(got["new"].Inputs), "sendUserInvitation", "an enabled user without the field carries none")
}
