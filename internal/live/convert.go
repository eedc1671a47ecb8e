package live

import (
	"encoding/json"
	"errors"
	"reflect"
)

// What the types' conversions from the API's shape into config entries
// share (each type's FromAPI): an API object's fields by their JSON name,
// whether a value says nothing, numbers and lists as config holds them.

// Fields is an API object as Datadog's JSON has it, by field name: what a
// conversion checks for fields the config has no place for.
func Fields(v any) map[string]any {
	out := map[string]any{}
	raw, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		// The client's own models always marshal to an object.
		return map[string]any{"(unreadable)": true}
	}
	return out
}

// IsZero says whether a JSON value says nothing: null, false, 0, "", or a
// list or object of nothing.
func IsZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !IsZero(e) {
				return false
			}
		}
		return true
	}
	return false
}

// Number is a number as the stack file writes it: a whole number as an
// integer (5000, not 5000.0 or 5e3).
func Number(f float64) any {
	if f == float64(int64(f)) && f > -1e15 && f < 1e15 {
		return int(f)
	}
	return f
}

// Strings is a list of strings as a config value holds it.
func Strings(list []string) []any {
	out := make([]any, 0, len(list))
	for _, s := range list {
		out = append(out, s)
	}
	return out
}

// Decoded is err, or an error when the client could not read the answer
// whole (v is a response model the client parked as UnparsedObject): an
// answer of another shape ({"data": {...}} for a list) must not read as
// an empty list, whose entries would all look missing.
func Decoded(v any, err error) error {
	if err != nil {
		return err
	}
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() == reflect.Struct {
		if f := rv.FieldByName("UnparsedObject"); f.IsValid() && f.Kind() == reflect.Map && !f.IsNil() {
			return errors.New("answered in a form Datadog's client cannot read")
		}
	}
	return nil
}
