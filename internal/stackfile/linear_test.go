package stackfile

import (
	"fmt"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// loadBoth reads data with the linear loader and with the SDK's, and
// says whether the linear one took the file (rather than leaving it to
// the SDK's whole).
func loadBoth(t testing.TB, data []byte) (linear, sdk *workspace.ProjectStack, linearErr, sdkErr error, took bool) {
	t.Helper()
	proj, err := workspace.LoadProjectBytes([]byte(project), "Pulumi.yaml", encoding.YAML)
	require.NoError(t, err)
	var doc yaml.Node
	var root *yaml.Node
	if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
		root = doc.Content[0]
	}
	took = root != nil && child(root, "config") != nil && child(root, "config").Kind == yaml.MappingNode && plain(root)
	func() {
		defer func() {
			if r := recover(); r != nil {
				linearErr = fmt.Errorf("panic: %v", r)
			}
		}()
		linear, linearErr = loadProjectStack(proj, data, root, "Pulumi.x.yaml")
	}()
	func() {
		defer func() {
			if r := recover(); r != nil {
				sdkErr = fmt.Errorf("panic: %v", r)
			}
		}()
		sdk, sdkErr = workspace.LoadProjectStackBytes(nil, proj, data, "Pulumi.x.yaml", encoding.YAML)
	}()
	return linear, sdk, linearErr, sdkErr, took
}

// same checks the linear loader gives what the SDK's does: each config
// key's value (its JSON, and whether it is secure or an object), and the
// secrets provider's fields; or both refuse the file.
func same(t testing.TB, data []byte) {
	t.Helper()
	linear, sdk, lerr, serr, _ := loadBoth(t, data)
	if serr != nil || lerr != nil {
		assert.Equal(t, serr != nil, lerr != nil, "both refuse, or neither: linear %v, SDK %v", lerr, serr)
		return
	}
	assert.Equal(t, sdk.SecretsProvider, linear.SecretsProvider)
	assert.Equal(t, sdk.EncryptionSalt, linear.EncryptionSalt)
	assert.Equal(t, sdk.EncryptedKey, linear.EncryptedKey)
	require.Equal(t, len(sdk.Config), len(linear.Config), "config keys")
	for k, want := range sdk.Config {
		got, ok := linear.Config[k]
		if !assert.True(t, ok, "%s", k) {
			continue
		}
		wj, _ := want.MarshalJSON()
		gj, _ := got.MarshalJSON()
		assert.Equal(t, string(wj), string(gj), "%s", k)
		assert.Equal(t, want.Secure(), got.Secure(), "%s", k)
		assert.Equal(t, want.Object(), got.Object(), "%s", k)
	}
}

func TestLinearLoaderAgreesWithTheSDKs(t *testing.T) {
	t.Parallel()
	cases := []string{
		"config:\n  pytorch-datadog:users: {jane: {email: a@b.org, roles: [x]}}\n",
		"config:\n  users: {jane: {email: a@b.org}}\n  datadog:apiUrl: https://api.us3.datadoghq.com/\n",
		"config:\n  x: [1, -0.0, 1.0, 1e300, 0x1f, 017, 0o17, true, yes, on, null, ~, '', 2024-01-01, \"2024-01-01\", 12:30:45]\n",
		"config:\n  a: {b: {c: [{d: .5}]}}\n  datadog:apiKey: {secure: AAA}\n  s: {t: {secure: BBB}}\n",
		"secretsprovider: passphrase\nencryptionsalt: v1:abc\nconfig:\n  a: b\n",
		"config:\n  a: 1\n  a: 2\n",
		"config:\n  a: {b: 1, b: 2}\n",
		"config:\n  a:b:c: 1\n",
		"config:\n  'pytorch-datadog:': 1\n",
		"config:\n  a: !!binary aGVsbG8=\n",
		"config:\n  a: |\n    multi\n    line\n",
		"config: []\n",
		"config:\n",
		"config: {}\n",
		"environment: [a]\nconfig: {a: 1}\n",
		"config:\n  a: \"\\u00e9\\t\"\n",
	}
	for _, c := range cases {
		same(t, []byte(c))
	}
	for _, f := range []string{"../../Pulumi.prod.yaml", "../../testdata/stacks/Pulumi.full.yaml", "../../testdata/stacks/Pulumi.org.yaml"} {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		_, _, _, _, took := loadBoth(t, data)
		assert.True(t, took, "%s is read linearly", f)
		same(t, data)
	}
}

// FuzzLinearLoader: whatever the file, the linear loader gives what the
// SDK's does.
func FuzzLinearLoader(f *testing.F) {
	for _, seed := range []string{
		"config:\n  pytorch-datadog:users: {jane: {email: a@b.org}}\n",
		"config:\n  x: [1, -0.0, 1e300, true, null, 2024-01-01, 'q']\n",
		"config:\n  a: {secure: x}\n  b: {c: {secure: y}}\n",
		"secretsprovider: passphrase\nconfig: {a: 1, a: 2}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		same(t, data)
	})
}
