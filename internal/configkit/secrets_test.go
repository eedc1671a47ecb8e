package configkit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// plaintext is a secret's value in these tests: no message may hold it.
const plaintext = "pl41n-s3cr3t"

// secretsRaw is a config whose secrets key holds value, secret or not.
func secretsRaw(value string, secret bool) kit.Raw {
	key := kit.Namespace + ":" + kit.SecretsKey
	return kit.Raw{Values: map[string]string{key: value}, Secret: map[string]bool{key: secret}}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw  kit.Raw
		want map[string]string
		// problems are the problems expected, by path: a fragment of the
		// message.
		problems map[string]string
	}{
		"absent: none": {
			raw:  kit.Raw{Values: map[string]string{}, Secret: map[string]bool{}},
			want: map[string]string{},
		},
		"secret: by name": {
			raw:  secretsRaw(`{"incident-io-bearer": "`+plaintext+`", "b": "x"}`, true),
			want: map[string]string{"incident-io-bearer": plaintext, "b": "x"},
		},
		"secret, an empty map": {raw: secretsRaw(`{}`, true), want: map[string]string{}},
		"in plaintext": {
			raw:      secretsRaw(`{"incident-io-bearer": "`+plaintext+`"}`, false),
			want:     map[string]string{},
			problems: map[string]string{"secrets": "is set in plaintext; every value of it must be secret"},
		},
		"in plaintext, without the secret flag at all": {
			raw:      kit.Raw{Values: map[string]string{kit.Namespace + ":" + kit.SecretsKey: `{"a": "` + plaintext + `"}`}},
			want:     map[string]string{},
			problems: map[string]string{"secrets": "is set in plaintext"},
		},
		"another key secret, this one not": {
			raw: kit.Raw{
				Values: map[string]string{kit.Namespace + ":" + kit.SecretsKey: `{"a": "` + plaintext + `"}`},
				Secret: map[string]bool{"datadog:apiKey": true, kit.Namespace + ":users": true},
			},
			want:     map[string]string{},
			problems: map[string]string{"secrets": "is set in plaintext"},
		},
		"a number": {
			raw:      secretsRaw(`{"a": 12345, "b": "ok"}`, true),
			want:     map[string]string{"b": "ok"},
			problems: map[string]string{"secrets.a": "must be a string (the value is not shown)"},
		},
		"a list": {
			raw:      secretsRaw(`{"a": ["`+plaintext+`"]}`, true),
			want:     map[string]string{},
			problems: map[string]string{"secrets.a": "must be a string (the value is not shown)"},
		},
		"null": {
			raw:      secretsRaw(`{"a": null}`, true),
			want:     map[string]string{},
			problems: map[string]string{"secrets.a": "must be a string"},
		},
		"empty": {
			raw:      secretsRaw(`{"a": ""}`, true),
			want:     map[string]string{},
			problems: map[string]string{"secrets.a": "is empty; set it with pulumi config set --secret --path 'secrets.a'"},
		},
		"not a map": {
			raw:      secretsRaw(plaintext, true),
			want:     map[string]string{},
			problems: map[string]string{"secrets": "must be a map of secret name to secret value"},
		},
		"a list of values": {
			raw:      secretsRaw(`["`+plaintext+`"]`, true),
			want:     map[string]string{},
			problems: map[string]string{"secrets": "must be a map of secret name to secret value"},
		},
		"a name that is not a key": {
			raw:      secretsRaw(`{"Bearer_Token": "`+plaintext+`"}`, true),
			want:     map[string]string{"Bearer_Token": plaintext},
			problems: map[string]string{"secrets.Bearer_Token": "lowercase letters and digits joined by '-'"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			got := p.Secrets(tc.raw)
			assert.NotNil(t, got, "never nil")
			assert.Equal(t, tc.want, got)
			if tc.problems == nil {
				tc.problems = map[string]string{}
			}
			assertProblems(t, p, tc.problems)
			if err := p.Err(); err != nil {
				assert.NotContains(t, err.Error(), plaintext, "a secret's value is never echoed")
				assert.NotContains(t, err.Error(), "12345")
			}
		})
	}
}

// TestSecretsNeverEchoed: whatever the value, no message holds it.
func TestSecretsNeverEchoed(t *testing.T) {
	t.Parallel()
	for _, value := range []string{
		plaintext, `"` + plaintext + `"`, `{"a": "` + plaintext + `"}`, `{"a": {"` + plaintext + `": 1}}`,
		`{"a": ["` + plaintext + `"]}`, `{"a": "` + plaintext + `\n"}`, `{"a": 1` + plaintext + `}`,
	} {
		for _, secret := range []bool{true, false} {
			p := &kit.Problems{}
			p.Secrets(secretsRaw(value, secret))
			if err := p.Err(); err != nil {
				assert.False(t, strings.Contains(err.Error(), plaintext), "%s (secret %v): %v", value, secret, err)
			}
		}
	}
}
