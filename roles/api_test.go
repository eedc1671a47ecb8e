package roles_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// productionPermissions are production's role's permissions, by the ids
// the Terraform state gives them, in its order.
var productionPermissions = [][2]string{
	{"3f2108d2-3303-6a81-d7f5-4edbb7fa28c3", "logs_read_data"},
	{"df1e4df2-7cbe-e92d-1652-4033146e1fbe", "logs_read_index_data"},
	{"d449199f-b979-03d6-b080-bd1b4b62fb01", "logs_read_archives"},
	{"8aedc9d5-5f79-bae8-b4f9-615bccb1addb", "synthetics_read"},
	{"e3d350c9-ce7f-ecf3-85c1-c0ac69cd3610", "cases_read"},
	{"6475b92a-7cce-6af9-8ba5-6ab79e31723a", "audit_logs_read"},
	{"f52293c4-daf4-372d-e705-c0e53e07e16d", "dashboards_write"},
	{"5d78d676-7fe4-5ff7-358c-68fc98439ea0", "dashboards_public_share"},
	{"6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e", "monitors_write"},
	{"c6f30074-e5f3-0e54-1d19-2ef7fea39499", "synthetics_write"},
	{"6b4c32ae-8acc-4600-ce7b-40f1818a94a2", "cases_write"},
	{"f09be7be-0fa6-94cd-947d-e480f1ea2493", "notebooks_write"},
	{"516112af-eed5-c2bc-3be2-c164016adcce", "incident_write"},
}

// restrictedPermissions are permissions every role has unless it opts
// out of them (Datadog's "restricted" permissions).
var restrictedPermissions = [][2]string{
	{"r-dashboards-read", "dashboards_read"},
	{"r-monitors-read", "monitors_read"},
}

// organisationPermissions are the organisation's permissions by id, as
// GET /api/v2/permissions lists them.
func organisationPermissions() map[string]datadogV2.Permission {
	out := map[string]datadogV2.Permission{}
	add := func(list [][2]string, restricted bool) {
		for _, p := range list {
			perm := datadogV2.NewPermission(datadogV2.PERMISSIONSTYPE_PERMISSIONS)
			perm.SetId(p[0])
			perm.Attributes = &datadogV2.PermissionAttributes{Name: datadog.PtrString(p[1]), Restricted: datadog.PtrBool(restricted)}
			out[p[0]] = *perm
		}
	}
	add(productionPermissions, false)
	add(restrictedPermissions, true)
	return out
}

// apiRole is a role as GET /api/v2/roles answers it, holding the
// permissions of these ids.
func apiRole(id, name string, permIDs ...string) datadogV2.Role {
	role := datadogV2.NewRole(datadogV2.ROLESTYPE_ROLES)
	role.SetId(id)
	role.Attributes = &datadogV2.RoleAttributes{Name: datadog.PtrString(name)}
	data := []datadogV2.RelationshipToPermissionData{}
	for _, p := range permIDs {
		d := datadogV2.NewRelationshipToPermissionData()
		d.SetId(p)
		d.SetType(datadogV2.PERMISSIONSTYPE_PERMISSIONS)
		data = append(data, *d)
	}
	role.Relationships = &datadogV2.RoleResponseRelationships{Permissions: &datadogV2.RelationshipToPermissions{Data: data}}
	return *role
}

// object is a role as List makes it.
func object(role datadogV2.Role) live.Object {
	name := role.Attributes.GetName()
	return live.Object{ID: role.GetId(), On: name, Name: name, Key: roles.KeyOf(name), Data: roles.Live{Role: role, Permissions: organisationPermissions()}}
}

func ids(list [][2]string) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p[0])
	}
	return out
}

func names(list [][2]string) []any {
	out := []any{}
	for _, p := range list {
		out = append(out, p[1])
	}
	return out
}

