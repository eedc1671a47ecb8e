package configkit

import (
	_ "embed"
	"strings"
)

// SecretsKey is the config key of the stack's secrets: values by name
// (kebab-case) that resources take without ever showing them, such as the
// incident.io bearer token a webhook sends. The whole key is secret:
// `pulumi config set --secret --path 'secrets.<name>' <value>`.
const SecretsKey = "secrets"

// secretsNotes are what the reference says of the section beyond its values.
//
//go:embed secrets.md
var secretsNotes string

// SecretsSpec declares the secrets section.
var SecretsSpec = &Spec{
	Notes: secretsNotes,
	Title: "Secrets", Kind: Map, KeyPattern: KeyPattern, DefaultDoc: "none",
	Doc:    "Secret values by name, which resources take without showing them (a webhook header's bearer token, a test's credential): set each with `pulumi config set --secret --path 'secrets.<name>'`, never in plaintext. The repository's stack file holds none: the workflows set each from the repository secret of the same name in upper case with `_` for `-` (`secrets.incident-io-bearer` from `INCIDENT_IO_BEARER`).",
	Values: &Spec{Secure: true, Doc: "A secret value, encrypted by the stack's secrets provider."},
}

// EnvName is the one name a secret goes by outside the stack file, by one
// rule: its name in capitals, '_' for '-' (incident-io-bearer is
// INCIDENT_IO_BEARER). It is the repository secret the workflows set it
// from, the config variable a synthetics test refers to it by
// ({{ INCIDENT_IO_BEARER }}), and, after DDSTACK_SECRET_, the
// environment variable ddstack check takes it from.
func EnvName(secret string) string {
	return strings.ToUpper(strings.ReplaceAll(secret, "-", "_"))
}

// Secrets decodes the secrets section. It must be secret config, so that no
// value is ever committed or shown in plaintext; its values are never
// echoed in a message. Absent, there are none.
func (p *Problems) Secrets(raw Raw) map[string]string {
	out := map[string]string{}
	v, present := raw.Get(SecretsKey)
	if !present {
		return out
	}
	if !raw.Secret[Namespace+":"+SecretsKey] {
		p.Add(SecretsKey, "is set in plaintext; every value of it must be secret: pulumi config set --secret --path 'secrets.<name>' <value> (and remove the plaintext one)")
		return out
	}
	m, ok := parseJSON(v)
	obj, isMap := m.(map[string]any)
	if !ok || !isMap {
		p.Add(SecretsKey, "must be a map of secret name to secret value, set with pulumi config set --secret --path 'secrets.<name>'")
		return out
	}
	for _, name := range SortedKeys(obj) {
		path := SecretsKey + "." + name
		p.Key(path, name)
		s, isStr := obj[name].(string)
		switch {
		case !isStr:
			p.Add(path, "must be a string (the value is not shown)")
		case s == "":
			p.Add(path, "is empty; set it with pulumi config set --secret --path '%s'", path)
		default:
			out[name] = s
		}
	}
	return out
}

// TopKeys returns the keys of a raw object value, sorted; none when it is
// not an object.
func TopKeys(raw string) []string {
	v, ok := parseJSON(raw)
	m, isMap := v.(map[string]any)
	if !ok || !isMap {
		return nil
	}
	return SortedKeys(m)
}
