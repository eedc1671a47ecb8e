// Package stackconfig decodes and validates the stack configuration of the
// pytorch-datadog program: the Datadog provider settings, the managed roles
// and the users. It turns the engine's raw config (namespaced keys whose
// object values are JSON strings) into plain Go structs, once, and reports
// every problem at once, each message starting with the config path that
// `pulumi config set --path` takes.
package stackconfig

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Namespace is the project's config namespace; it must equal the project
// name in Pulumi.yaml.
const Namespace = "pytorch-datadog"

// Config keys read by the program. Project keys are written without their
// namespace in error paths, as `pulumi config set --path` takes them.
const (
	KeyRoles      = "roles"
	KeyUsers      = "users"
	KeyChannels   = "channels"
	KeyMonitors   = "monitors"
	KeySynthetics = "synthetics"

	KeyAPIURL = "datadog:apiUrl"
	KeyAPIKey = "datadog:apiKey"
	KeyAppKey = "datadog:appKey"
)

// projectKeys are the keys this program reads in its own namespace; any other
// key there is a mistake (a typo such as `user` for `users`).
var projectKeys = []string{KeyChannels, KeyMonitors, KeyRoles, KeySynthetics, KeyUsers}

// datadogKeys are the provider settings the program reads and passes to its
// explicit provider.
var datadogKeys = []string{KeyAPIURL, KeyAPIKey, KeyAppKey}

// Raw is the stack config as the engine hands it to a program: fully
// qualified keys (`namespace:key`) mapped to strings, object and array values
// encoded as JSON, and the set of keys whose values are secret.
type Raw struct {
	Values map[string]string
	Secret map[string]bool
}

// FromContext reads the keys this program knows from a running program's
// context. Keys the program does not know are not visible through the
// context; the stack file reader of ddstack reports those.
func FromContext(ctx *pulumi.Context) Raw {
	raw := Raw{Values: map[string]string{}, Secret: map[string]bool{}}
	keys := slices.Concat(datadogKeys, qualify(projectKeys))
	for _, k := range keys {
		if v, ok := ctx.GetConfig(k); ok {
			raw.Values[k] = v
			raw.Secret[k] = ctx.IsConfigSecret(k)
		}
	}
	return raw
}

func qualify(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = Namespace + ":" + k
	}
	return out
}
