package program

import (
	"strings"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
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
	// Others are the further Pulumi types its entries may register (team
	// memberships, dashboards by JSON), by token, with their short names.
	Others map[string]string
	// Terraform is the type of the Terraform resource it replaces, and
	// MatchOn the attributes of that resource that ddstack import matches
	// with an entry's Entry.On (joined with ":" when there are several);
	// MatchForm, when set, is the form match values are compared in (a
	// user's email without case, its domain in punycode); nil compares
	// them as they are.
	Terraform string
	MatchOn   []string
	MatchForm func(string) string
	// ImportID is the form of its import id, the Terraform state's `id`.
	ImportID kit.IDForm
	// Spec declares its section: the decoder's fields, the stack file's
	// JSON Schema and the reference come from it.
	Spec *kit.Spec

	decode   func(p *kit.Problems, raw string, present bool, cfg *Config)
	entries  func(cfg *Config) []Entry
	register func(ctx *pulumi.Context, cfg *Config, made *registered, provider pulumi.ResourceOrInvokeOption) error
	// channels are the notification channels its entries are (Slack
	// channels, webhooks), by key: merged into the stack's channels after
	// it is decoded, so that later types can notify them.
	channels func(cfg *Config) map[string]string
	// fromTerraform turns a Terraform state object of the type into a
	// config entry (ddstack import --add), when the type can; roleNames
	// maps the state's role ids to names.
	fromTerraform func(attrs map[string]any, roleNames map[string]string) (key string, entry map[string]any, err error)

	// list reads every object of the type that Datadog has (ddstack
	// audit), or, where Datadog cannot list them, those the config names;
	// detail completes one object for fromAPI where the list holds only a
	// summary (a dashboard's widgets); fromAPI turns an object into a
	// config entry that adopts it by its importId (audit --add), channels
	// being the config's notification channels by key. Each lives in the
	// type's package beside its Terraform conversion.
	list    func(r *live.Reader, cfg *Config) (live.List, error)
	detail  func(r *live.Reader, o live.Object) (live.Object, error)
	fromAPI func(o live.Object, channels map[string]string) (entry map[string]any, err error)
}

// List reads what Datadog has of the type; ok is false for a type ddstack
// audit cannot read.
func (t Type) List(r *live.Reader, cfg *Config) (l live.List, ok bool, err error) {
	if t.list == nil {
		return live.List{}, false, nil
	}
	l, err = t.list(r, cfg)
	return l, true, err
}

// FromAPI turns a Datadog object of this type, as List found it, into a
// config entry that adopts it by its importId (its key is o.Key); ok is
// false when the type cannot be written from Datadog's objects, and err
// says why this object cannot (a composite monitor, a browser test).
func (t Type) FromAPI(r *live.Reader, o live.Object, channels map[string]string) (entry map[string]any, ok bool, err error) {
	if t.fromAPI == nil {
		return nil, false, nil
	}
	if t.detail != nil {
		if o, err = t.detail(r, o); err != nil {
			return nil, true, err
		}
	}
	entry, err = t.fromAPI(o, channels)
	return entry, true, err
}

// FromTerraform turns a Terraform state object's attributes into a config
// entry of this type and a key for it; ok is false when the type cannot
// be written from Terraform's attributes. roleNames maps the state's role
// ids to their names (users hold role ids).
func (t Type) FromTerraform(attrs map[string]any, roleNames map[string]string) (key string, entry map[string]any, ok bool, err error) {
	if t.fromTerraform == nil {
		return "", nil, false, nil
	}
	key, entry, err = t.fromTerraform(attrs, roleNames)
	return key, entry, true, err
}

// attrsOnly adapts a conversion that needs only the object's attributes.
func attrsOnly(f func(map[string]any) (string, map[string]any, error)) func(map[string]any, map[string]string) (string, map[string]any, error) {
	return func(attrs map[string]any, _ map[string]string) (string, map[string]any, error) { return f(attrs) }
}

// noChannels adapts a conversion from the API that needs only the object.
func noChannels(f func(live.Object) (map[string]any, error)) func(live.Object, map[string]string) (map[string]any, error) {
	return func(o live.Object, _ map[string]string) (map[string]any, error) { return f(o) }
}

