package program

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// DatadogSites are the API hosts of Datadog's sites: datadog:apiUrl names
// one of them, so that the keys never go to a host that only looks like
// one (api.datadoghq.com.evil.example).
var DatadogSites = []string{
	"api.datadoghq.com", "api.us3.datadoghq.com", "api.us5.datadoghq.com",
	"api.datadoghq.eu", "api.ap1.datadoghq.com", "api.ap2.datadoghq.com",
	"api.uk1.datadoghq.com", "api.ddog-gov.com", "api.us2.ddog-gov.com",
}

// DatadogSite says whether an https address is a Datadog site's API, or a
// loopback address (a stand-in Datadog of a test), with no path beyond /.
func DatadogSite(u *url.URL) bool {
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	// As written, lower case: the schema's pattern cannot ignore case.
	host := u.Hostname()
	if strings.HasSuffix(u.Host, ":") {
		return false // an empty port
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	if host == "localhost" {
		return true
	}
	// 443 is https's own port: the same address.
	return (u.Port() == "" || u.Port() == "443") && slices.Contains(DatadogSites, host)
}

func siteURLs() []string {
	out := make([]string, len(DatadogSites))
	for i, h := range DatadogSites {
		out[i] = "https://" + h + "/"
	}
	return out
}

// sitePattern is DatadogSite as a pattern, for the schema.
func sitePattern() string {
	hosts := make([]string, len(DatadogSites))
	for i, h := range DatadogSites {
		hosts[i] = regexp.QuoteMeta(h)
	}
	return `^https://((` + strings.Join(hosts, "|") + `)(:443)?|(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost|\[::1\])(:[0-9]+)?)/?$`
}

// Key is one config key the program reads, by its full name, with its
// declaration.
type Key struct {
	Name string
	Spec *kit.Spec
}

// Keys declares every config key the program reads: the provider's, the
// engine's and its own namespace's (the registry's sections, the channels,
// the secrets). The stack file's JSON Schema and docs/configuration.md are
// made of them (internal/schema); each section's package declares its own.
func Keys() []Key {
	out := []Key{
		{KeyAPIURL, &kit.Spec{Kind: kit.String, Required: true, Pattern: sitePattern(), PatternDoc: "a Datadog site's API address",
			Doc: "The Datadog site's API address: one of " + strings.Join(siteURLs(), ", ") +
				" (a loopback address for tests). PyTorch's organisation is on US3: `https://api.us3.datadoghq.com/`. Required, so that the program never acts on the wrong site, nor sends the keys to another host."}},
		{KeyAPIKey, &kit.Spec{Secure: true, DefaultDoc: "`DD_API_KEY` from the environment",
			Doc: "The API key, set with `pulumi config set --secret datadog:apiKey`; a plaintext key is an error. Left unset, the provider and `ddstack audit` read `DD_API_KEY` from the environment, and the key never reaches the state."}},
		{KeyAppKey, &kit.Spec{Secure: true, DefaultDoc: "`DD_APP_KEY` from the environment",
			Doc: "The application key, likewise (`DD_APP_KEY`)."}},
		{"pulumi:disable-default-providers", &kit.Spec{Kind: kit.List, Items: &kit.Spec{Kind: kit.String}, DefaultDoc: "none (the production stack sets `[datadog]`)",
			Doc: "The engine's: packages whose default provider may not be used. `[datadog]` keeps every resource on the program's one explicit provider, and one without it fails loudly. Leave it as it is."}},
		{"pulumi:tags", &kit.Spec{Kind: kit.Map, Values: &kit.Spec{Kind: kit.String}, DefaultDoc: "none",
			Doc: "The engine's: tags of the stack in Pulumi Cloud."}},
	}
	sections := []Key{
		{kit.Namespace + ":" + kit.ChannelsKey, kit.ChannelsSpec},
		{kit.Namespace + ":" + kit.SecretsKey, kit.SecretsSpec},
	}
	for _, t := range Types {
		if t.Spec != nil {
			sections = append(sections, Key{kit.Namespace + ":" + t.Section, t.Spec})
		}
	}
	return append(out, sections...)
}
