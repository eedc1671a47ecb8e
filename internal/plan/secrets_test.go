package plan

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// secretsConfig is a valid config of one user and webhooks whose
// Authorization headers take the named secrets; secrets, when not nil, is
// the secret `secrets` key.
func secretsConfig(t *testing.T, names []string, secrets map[string]string) *program.Config {
	t.Helper()
	hooks := map[string]any{}
	for _, name := range names {
		hooks["hook-"+name] = map[string]any{
			"url": "https://pager.example.org/" + name, "payload": map[string]any{"text": "$EVENT_MSG"},
			"headers": map[string]any{"Authorization": map[string]any{"secret": name, "prefix": "Bearer "}},
		}
	}
	values := map[string]any{
		users.Section:    map[string]any{"a": map[string]any{"email": "a@example.org", "roles": []any{"Datadog Admin Role"}}},
		webhooks.Section: hooks,
	}
	if secrets != nil {
		values[kit.SecretsKey] = secrets
	}
	raw := kit.Raw{Values: map[string]string{program.KeyAPIURL: "https://api.us3.datadoghq.com/"}, Secret: map[string]bool{}}
	for k, v := range values {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		raw.Values[kit.Namespace+":"+k] = string(data)
	}
	raw.Secret[kit.Namespace+":"+kit.SecretsKey] = true
	cfg, err := program.Load(raw)
	require.NoError(t, err)
	return cfg
}

// headersOf is the custom headers of a planned webhook, as the plan shows
// them.
func headersOf(t *testing.T, p *Plan, key string) any {
	t.Helper()
	for _, r := range p.Resources {
		if r.Type == webhooks.Token && r.Name == key {
			return r.Inputs["customHeaders"]
		}
	}
	t.Fatalf("no webhook %s in the plan", key)
	return nil
}

var fingerprint = regexp.MustCompile(`^\[secret:[0-9a-f]{8}\]$`)

func TestBuildMissingSecret(t *testing.T) {
	t.Parallel()
	cfg := secretsConfig(t, []string{"pager-token"}, nil)
	require.Equal(t, []string{"pager-token"}, program.MissingSecrets(cfg))

	p, err := Build("test", cfg, false)
	require.NoError(t, err, "ddstack never needs a secret: a missing one stands as a placeholder")
	require.Len(t, p.Notes, 1)
	for _, part := range []string{
		"secrets.pager-token is not in the stack file",
		"pulumi preview and up need it",
		"pulumi config set --secret --path 'secrets.pager-token'",
		"the repository secret PAGER_TOKEN",
	} {
		assert.Contains(t, p.Notes[0], part)
	}
	assert.Equal(t, ddmock.Secret, headersOf(t, p, "hook-pager-token"), "the header is a secret")
	assert.Empty(t, cfg.Secrets, "Build leaves the config as it was")
	assert.Equal(t, []string{"pager-token"}, program.MissingSecrets(cfg))

	fp, err := Build("test", cfg, true)
	require.NoError(t, err)
	assert.Equal(t, p.Notes, fp.Notes)
	got := headersOf(t, fp, "hook-pager-token")
	assert.Regexp(t, fingerprint, got, "with fingerprints, the placeholder's fingerprint")
	assert.NotEqual(t, ddmock.SecretPlaceholder("unset:pager-token"), got, "the fingerprint of the whole headers, not of the placeholder alone")
}

func TestBuildMissingSecretsNoteEachFirst(t *testing.T) {
	t.Parallel()
	cfg := secretsConfig(t, []string{"zeta", "alpha", "held"}, map[string]string{"held": "v"})
	// A Datadog role that is not built in adds a note of its own.
	u := cfg.Users["a"]
	u.Roles = append(u.Roles, users.RoleRef{Datadog: "PyTorch Release Managers"})
	cfg.Users["a"] = u

	p, err := Build("test", cfg, false)
	require.NoError(t, err)
	require.Len(t, p.Notes, 3)
	assert.True(t, strings.HasPrefix(p.Notes[0], "secrets.alpha is not in the stack file"), p.Notes[0])
	assert.True(t, strings.HasPrefix(p.Notes[1], "secrets.zeta is not in the stack file"), p.Notes[1])
	assert.Contains(t, p.Notes[2], `Datadog role "PyTorch Release Managers"`, "the secrets' notes come first")
	assert.NotContains(t, strings.Join(p.Notes, "\n"), "secrets.held")

	fp, err := Build("test", cfg, true)
	require.NoError(t, err)
	assert.NotEqual(t, headersOf(t, fp, "hook-alpha"), headersOf(t, fp, "hook-zeta"), "each missing secret its own placeholder")
}

func TestBuildPresentSecret(t *testing.T) {
	t.Parallel()
	const plaintext = "s3cr3t-b3arer-t0ken"
	cfg := secretsConfig(t, []string{"pager-token"}, map[string]string{"pager-token": plaintext})
	for _, fingerprints := range []bool{false, true} {
		t.Run(fmt.Sprintf("fingerprints %v", fingerprints), func(t *testing.T) {
			t.Parallel()
			p, err := Build("test", cfg, fingerprints)
			require.NoError(t, err)
			assert.Empty(t, p.Notes, "the secret is held: nothing to say")
			assert.Equal(t, ddmock.Secret, headersOf(t, p, "hook-pager-token"),
				"a secret that stands for no stack-file value shows as [secret] either way")
			data, err := json.Marshal(p)
			require.NoError(t, err)
			assert.NotContains(t, string(data), plaintext, "never the plaintext")
			assert.NotContains(t, fmt.Sprint(p.Resources), plaintext)
		})
	}
}

// TestBuildStackFileSecretFingerprint: a secret the stack file holds stands
// as its ciphertext's placeholder; with fingerprints, a change of it shows
// in the header's fingerprint, so that ddstack diff sees it.
func TestBuildStackFileSecretFingerprint(t *testing.T) {
	t.Parallel()
	header := func(ciphertext string) any {
		cfg := secretsConfig(t, []string{"pager-token"}, map[string]string{"pager-token": ddmock.SecretPlaceholder(ciphertext)})
		p, err := Build("test", cfg, true)
		require.NoError(t, err)
		assert.Empty(t, p.Notes)
		return headersOf(t, p, "hook-pager-token")
	}
	before, same, after := header("v1:ciphertext-one"), header("v1:ciphertext-one"), header("v1:ciphertext-two")
	assert.Regexp(t, fingerprint, before)
	assert.Equal(t, before, same, "the same secret, the same fingerprint")
	assert.NotEqual(t, before, after, "another secret, another fingerprint")
}
