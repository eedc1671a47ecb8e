package ddmock_test

import (
	"regexp"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

var fingerprint = regexp.MustCompile(`^\[secret:[0-9a-f]{8}\]$`)

// secretString is a secret string input, as the engine records one.
func secretString(s string) resource.PropertyValue {
	return resource.MakeSecret(resource.NewStringProperty(s))
}

// secretOutput is a known secret output holding a string.
func secretOutput(s string) resource.PropertyValue {
	return resource.NewOutputProperty(resource.Output{Element: resource.NewStringProperty(s), Known: true, Secret: true})
}

// shown is how PlainMap and Fingerprinted show one value.
func shown(v resource.PropertyValue) (plain, fingerprinted any) {
	m := resource.PropertyMap{"v": v}
	return ddmock.PlainMap(m)["v"], ddmock.Fingerprinted(m)["v"]
}

func TestSecretPlaceholder(t *testing.T) {
	t.Parallel()
	a := ddmock.SecretPlaceholder("v1:ciphertext-a")
	assert.Regexp(t, fingerprint, a)
	assert.Equal(t, a, ddmock.SecretPlaceholder("v1:ciphertext-a"), "the same ciphertext, the same placeholder")
	assert.NotEqual(t, a, ddmock.SecretPlaceholder("v1:ciphertext-b"))
	assert.NotContains(t, a, "ciphertext")
}

func TestSecretsShown(t *testing.T) {
	t.Parallel()
	p1, p2 := ddmock.SecretPlaceholder("one"), ddmock.SecretPlaceholder("two")
	tests := map[string]struct {
		v resource.PropertyValue
		// fingerprinted is what Fingerprinted shows; "" for a fingerprint
		// other than any placeholder given (checked by form).
		fingerprinted string
	}{
		"a placeholder":                     {secretString(p1), p1},
		"a placeholder, as a secret output": {secretOutput(p1), p1},
		"plaintext":                         {secretString("s3cr3t"), ddmock.Secret},
		"plaintext, as a secret output":     {secretOutput("s3cr3t"), ddmock.Secret},
		"a malformed placeholder":           {secretString("[secret:XYZ]"), ddmock.Secret},
		"a number":                          {resource.MakeSecret(resource.NewNumberProperty(42)), ddmock.Secret},
		"an embedded placeholder":           {secretString(`{"Authorization":"Bearer ` + p1 + `"}`), ""},
		"two embedded placeholders":         {secretString(`{"A":"` + p1 + `","B":"` + p2 + `"}`), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			plain, fp := shown(tc.v)
			assert.Equal(t, ddmock.Secret, plain, "without fingerprints every secret is [secret]")
			if tc.fingerprinted != "" {
				assert.Equal(t, tc.fingerprinted, fp)
				return
			}
			assert.Regexp(t, fingerprint, fp, "a fingerprint of the placeholders")
			assert.NotEqual(t, p1, fp, "not a placeholder itself: the value holds more")
			assert.NotEqual(t, p2, fp)
			assert.NotContains(t, fp, "Bearer")
		})
	}
}

func TestEmbeddedPlaceholdersFingerprint(t *testing.T) {
	t.Parallel()
	header := func(placeholder string) any {
		_, fp := shown(secretString(`{"Authorization":"Bearer ` + placeholder + `"}`))
		return fp
	}
	a, b := ddmock.SecretPlaceholder("v1:a"), ddmock.SecretPlaceholder("v1:b")
	assert.Equal(t, header(a), header(a), "the same secret: the same fingerprint")
	assert.NotEqual(t, header(a), header(b), "another secret: another fingerprint, so a diff sees it")

	two := func(first, second string) any {
		_, fp := shown(secretString(`{"A":"` + first + `","B":"` + second + `"}`))
		return fp
	}
	assert.NotEqual(t, two(a, a), two(a, b), "a change of either placeholder shows")
	assert.NotEqual(t, two(a, b), header(a))
}

func TestPlainValues(t *testing.T) {
	t.Parallel()
	m := resource.PropertyMap{
		"s":       resource.NewStringProperty("x"),
		"n":       resource.NewNumberProperty(3),
		"f":       resource.NewNumberProperty(1.5),
		"b":       resource.NewBoolProperty(true),
		"null":    resource.NewNullProperty(),
		"unknown": resource.MakeComputed(resource.NewStringProperty("")),
		"list":    resource.NewArrayProperty([]resource.PropertyValue{secretString("s3cr3t"), resource.NewStringProperty("y")}),
		"obj":     resource.NewObjectProperty(resource.PropertyMap{"k": secretString(ddmock.SecretPlaceholder("c"))}),
	}
	assert.Equal(t, map[string]any{
		"s": "x", "n": int64(3), "f": 1.5, "b": true, "null": nil, "unknown": ddmock.Unknown,
		"list": []any{ddmock.Secret, "y"}, "obj": map[string]any{"k": ddmock.Secret},
	}, ddmock.PlainMap(m))
	assert.Equal(t, map[string]any{"k": ddmock.SecretPlaceholder("c")}, ddmock.Fingerprinted(m)["obj"], "nested secrets too")
}

func TestResourceIDOfEveryToken(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "<user:jane>", ddmock.ResourceID(users.Token, "jane"))
	assert.Equal(t, "<teamMembership:staff.jane>", ddmock.ResourceID(teams.MembershipToken, teams.MembershipName("staff", "jane")),
		"a further type a registry entry registers has its short name")
	assert.Equal(t, "<dashboardJson:board>", ddmock.ResourceID(dashboards.JSONToken, "board"))
}

// The fingerprint covers the whole secret string, so a change to the
// plaintext config around a placeholder (a header's prefix) shows in a diff.
func TestFingerprintCoversTheTextAroundAPlaceholder(t *testing.T) {
	t.Parallel()
	ph := ddmock.SecretPlaceholder("ciphertext")
	show := func(s string) any {
		return ddmock.Fingerprinted(resource.PropertyMap{"v": resource.MakeSecret(resource.NewProperty(s))})["v"]
	}
	assert.NotEqual(t, show(`{"Authorization":"Bearer `+ph+`"}`), show(`{"Authorization":"Token `+ph+`"}`))
	assert.Equal(t, show(`{"Authorization":"Bearer `+ph+`"}`), show(`{"Authorization":"Bearer `+ph+`"}`))
	assert.Equal(t, ddmock.Secret, show(`{"Authorization":"Bearer plaintext"}`), "no placeholder: no fingerprint")
}