func TestFromAPI(t *testing.T) {
	t.Parallel()
	all := append(ids(productionPermissions), ids(restrictedPermissions)...)
	tests := map[string]struct {
		role  datadogV2.Role
		entry map[string]any
	}{
		"production's role: no restricted permission held, so not opted out": {
			role: apiRole(roleID, "Limited Read Write", ids(productionPermissions)...),
			entry: map[string]any{"name": "Limited Read Write", "permissions": names(productionPermissions),
				"defaultPermissionsOptOut": false, "importId": roleID},
		},
		"every restricted permission held: not opted out, and they are left out": {
			role: apiRole(roleID, "Monitors", "r-dashboards-read", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e", "r-monitors-read"),
			entry: map[string]any{"name": "Monitors", "permissions": []any{"monitors_write"},
				"defaultPermissionsOptOut": false, "importId": roleID},
		},
		"some restricted permissions held: opted out, and they are written": {
			role: apiRole(roleID, "Dashboards Only", "r-dashboards-read", "f52293c4-daf4-372d-e705-c0e53e07e16d"),
			entry: map[string]any{"name": "Dashboards Only", "permissions": []any{"dashboards_read", "dashboards_write"},
				"defaultPermissionsOptOut": true, "importId": roleID},
		},
		"a permission listed twice is written once": {
			role: apiRole(roleID, "Twice", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e"),
			entry: map[string]any{"name": "Twice", "permissions": []any{"monitors_write"},
				"defaultPermissionsOptOut": false, "importId": roleID},
		},
		"every permission": {
			role: apiRole(roleID, "Everything", all...),
			entry: map[string]any{"name": "Everything", "permissions": names(productionPermissions),
				"defaultPermissionsOptOut": false, "importId": roleID},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := roles.FromAPI(object(tc.role))
			require.NoError(t, err)
			assert.Equal(t, tc.entry, entry)
		})
	}
}

func TestFromAPIErrors(t *testing.T) {
	t.Parallel()
	noRelationships := apiRole(roleID, "Bare")
	noRelationships.Relationships = nil
	tests := map[string]struct {
		object   live.Object
		contains []string
	}{
		"no permissions": {object(apiRole(roleID, "Empty")),
			[]string{`role "Empty" grants no permission besides`, "write it by hand"}},
		"only restricted permissions, all of them": {object(apiRole(roleID, "Defaults", ids(restrictedPermissions)...)),
			[]string{`role "Defaults" grants no permission besides the ones every role has`}},
		"a permission id Datadog does not name": {object(apiRole(roleID, "Gone", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e", "gone-id")),
			[]string{`role "Gone" has the permission id "gone-id"`, "by hand"}},
		"no permissions in the answer": {object(noRelationships),
			[]string{`role "Bare": Datadog's answer did not list its permissions`}},
		"one of Datadog's own roles": {object(apiRole(roleID, "Datadog Admin Role", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e")),
			[]string{`role "Datadog Admin Role" cannot be written as config`, "roles.datadog-admin-role.name", "a role Datadog manages"}},
		"a name the config refuses": {object(apiRole(roleID, " Padded ", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e")),
			[]string{`role " Padded " cannot be written as config`, "leading or trailing spaces"}},
		"an id that is not a UUID": {object(apiRole("not-a-uuid", "Odd", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e")),
			[]string{`role "Odd" cannot be written as config`, "roles.odd.importId"}},
		"no role data": {live.Object{ID: roleID, Name: "R", Data: "?"}, []string{`role "R": no role data`}},
		"no id at all": {object(apiRole("", "Anon", "6cd12532-09f0-9a6c-6dd9-a5fcbbcd9c9e")), []string{"Datadog gave it no name or id"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := roles.FromAPI(tc.object)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Nil(t, entry)
		})
	}
}

// productionState is the attributes of a production object of the
// Terraform state, by address.
func productionState(t *testing.T, typ string, matchOn []string, address string) map[string]any {
	t.Helper()
	objs := ddfake.ProductionState(t, map[string][]string{typ: matchOn})
	for _, o := range objs {
		if o.Address == address {
			return o.Attrs
		}
	}
	require.Failf(t, "no such object", "%s is not in the production state", address)
	return nil
}

// The two doors into the stack agree: production's role read from Datadog
// is the entry ddstack import writes from the Terraform state.
func TestFromAPIAgreesWithFromTerraform(t *testing.T) {
	t.Parallel()
	attrs := productionState(t, "datadog_role", []string{"name"}, `datadog_role.roles["limited-read-write"]`)
	key, fromTerraform, err := roles.FromTerraform(attrs)
	require.NoError(t, err)

	o := object(apiRole(attrs["id"].(string), "Limited Read Write", ids(productionPermissions)...))
	fromAPI, err := roles.FromAPI(o)
	require.NoError(t, err)
	assert.Equal(t, fromTerraform, fromAPI)
	assert.Equal(t, key, o.Key)
}

// permissionList is organisationPermissions as GET /api/v2/permissions
// lists them.
func permissionList() []datadogV2.Permission {
	out := []datadogV2.Permission{}
	for _, list := range [][][2]string{productionPermissions, restrictedPermissions} {
		for _, p := range list {
			out = append(out, organisationPermissions()[p[0]])
		}
	}
	return out
}

func TestList(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	// Datadog's three roles, then enough custom ones for three pages.
	f.Roles = []datadogV2.Role{
		apiRole("a0000000-0000-0000-0000-000000000001", "Datadog Admin Role"),
		apiRole("a0000000-0000-0000-0000-000000000002", "Datadog Standard Role"),
		apiRole("a0000000-0000-0000-0000-000000000003", "Datadog Read Only Role"),
	}
	for i := len(f.Roles); i < 2*roles.PageSize+50; i++ {
		f.Roles = append(f.Roles, apiRole(fmt.Sprintf("b0000000-0000-0000-0000-%012d", i), fmt.Sprintf("Custom Role %03d", i), ids(productionPermissions)[i%13]))
	}
	f.Permissions = permissionList()

	l, err := roles.List(f.Reader(t))
	require.NoError(t, err)
	assert.Empty(t, l.Partial, "every role is listed")
	require.Len(t, l.Objects, len(f.Roles), "every role comes back, across the pages")
	for i, o := range l.Objects {
		name := f.Roles[i].Attributes.GetName()
		assert.Equal(t, f.Roles[i].GetId(), o.ID)
		assert.Equal(t, name, o.On)
		assert.Equal(t, name, o.Name)
		assert.Equal(t, roles.KeyOf(name), o.Key)
		assert.Equal(t, i < 3, o.Quiet, "%s: only Datadog's own roles are quiet", name)
	}
	assert.Equal(t, "datadog-admin-role", l.Objects[0].Key)
	assert.Equal(t, "custom-role-249", l.Objects[249].Key)

	// The roles' permissions are named from the one list of permissions.
	entry, err := roles.FromAPI(l.Objects[5])
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "Custom Role 005", "permissions": []any{"audit_logs_read"},
		"defaultPermissionsOptOut": false, "importId": "b0000000-0000-0000-0000-000000000005"}, entry)

	var got []string
	for _, r := range f.Requests() {
		got = append(got, r.Method+" "+r.Path+" "+r.Query.Encode())
	}
	page := func(n int) string {
		return "GET /api/v2/roles " + url.Values{"page[size]": {"100"}, "page[number]": {fmt.Sprint(n)}}.Encode()
	}
	assert.Equal(t, []string{"GET /api/v2/permissions ", page(0), page(1), page(2)}, got,
		"the permissions once, then the roles a page of 100 at a time until a short page")
}

func TestListEmptyOrganisation(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	l, err := roles.List(f.Reader(t))
	require.NoError(t, err)
	assert.Empty(t, l.Objects)
	assert.Len(t, f.Requests(), 2, "the permissions and one empty page of roles")
}

func TestListErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		path     string
		contains string
	}{
		"the permissions fail": {"/api/v2/permissions", "GET /api/v2/permissions: 400 Bad Request"},
		"the roles fail":       {"/api/v2/roles", "GET /api/v2/roles: 400 Bad Request"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ddfake.New(t)
			f.Roles = []datadogV2.Role{apiRole(roleID, "Limited Read Write", ids(productionPermissions)...)}
			f.Permissions = permissionList()
			f.Fault(tc.path, ddfake.Fault{Status: 400, Body: `{"errors":["bad"]}`})
			l, err := roles.List(f.Reader(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.contains)
			assert.Empty(t, l.Objects)
		})
	}
}
