package users_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/internal/tfstate"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// Production's roles, by the ids the Terraform state gives them.
const (
	adminRoleID = "420e1e93-3428-cf27-993e-5feb2debfe26"
	lrwRoleID   = "56f06eb4-9ba1-fa6f-ba47-7805b0582bd5"
)

// apiRoleNames are the role names GET /api/v2/users includes, by id.
var apiRoleNames = map[string]string{
	adminRoleID: adminDD,
	lrwRoleID:   "Limited Read Write",
	"ro-id":     "Datadog Read Only Role",
	"dev-id":    "developers",
}

// apiUser is a user as GET /api/v2/users answers it.
func apiUser(id, email string, set func(*datadogV2.UserAttributes), roleIDs ...string) datadogV2.User {
	u := datadogV2.NewUser()
	u.SetId(id)
	u.SetType(datadogV2.USERSTYPE_USERS)
	attrs := datadogV2.NewUserAttributes()
	attrs.SetEmail(email)
	attrs.SetStatus("Active")
	if set != nil {
		set(attrs)
	}
	u.Attributes = attrs
	refs := []datadogV2.RelationshipToRoleData{}
	for _, r := range roleIDs {
		refs = append(refs, datadogV2.RelationshipToRoleData{Id: datadog.PtrString(r), Type: datadogV2.ROLESTYPE_ROLES.Ptr()})
	}
	u.Relationships = &datadogV2.UserResponseRelationships{Roles: &datadogV2.RelationshipToRoles{Data: refs}}
	return *u
}

// userObject is a user as List makes it.
func userObject(u datadogV2.User) live.Object {
	email := u.Attributes.GetEmail()
	return live.Object{ID: u.GetId(), On: email, Name: email, Key: users.KeyOf(email), Data: users.Live{User: u, RoleNames: apiRoleNames}}
}

func TestFromAPI(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		user  datadogV2.User
		key   string
		entry map[string]any
	}{
		"production's admin": {
			user:  apiUser(userID, "jconway@linuxfoundation.org", nil, adminRoleID),
			key:   "jconway",
			entry: map[string]any{"email": "jconway@linuxfoundation.org", "roles": []any{adminDD}, "importId": userID},
		},
		"a custom role and a Datadog role, in Datadog's order": {
			user: apiUser(userID, "faa.diallo@amd.com", nil, lrwRoleID, "ro-id"),
			key:  "faa-diallo",
			entry: map[string]any{"email": "faa.diallo@amd.com", "roles": []any{"Limited Read Write", "Datadog Read Only Role"},
				"importId": userID},
		},
		"a role whose name is a lowercase word": {
			user:  apiUser(userID, "dev@example.org", nil, "dev-id"),
			key:   "dev",
			entry: map[string]any{"email": "dev@example.org", "roles": []any{"developers"}, "importId": userID},
		},
		"a name and disabled": {
			user: apiUser(userID, "John.Doe+dd@Example.org", func(a *datadogV2.UserAttributes) {
				a.SetName("John Doe")
				a.SetDisabled(true)
				a.SetStatus("Disabled")
			}, adminRoleID),
			key: "john-doe-dd",
			entry: map[string]any{"email": "John.Doe+dd@Example.org", "name": "John Doe", "disabled": true,
				"roles": []any{adminDD}, "importId": userID},
		},
		"an empty name, enabled and a role listed twice are left out": {
			user: apiUser(userID, "ops@example.org", func(a *datadogV2.UserAttributes) {
				a.SetName("")
				a.SetDisabled(false)
			}, adminRoleID, adminRoleID),
			key:   "ops",
			entry: map[string]any{"email": "ops@example.org", "roles": []any{adminDD}, "importId": userID},
		},
		"a service account is written like any user": {
			user: apiUser(userID, "bot@example.org", func(a *datadogV2.UserAttributes) {
				a.SetServiceAccount(true)
				a.SetName("CI bot")
			}, "ro-id"),
			key:   "bot",
			entry: map[string]any{"email": "bot@example.org", "name": "CI bot", "roles": []any{"Datadog Read Only Role"}, "importId": userID},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := userObject(tc.user)
			assert.Equal(t, tc.key, o.Key)
			entry, err := users.FromAPI(o)
			require.NoError(t, err)
			assert.Equal(t, tc.entry, entry)
		})
	}
}

func TestFromAPIErrors(t *testing.T) {
	t.Parallel()
	noRelationships := apiUser(userID, "bare@example.org", nil)
	noRelationships.Relationships = nil
	tests := map[string]struct {
		object   live.Object
		contains []string
	}{
		"no roles": {userObject(apiUser(userID, "jane@example.org", nil)),
			[]string{"user jane@example.org has no roles in Datadog", "at least one"}},
		"no relationships at all": {userObject(noRelationships),
			[]string{"user bare@example.org has no roles in Datadog"}},
		"a role the answer does not name": {userObject(apiUser(userID, "jane@example.org", nil, adminRoleID, "gone-id")),
			[]string{"user jane@example.org has the role id \"gone-id\"", "by name by hand"}},
		"an email the config refuses": {userObject(apiUser(userID, "jané@example.org", nil, adminRoleID)),
			[]string{"user jané@example.org cannot be written as config", "non-ASCII"}},
		"a name the config refuses": {userObject(apiUser(userID, "jane@example.org", func(a *datadogV2.UserAttributes) { a.SetName("Jane ") }, adminRoleID)),
			[]string{"user jane@example.org cannot be written as config", "leading or trailing spaces"}},
		"an id that is not a UUID": {userObject(apiUser("42", "jane@example.org", nil, adminRoleID)),
			[]string{"user jane@example.org cannot be written as config", "users.jane.importId"}},
		"no user data": {live.Object{ID: userID, Name: "x@example.org", Data: 1}, []string{"user x@example.org: no user data"}},
		"no email":     {userObject(apiUser(userID, "", nil, adminRoleID)), []string{"Datadog gave it no email or id"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := users.FromAPI(tc.object)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Nil(t, entry)
		})
	}
}

