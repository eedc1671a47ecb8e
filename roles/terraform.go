package roles

import (
	"fmt"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// FromTerraform turns a Terraform `datadog_role`'s attributes into a roles
// entry that manages the same role: its name, its permissions by name,
// defaultPermissionsOptOut, and importId. The key is the name in
// kebab-case.
func FromTerraform(attrs map[string]any) (string, map[string]any, error) {
	name, _ := attrs["name"].(string)
	id, _ := attrs["id"].(string)
	if name == "" || id == "" {
		return "", nil, fmt.Errorf("a datadog_role without a name or id")
	}
	perms := []any{}
	list, _ := attrs["permission"].([]any)
	for _, p := range list {
		m, _ := p.(map[string]any)
		n, _ := m["name"].(string)
		if n == "" {
			return "", nil, fmt.Errorf("role %q: a permission without its name (the state holds only ids); list its permissions by hand", name)
		}
		perms = append(perms, n)
	}
	if len(perms) == 0 {
		return "", nil, fmt.Errorf("role %q has no permissions in the state; a role here lists at least one: write it by hand", name)
	}
	optOut, _ := attrs["default_permissions_opt_out"].(bool)
	return KeyOf(name), map[string]any{
		"name": name, "permissions": perms, "defaultPermissionsOptOut": optOut, "importId": id,
	}, nil
}

// KeyOf makes a config key of a display name: lowercase letters and digits
// joined by '-' ("Limited Read Write" is limited-read-write).
func KeyOf(name string) string { return kit.KeyOf(name, "entry") }
