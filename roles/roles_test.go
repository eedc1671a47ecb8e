package roles_test

import (
	"errors"
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
)

const (
	stack        = "test"
	version      = "4.68.0"
	providerURN  = "urn:pulumi:test::pytorch-datadog::pulumi:providers:datadog::datadog"
	roleURNStart = "urn:pulumi:test::pytorch-datadog::datadog:index/role:Role::"
)

type obj = map[string]any

// result is what a run of roles.New returned: the ids of the roles it
// returned, by key, or its error as it returned it (the engine wraps it).
type result struct {
	mu  sync.Mutex
	ids map[string]string
	err error
}

// program registers an explicit provider, as the program does, then the
// roles through it, and records the ids of the roles New returns.
func program(rs map[string]roles.Role, res *result) pulumi.RunFunc {
	return ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		made, err := roles.New(ctx, rs, provider)
		if err != nil {
			res.err = err
			return err
		}
		if made != nil {
			res.ids = map[string]string{}
		}
		for key, r := range made {
			r.ID().ApplyT(func(id pulumi.ID) string {
				res.mu.Lock()
				defer res.mu.Unlock()
				res.ids[key] = string(id)
				return string(id)
			})
		}
		return nil
	})
}

// run runs roles.New under the mock engine.
func run(t *testing.T, rs map[string]roles.Role) (*ddmock.Recorder, *result, error) {
	t.Helper()
	res := &result{}
	rec, err := ddmock.Run(kit.Namespace, stack, nil, nil, program(rs, res))
	return rec, res, err
}

// byName returns the recorded roles by logical name, checking that
// everything else recorded is the one explicit provider.
func byName(t *testing.T, rec *ddmock.Recorder) map[string]ddmock.Resource {
	t.Helper()
	out := map[string]ddmock.Resource{}
	providers := 0
	for _, r := range rec.Resources() {
		switch r.Type {
		case ddmock.ProviderType:
			providers++
		case roles.Token:
			out[r.Name] = r
		default:
			t.Errorf("roles.New registered a %s (%s)", r.Type, r.Name)
		}
	}
	assert.Equal(t, 1, providers, "the test's provider")
	return out
}

func permIDs(names ...string) []any {
	out := []any{}
	for _, n := range names {
		out = append(out, obj{"id": ddmock.PermissionID(n)})
	}
	return out
}

type call struct {
	Token string
	Args  obj
}

// calls returns the recorded invokes, checking that each went through the
// explicit provider.
func calls(t *testing.T, rec *ddmock.Recorder) []call {
	t.Helper()
	var out []call
	for _, inv := range rec.Invokes() {
		assert.Equal(t, providerURN, inv.Provider, "%s goes through the explicit provider", inv.Token)
		out = append(out, call{inv.Token, ddmock.PlainMap(inv.Args)})
	}
	return out
}

func TestNewRegistersOneRolePerKey(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, map[string]roles.Role{
		"readers":            {Name: "Readers", Permissions: []string{"logs_read_data"}},
		"limited-read-write": {Name: "Limited Read Write", Permissions: []string{"monitors_write", "logs_read_data", "incident_write"}},
		"ci-bots":            {Name: "CI Bots", Permissions: []string{"synthetics_read"}},
	})
	require.NoError(t, err)

	for _, r := range rec.Resources() {
		assert.Equal(t, version, r.Version, "%s pins the provider version", r.Name)
		assert.True(t, r.Custom, r.Name)
	}
	got := byName(t, rec)
	assert.Equal(t, []string{"ci-bots", "limited-read-write", "readers"}, kit.SortedKeys(got), "logical names are the config keys")
	for name, r := range got {
		assert.Equal(t, providerURN, r.Provider, "%s uses the explicit provider", name)
		assert.Equal(t, roleURNStart+name, r.URN, "%s is not parented to a component", name)
		assert.Empty(t, r.ImportID, "%s has no importId: it is created", name)
		assert.False(t, r.Protect, name)
		assert.Empty(t, r.DependsOn, name)
	}
	assert.Equal(t, obj{
		"name":                     "Limited Read Write",
		"permissions":              permIDs("monitors_write", "logs_read_data", "incident_write"),
		"defaultPermissionsOptOut": false,
	}, ddmock.PlainMap(got["limited-read-write"].Inputs), "permission ids in the config's order; the opt-out always explicit")
	assert.Equal(t, obj{
		"name":                     "Readers",
		"permissions":              permIDs("logs_read_data"),
		"defaultPermissionsOptOut": false,
	}, ddmock.PlainMap(got["readers"].Inputs))

	assert.Equal(t, []call{{ddmock.GetPermissions, obj{"includeRestricted": false}}}, calls(t, rec),
		"one getPermissions for all roles")
	assert.Equal(t, map[string]string{
		"ci-bots":            ddmock.ResourceID(roles.Token, "ci-bots"),
		"limited-read-write": ddmock.ResourceID(roles.Token, "limited-read-write"),
		"readers":            ddmock.ResourceID(roles.Token, "readers"),
	}, res.ids, "New returns every registered role by key")
}

