package ddmock

import (
	_ "embed"
	"strings"

	"github.com/pytorch-fdn/pytorch-datadog/program"
)

//go:embed permissions.txt
var permissionsTxt string

// Permission is one entry of the permission catalog.
type Permission struct {
	Name string
	// Restricted permissions are granted to every role by default and are
	// returned by getPermissions only with includeRestricted.
	Restricted bool
}

// Permissions returns the catalog of Datadog permission names kept in
// permissions.txt, in file order.
func Permissions() []Permission {
	var out []Permission
	for _, line := range strings.Split(permissionsTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, flag, _ := strings.Cut(line, " ")
		out = append(out, Permission{Name: name, Restricted: strings.TrimSpace(flag) == "restricted"})
	}
	return out
}

// PermissionID is the readable placeholder the mock gives for a permission's
// id, which only Datadog knows.
func PermissionID(name string) string { return "<permission:" + name + ">" }

// DatadogRoleID is the placeholder for the id of a role looked up by name.
func DatadogRoleID(name string) string { return "<datadog-role:" + name + ">" }

// ResourceID is the placeholder for the id Datadog gives a created resource:
// the type's short name in the registry and the logical name, for example
// <role:limited-read-write>.
func ResourceID(typeToken, name string) string {
	return "<" + program.ShortType(typeToken) + ":" + name + ">"
}
