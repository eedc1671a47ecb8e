package stackfile

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
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
		"datadog:apiKey": kit.SecretPlaceholder("AAABAKf0ZW5jcnlwdGVk"),
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
	assert.Equal(t, `{"jane":{"email":"`+kit.SecretPlaceholder("AAABAKf0ZW5jcnlwdGVk")+`"}}`, s.Raw.Values["pytorch-datadog:users"])
	assert.True(t, s.Raw.Secret["pytorch-datadog:users"])
	assert.NotContains(t, s.Raw.Values["pytorch-datadog:users"], "AAAB", "a ciphertext is not shown either")
}

func TestLoadFileNamesTheStack(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"Pulumi.yaml":         project,
		"Pulumi.staging.yaml": "config:\n  datadog:apiUrl: https://api.datadoghq.com/\n  pytorch-datadog:users: {}\n",
		"other.yaml":          "config: {users: {}}\n",
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
	a, b := kit.SecretPlaceholder("v1:one"), kit.SecretPlaceholder("v1:two")
	assert.Regexp(t, `^\[secret:[0-9a-f]{8}\]$`, a)
	assert.NotEqual(t, a, b, "another ciphertext, another placeholder")
	assert.Equal(t, a, kit.SecretPlaceholder("v1:one"), "the same ciphertext, the same placeholder")
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	const users = "  pytorch-datadog:users: {}\n"
	tests := map[string]struct {
		stack string
		// want are the parts every message must hold, one a line.
		want []string
	}{
		"YAML syntax":         {"config:\n  a:b: [\n", []string{"Pulumi.prod.yaml: invalid YAML file: yaml: line 2"}},
		"not a map":           {"- a\n", []string{"Pulumi.prod.yaml: must be a YAML map holding config:"}},
		"duplicate key":       {"config:\n  pytorch-datadog:users:\n    jane: {email: a@x.org}\n    jane: {email: b@x.org}\n", []string{`mapping key "jane" already defined at line 3`}},
		"duplicate top key":   {"config:\n" + users + users, []string{`mapping key "pytorch-datadog:users" already defined`}},
		"anchor in itself":    {"config:\n  pytorch-datadog:users: &a\n    jane: *a\n", []string{"anchor 'a' value contains itself"}},
		"alias bomb":          {aliasBomb(), []string{"excessive aliasing"}},
		"infinity":            {"config:\n" + users + "  pytorch-datadog:monitors:\n    m: {critical: .inf}\n", []string{"monitors.m.critical: .inf is not a number"}},
		"NaN and another":     {"config:\n" + users + "  pytorch-datadog:monitors:\n    m: {critical: .nan, warning: -.inf}\n", []string{"monitors.m.critical: .nan is not a number", "monitors.m.warning: -.inf is not a number"}},
		"unquoted date":       {"config:\n  pytorch-datadog:users:\n    jane: {name: 2024-01-01}\n", []string{"users.jane.name: 2024-01-01 is an unquoted date"}},
		"empty secure":        {"config:\n" + users + "  datadog:apiKey: {secure: \"\"}\n", []string{"datadog:apiKey: is an empty secure value"}},
		"empty nested secure": {"config:\n" + users + "  pytorch-datadog:secrets:\n    a: {secure: \"\"}\n", []string{"secrets.a: is an empty secure value; set it with pulumi config set --secret --path 'secrets.a'"}},
		"required key":        {"config:\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n", []string{"users: missing; Pulumi.yaml requires it"}},
		"wrong declared type": {"config:\n  pytorch-datadog:users: [a, b]\n", []string{"users: must be of type object, as Pulumi.yaml declares it"}},
		"scalar declared map": {"config:\n  pytorch-datadog:users: jane\n", []string{"users: must be of type object"}},
		"colons in key":       {"config:\n  a:b:c: 1\n" + users, []string{"Pulumi.prod.yaml:"}},
		"config not a map":    {"config: hello\n", []string{"Pulumi.prod.yaml: line 1: config must be a map of config keys to values"}},
		"too many keys":       {"config:\n" + strings.Repeat("  x: 1\n", 1001), []string{"Pulumi.prod.yaml: config holds 1001 keys; a stack of this program has a few dozen at most (1000 is the limit)"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := write(t, map[string]string{"Pulumi.yaml": project, "Pulumi.prod.yaml": tc.stack})
			s, err := Load(dir, "prod", "")
			if err == nil {
				err = errors.Join(s.Problems...)
			}
			require.Error(t, err)
			lines := strings.Split(err.Error(), "\n")
			require.Len(t, lines, len(tc.want), err.Error())
			for i, w := range tc.want {
				assert.Contains(t, lines[i], w)
			}
		})
	}

	_, err := Load(t.TempDir(), "prod", "")
	require.Error(t, err, "a missing Pulumi.yaml")
	assert.Contains(t, err.Error(), "Pulumi.yaml")
}

