package program

import (
	"strings"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// Type is one resource type the program manages: where its config lives,
// what it registers, and how `ddstack import` adopts it from the Terraform
// configuration this program replaces. Each type's rules live in its own
// package; this entry only connects them.
type Type struct {
	// Section is its config key in the project's namespace (`users`).
	Section string
	// Token is the Pulumi type it registers (`datadog:index/user:User`).
	Token string
	// Short names it in plans and in the mock's placeholder ids (`user`).
	Short string
	// Terraform is the type of the Terraform resource it replaces, and
	// MatchOn the attribute of that resource that ddstack import matches
	// with an entry's Entry.On; FoldCase matches case-insensitively.
	Terraform string
	MatchOn   string
	FoldCase  bool
	// ImportID is the form of its import id, the Terraform state's `id`.
	ImportID kit.IDForm

	decode   func(p *kit.Problems, raw string, present bool, cfg *Config)
	entries  func(cfg *Config) []Entry
	register func(ctx *pulumi.Context, cfg *Config, made *registered, provider pulumi.ResourceOrInvokeOption) error
}

// Entry is one config entry of a type, as ddstack import matches it.
type Entry struct {
	// Key is the entry's config key, its logical name.
	Key string
	// On is the value matched with the Terraform object's MatchOn
	// attribute: an email, a name.
	On string
	// ImportID is the entry's importId, "" when unset.
	ImportID string
}

// Entries lists a config's entries of this type, in sorted key order.
func (t Type) Entries(cfg *Config) []Entry { return t.entries(cfg) }

// registered holds what earlier types registered, for later ones: users
// take their managed roles' ids from the role resources.
type registered struct {
	roles map[string]*datadog.Role
}

// Types is the registry: every resource type the program manages, in the
// order they are decoded and registered (a type may use what an earlier one
// decoded or registered). The program, ddstack plan, the Terraform state
// reader and ddstack import all iterate it; adding a type is one package
// and one entry here.
var Types = []Type{
	{
		Section: roles.Section, Token: roles.Token, Short: "role",
		Terraform: "datadog_role", MatchOn: "name", ImportID: roles.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Roles = roles.Decode(p, raw, present)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Roles, func(r roles.Role) (string, string) { return r.Name, r.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, made *registered, provider pulumi.ResourceOrInvokeOption) (err error) {
			made.roles, err = roles.New(ctx, cfg.Roles, provider)
			return err
		},
	},
	{
		Section: users.Section, Token: users.Token, Short: "user",
		Terraform: "datadog_user", MatchOn: "email", FoldCase: true, ImportID: users.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Users = users.Decode(p, raw, present, cfg.Roles)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Users, func(u users.User) (string, string) { return u.Email, u.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, made *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := users.New(ctx, cfg.Users, made.roles, provider)
			return err
		},
	},
	{
		Section: monitors.Section, Token: monitors.Token, Short: "monitor",
		Terraform: "datadog_monitor", MatchOn: "name", ImportID: monitors.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Monitors = monitors.Decode(p, raw, present, cfg.Channels)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Monitors, func(m monitors.Monitor) (string, string) { return m.Name, m.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := monitors.New(ctx, cfg.Monitors, provider)
			return err
		},
	},
	{
		Section: synthetics.Section, Token: synthetics.Token, Short: "syntheticsTest",
		Terraform: "datadog_synthetics_test", MatchOn: "name", ImportID: synthetics.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Synthetics = synthetics.Decode(p, raw, present, cfg.Channels)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Synthetics, func(t synthetics.Test) (string, string) { return t.Name, t.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := synthetics.New(ctx, cfg.Synthetics, provider)
			return err
		},
	},
}

func entries[T any](m map[string]T, of func(T) (on, importID string)) []Entry {
	out := []Entry{}
	for _, key := range kit.SortedKeys(m) {
		on, id := of(m[key])
		out = append(out, Entry{Key: key, On: on, ImportID: id})
	}
	return out
}

// ProviderShort names the explicit provider in plans.
const ProviderShort = "provider"

// ShortType names a Pulumi type token as plans show it: the registry's
// short name for a resource type, "provider" for the provider, and for
// anything else (a lookup: datadog:index/getRole:getRole) the token's last
// part.
func ShortType(token string) string {
	if token == ProviderToken {
		return ProviderShort
	}
	for _, t := range Types {
		if t.Token == token {
			return t.Short
		}
	}
	return token[strings.LastIndex(token, ":")+1:]
}

// TerraformTypes maps each Terraform type the registry adopts to the
// attribute its objects are matched on: what the state reader extracts.
func TerraformTypes() map[string]string {
	out := map[string]string{}
	for _, t := range Types {
		out[t.Terraform] = t.MatchOn
	}
	return out
}
