package roles

import (
	"fmt"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Section is the config key of the roles: `pytorch-datadog:roles`.
const Section = "roles"

// ImportID is the form of a role's import id: its UUID.
var ImportID = kit.UUID

// BuiltinRoles are the roles every Datadog organisation has. A managed role
// may not take their names; users refer to them by exact name.
var BuiltinRoles = []string{"Datadog Admin Role", "Datadog Read Only Role", "Datadog Standard Role"}

// Role is a custom Datadog role managed here.
type Role struct {
	// Name is the role's display name in Datadog. Required, unique
	// (case-insensitive), not a built-in role's name.
	Name string
	// Permissions are Datadog permission names (`logs_read_data`), resolved
	// to ids through one getPermissions call. Required, at least one.
	Permissions []string
	// DefaultPermissionsOptOut drops the restricted permissions every role
	// has by default; then restricted permissions may be listed. Default
	// false, always sent explicitly so the provider never sees it unset.
	DefaultPermissionsOptOut bool
	// ImportID adopts an existing Datadog role (its UUID) instead of
	// creating one.
	ImportID string
}

// Spec declares the roles section: the decoder, the stack file's JSON
// Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Title: "Roles", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "Custom Datadog roles by key; the key is the role's logical name. Users refer to a role by its key or its name.",
	Values: &kit.Spec{Title: "a role", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "name", Kind: kit.String, Required: true, Pattern: kit.OneLinePattern, PatternDoc: kit.OneLineDoc,
			Doc: "The role's display name in Datadog. Unique (case-insensitive); not one of Datadog's own role names (" + strings.Join(BuiltinRoles, ", ") + ")."},
		{Name: "permissions", Kind: kit.List, Unique: true, Required: true, MinItems: 1,
			Items: &kit.Spec{Kind: kit.String, Pattern: kit.OneLinePattern, PatternDoc: "a Datadog permission name such as logs_read_data"},
			Doc:   "Datadog permission names (`logs_read_data`, `monitors_write`, …), each once, resolved to ids by one `getPermissions` lookup per run. An unknown name is an error that lists the closest known names."},
		{Name: "defaultPermissionsOptOut", Kind: kit.Bool, Default: false,
			Doc: "`true` removes the restricted permissions every role has by default (such as `dashboards_read`); only then may `permissions` list restricted ones. Always sent to Datadog explicitly."},
		ImportID.Spec("the role's UUID"),
	}},
}

// Decode decodes and validates the roles section (raw as the engine passes
// it: JSON), reporting every problem to p. An absent section is no roles.
func Decode(p *kit.Problems, raw string, present bool) map[string]Role {
	out := map[string]Role{}
	byName := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "role key to "+Spec.Values.Describe()) {
		key, path := e.Key, e.Path
		var r Role
		valid := p.Object(path, e.Value, Spec.Values, []kit.Field{
			{Name: "name", Decode: func(fp string, v any) {
				if p.String(fp, v, &r.Name) {
					checkName(p, fp, r.Name)
				}
			}},
			{Name: "permissions", Decode: func(fp string, v any) {
				p.StringList(fp, v, "Datadog permission names", &r.Permissions)
				list, isList := v.([]any)
				if isList && len(list) == 0 {
					p.Add(fp, "is empty; list the permission names the role grants (for example logs_read_data)")
				}
				// Each entry is checked at its own index: StringList leaves
				// the entries that are not strings out of r.Permissions.
				seen := map[string]int{}
				for i, item := range list {
					perm, isStr := item.(string)
					if !isStr {
						continue
					}
					ip := fmt.Sprintf("%s[%d]", fp, i)
					if j, dup := seen[perm]; dup {
						p.Add(ip, "%q is listed twice (also at [%d])", perm, j)
						continue
					}
					seen[perm] = i
					checkPermission(p, ip, perm)
				}
			}},
			{Name: "defaultPermissionsOptOut", Decode: func(fp string, v any) { p.Bool(fp, v, &r.DefaultPermissionsOptOut) }},
			ImportID.Field(p, &r.ImportID),
		})
		if !valid {
			continue
		}
		if r.Name != "" {
			folded := strings.ToLower(r.Name)
			if other, dup := byName[folded]; dup {
				p.Add(path+".name", "%q is also the name of roles.%s; role names must be unique", r.Name, other)
			}
			byName[folded] = key
			for _, b := range BuiltinRoles {
				if strings.EqualFold(b, r.Name) {
					p.Add(path+".name", "%q is the name of a role Datadog manages; choose another name, or refer to %q from users without defining it", r.Name, b)
				}
			}
		}
		out[key] = r
	}
	return out
}

func checkName(p *kit.Problems, path, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		p.Add(path, "is empty; give the role its display name in Datadog")
	case !p.Printable(path, name, false):
	case strings.TrimSpace(name) != name:
		p.Add(path, "%q has leading or trailing spaces", name)
	}
}

// checkPermission reports an entry that cannot be a permission name: an
// empty one, or one with spaces or a character that acts instead of
// showing. A name of the right form that Datadog does not know is reported
// when the names are resolved.
func checkPermission(p *kit.Problems, path, perm string) {
	switch {
	case strings.TrimSpace(perm) == "":
		p.Add(path, "is empty; write a Datadog permission name such as logs_read_data")
	case !p.Printable(path, perm, false):
	case strings.TrimSpace(perm) != perm:
		p.Add(path, "%q has leading or trailing spaces", perm)
	}
}
