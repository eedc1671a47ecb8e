// Package roles manages the custom Datadog roles of the stack config
// (`pytorch-datadog:roles`): their config, its decoding and validation, and
// one datadog.Role per config key, whose permission names are resolved to
// ids from a single getPermissions lookup that this package makes.
package roles

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the roles register as.
const Token = "datadog:index/role:Role"

// NeedsRestricted reports whether getPermissions must be called with
// includeRestricted: only a role that opts out of the default permissions
// may list them.
func NeedsRestricted(roles map[string]Role) bool {
	for _, r := range roles {
		if r.DefaultPermissionsOptOut {
			return true
		}
	}
	return false
}

// New looks up Datadog's permissions once, then registers one datadog.Role
// per config key, in sorted key order, each named by its key, and returns
// them by key. Every permission name is resolved before anything is
// registered; unknown names are reported together, each with its path and
// the closest known names. The provider option applies to the lookup and
// to every role. With no roles, nothing is looked up.
//
// Roles are not grouped under a ComponentResource: see the README's
// "Resource names" section.
func New(ctx *pulumi.Context, roles map[string]Role, provider pulumi.ResourceOrInvokeOption) (map[string]*datadog.Role, error) {
	out := map[string]*datadog.Role{}
	exported := pulumi.StringMap{}
	if len(roles) == 0 {
		ctx.Export("roleIds", exported)
		return out, nil
	}
	include := NeedsRestricted(roles)
	perms, err := datadog.GetPermissions(ctx, &datadog.GetPermissionsArgs{IncludeRestricted: &include}, provider)
	if err != nil {
		return nil, fmt.Errorf("looking up Datadog permissions: %w", err)
	}
	keys := kit.SortedKeys(roles)
	known := kit.SortedKeys(perms.Permissions)
	var errs []error
	ids := map[string]datadog.RolePermissionArray{}
	for _, key := range keys {
		perm := datadog.RolePermissionArray{}
		for i, name := range roles[key].Permissions {
			id, ok := perms.Permissions[name]
			if !ok {
				errs = append(errs, unknownPermission(key, i, name, known, include))
				continue
			}
			perm = append(perm, datadog.RolePermissionArgs{Id: pulumi.String(id)})
		}
		ids[key] = perm
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	for _, key := range keys {
		role := roles[key]
		r, err := datadog.NewRole(ctx, key, &datadog.RoleArgs{
			Name:        pulumi.String(role.Name),
			Permissions: ids[key],
			// Always explicit: Datadog adds default permissions to roles
			// over time, and an unset value would read back as drift.
			DefaultPermissionsOptOut: pulumi.Bool(role.DefaultPermissionsOptOut),
		}, kit.WithImport(role.ImportID, provider)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = r
		exported[key] = r.ID().ToStringOutput()
	}
	ctx.Export("roleIds", exported)
	return out, nil
}

func unknownPermission(key string, i int, name string, known []string, includeRestricted bool) error {
	msg := fmt.Sprintf("%s.%s.permissions[%d]: Datadog has no permission named %q", Section, key, i, name)
	if close := kit.Closest(name, known, 3); len(close) > 0 {
		msg += fmt.Sprintf(" (closest: %s)", strings.Join(close, ", "))
	}
	if !includeRestricted {
		msg += "; if it is a restricted (default) permission, every role has it already unless the role sets defaultPermissionsOptOut: true"
	}
	return errors.New(msg)
}
