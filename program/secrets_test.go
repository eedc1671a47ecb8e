package program

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// secretValue is a secret's value in these tests: no message may hold it.
const secretValue = "s3cr3t-t0ken-value"

// withSecrets is rawConfig with the secrets key set to value, secret or
// not.
func withSecrets(value string, secret bool, set map[string]*string) kit.Raw {
	if set == nil {
		set = map[string]*string{}
	}
	set[ns(kit.SecretsKey)] = str(value)
	r := rawConfig(set)
	r.Secret[ns(kit.SecretsKey)] = secret
	return r
}

func TestLoadSecrets(t *testing.T) {
	t.Parallel()
	t.Run("absent: none", func(t *testing.T) {
		t.Parallel()
		cfg, err := Load(rawConfig(nil))
		require.NoError(t, err)
		assert.NotNil(t, cfg.Secrets, "an empty map, never nil")
		assert.Empty(t, cfg.Secrets)
	})
	t.Run("secret config: by name", func(t *testing.T) {
		t.Parallel()
		cfg, err := Load(withSecrets(`{"incident-io-bearer": "`+secretValue+`", "other": "x"}`, true, nil))
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"incident-io-bearer": secretValue, "other": "x"}, cfg.Secrets)
	})

	tests := map[string]struct {
		value  string
		secret bool
		// path is where the problem is; contains is in its message.
		path, contains string
	}{
		"in plaintext": {
			value: `{"incident-io-bearer": "` + secretValue + `"}`, secret: false,
			path: kit.SecretsKey, contains: "is set in plaintext; every value of it must be secret: pulumi config set --secret --path 'secrets.<name>'",
		},
		"in plaintext, and not even a map": {
			value: secretValue, secret: false,
			path: kit.SecretsKey, contains: "is set in plaintext",
		},
		"a number": {
			value: `{"incident-io-bearer": 12345}`, secret: true,
			path: "secrets.incident-io-bearer", contains: "must be a string (the value is not shown)",
		},
		"a map": {
			value: `{"incident-io-bearer": {"token": "` + secretValue + `"}}`, secret: true,
			path: "secrets.incident-io-bearer", contains: "must be a string (the value is not shown)",
		},
		"empty": {
			value: `{"incident-io-bearer": ""}`, secret: true,
			path: "secrets.incident-io-bearer", contains: "is empty; set it with pulumi config set --secret --path 'secrets.incident-io-bearer'",
		},
		"not a map": {
			value: `"` + secretValue + `"`, secret: true,
			path: kit.SecretsKey, contains: "must be a map of secret name to secret value",
		},
		"a name that is not a key": {
			value: `{"Incident_IO": "` + secretValue + `"}`, secret: true,
			path: "secrets.Incident_IO", contains: "lowercase letters and digits joined by '-'",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			msgs := requireProblem(t, withSecrets(tc.value, tc.secret, nil), tc.path, tc.contains)
			assert.Len(t, msgs, 1, "one problem: %v", msgs)
			joined := strings.Join(msgs, "\n")
			assert.NotContains(t, joined, secretValue, "a secret's value is never echoed")
			assert.NotContains(t, joined, "12345")
		})
	}

	t.Run("secret, beside other problems: never echoed", func(t *testing.T) {
		t.Parallel()
		msgs := requireProblem(t, withSecrets(`{"a": "`+secretValue+`", "b": 7}`, true,
			map[string]*string{ns(users.Section): str(`{"a": {"email": "nope", "roles": ["Datadog Admin Role"]}}`)}),
			"users.a.email", "not an email address")
		assert.Contains(t, msgs, "secrets.b: must be a string (the value is not shown)")
		assert.NotContains(t, strings.Join(msgs, "\n"), secretValue)
	})
}

// hook is a webhook section whose headers are given.
func hook(key, headers string) string {
	return `"` + key + `": {"url": "https://pager.example.org/hook", "payload": {}, "headers": ` + headers + `}`
}

func TestMissingSecrets(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		webhooks string
		secrets  string
		want     []string
	}{
		"no webhooks": {want: nil},
		"a plain header takes no secret": {
			webhooks: `{` + hook("w", `{"X-Source": "datadog"}`) + `}`,
		},
		"the secret is held": {
			webhooks: `{` + hook("w", `{"Authorization": {"secret": "bearer", "prefix": "Bearer "}}`) + `}`,
			secrets:  `{"bearer": "v"}`,
		},
		"the secret is missing": {
			webhooks: `{` + hook("w", `{"Authorization": {"secret": "bearer", "prefix": "Bearer "}}`) + `}`,
			want:     []string{"bearer"},
		},
		"another secret is held": {
			webhooks: `{` + hook("w", `{"Authorization": {"secret": "bearer"}}`) + `}`,
			secrets:  `{"other": "v"}`,
			want:     []string{"bearer"},
		},
		"each missing secret once, sorted": {
			webhooks: `{` + hook("b", `{"Authorization": {"secret": "zeta"}, "X-Api-Key": {"secret": "alpha"}}`) + `, ` +
				hook("a", `{"Authorization": {"secret": "zeta"}, "X-Token": {"secret": "held"}}`) + `}`,
			secrets: `{"held": "v"}`,
			want:    []string{"alpha", "zeta"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			set := map[string]*string{}
			if tc.webhooks != "" {
				set[ns(webhooks.Section)] = str(tc.webhooks)
			}
			r := rawConfig(set)
			if tc.secrets != "" {
				r = withSecrets(tc.secrets, true, set)
			}
			cfg, err := Load(r)
			require.NoError(t, err, "Load does not need the secrets: ddstack never has them")
			assert.Equal(t, tc.want, MissingSecrets(cfg))
		})
	}
}
