// Package users manages the Datadog users of the stack config
// (`pytorch-datadog:users`): their config, its decoding and validation
// (emails, and role references resolved against the managed roles), the
// getRole lookups of the Datadog roles they name, and one datadog.User per
// config key.
package users

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the users register as.
const Token = "datadog:index/user:User"

// DatadogRoleNames returns the distinct names of the Datadog roles (not
// managed here) that users refer to, sorted: the roles to look up, once
// each.
func DatadogRoleNames(users map[string]User) []string {
	set := map[string]bool{}
	for _, u := range users {
		for _, r := range u.Roles {
			if r.Datadog != "" {
				set[r.Datadog] = true
			}
		}
	}
	return kit.SortedKeys(set)
}

// New looks up each Datadog role the users name, once per distinct name
// (getRole), then registers one datadog.User per config key, in sorted key
// order, each named by its key, and returns them by key. A managed role is
// taken from its registered resource (managed, by role key), so the user
// depends on it and a first deployment on an empty organisation works. The
// provider option applies to the lookups and to every user.
func New(ctx *pulumi.Context, users map[string]User, managed map[string]*datadog.Role, provider pulumi.ResourceOrInvokeOption) (map[string]*datadog.User, error) {
	ids := map[string]string{}
	var errs []error
	for _, name := range DatadogRoleNames(users) {
		res, err := datadog.LookupRole(ctx, &datadog.LookupRoleArgs{Filter: name}, provider)
		if err != nil {
			errs = append(errs, fmt.Errorf("looking up Datadog role %q: %w", name, err))
			continue
		}
		ids[name] = res.Id
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	out := map[string]*datadog.User{}
	for _, key := range kit.SortedKeys(users) {
		u := users[key]
		roleIDs := pulumi.StringArray{}
		for i, ref := range u.Roles {
			switch {
			case ref.Managed != "":
				role, ok := managed[ref.Managed]
				if !ok {
					return nil, fmt.Errorf("%s.%s.roles[%d]: managed role %q was not registered", Section, key, i, ref.Managed)
				}
				roleIDs = append(roleIDs, role.ID().ToStringOutput())
			default:
				roleIDs = append(roleIDs, pulumi.String(ids[ref.Datadog]))
			}
		}
		args := &datadog.UserArgs{
			Email:    pulumi.String(u.Email),
			Roles:    roleIDs,
			Disabled: pulumi.Bool(u.Disabled),
		}
		if u.Name != nil {
			args.Name = pulumi.String(*u.Name)
		}
		if invite := Invite(u); invite != nil {
			args.SendUserInvitation = pulumi.Bool(*invite)
		}
		user, err := datadog.NewUser(ctx, key, args, kit.WithImport(u.ImportID, provider)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = user
	}
	return out, nil
}
