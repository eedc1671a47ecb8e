package program

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
)

func TestSecretsOnlyWhereTheyBelong(t *testing.T) {
	t.Parallel()
	const monitor = `{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):avg:a{*}", "critical": 1, "message": "[secret:0a1b2c3d]"}}`
	tests := map[string]struct {
		set     map[string]*string
		secret  []string
		secure  []string
		path    string
		message string
	}{
		"a secure value in a monitor, from a stack file": {
			set:    map[string]*string{ns(monitors.Section): str(monitor)},
			secret: []string{ns(monitors.Section)}, secure: []string{"monitors.m.message"},
			path: "monitors.m.message", message: "secrets hold secrets (anywhere else it would be registered in plaintext): move it there with pulumi config set --secret --path 'secrets.<name>' <value> and refer to it by name: {{ NAME }}",
		},
		"a secret section under the engine": {
			set:    map[string]*string{ns(monitors.Section): str(monitor)},
			secret: []string{ns(monitors.Section)},
			path:   "monitors", message: "is secret config, but only",
		},
		"a plaintext value among secrets": {
			set:    map[string]*string{ns(kit.SecretsKey): str(`{"a": "[secret:0a1b2c3d]", "b": "plain"}`)},
			secret: []string{ns(kit.SecretsKey)}, secure: []string{"secrets.a"},
			path: "secrets.b", message: "is in plaintext; every value of secrets must be secret",
		},
		"a secure apiUrl": {
			set:    map[string]*string{KeyAPIURL: str("[secret:0a1b2c3d]")},
			secret: []string{KeyAPIURL}, secure: []string{KeyAPIURL},
			path: KeyAPIURL, message: "is a secure value",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := rawConfig(tc.set)
			for _, k := range tc.secret {
				r.Secret[k] = true
			}
			r.SecurePaths = tc.secure
			requireProblem(t, r, tc.path, tc.message)
		})
	}

	r := rawConfig(map[string]*string{ns(kit.SecretsKey): str(`{"a": "[secret:0a1b2c3d]"}`), KeyAppKey: str("[secret:0a1b2c3e]")})
	r.Secret[ns(kit.SecretsKey)], r.Secret[KeyAppKey] = true, true
	r.SecurePaths = []string{KeyAppKey, "secrets.a"}
	cfg, err := Load(r)
	require.NoError(t, err, "secrets and the provider's keys hold secrets")
	assert.Equal(t, map[string]string{"a": "[secret:0a1b2c3d]"}, cfg.Secrets)
}
