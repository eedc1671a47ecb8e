package ddmock

import (
	"math"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Secret is how a secret value is shown: never its plaintext.
const Secret = "[secret]"

// Unknown is how a value only known after deployment is shown.
const Unknown = "[unknown]"

// Plain turns a property value into plain Go values fit for JSON and text:
// secrets become "[secret]", unknowns "[unknown]", resource references their
// URN, and integral numbers ints.
func Plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Secret
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Secret
		}
		if !o.Known {
			return Unknown
		}
		return Plain(o.Element)
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
			out[i] = Plain(e)
		}
		return out
	case v.IsObject():
		return PlainMap(v.ObjectValue())
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	default:
		return "[" + string(v.TypeString()) + "]"
	}
}

// PlainMap applies Plain to every value of a property map.
func PlainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[string(k)] = Plain(e)
	}
	return out
}