// EntrySpec is the declaration of the type's entries, nil when it has none.
func (t Type) EntrySpec() *kit.Spec {
	if t.Spec == nil {
		return nil
	}
	return t.Spec.Values
}

// Match is the form a match value of this type is compared in.
func (t Type) Match(on string) string {
	if t.MatchForm == nil {
		return on
	}
	return t.MatchForm(on)
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
// take their managed roles' ids from the role resources, team memberships
// their users' ids.
type registered struct {
	roles map[string]*datadog.Role
	users map[string]*datadog.User
}

// Types is the registry: every resource type the program manages, in the
// order they are decoded and registered (a type may use what an earlier one
// decoded or registered). The program, ddstack plan, the Terraform state
// reader and ddstack import all iterate it; adding a type is one package
// and one entry here.
var Types = []Type{
	{
		Section: roles.Section, Token: roles.Token, Spec: roles.Spec, Short: "role",
		Terraform: "datadog_role", MatchOn: []string{"name"}, ImportID: roles.ImportID,
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
		fromTerraform: attrsOnly(roles.FromTerraform),
		list:          func(r *live.Reader, _ *Config) (live.List, error) { return roles.List(r) },
		fromAPI:       noChannels(roles.FromAPI),
	},
	{
		Section: users.Section, Token: users.Token, Spec: users.Spec, Short: "user",
		Terraform: "datadog_user", MatchOn: []string{"email"}, MatchForm: users.LookupForm, ImportID: users.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Users = users.Decode(p, raw, present, cfg.Roles)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Users, func(u users.User) (string, string) { return u.Email, u.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, made *registered, provider pulumi.ResourceOrInvokeOption) (err error) {
			made.users, err = users.New(ctx, cfg.Users, made.roles, provider)
			return err
		},
		fromTerraform: users.FromTerraform,
		list:          func(r *live.Reader, _ *Config) (live.List, error) { return users.List(r) },
		fromAPI:       noChannels(users.FromAPI),
	},
	{
		Section: teams.Section, Token: teams.Token, Spec: teams.Spec, Short: "team",
		Others:    map[string]string{teams.MembershipToken: "teamMembership"},
		Terraform: "datadog_team", MatchOn: []string{"handle"}, ImportID: teams.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Teams = teams.Decode(p, raw, present, cfg.Users)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Teams, func(t teams.Team) (string, string) { return t.Handle, t.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, made *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := teams.New(ctx, cfg.Teams, made.users, provider)
			return err
		},
		fromTerraform: attrsOnly(teams.FromTerraform),
		list:          func(r *live.Reader, _ *Config) (live.List, error) { return teams.List(r) },
		fromAPI:       noChannels(teams.FromAPI),
	},
	{
		Section: slack.Section, Token: slack.Token, Spec: slack.Spec, Short: "slackChannel",
		Terraform: "datadog_integration_slack_channel", MatchOn: []string{"account_name", "channel_name"}, ImportID: slack.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.SlackChannels = slack.Decode(p, raw, present)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.SlackChannels, func(c slack.Channel) (string, string) { return slack.MatchKey(c), c.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := slack.New(ctx, cfg.SlackChannels, provider)
			return err
		},
		channels: func(cfg *Config) map[string]string {
			return handles(cfg.SlackChannels, slack.Handle)
		},
		fromTerraform: attrsOnly(slack.FromTerraform),
		list: func(r *live.Reader, cfg *Config) (live.List, error) {
			return slack.List(r, cfg.SlackChannels)
		},
		fromAPI: noChannels(slack.FromAPI),
	},
	{
		Section: webhooks.Section, Token: webhooks.Token, Spec: webhooks.Spec, Short: "webhook",
		Terraform: "datadog_webhook", MatchOn: []string{"name"}, ImportID: webhooks.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Webhooks = webhooks.Decode(p, raw, present)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Webhooks, func(w webhooks.Webhook) (string, string) { return w.Name, w.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := webhooks.New(ctx, cfg.Webhooks, cfg.Secrets, provider)
			return err
		},
		channels: func(cfg *Config) map[string]string {
			return handles(cfg.Webhooks, webhooks.Handle)
		},
		fromTerraform: attrsOnly(webhooks.FromTerraform),
		list: func(r *live.Reader, cfg *Config) (live.List, error) {
			return webhooks.List(r, cfg.Webhooks)
		},
	},
	{
		Section: monitors.Section, Token: monitors.Token, Spec: monitors.Spec, Short: "monitor",
		Terraform: "datadog_monitor", MatchOn: []string{"name"}, ImportID: monitors.ImportID,
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
		list:    func(r *live.Reader, _ *Config) (live.List, error) { return monitors.List(r) },
		fromAPI: monitors.FromAPI,
	},
	{
		Section: synthetics.Section, Token: synthetics.Token, Spec: synthetics.Spec, Short: "syntheticsTest",
		Terraform: "datadog_synthetics_test", MatchOn: []string{"name"}, ImportID: synthetics.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Synthetics = synthetics.Decode(p, raw, present, cfg.Channels)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Synthetics, func(t synthetics.Test) (string, string) { return t.Name, t.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := synthetics.New(ctx, cfg.Synthetics, cfg.Secrets, provider)
			return err
		},
		list:    func(r *live.Reader, _ *Config) (live.List, error) { return synthetics.List(r) },
		fromAPI: synthetics.FromAPI,
	},
	{
		Section: dashboards.Section, Token: dashboards.Token, Spec: dashboards.Spec, Short: "dashboard",
		Others:    map[string]string{dashboards.JSONToken: "dashboardJson"},
		Terraform: "datadog_dashboard", MatchOn: []string{"title"}, ImportID: dashboards.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.Dashboards = dashboards.Decode(p, raw, present)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.Dashboards, func(d dashboards.Dashboard) (string, string) { return d.Title, d.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			return dashboards.New(ctx, cfg.Dashboards, provider)
		},
		fromTerraform: attrsOnly(dashboards.FromTerraform),
		list:          func(r *live.Reader, _ *Config) (live.List, error) { return dashboards.List(r) },
		detail:        dashboards.Detail,
		fromAPI:       noChannels(dashboards.FromAPI),
	},
	{
		Section: awsaccounts.Section, Token: awsaccounts.Token, Spec: awsaccounts.Spec, Short: "awsAccount",
		Terraform: "datadog_integration_aws_account", MatchOn: []string{"aws_account_id"}, ImportID: awsaccounts.ImportID,
		decode: func(p *kit.Problems, raw string, present bool, cfg *Config) {
			cfg.AWSAccounts = awsaccounts.Decode(p, raw, present)
		},
		entries: func(cfg *Config) []Entry {
			return entries(cfg.AWSAccounts, func(a awsaccounts.Account) (string, string) { return a.AccountID, a.ImportID })
		},
		register: func(ctx *pulumi.Context, cfg *Config, _ *registered, provider pulumi.ResourceOrInvokeOption) error {
			_, err := awsaccounts.New(ctx, cfg.AWSAccounts, provider)
			return err
		},
		fromTerraform: attrsOnly(awsaccounts.FromTerraform),
		list:          func(r *live.Reader, _ *Config) (live.List, error) { return awsaccounts.List(r) },
		fromAPI:       noChannels(awsaccounts.FromAPI),
	},
}

// handles lists the notification handles of a type's entries by key.
func handles[T any](m map[string]T, handle func(T) string) map[string]string {
	out := map[string]string{}
	for key, v := range m {
		out[key] = handle(v)
	}
	return out
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
		if short, ok := t.Others[token]; ok {
			return short
		}
	}
	return token[strings.LastIndex(token, ":")+1:]
}

// TerraformTypes maps each Terraform type the registry adopts to the
// attributes its objects are matched on: what the state reader extracts.
func TerraformTypes() map[string][]string {
	out := map[string][]string{}
	for _, t := range Types {
		out[t.Terraform] = t.MatchOn
	}
	return out
}
