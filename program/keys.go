package program

import (
	"slices"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// otherKeys are the keys of other namespaces that a stack may set: the
// provider settings the program reads, and the Pulumi engine's own.
var otherKeys = map[string][]string{
	"datadog": {"apiKey", "apiUrl", "appKey"},
	"pulumi":  {"disable-default-providers", "tags"},
}

// secretKeys are the keys whose values are secret by design; a secret
// value anywhere else is a mistake (docs/configuration.md, "Secrets").
var secretKeys = []string{KeyAPIKey, KeyAppKey, kit.Namespace + ":" + kit.SecretsKey}

// checkKeys reports every key the program would not read: an unknown key
// of its own namespace or of the provider's, or a namespace it does not
// know (a typo such as pytorch_datadog:monitors would otherwise be
// silently ignored). Values are never echoed: a mistyped key may hold a
// credential.
func checkKeys(p *kit.Problems, raw kit.Raw) {
	sections := Sections()
	namespaces := []string{kit.Namespace, "datadog", "pulumi"}
	for _, k := range kit.SortedKeys(raw.Values) {
		ns, name, _ := strings.Cut(k, ":")
		switch {
		case ns == kit.Namespace:
			if !slices.Contains(sections, name) {
				p.Add(name, "unknown config key%s; this program reads: %s", kit.DidYouMean(name, sections), strings.Join(sections, ", "))
			}
		case otherKeys[ns] != nil:
			if !slices.Contains(otherKeys[ns], name) {
				var known []string
				for _, n := range otherKeys[ns] {
					known = append(known, ns+":"+n)
				}
				p.Add(k, "unknown config key%s (its value is not shown); of the %s namespace this program reads only: %s",
					kit.DidYouMean(k, known), ns, strings.Join(known, ", "))
			}
		default:
			p.Add(k, "unknown config namespace %q%s (its value is not shown); this program reads keys of %s only",
				ns, kit.DidYouMean(ns, namespaces), strings.Join(namespaces, ", "))
		}
	}
}

// checkSecure reports a secret value where the program takes none: a
// `secure:` value in a monitor's message or a test's header would be
// registered as a plain string and land in the state in plaintext. Secrets
// live in `secrets` and are referred to by name. From a stack file each
// `secure:` value is reported at its path; under the engine, which only
// says which whole keys are secret, at its key.
func checkSecure(p *kit.Problems, raw kit.Raw) {
	reported := map[string]bool{}
	for _, path := range raw.SecurePaths {
		key := path
		if !strings.Contains(key, ":") {
			key = kit.Namespace + ":" + key
		}
		top, _, _ := strings.Cut(key, ".")
		top, _, _ = strings.Cut(top, "[")
		if slices.Contains(secretKeys, top) {
			continue
		}
		reported[top] = true
		p.Add(path, "is a secure value, but only datadog:apiKey, datadog:appKey and secrets hold secrets (anywhere else it would be registered in plaintext): %s", secretFix)
	}
	for _, k := range kit.SortedKeys(raw.Secret) {
		if !raw.Secret[k] || reported[k] || slices.Contains(secretKeys, k) {
			continue
		}
		path := strings.TrimPrefix(k, kit.Namespace+":")
		p.Add(path, "is secret config, but only datadog:apiKey, datadog:appKey and secrets hold secrets (anywhere else it would be registered in plaintext): %s", secretFix)
	}
	// Under secrets, every value must be secret: the engine makes the whole
	// key secret when one is, and a plaintext sibling is committed as it is.
	secure := map[string]bool{}
	for _, path := range raw.SecurePaths {
		if name, ok := strings.CutPrefix(path, kit.SecretsKey+"."); ok {
			secure[name] = true
		}
	}
	if len(secure) == 0 {
		return
	}
	v, _ := raw.Get(kit.SecretsKey)
	for _, name := range kit.TopKeys(v) {
		if !secure[name] {
			p.Add(kit.SecretsKey+"."+name, "is in plaintext; every value of secrets must be secret: pulumi config set --secret --path '%s.%s' <value>", kit.SecretsKey, name)
		}
	}
}

const secretFix = "move it there with pulumi config set --secret --path 'secrets.<name>' <value> and refer to it by name: " +
	"{{ NAME }} in a synthetics test's url, header or body (NAME is the name in capitals, '-' as '_'), {secret: <name>} in a webhook header"
