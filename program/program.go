// Package program is the pytorch-datadog Pulumi program: it loads the stack
// config, registers the explicit Datadog provider, the roles, the users, the
// monitors and the synthetics tests.
// main.go runs it under the Pulumi engine; ddstack runs the very same code
// under the mock engine.
package program

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/stackconfig"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// ProviderName is the logical name of the explicit Datadog provider.
const ProviderName = "datadog"

// Stack is what the program registered, for tests to inspect.
type Stack struct {
	Provider   *datadog.Provider
	Roles      *roles.Roles
	Users      *users.Users
	Monitors   *monitors.Monitors
	Synthetics *synthetics.Tests
}

// Run is the Pulumi program. Nothing is registered unless the whole stack
// config is valid.
func Run(ctx *pulumi.Context) error {
	cfg, err := stackconfig.Load(stackconfig.FromContext(ctx))
	if err != nil {
		return err
	}
	_, err = Build(ctx, cfg)
	return err
}

// Build registers everything a validated config describes: the provider,
// then the roles, the users, the monitors and the synthetics tests, each in
// sorted key order.
func Build(ctx *pulumi.Context, cfg *stackconfig.Config) (*Stack, error) {
	provider, err := NewProvider(ctx, cfg.Datadog)
	if err != nil {
		return nil, err
	}
	withProvider := pulumi.Provider(provider)

	managed := &roles.Roles{}
	if len(cfg.Roles) > 0 {
		include := roles.NeedsRestricted(cfg.Roles)
		perms, err := datadog.GetPermissions(ctx, &datadog.GetPermissionsArgs{IncludeRestricted: &include}, withProvider)
		if err != nil {
			return nil, fmt.Errorf("looking up Datadog permissions: %w", err)
		}
		managed, err = roles.New(ctx, &roles.Args{
			Roles:             cfg.Roles,
			Permissions:       perms.Permissions,
			IncludeRestricted: include,
		}, withProvider)
		if err != nil {
			return nil, err
		}
	}

	roleIDs, err := lookupRoles(ctx, users.DatadogRoleNames(cfg.Users), withProvider)
	if err != nil {
		return nil, err
	}
	registered, err := users.New(ctx, &users.Args{
		Users:          cfg.Users,
		Managed:        managed.ByKey,
		DatadogRoleIDs: roleIDs,
	}, withProvider)
	if err != nil {
		return nil, err
	}

	mons, err := monitors.New(ctx, &monitors.Args{Monitors: cfg.Monitors}, withProvider)
	if err != nil {
		return nil, err
	}
	tests, err := synthetics.New(ctx, &synthetics.Args{Tests: cfg.Synthetics}, withProvider)
	if err != nil {
		return nil, err
	}

	exported := pulumi.StringMap{}
	for key, r := range managed.ByKey {
		exported[key] = r.ID().ToStringOutput()
	}
	ctx.Export("roleIds", exported)
	return &Stack{Provider: provider, Roles: managed, Users: registered, Monitors: mons, Synthetics: tests}, nil
}

// NewProvider registers the one explicit Datadog provider. Its keys come
// from secret config when set there, and otherwise the provider reads
// DD_API_KEY and DD_APP_KEY from the environment, so they never reach the
// state.
func NewProvider(ctx *pulumi.Context, dd stackconfig.Datadog) (*datadog.Provider, error) {
	args := &datadog.ProviderArgs{ApiUrl: pulumi.String(dd.APIURL)}
	if dd.APIKey != "" {
		args.ApiKey = pulumi.ToSecret(pulumi.String(dd.APIKey)).(pulumi.StringOutput)
	}
	if dd.AppKey != "" {
		args.AppKey = pulumi.ToSecret(pulumi.String(dd.AppKey)).(pulumi.StringOutput)
	}
	p, err := datadog.NewProvider(ctx, ProviderName, args)
	if err != nil {
		return nil, fmt.Errorf("datadog provider: %w", err)
	}
	return p, nil
}

// lookupRoles looks up each Datadog role by its exact name, one getRole call
// per name, and reports every failed lookup.
func lookupRoles(ctx *pulumi.Context, names []string, opts ...pulumi.InvokeOption) (map[string]string, error) {
	ids := map[string]string{}
	var errs []error
	for _, name := range names {
		res, err := datadog.LookupRole(ctx, &datadog.LookupRoleArgs{Filter: name}, opts...)
		if err != nil {
			errs = append(errs, fmt.Errorf("looking up Datadog role %q: %w", name, err))
			continue
		}
		ids[name] = res.Id
	}
	return ids, errors.Join(errs...)
}
