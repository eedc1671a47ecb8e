package roles_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// perms are a Terraform role's permission blocks, by name.
func perms(names ...string) []any {
	out := []any{}
	for i, n := range names {
		out = append(out, map[string]any{"id": string(rune('a'+i)) + "-id", "name": n})
	}
	return out
}

func TestFromTerraform(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		attrs map[string]any
		key   string
		entry map[string]any
	}{
		"a role with its permissions in order": {
			attrs: map[string]any{"id": roleID, "name": "Limited Read Write", "permission": perms("monitors_write", "logs_read_data")},
			key:   "limited-read-write",
			entry: map[string]any{"name": "Limited Read Write", "permissions": []any{"monitors_write", "logs_read_data"},
				"defaultPermissionsOptOut": false, "importId": roleID},
		},
		"opted out of the default permissions": {
			attrs: map[string]any{"id": roleID, "name": "Dashboards Only", "permission": perms("dashboards_read"), "default_permissions_opt_out": true},
			key:   "dashboards-only",
			entry: map[string]any{"name": "Dashboards Only", "permissions": []any{"dashboards_read"},
				"defaultPermissionsOptOut": true, "importId": roleID},
		},
		"a name with signs": {
			attrs: map[string]any{"id": roleID, "name": "PyTorch: Release_Managers (v2)", "permission": perms("logs_read_data")},
			key:   "pytorch-release-managers-v2",
			entry: map[string]any{"name": "PyTorch: Release_Managers (v2)", "permissions": []any{"logs_read_data"},
				"defaultPermissionsOptOut": false, "importId": roleID},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := roles.FromTerraform(tc.attrs)
			require.NoError(t, err)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.entry, entry)

			// The entry, as JSON, is a roles section that decodes as it is.
			data, err := json.Marshal(map[string]any{key: entry})
			require.NoError(t, err)
			got, problems := decode(t, string(data))
			assert.Empty(t, problems)
			require.Contains(t, got, key)
			assert.Equal(t, tc.attrs["name"], got[key].Name)
			assert.Equal(t, roleID, got[key].ImportID, "it adopts the role")
			assert.Len(t, got[key].Permissions, len(tc.attrs["permission"].([]any)))
		})
	}
}

func TestFromTerraformErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		attrs    map[string]any
		contains string
	}{
		"no name":                  {map[string]any{"id": roleID, "permission": perms("logs_read_data")}, "without a name or id"},
		"no id":                    {map[string]any{"name": "R", "permission": perms("logs_read_data")}, "without a name or id"},
		"a name that is no string": {map[string]any{"id": roleID, "name": 7}, "without a name or id"},
		"a permission by id only":  {map[string]any{"id": roleID, "name": "R", "permission": []any{map[string]any{"id": "p1"}}}, `role "R": a permission without its name`},
		"a permission not a block": {map[string]any{"id": roleID, "name": "R", "permission": []any{"logs_read_data"}}, "list its permissions by hand"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := roles.FromTerraform(tc.attrs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.contains)
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}
}

func TestKeyOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Limited Read Write":     "limited-read-write",
		"limited-read-write":     "limited-read-write",
		"  Padded  ":             "padded",
		"Datadog Admin Role":     "datadog-admin-role",
		"jane.smith":             "jane-smith",
		"Jane_Smith+datadog":     "jane-smith-datadog",
		"--a--b--":               "a-b",
		"Role 01":                "role-01",
		"José":                   "jos",
		"":                       "entry",
		"!!!":                    "entry",
		"日本":                     "entry",
		"ALL CAPS & Symbols #1!": "all-caps-symbols-1",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got := roles.KeyOf(in)
			assert.Equal(t, want, got)
			assert.True(t, kit.IsKey(got), "%q is a config key", got)
			assert.Equal(t, got, roles.KeyOf(got), "a key is its own key")
		})
	}
}
