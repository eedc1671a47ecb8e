package program

import (
	"net/url"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// Config is the decoded, validated stack config: one field per section,
// each of its room's own type.
type Config struct {
	Datadog Datadog
	// Channels are notification handles by config key.
	Channels map[string]string
	// Roles are the custom roles managed here, by config key.
	Roles map[string]roles.Role
	// Users are the Datadog users managed here, by config key.
	Users map[string]users.User
	// Monitors are the monitors managed here, by config key.
	Monitors map[string]monitors.Monitor
	// Synthetics are the synthetics API tests managed here, by config key.
	Synthetics map[string]synthetics.Test
	// Teams, SlackChannels, Webhooks, Dashboards and AWSAccounts are the
	// other types managed here, by config key.
	Teams         map[string]teams.Team
	SlackChannels map[string]slack.Channel
	Webhooks      map[string]webhooks.Webhook
	Dashboards    map[string]dashboards.Dashboard
	AWSAccounts   map[string]awsaccounts.Account
	// Secrets are values by name from secret config (`secrets`), which
	// resources take without showing them (a webhook's bearer token).
	Secrets map[string]string
}

// Datadog holds the explicit provider's settings.
type Datadog struct {
	// APIURL is the Datadog site's API address (`datadog:apiUrl`). Required:
	// without it the provider would fall back to DD_HOST or datadoghq.com and
	// could act on the wrong site.
	APIURL string
	// APIKey and AppKey come from secret config (`datadog:apiKey`,
	// `datadog:appKey`); empty means the provider reads DD_API_KEY and
	// DD_APP_KEY from the environment, and the keys never reach the state.
	APIKey string
	AppKey string
}

// The provider's config keys the program reads.
const (
	KeyAPIURL = "datadog:apiUrl"
	KeyAPIKey = "datadog:apiKey"
	KeyAppKey = "datadog:appKey"
)

var datadogKeys = []string{KeyAPIURL, KeyAPIKey, KeyAppKey}

// Sections are the keys this program reads in its own namespace, sorted:
// the channels and every registered type's section. Any other key there is
// a mistake (a typo such as `user` for `users`).
func Sections() []string {
	out := []string{kit.ChannelsKey, kit.SecretsKey}
	for _, t := range Types {
		out = append(out, t.Section)
	}
	slices.Sort(out)
	return out
}

// Load decodes and validates the raw stack config, every section by its
// own package, in the registry's order. The error joins every problem
// found, each a *configkit.PathError.
func Load(raw kit.Raw) (*Config, error) {
	p := &kit.Problems{}
	checkKeys(p, raw)
	checkSecure(p, raw)
	cfg := &Config{}
	decodeDatadog(p, raw, &cfg.Datadog)
	v, ok := raw.Get(kit.ChannelsKey)
	cfg.Channels = p.Channels(v, ok)
	cfg.Secrets = p.Secrets(raw)
	for _, t := range Types {
		v, ok := raw.Get(t.Section)
		t.decode(p, v, ok, cfg)
		if t.channels != nil {
			addChannels(p, cfg.Channels, t.Section, t.channels(cfg))
		}
	}
	for _, t := range Types {
		ids := map[string]string{}
		for _, e := range t.entries(cfg) {
			ids[e.Key] = e.ImportID
		}
		p.UniqueImportIDs(t.Section, ids)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// addChannels adds a type's entries to the channels monitors and tests may
// notify; a key that is a channel already is an error, as one key names
// one handle.
func addChannels(p *kit.Problems, channels map[string]string, section string, more map[string]string) {
	for _, key := range kit.SortedKeys(more) {
		if h, dup := channels[key]; dup {
			p.Add(section+"."+key, "%q is also a channel key (for %s); each channel key names one handle: rename one of them", key, h)
			continue
		}
		channels[key] = more[key]
	}
}

func decodeDatadog(p *kit.Problems, raw kit.Raw, out *Datadog) {
	u, ok := raw.Values[KeyAPIURL]
	switch {
	case !ok:
		p.Add(KeyAPIURL, "missing; set the Datadog site's API address: pulumi config set datadog:apiUrl https://api.us3.datadoghq.com/")
	default:
		parsed, err := url.Parse(u)
		switch {
		case err == nil && parsed.User != nil:
			// The address is never echoed: it holds a password.
			p.Add(KeyAPIURL, "holds a user name or password (the part before @), which the stack file and plans would show in plaintext, and Datadog takes no login there: remove it; the keys are secrets: pulumi config set --secret datadog:apiKey, or export DD_API_KEY and DD_APP_KEY")
		case err != nil || !strings.HasPrefix(u, "https://") || parsed.Host == "":
			// https in lower case, as the schema's pattern has it.
			p.Add(KeyAPIURL, "must be an https:// address such as https://api.us3.datadoghq.com/, got %q", kit.RedactURL(u))
		case p.URL(KeyAPIURL, u, kit.URLRule{Schemes: []string{"https"}, Example: "https://api.us3.datadoghq.com/"}) == nil:
			// The host, port and characters, as every URL of the
			// config: p.URL has said what is wrong.
		case !DatadogSite(parsed):
			// A host that only starts like a site's
			// (api.datadoghq.com.evil.example) would receive the keys.
			p.Add(KeyAPIURL, "%q is not the API address of a Datadog site: one of %s (or, for tests, a loopback address such as https://127.0.0.1:8443/)",
				kit.RedactURL(u), strings.Join(siteURLs(), ", "))
		default:
			out.APIURL = u
		}
	}
	for _, k := range []struct {
		key, env string
		out      *string
	}{{KeyAPIKey, "DD_API_KEY", &out.APIKey}, {KeyAppKey, "DD_APP_KEY", &out.AppKey}} {
		v, set := raw.Values[k.key]
		if !set {
			continue
		}
		if !raw.Secret[k.key] {
			// The value itself is never echoed: it is a key in plaintext.
			p.Add(k.key, "is set in plaintext; a key must be secret: pulumi config set --secret %s, or leave it unset and export %s", k.key, k.env)
			continue
		}
		// A `secure: ""` in the stack file reaches the program as "" from
		// the engine, and as the placeholder of an empty ciphertext from
		// ddstack, which never decrypts.
		if strings.TrimSpace(v) == "" || v == kit.SecretPlaceholder("") {
			p.Add(k.key, "is empty; set it with pulumi config set --secret %s, or remove it and export %s", k.key, k.env)
			continue
		}
		*k.out = v
	}
}

// FromContext reads the keys this program knows from a running program's
// context. Keys the program does not know are not visible through the
// context; ddstack's stack file reader reports those.
func FromContext(ctx *pulumi.Context) kit.Raw {
	raw := kit.Raw{Values: map[string]string{}, Secret: map[string]bool{}}
	keys := slices.Clone(datadogKeys)
	for _, s := range Sections() {
		keys = append(keys, kit.Namespace+":"+s)
	}
	for _, k := range keys {
		if v, ok := ctx.GetConfig(k); ok {
			raw.Values[k] = v
			raw.Secret[k] = ctx.IsConfigSecret(k)
		}
	}
	return raw
}

// MissingSecrets lists the secrets the config refers to that secret config
// does not hold, sorted: Run refuses to register anything without them, as
// a preview would.
func MissingSecrets(cfg *Config) []string {
	var out []string
	for _, name := range slices.Concat(webhooks.SecretNames(cfg.Webhooks), synthetics.SecretNames(cfg.Synthetics)) {
		if _, ok := cfg.Secrets[name]; !ok && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// missingSecretsError reports each missing secret at its path, with the
// command that sets it.
func missingSecretsError(missing []string) error {
	p := &kit.Problems{}
	for _, name := range missing {
		p.Add(kit.SecretsKey+"."+name, "not set; pulumi config set --secret --path '%s.%s' (the workflows set it from the repository secret %s)",
			kit.SecretsKey, name, kit.EnvName(name))
	}
	return p.Err()
}
