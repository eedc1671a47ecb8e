package cli

import (
	"errors"
	"fmt"
	"os"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// SecretEnvPrefix starts the environment variable ddstack check takes a
// secret from when the stack file cannot give it: DDSTACK_SECRET_HUD_TOKEN
// for secrets.hud-token. The prefix keeps a stack file from naming any
// other variable of the reviewer's environment ({{ GITHUB_TOKEN }}) and
// sending it to a URL of its choice.
const SecretEnvPrefix = "DDSTACK_SECRET_"

// withSecrets fills in the secrets the tests refer to ({{ NAME }}) from
// where Datadog's values come from: secrets.<name> of the stack's secret
// config, decrypted with the stack's passphrase; or else the environment
// variable DDSTACK_SECRET_NAME. A test whose secrets cannot be had is left
// out, and why is returned, one line a test; values are the secrets found,
// by name.
func withSecrets(sf *stackfile.Stack, tests map[string]synthetics.Test) (out map[string]synthetics.Test, values map[string]string, skipped []string) {
	out = map[string]synthetics.Test{}
	values = map[string]string{}
	why := map[string]string{}
	for _, key := range kit.SortedKeys(tests) {
		t := tests[key]
		var missing []string
		for _, name := range t.Secrets {
			if _, ok := values[name]; ok {
				continue
			}
			if _, failed := why[name]; !failed {
				v, reason := secretValue(sf, name)
				if reason == "" {
					values[name] = v
					continue
				}
				why[name] = reason
			}
			missing = append(missing, name)
		}
		if len(missing) > 0 {
			for _, name := range missing {
				skipped = append(skipped, fmt.Sprintf("%s.%s: not run: it needs %s.%s (%s)",
					synthetics.Section, key, kit.SecretsKey, name, why[name]))
			}
			continue
		}
		out[key] = synthetics.Substitute(t, values)
	}
	return out, values, skipped
}

// secretValue is one secret's value, or why it cannot be had.
func secretValue(sf *stackfile.Stack, name string) (value, reason string) {
	path := kit.SecretsKey + "." + name
	env := SecretEnvPrefix + kit.EnvName(name)
	if _, inFile := sf.Ciphertexts[path]; inFile {
		v, err := sf.Decrypt(path)
		if err == nil {
			return v, ""
		}
		if v := os.Getenv(env); v != "" {
			return v, ""
		}
		if errors.Is(err, stackfile.ErrNoPassphrase) {
			return "", fmt.Sprintf("export %s, or PULUMI_CONFIG_PASSPHRASE to decrypt it from %s", env, sf.Path)
		}
		return "", fmt.Sprintf("export %s; decrypting it from %s: %v", env, sf.Path, err)
	}
	if v := os.Getenv(env); v != "" {
		return v, ""
	}
	return "", fmt.Sprintf("export %s, or set it in the stack: pulumi config set --secret --path '%s' <value>", env, path)
}
