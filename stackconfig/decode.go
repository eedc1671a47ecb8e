package stackconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// problems collects every error found while decoding, each prefixed with its
// config path, so that all of them are reported at once.
type problems struct {
	errs []error
}

func (p *problems) add(path, format string, args ...any) {
	p.errs = append(p.errs, &PathError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// PathError is one problem in the stack config and the path where it is.
type PathError struct {
	Path string
	Msg  string
}

func (e *PathError) Error() string { return e.Path + ": " + e.Msg }

// parseJSON decodes a config value that should hold an object or a list.
// The engine hands object values over as JSON; a plain string that is not
// JSON is reported as the wrong type, not as a JSON error.
func parseJSON(s string) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if dec.More() {
		return nil, false
	}
	return v, true
}

// describe names a decoded value's type and shows it, for "got ..." messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing (null)"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case json.Number:
		return "the number " + x.String()
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// field describes one known field of a config object.
type field struct {
	name     string
	required bool
	decode   func(path string, v any)
}

// object checks that v is a map, reports unknown and missing fields, and
// hands each known field to its decoder.
func (p *problems) object(path string, v any, what string, fields []field) bool {
	m, ok := v.(map[string]any)
	if !ok {
		p.add(path, "must be %s, got %s", what, describe(v))
		return false
	}
	known := make([]string, len(fields))
	for i, f := range fields {
		known[i] = f.name
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(known, k) {
			p.add(path+"."+k, "unknown field%s; known fields: %s", didYouMean(k, known), strings.Join(known, ", "))
		}
	}
	for _, f := range fields {
		fv, present := m[f.name]
		if !present {
			if f.required {
				p.add(path+"."+f.name, "missing; it is required")
			}
			continue
		}
		f.decode(path+"."+f.name, fv)
	}
	return true
}

func (p *problems) str(path string, v any, out *string) {
	s, ok := v.(string)
	if !ok {
		p.add(path, "must be a string, got %s", describe(v))
		return
	}
	*out = s
}

func (p *problems) boolean(path string, v any, out *bool) {
	b, ok := v.(bool)
	if !ok {
		p.add(path, "must be true or false, got %s", describe(v))
		return
	}
	*out = b
}

func (p *problems) optBool(path string, v any, out **bool) {
	var b bool
	before := len(p.errs)
	p.boolean(path, v, &b)
	if len(p.errs) == before {
		*out = &b
	}
}

func (p *problems) optStr(path string, v any, out **string) {
	var s string
	before := len(p.errs)
	p.str(path, v, &s)
	if len(p.errs) == before {
		*out = &s
	}
}

// strList decodes a list of strings. A lone string is reported with the
// list it was probably meant to be.
func (p *problems) strList(path string, v any, what string, out *[]string) {
	list, ok := v.([]any)
	if !ok {
		if s, isStr := v.(string); isStr {
			p.add(path, "must be a list of %s, got the string %q (write it as a list: [%q])", what, s, s)
			return
		}
		p.add(path, "must be a list of %s, got %s", what, describe(v))
		return
	}
	res := make([]string, 0, len(list))
	for i, item := range list {
		s, isStr := item.(string)
		if !isStr {
			p.add(fmt.Sprintf("%s[%d]", path, i), "must be a string, got %s", describe(item))
			continue
		}
		res = append(res, s)
	}
	*out = res
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func (p *problems) number(path string, v any, out *float64) bool {
	n, ok := v.(json.Number)
	if !ok {
		p.add(path, "must be a number, got %s", describe(v))
		return false
	}
	f, err := n.Float64()
	if err != nil {
		p.add(path, "must be a number, got %s", describe(v))
		return false
	}
	*out = f
	return true
}

func (p *problems) optNumber(path string, v any, out **float64) {
	var f float64
	if p.number(path, v, &f) {
		*out = &f
	}
}

// integer decodes a whole number within [lo, hi].
func (p *problems) integer(path string, v any, lo, hi int, out *int) bool {
	n, ok := v.(json.Number)
	if !ok {
		p.add(path, "must be a whole number, got %s", describe(v))
		return false
	}
	i, err := n.Int64()
	if err != nil {
		p.add(path, "must be a whole number, got %s", describe(v))
		return false
	}
	if i < int64(lo) || i > int64(hi) {
		p.add(path, "must be from %d to %d, got %d", lo, hi, i)
		return false
	}
	*out = int(i)
	return true
}

// enum decodes a string that must be one of allowed.
func (p *problems) enum(path string, v any, allowed []string, out *string) bool {
	s, ok := v.(string)
	if !ok {
		p.add(path, "must be one of %s, got %s", strings.Join(allowed, ", "), describe(v))
		return false
	}
	if !slices.Contains(allowed, s) {
		p.add(path, "%q is not one of %s%s", s, strings.Join(allowed, ", "), didYouMean(s, allowed))
		return false
	}
	*out = s
	return true
}

// strMap decodes a map of strings.
func (p *problems) strMap(path string, v any, out *map[string]string) {
	m, ok := v.(map[string]any)
	if !ok {
		p.add(path, "must be a map of names to strings, got %s", describe(v))
		return
	}
	res := map[string]string{}
	for _, k := range sortedKeys(m) {
		s, isStr := m[k].(string)
		if !isStr {
			p.add(path+"."+k, "must be a string, got %s", describe(m[k]))
			continue
		}
		res[k] = s
	}
	*out = res
}
