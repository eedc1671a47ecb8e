package stackfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
)

const project = `name: pytorch-datadog
runtime: go
config:
  roles:
    type: object
    default:
      r: {name: R, permissions: [logs_read_data]}
  users:
    type: object
`

func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"Pulumi.yaml": project,
		"Pulumi.prod.yaml": `config:
  pulumi:disable-default-providers: [datadog]
  datadog:apiUrl: https://api.us3.datadoghq.com/
  datadog:apiKey:
    secure: AAABAKf0ZW5jcnlwdGVk
  pytorch-datadog:users:
    # a comment
    jane:
      email: jane@example.org
      roles: [limited-read-write]
      disabled: yes
      count: 3
`,
	})
	s, err := Load(dir, "prod", "")
	require.NoError(t, err)
	assert.Equal(t, "pytorch-datadog", s.Project)
	assert.Equal(t, "prod", s.Name)
	assert.Equal(t, map[string]string{
		"pulumi:disable-default-providers": `["datadog"]`,
		"datadog:apiUrl":                   "https://api.us3.datadoghq.com/",
		// Never decrypted: a placeholder with a fingerprint of the ciphertext.
		"datadog:apiKey": ddmock.SecretPlaceholder("AAABAKf0ZW5jcnlwdGVk"),
		// YAML 1.2, as Pulumi reads it: `yes` is a string, not true.
		"pytorch-datadog:users": `{"jane":{"count":3,"disabled":"yes","email":"jane@example.org","roles":["limited-read-write"]}}`,
		// Declared in Pulumi.yaml, not set by the stack: its default applies.
		"pytorch-datadog:roles": `{"r":{"name":"R","permissions":["logs_read_data"]}}`,
	}, s.Raw.Values)
	assert.True(t, s.Raw.Secret["datadog:apiKey"])
	assert.False(t, s.Raw.Secret["pytorch-datadog:users"])
}

func TestLoadNestedSecureMakesTheKeySecret(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"Pulumi.yaml": project,
		"Pulumi.dev.yaml": `config:
  pytorch-datadog:users:
    jane:
      email:
        secure: AAABAKf0ZW5jcnlwdGVk
`,
	})
	s, err := Load(dir, "dev", "")
	require.NoError(t, err)
	assert.Equal(t, `{"jane":{"email":"`+ddmock.SecretPlaceholder("AAABAKf0ZW5jcnlwdGVk")+`"}}`, s.Raw.Values["pytorch-datadog:users"])
	assert.True(t, s.Raw.Secret["pytorch-datadog:users"])
	assert.NotContains(t, s.Raw.Values["pytorch-datadog:users"], "AAAB", "a ciphertext is not shown either")
}

func TestLoadFileNamesTheStack(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"Pulumi.yaml":         project,
		"Pulumi.staging.yaml": "config:\n  datadog:apiUrl: https://api.datadoghq.com/\n",
		"other.yaml":          "config: {}\n",
	})
	s, err := Load(dir, "", filepath.Join(dir, "Pulumi.staging.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "staging", s.Name)

	s, err = Load(dir, "", filepath.Join(dir, "other.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "other", s.Name)

	s, err = Load(dir, "prod", filepath.Join(dir, "other.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "prod", s.Name, "a name given wins")
}

func TestSecretPlaceholders(t *testing.T) {
	t.Parallel()
	a, b := ddmock.SecretPlaceholder("v1:one"), ddmock.SecretPlaceholder("v1:two")
	assert.Regexp(t, `^\[secret:[0-9a-f]{8}\]$`, a)
	assert.NotEqual(t, a, b, "another ciphertext, another placeholder")
	assert.Equal(t, a, ddmock.SecretPlaceholder("v1:one"), "the same ciphertext, the same placeholder")
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		stack, contains string
	}{
		"key without namespace": {"config:\n  users: {}\n", `Pulumi.prod.yaml:2: config key "users" needs its namespace, as pytorch-datadog:users`},
		"YAML syntax":           {"config:\n  a:b: [\n", "Pulumi.prod.yaml: yaml:"},
		"not a map":             {"- a\n", "Pulumi.prod.yaml: yaml:"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := write(t, map[string]string{"Pulumi.yaml": project, "Pulumi.prod.yaml": tc.stack})
			_, err := Load(dir, "prod", "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.contains)
		})
	}

	_, err := Load(t.TempDir(), "prod", "")
	require.Error(t, err, "a missing Pulumi.yaml")
	assert.Contains(t, err.Error(), "Pulumi.yaml")
}
