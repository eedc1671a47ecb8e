package users

import "fmt"

// FromTerraform turns a Terraform `datadog_user`'s attributes into a users
// entry that manages the same user: email, name, disabled, importId, and
// its roles by name. Terraform holds role ids: roleNames maps them to the
// role names the state knows (tfstate.RoleNames); an id it does not know is
// an error. The key is the email's local part in kebab-case.
func FromTerraform(attrs map[string]any, roleNames map[string]string) (string, map[string]any, error) {
	email, _ := attrs["email"].(string)
	id, _ := attrs["id"].(string)
	if email == "" || id == "" {
		return "", nil, fmt.Errorf("a datadog_user without an email or id")
	}
	names := []any{}
	ids, _ := attrs["roles"].([]any)
	for _, r := range ids {
		rid, _ := r.(string)
		name, ok := roleNames[rid]
		if !ok {
			return "", nil, fmt.Errorf("user %s: role id %q is not a role of the state; give the user's roles by name by hand", email, rid)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return "", nil, fmt.Errorf("user %s has no roles in the state; a user here has at least one: write it by hand", email)
	}
	entry := map[string]any{"email": email, "roles": names, "importId": id}
	if name, _ := attrs["name"].(string); name != "" {
		entry["name"] = name
	}
	if disabled, _ := attrs["disabled"].(bool); disabled {
		entry["disabled"] = true
	}
	return KeyOf(email), entry, nil
}
