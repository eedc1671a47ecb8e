package teams

import (
	"fmt"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// FromTerraform turns the attributes of a Terraform `datadog_team` (the
// `values` of `tofu show -json`) into a config key and the teams entry
// that manages the same team, adopting it by its id. The key is derived
// from the handle (kebab-case), else from the name; the handle is left out
// when it equals the key. Terraform manages no memberships here, so
// members is empty. An object the config could not express (no handle, an
// empty description, an id that is not a UUID, ...) is an error.
func FromTerraform(attrs map[string]any) (key string, entry map[string]any, err error) {
	var missing []string
	get := func(name string) string {
		s, ok := attrs[name].(string)
		if !ok || s == "" {
			missing = append(missing, name)
		}
		return s
	}
	id, handle, name := get("id"), get("handle"), get("name")
	description, _ := attrs["description"].(string)
	if len(missing) > 0 {
		label := "datadog_team"
		for _, s := range []string{handle, name, id} {
			if s != "" {
				label = fmt.Sprintf("datadog_team %q", s)
				break
			}
		}
		return "", nil, fmt.Errorf("%s: no %s attribute", label, strings.Join(missing, ", "))
	}
	key = KeyOf(handle, name)
	if key == "" {
		return "", nil, fmt.Errorf("datadog_team %q: no config key can be made from its handle or name", handle)
	}
	entry = map[string]any{
		"name":        name,
		"description": description,
		"members":     []any{},
		"importId":    id,
	}
	if handle != key {
		entry["handle"] = handle
	}
	// The entry must decode as it will in the stack: what Decode refuses
	// (a handle Datadog would not take today, an empty description) is
	// reported here rather than written.
	if _, err := kit.DecodeEntry(key, entry, decode); err != nil {
		return "", nil, fmt.Errorf("datadog_team %q cannot be written as config: %w", handle, err)
	}
	return key, entry, nil
}

// toKey makes a config key of a handle or name: lowercase letters and
// digits, every run of other characters a single '-'.
func toKey(s string) string { return kit.KeyOf(s, "") }

// decode decodes the teams section alone, its members resolved against no
// users: what a conversion into the stack checks its entry with.
func decode(p *kit.Problems, raw string, present bool) map[string]Team {
	return Decode(p, raw, present, nil)
}
