// Package users manages the Datadog users of the stack config
// (`pytorch-datadog:users`): one datadog.User per config key, with roles that
// are either managed by this stack or already exist in Datadog.
package users

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
)

// Args are the inputs of New.
type Args struct {
	// Users by config key, their role references resolved. Required.
	Users map[string]stackconfig.User
	// Managed are the roles this stack registers, by config key. A user's
	// managed role is taken from its resource, so the user depends on it
	// and a first deployment on an empty organisation works.
	Managed map[string]*datadog.Role
	// DatadogRoleIDs are the ids of roles that exist in Datadog, by exact
	// name, as getRole returned them.
	DatadogRoleIDs map[string]string
}

// Users are the registered users.
type Users struct {
	// ByKey holds each user by its config key.
	ByKey map[string]*datadog.User
}

// DatadogRoleNames returns the distinct names of the Datadog roles (not
// managed here) that users refer to, sorted: the roles to look up, once
// each.
func DatadogRoleNames(users map[string]stackconfig.User) []string {
	set := map[string]bool{}
	for _, u := range users {
		for _, r := range u.Roles {
			if r.Datadog != "" {
				set[r.Datadog] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// New registers one datadog.User per config key, in sorted key order, each
// named by its key. opts apply to every user (pass the provider).
func New(ctx *pulumi.Context, args *Args, opts ...pulumi.ResourceOption) (*Users, error) {
	out := &Users{ByKey: map[string]*datadog.User{}}
	for _, key := range slices.Sorted(maps.Keys(args.Users)) {
		u := args.Users[key]
		roles := pulumi.StringArray{}
		for i, ref := range u.Roles {
			switch {
			case ref.Managed != "":
				role, ok := args.Managed[ref.Managed]
				if !ok {
					return nil, fmt.Errorf("users.%s.roles[%d]: managed role %q was not registered", key, i, ref.Managed)
				}
				roles = append(roles, role.ID().ToStringOutput())
			default:
				id, ok := args.DatadogRoleIDs[ref.Datadog]
				if !ok {
					return nil, fmt.Errorf("users.%s.roles[%d]: Datadog role %q was not looked up", key, i, ref.Datadog)
				}
				roles = append(roles, pulumi.String(id))
			}
		}
		userArgs := &datadog.UserArgs{
			Email:    pulumi.String(u.Email),
			Roles:    roles,
			Disabled: pulumi.Bool(u.Disabled),
		}
		if u.Name != nil {
			userArgs.Name = pulumi.String(*u.Name)
		}
		if u.SendUserInvitation != nil {
			userArgs.SendUserInvitation = pulumi.Bool(*u.SendUserInvitation)
		}
		user, err := datadog.NewUser(ctx, key, userArgs, stackconfig.WithImport(opts, u.ImportID)...)
		if err != nil {
			return nil, fmt.Errorf("users.%s: %w", key, err)
		}
		out.ByKey[key] = user
	}
	return out, nil
}
