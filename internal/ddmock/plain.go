package ddmock

import (
	"math"
	"regexp"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Secret is how a secret value is shown: never its plaintext.
const Secret = "[secret]"

// Unknown is how a value only known after deployment is shown.
const Unknown = "[unknown]"

// SecretPlaceholder is what ddstack passes the program for a `secure:` value
// it cannot decrypt: "[secret:" and a fingerprint of the ciphertext, so that
// a diff can tell a changed secret from an unchanged one without any
// plaintext. The ciphertext is in the stack file already; the fingerprint
// says nothing about the value.
func SecretPlaceholder(ciphertext string) string { return kit.SecretPlaceholder(ciphertext) }

var placeholder = regexp.MustCompile(`\[secret:[0-9a-f]{8}\]`)

// PlainMap turns a property map into plain Go values fit for JSON and text:
// secrets become "[secret]", unknowns "[unknown]", resource references their
// URN, and integral numbers ints.
func PlainMap(m resource.PropertyMap) map[string]any { return plainMap(m, false, "", nil) }

// Fingerprinted is PlainMap but for secrets that hold a SecretPlaceholder,
// which it shows as they are: what `ddstack diff` compares.
func Fingerprinted(m resource.PropertyMap) map[string]any { return plainMap(m, true, "", nil) }

// SecretPaths lists the paths of a property map's secret values, sorted:
// "customHeaders", "configVariables[0].pattern". A plan carries them, so
// that a diff knows a secret by its flag, never by its text.
func SecretPaths(m resource.PropertyMap) []string {
	paths := []string{}
	plainMap(m, false, "", &paths)
	slices.Sort(paths)
	return paths
}

// secret shows a secret value: "[secret]", or with fingerprints, when the
// value is or contains placeholders of the stack file's secrets (a webhook's
// headers holding a bearer token), the placeholder itself or a fingerprint
// of the placeholders it holds, so that a diff sees a secret change.
func secret(v resource.PropertyValue, fingerprints bool) string {
	if !fingerprints || !v.IsString() {
		return Secret
	}
	s := v.StringValue()
	found := placeholder.FindAllString(s, -1)
	switch {
	case len(found) == 0:
		return Secret
	case len(found) == 1 && found[0] == s:
		return s
	default:
		// The rest of the string is the stack file's plaintext config (a
		// header's "Bearer " prefix, another header): a change there shows
		// too. It holds no secret: in ddstack every secret is a placeholder.
		return SecretPlaceholder(s)
	}
}

func plain(v resource.PropertyValue, fp bool, path string, secrets *[]string) any {
	switch {
	case v.IsSecret():
		if secrets != nil {
			*secrets = append(*secrets, path)
		}
		return secret(v.SecretValue().Element, fp)
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			if secrets != nil {
				*secrets = append(*secrets, path)
			}
			return secret(o.Element, fp)
		}
		if !o.Known {
			return Unknown
		}
		return plain(o.Element, fp, path, secrets)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		n := v.NumberValue()
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n)
		}
		return n
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plain(e, fp, path+"["+strconv.Itoa(i)+"]", secrets)
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue(), fp, path, secrets)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	default:
		return "[" + string(v.TypeString()) + "]"
	}
}

func plainMap(m resource.PropertyMap, fp bool, path string, secrets *[]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, e := range m {
		p := string(k)
		if path != "" {
			p = path + "." + p
		}
		out[string(k)] = plain(e, fp, p, secrets)
	}
	return out
}