func TestNewIncludesRestrictedPermissionsOnlyWhenARoleOptsOut(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		roles   map[string]roles.Role
		include bool
		inputs  map[string]obj
	}{
		"no role opts out": {
			roles: map[string]roles.Role{
				"a": {Name: "A", Permissions: []string{"logs_read_data"}},
				"b": {Name: "B", Permissions: []string{"monitors_write"}},
			},
			include: false,
			inputs: map[string]obj{
				"a": {"name": "A", "permissions": permIDs("logs_read_data"), "defaultPermissionsOptOut": false},
				"b": {"name": "B", "permissions": permIDs("monitors_write"), "defaultPermissionsOptOut": false},
			},
		},
		"one role of two opts out": {
			roles: map[string]roles.Role{
				"a": {Name: "A", Permissions: []string{"logs_read_data"}},
				"b": {Name: "B", Permissions: []string{"dashboards_read", "monitors_read", "monitors_write"}, DefaultPermissionsOptOut: true},
			},
			include: true,
			inputs: map[string]obj{
				"a": {"name": "A", "permissions": permIDs("logs_read_data"), "defaultPermissionsOptOut": false},
				"b": {"name": "B", "permissions": permIDs("dashboards_read", "monitors_read", "monitors_write"), "defaultPermissionsOptOut": true},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.include, roles.NeedsRestricted(tc.roles))
			rec, _, err := run(t, tc.roles)
			require.NoError(t, err)
			assert.Equal(t, []call{{ddmock.GetPermissions, obj{"includeRestricted": tc.include}}}, calls(t, rec))
			got := map[string]obj{}
			for key, r := range byName(t, rec) {
				got[key] = ddmock.PlainMap(r.Inputs)
			}
			assert.Equal(t, tc.inputs, got)
		})
	}
}

func TestNewReportsEveryUnknownPermission(t *testing.T) {
	t.Parallel()
	const hint = "; if it is a restricted (default) permission, every role has it already unless the role sets defaultPermissionsOptOut: true"
	tests := map[string]struct {
		roles map[string]roles.Role
		// want are the lines of the error, in order, each without the hint
		// that ends it when restricted permissions were not looked up.
		want []string
	}{
		"misspelt names in two roles": {
			roles: map[string]roles.Role{
				"b": {Name: "B", Permissions: []string{"metrics_read", "logs_read_data", "synthetic_read"}},
				"a": {Name: "A", Permissions: []string{"logs_read_data", "incidents_write"}},
			},
			want: []string{
				`roles.a.permissions[1]: Datadog has no permission named "incidents_write" (closest: incident_write, facets_write, incident_read)`,
				`roles.b.permissions[0]: Datadog has no permission named "metrics_read"`,
				`roles.b.permissions[2]: Datadog has no permission named "synthetic_read" (closest: synthetics_read)`,
			},
		},
		"a restricted permission without the opt-out": {
			roles: map[string]roles.Role{"r": {Name: "R", Permissions: []string{"dashboards_read"}}},
			want:  []string{`roles.r.permissions[0]: Datadog has no permission named "dashboards_read" (closest: dashboards_write)`},
		},
		"with restricted permissions looked up": {
			roles: map[string]roles.Role{
				"a": {Name: "A", Permissions: []string{"dashboards_read"}, DefaultPermissionsOptOut: true},
				"b": {Name: "B", Permissions: []string{"dashboard_read"}},
			},
			want: []string{`roles.b.permissions[0]: Datadog has no permission named "dashboard_read" (closest: dashboards_read)`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec, res, err := run(t, tc.roles)
			require.Error(t, err)
			require.Error(t, res.err)
			suffix := hint
			if roles.NeedsRestricted(tc.roles) {
				suffix = ""
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, w+suffix)
			}
			assert.Equal(t, want, strings.Split(res.err.Error(), "\n"), "one line per unknown name, in key and list order")
			assert.Empty(t, byName(t, rec), "no role is registered while a permission is unknown")
			assert.Len(t, calls(t, rec), 1, "one getPermissions")
		})
	}
}

func TestNewNoRoles(t *testing.T) {
	t.Parallel()
	for name, rs := range map[string]map[string]roles.Role{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec, res, err := run(t, rs)
			require.NoError(t, err)
			assert.Empty(t, byName(t, rec))
			assert.Empty(t, rec.Invokes(), "no roles, no permission lookup")
			assert.NotNil(t, res.ids, "New returns an empty map")
			assert.Empty(t, res.ids)
		})
	}
}

func TestNewImportIDIsTheImportOption(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, map[string]roles.Role{
		"adopted": {Name: "Adopted", Permissions: []string{"logs_read_data"}, ImportID: roleID},
		"also":    {Name: "Also", Permissions: []string{"logs_read_data"}, ImportID: otherID},
		"created": {Name: "Created", Permissions: []string{"logs_read_data"}},
	})
	require.NoError(t, err)
	got := byName(t, rec)
	assert.Equal(t, roleID, got["adopted"].ImportID)
	assert.Equal(t, otherID, got["also"].ImportID)
	assert.Empty(t, got["created"].ImportID)
	for name, r := range got {
		assert.Equal(t, providerURN, r.Provider, "%s keeps the explicit provider alongside the import", name)
	}
	assert.Equal(t, map[string]string{
		"adopted": roleID,
		"also":    otherID,
		"created": ddmock.ResourceID(roles.Token, "created"),
	}, res.ids, "an adopted role's id is the imported one")
}

// failingLookups answers like ddmock but fails every invoke of one token.
type failingLookups struct {
	*ddmock.Recorder
	token string
}

func (f failingLookups) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == f.token {
		return nil, errors.New("403 Forbidden")
	}
	return f.Recorder.Call(args)
}

func TestNewPermissionLookupFails(t *testing.T) {
	t.Parallel()
	mock := failingLookups{ddmock.New(kit.Namespace, stack), ddmock.GetPermissions}
	err := pulumi.RunErr(program(map[string]roles.Role{"a": {Name: "A", Permissions: []string{"logs_read_data"}}}, &result{}),
		pulumi.WithMocks(kit.Namespace, stack, mock))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "looking up Datadog permissions: ")
	assert.Contains(t, err.Error(), "403 Forbidden")
	assert.Empty(t, byName(t, mock.Recorder))
}