// aliasBomb is a "billion laughs": each level doubles the one before ten
// times over.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("config:\n  pytorch-datadog:users: {}\n  pytorch-datadog:x:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "    l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return b.String()
}

func TestLoadReadsAsTheCLIDoes(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"Pulumi.yaml": project,
		// A BOM, a key without its namespace (the CLI puts it in the
		// project's), a merge key, and secure values nested and at the top.
		"Pulumi.prod.yaml": "\ufeffconfig:\n  users:\n    base: &base {roles: [r]}\n    jane:\n      <<: *base\n      email: jane@example.org\n" +
			"  pytorch-datadog:secrets:\n    token: {secure: v1:abc}\n  datadog:appKey: {secure: v1:def}\n",
	})
	s, err := Load(dir, "prod", "")
	require.NoError(t, err)
	assert.JSONEq(t, `{"base":{"roles":["r"]},"jane":{"email":"jane@example.org","roles":["r"]}}`, s.Raw.Values["pytorch-datadog:users"])
	assert.Equal(t, []string{"datadog:appKey", "secrets.token"}, s.Raw.SecurePaths)
	assert.True(t, s.Raw.Secret["pytorch-datadog:secrets"])
	assert.False(t, s.Raw.Secret["pytorch-datadog:users"])
}

func TestLoadDataNamesTheUsersFile(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"Pulumi.yaml": project})
	_, err := LoadData(dir, "", filepath.Join(dir, "Pulumi.prod.yaml"), []byte("config:\n  a: [\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "Pulumi.prod.yaml")+": invalid YAML")
}

func TestLoadRefusesHugeFiles(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"Pulumi.yaml": project})
	big := append([]byte("config:\n  pytorch-datadog:users: {}\n#"), make([]byte, MaxSize)...)
	path := filepath.Join(dir, "Pulumi.big.yaml")
	require.NoError(t, os.WriteFile(path, big, 0o644))
	_, err := Load(dir, "", path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at most")
}

// FuzzLoadData: no stack file makes the loader panic or loop; what it
// accepts has every value of Raw as text and every secure path recorded.
func FuzzLoadData(f *testing.F) {
	for _, seed := range []string{
		"config:\n  pytorch-datadog:users: {jane: {email: a@b.org}}\n",
		"config:\n  users: &a {x: *a}\n",
		"config:\n  pytorch-datadog:users: {}\n  datadog:apiKey: {secure: abc}\n",
		"config:\n  pytorch-datadog:users: {a: [1, .inf, 2024-01-01, {<<: {b: 1}}]}\n",
		aliasBomb(),
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	require.NoError(f, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(project), 0o644))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadData(dir, "fuzz", filepath.Join(dir, "Pulumi.fuzz.yaml"), data)
		if err != nil {
			assert.NotContains(t, err.Error(), "goroutine ")
			return
		}
		for _, p := range s.Raw.SecurePaths {
			assert.NotEmpty(t, p)
		}
		for k := range s.Raw.Values {
			_, known := s.Raw.Secret[k]
			assert.True(t, known, k)
		}
	})
}

func TestDecryptWithThePassphrase(t *testing.T) {
	salt := []byte("0123456789abcdef")
	crypter := config.NewSymmetricCrypterFromPassphrase("right", salt)
	known, err := crypter.EncryptValue(context.Background(), "pulumi")
	require.NoError(t, err)
	ct, err := crypter.EncryptValue(context.Background(), "s3cr3t")
	require.NoError(t, err)
	dir := write(t, map[string]string{
		"Pulumi.yaml": project,
		"Pulumi.prod.yaml": "encryptionsalt: v1:" + base64.StdEncoding.EncodeToString(salt) + ":" + known + "\n" +
			"config:\n  pytorch-datadog:users: {}\n  pytorch-datadog:secrets:\n    hud-token: {secure: " + ct + "}\n",
	})
	s, err := Load(dir, "prod", "")
	require.NoError(t, err)

	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "right")
	v, err := s.Decrypt("secrets.hud-token")
	require.NoError(t, err)
	assert.Equal(t, "s3cr3t", v)

	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "wrong")
	_, err = s.Decrypt("secrets.hud-token")
	assert.ErrorContains(t, err, "incorrect passphrase")

	os.Unsetenv("PULUMI_CONFIG_PASSPHRASE")
	t.Setenv("PULUMI_CONFIG_PASSPHRASE_FILE", "")
	_, err = s.Decrypt("secrets.hud-token")
	assert.ErrorIs(t, err, ErrNoPassphrase)

	_, err = s.Decrypt("secrets.other")
	assert.ErrorContains(t, err, "not a secure value")
}
