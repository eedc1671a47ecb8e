package synthetics

import (
	"fmt"
	"regexp"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// A test that needs a credential takes it the Datadog way: its url, a
// header or its body refers to a config variable as {{ NAME }}; the test
// declares the variable secure, its value from secret config
// (secrets.<name>, NAME in capitals with '-' as '_'), so that Datadog
// fills it in at run time and never shows it, and the stack file, plans
// and the state hold it only as a secret. `ddstack check` fills it in
// locally from the same place.

// reference is a config variable in a template: {{ NAME }}. Datadog's own
// template functions ({{ numeric(3) }}) are lowercase and left alone.
var reference = regexp.MustCompile(`\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}`)

// secretName is the secret a config variable takes its value from.
func secretName(variable string) string {
	return strings.ToLower(strings.ReplaceAll(variable, "_", "-"))
}

// decodeSecrets checks a test's references to secrets and records the
// secrets it needs (Test.Secrets); a credential in plaintext is an error
// naming its path and the fix. The value is never echoed.
func decodeSecrets(p *kit.Problems, path string, t *Test) {
	set := map[string]bool{}
	refs := func(fp, s string) bool {
		found := false
		for _, m := range reference.FindAllStringSubmatch(s, -1) {
			found = true
			name := secretName(m[1])
			if !kit.IsKey(name) {
				p.Add(fp, "{{ %s }} cannot name a secret: capitals and digits joined by single '_' (INCIDENT_IO_BEARER, from secrets.incident-io-bearer)", m[1])
				continue
			}
			set[name] = true
		}
		return found
	}
	refs(path+".url", t.URL)
	for _, name := range kit.SortedKeys(t.Headers) {
		hp := path + ".headers." + name
		if !refs(hp, t.Headers[name]) && kit.IsCredential(name) {
			p.Add(hp, "carries a credential in plaintext, which would be committed and registered as it is; %s", fix("Bearer "))
		}
	}
	refs(path+".body", t.Body)
	t.Secrets = kit.SortedKeys(set)
}

func fix(prefix string) string {
	return fmt.Sprintf("set it with pulumi config set --secret --path '%s.my-token' <value> and write %q instead",
		kit.SecretsKey, prefix+"{{ MY_TOKEN }}")
}

// Substitute fills a test's references to secrets with their values, as
// Datadog fills in its config variables: what `ddstack check` sends.
// A reference without a value is left as it is.
func Substitute(t Test, values map[string]string) Test {
	fill := func(s string) string {
		return reference.ReplaceAllStringFunc(s, func(m string) string {
			if v, ok := values[secretName(reference.FindStringSubmatch(m)[1])]; ok {
				return v
			}
			return m
		})
	}
	t.URL = fill(t.URL)
	t.Body = fill(t.Body)
	if t.Headers != nil {
		h := make(map[string]string, len(t.Headers))
		for k, v := range t.Headers {
			h[k] = fill(v)
		}
		t.Headers = h
	}
	return t
}

// SecretNames returns the distinct secrets the tests need, sorted.
func SecretNames(tests map[string]Test) []string {
	set := map[string]bool{}
	for _, t := range tests {
		for _, s := range t.Secrets {
			set[s] = true
		}
	}
	return kit.SortedKeys(set)
}
