package users_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// roleNames are the state's role ids by name, as tfstate.RoleNames gives
// them: a managed role and a Datadog role.
var roleNames = map[string]string{
	"lrw-id":   "Limited Read Write",
	"admin-id": adminDD,
	"ro-id":    "Datadog Read Only Role",
}

func TestFromTerraform(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		attrs map[string]any
		key   string
		entry map[string]any
		// want is the user the entry decodes to.
		want users.User
	}{
		"roles by name, in the state's order": {
			attrs: map[string]any{"id": userID, "email": "jane.smith@example.org", "roles": []any{"ro-id", "lrw-id"}},
			key:   "jane-smith",
			entry: map[string]any{"email": "jane.smith@example.org", "roles": []any{"Datadog Read Only Role", "Limited Read Write"}, "importId": userID},
			want: users.User{Email: "jane.smith@example.org", ImportID: userID,
				Roles: []users.RoleRef{datadogRef("Datadog Read Only Role"), managedRef("limited-read-write")}},
		},
		"a name and disabled": {
			attrs: map[string]any{"id": userID, "email": "John.Doe+dd@Example.org", "name": "John Doe", "disabled": true, "roles": []any{"admin-id"}},
			key:   "john-doe-dd",
			entry: map[string]any{"email": "John.Doe+dd@Example.org", "name": "John Doe", "disabled": true, "roles": []any{adminDD}, "importId": userID},
			want: users.User{Email: "John.Doe+dd@Example.org", Name: ptr("John Doe"), Disabled: true, ImportID: userID,
				Roles: []users.RoleRef{datadogRef(adminDD)}},
		},
		"an empty name and enabled are left out": {
			attrs: map[string]any{"id": userID, "email": "ops@example.org", "name": "", "disabled": false, "roles": []any{"admin-id"}},
			key:   "ops",
			entry: map[string]any{"email": "ops@example.org", "roles": []any{adminDD}, "importId": userID},
			want:  users.User{Email: "ops@example.org", ImportID: userID, Roles: []users.RoleRef{datadogRef(adminDD)}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := users.FromTerraform(tc.attrs, roleNames)
			require.NoError(t, err)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.entry, entry)

			// The entry, as JSON, is a users section that decodes as it is.
			data, err := json.Marshal(map[string]any{key: entry})
			require.NoError(t, err)
			got, problems := decode(t, string(data), managed)
			assert.Empty(t, problems)
			assert.Equal(t, map[string]users.User{key: tc.want}, got)
		})
	}
}

func TestFromTerraformErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		attrs    map[string]any
		contains []string
	}{
		"a role id the state does not know": {
			map[string]any{"id": userID, "email": "jane@example.org", "roles": []any{"admin-id", "gone-id"}},
			[]string{"user jane@example.org", `role id "gone-id" is not a role of the state`, "by name by hand"},
		},
		"no email": {map[string]any{"id": userID, "roles": []any{"admin-id"}}, []string{"without an email or id"}},
		"no id":    {map[string]any{"email": "jane@example.org", "roles": []any{"admin-id"}}, []string{"without an email or id"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := users.FromTerraform(tc.attrs, roleNames)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}

	t.Run("no role names at all", func(t *testing.T) {
		t.Parallel()
		_, _, err := users.FromTerraform(map[string]any{"id": userID, "email": "jane@example.org", "roles": []any{"admin-id"}}, nil)
		assert.ErrorContains(t, err, `role id "admin-id" is not a role of the state`)
	})
}