// The two doors into the stack agree: each production user read from
// Datadog is the entry ddstack import writes from the Terraform state.
func TestFromAPIAgreesWithFromTerraform(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "tfstate", "production.show.json"))
	require.NoError(t, err)
	objs, err := tfstate.Read(data, map[string][]string{"datadog_user": {"email"}})
	require.NoError(t, err)
	require.Len(t, objs, 6, "production has six users")
	roleNames := tfstate.RoleNames(data)
	for _, obj := range objs {
		t.Run(obj.Address, func(t *testing.T) {
			t.Parallel()
			key, fromTerraform, err := users.FromTerraform(obj.Attrs, roleNames)
			require.NoError(t, err)

			var roleIDs []string
			for _, r := range obj.Attrs["roles"].([]any) {
				roleIDs = append(roleIDs, r.(string))
			}
			o := userObject(apiUser(obj.ID, obj.Attrs["email"].(string), nil, roleIDs...))
			fromAPI, err := users.FromAPI(o)
			require.NoError(t, err)
			assert.Equal(t, fromTerraform, fromAPI)
			assert.Equal(t, key, o.Key)
		})
	}
}

// apiRole is a role as Datadog answers it.
func apiRole(id, name string) datadogV2.Role {
	r := datadogV2.NewRole(datadogV2.ROLESTYPE_ROLES)
	r.SetId(id)
	r.Attributes = &datadogV2.RoleAttributes{Name: datadog.PtrString(name)}
	return *r
}

func TestList(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Roles = []datadogV2.Role{apiRole(adminRoleID, adminDD), apiRole(lrwRoleID, "Limited Read Write")}
	// Enough users for three pages: every tenth disabled, every
	// fifteenth a service account, the others with the custom role.
	const n = 2*users.PageSize + 30
	for i := 0; i < n; i++ {
		role := lrwRoleID
		if i%2 == 0 {
			role = adminRoleID
		}
		f.Users = append(f.Users, apiUser(fmt.Sprintf("c0000000-0000-0000-0000-%012d", i), fmt.Sprintf("User.%03d@Example.org", i),
			func(a *datadogV2.UserAttributes) {
				if i%10 == 0 {
					a.SetDisabled(true)
					a.SetStatus("Disabled")
				}
				if i%15 == 0 {
					a.SetServiceAccount(true)
				}
			}, role))
	}

	l, err := users.List(f.Reader(t))
	require.NoError(t, err)
	assert.Empty(t, l.Partial)
	require.Len(t, l.Objects, n, "every user comes back, disabled ones too, across the pages")
	quiet := 0
	for i, o := range l.Objects {
		email := fmt.Sprintf("User.%03d@Example.org", i)
		assert.Equal(t, f.Users[i].GetId(), o.ID)
		assert.Equal(t, email, o.On)
		assert.Equal(t, email, o.Name)
		assert.Equal(t, fmt.Sprintf("user-%03d", i), o.Key)
		assert.Equal(t, i%10 == 0 || i%15 == 0, o.Quiet, "%s: disabled users and service accounts are quiet", email)
		if o.Quiet {
			quiet++
		}
	}
	assert.Equal(t, 23+16-8, quiet)

	// Each page's included roles name its users' roles.
	for i, want := range map[int]map[string]any{
		1:   {"email": "User.001@Example.org", "roles": []any{"Limited Read Write"}, "importId": "c0000000-0000-0000-0000-000000000001"},
		150: {"email": "User.150@Example.org", "roles": []any{adminDD}, "disabled": true, "importId": "c0000000-0000-0000-0000-000000000150"},
		229: {"email": "User.229@Example.org", "roles": []any{"Limited Read Write"}, "importId": "c0000000-0000-0000-0000-000000000229"},
	} {
		entry, err := users.FromAPI(l.Objects[i])
		require.NoError(t, err)
		assert.Equal(t, want, entry)
	}

	var got []string
	for _, r := range f.Requests() {
		got = append(got, r.Method+" "+r.Path+" "+r.Query.Encode())
	}
	page := func(n int) string {
		return "GET /api/v2/users " + url.Values{"page[size]": {"100"}, "page[number]": {fmt.Sprint(n)}}.Encode()
	}
	assert.Equal(t, []string{page(0), page(1), page(2)}, got, "a page of 100 at a time, no status filter, until a short page")
}

func TestListFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Users = []datadogV2.User{apiUser(userID, "jane@example.org", nil, adminRoleID)}
	f.Fault("/api/v2/users", ddfake.Fault{Status: 400, Body: `{"errors":["bad page"]}`})
	l, err := users.List(f.Reader(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v2/users: 400 Bad Request")
	assert.Empty(t, l.Objects)
}
