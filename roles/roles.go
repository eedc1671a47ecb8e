// Package roles manages the custom Datadog roles of the stack config
// (`pytorch-datadog:roles`): one datadog.Role per config key, its permission
// names resolved to ids from a single getPermissions answer.
package roles

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
)

// Args are the inputs of New.
type Args struct {
	// Roles by config key. Required (may be empty).
	Roles map[string]stackconfig.Role
	// Permissions maps Datadog permission names to ids, as getPermissions
	// returns them. Required.
	Permissions map[string]string
	// IncludeRestricted says whether Permissions came from a getPermissions
	// call with includeRestricted, so that a missing name can be explained.
	IncludeRestricted bool
}

// Roles are the registered roles.
type Roles struct {
	// ByKey holds each role by its config key.
	ByKey map[string]*datadog.Role
}

// NeedsRestricted reports whether getPermissions must be called with
// includeRestricted: only a role that opts out of the default permissions
// may list them.
func NeedsRestricted(roles map[string]stackconfig.Role) bool {
	for _, r := range roles {
		if r.DefaultPermissionsOptOut {
			return true
		}
	}
	return false
}

// New registers one datadog.Role per config key, in sorted key order, each
// named by its key. Every permission name is resolved before anything is
// registered; unknown names are reported together, each with its path and
// the closest known names. opts apply to every role (pass the provider).
//
// Roles are not grouped under a ComponentResource: see the README's
// "Resource names" section.
func New(ctx *pulumi.Context, args *Args, opts ...pulumi.ResourceOption) (*Roles, error) {
	keys := slices.Sorted(maps.Keys(args.Roles))
	known := slices.Sorted(maps.Keys(args.Permissions))
	var errs []error
	ids := map[string]datadog.RolePermissionArray{}
	for _, key := range keys {
		role := args.Roles[key]
		perms := datadog.RolePermissionArray{}
		for i, name := range role.Permissions {
			id, ok := args.Permissions[name]
			if !ok {
				errs = append(errs, unknownPermission(key, i, name, known, args.IncludeRestricted))
				continue
			}
			perms = append(perms, datadog.RolePermissionArgs{Id: pulumi.String(id)})
		}
		ids[key] = perms
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	out := &Roles{ByKey: map[string]*datadog.Role{}}
	for _, key := range keys {
		role := args.Roles[key]
		r, err := datadog.NewRole(ctx, key, &datadog.RoleArgs{
			Name:        pulumi.String(role.Name),
			Permissions: ids[key],
			// Always explicit: Datadog adds default permissions to roles
			// over time, and an unset value would read back as drift.
			DefaultPermissionsOptOut: pulumi.Bool(role.DefaultPermissionsOptOut),
		}, stackconfig.WithImport(opts, role.ImportID)...)
		if err != nil {
			return nil, fmt.Errorf("roles.%s: %w", key, err)
		}
		out.ByKey[key] = r
	}
	return out, nil
}

func unknownPermission(key string, i int, name string, known []string, includeRestricted bool) error {
	msg := fmt.Sprintf("roles.%s.permissions[%d]: Datadog has no permission named %q", key, i, name)
	if close := stackconfig.Closest(name, known, 3); len(close) > 0 {
		msg += fmt.Sprintf(" (closest: %s)", strings.Join(close, ", "))
	}
	if !includeRestricted {
		msg += "; if it is a restricted (default) permission, every role has it already unless the role sets defaultPermissionsOptOut: true"
	}
	return errors.New(msg)
}
