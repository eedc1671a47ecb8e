// Package ddmock is a recording mock of the Datadog provider for Pulumi's
// mock engine. It records every registration and invoke, answers
// getPermissions from the permission catalog kept in permissions.txt and
// getRole for Datadog's built-in roles, and gives created resources readable
// placeholder ids. `ddstack plan` and the tests run the program against it.
package ddmock

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// Tokens of the invokes the mock answers.
const (
	GetPermissions = "datadog:index/getPermissions:getPermissions"
	GetRole        = "datadog:index/getRole:getRole"
	ProviderType   = program.ProviderToken
)

// Resource is one recorded registration.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Custom bool
	Inputs resource.PropertyMap
	// Provider is the URN of the explicit provider, "" for a default one.
	Provider  string
	Version   string
	DependsOn []string
	Protect   bool
	ImportID  string
}

// Invoke is one recorded invoke (a data source lookup).
type Invoke struct {
	Token string
	Args  resource.PropertyMap
	// Provider is the URN of the explicit provider, "" for a default one.
	Provider string
}

// Recorder implements pulumi.MockResourceMonitor and records what the
// program registers and invokes. It is safe for concurrent use, as the SDK
// registers resources from several goroutines.
type Recorder struct {
	project, stack string

	mu        sync.Mutex
	resources []Resource
	invokes   []Invoke
	lookedUp  []string
}

var _ pulumi.MockResourceMonitor = (*Recorder)(nil)

// New returns a recorder for a project and stack; pass the same names to
// pulumi.WithMocks.
func New(project, stack string) *Recorder {
	return &Recorder{project: project, stack: stack}
}

// NewResource records a registration and answers with a placeholder id and
// the inputs as state.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	res := Resource{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Inputs:   args.Inputs,
		Provider: providerURN(args.Provider),
		ImportID: args.ID,
	}
	parentType := tokens.Type("")
	if rpc := args.RegisterRPC; rpc != nil {
		res.Version = rpc.GetVersion()
		res.Protect = rpc.GetProtect()
		res.DependsOn = slices.Clone(rpc.GetDependencies())
		sort.Strings(res.DependsOn)
		if parent := resource.URN(rpc.GetParent()); parent != "" && parent.QualifiedType() != resource.RootStackType {
			parentType = parent.QualifiedType()
		}
	}
	res.URN = string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType,
		tokens.Type(args.TypeToken), args.Name))

	r.mu.Lock()
	r.resources = append(r.resources, res)
	r.mu.Unlock()

	id := args.ID
	if id == "" {
		id = ResourceID(args.TypeToken, args.Name)
	}
	return id, args.Inputs, nil
}

// Call answers the invokes the program makes, as Datadog would.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.invokes = append(r.invokes, Invoke{Token: args.Token, Args: args.Args, Provider: providerURN(args.Provider)})
	r.mu.Unlock()

	switch args.Token {
	case GetPermissions:
		include := false
		if v, ok := args.Args["includeRestricted"]; ok && v.IsBool() {
			include = v.BoolValue()
		}
		perms := resource.PropertyMap{}
		for _, p := range Permissions() {
			if p.Restricted && !include {
				continue
			}
			perms[resource.PropertyKey(p.Name)] = resource.NewProperty(PermissionID(p.Name))
		}
		return resource.PropertyMap{
			"id":                resource.NewProperty("permissions"),
			"includeRestricted": resource.NewProperty(include),
			"permissions":       resource.NewProperty(perms),
		}, nil
	case GetRole:
		filter := ""
		if v, ok := args.Args["filter"]; ok && v.IsString() {
			filter = v.StringValue()
		}
		if !slices.Contains(roles.BuiltinRoles, filter) {
			// A role made outside this stack: only Datadog knows whether it
			// exists, so the lookup is answered and noted for the caller.
			r.mu.Lock()
			r.lookedUp = append(r.lookedUp, filter)
			r.mu.Unlock()
		}
		return resource.PropertyMap{
			"id":        resource.NewProperty(DatadogRoleID(filter)),
			"name":      resource.NewProperty(filter),
			"filter":    resource.NewProperty(filter),
			"userCount": resource.NewProperty(0.0),
		}, nil
	}
	return nil, fmt.Errorf("ddmock: no answer for invoke %s", args.Token)
}

// Resources returns the registrations, the provider first, then by type and
// logical name, so that output is the same from run to run.
func (r *Recorder) Resources() []Resource {
	r.mu.Lock()
	out := slices.Clone(r.resources)
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		pi, pj := out[i].Type == ProviderType, out[j].Type == ProviderType
		if pi != pj {
			return pi
		}
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Invokes returns the invokes in the order the program made them.
func (r *Recorder) Invokes() []Invoke {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.invokes)
}

// LookedUpRoles returns the role names getRole was asked for that are not
// built into Datadog: roles made outside this stack, which only a preview
// against Datadog can confirm.
func (r *Recorder) LookedUpRoles() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.lookedUp)
}

// providerURN strips the id from a provider reference ("urn::id").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// Run runs fn under Pulumi's mock engine with a fresh recorder, the given
// config (fully qualified keys; object values as JSON) and secret keys, and
// returns what fn registered and invoked.
func Run(project, stack string, config map[string]string, secretKeys []string, fn pulumi.RunFunc) (*Recorder, error) {
	rec := New(project, stack)
	err := pulumi.RunErr(fn, pulumi.WithMocks(project, stack, rec), func(ri *pulumi.RunInfo) {
		ri.Config = config
		ri.ConfigSecretKeys = secretKeys
	})
	return rec, err
}

// WithProvider wraps a test's registrations as the program makes them: it
// registers the explicit Datadog provider first (named "datadog", on the
// US3 site) and hands fn the option that puts a resource or lookup on it.
func WithProvider(fn func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := datadog.NewProvider(ctx, "datadog", &datadog.ProviderArgs{ApiUrl: pulumi.String("https://api.us3.datadoghq.com/")})
		if err != nil {
			return err
		}
		return fn(ctx, pulumi.Provider(p))
	}
}
