// Package configkit is the small toolkit every resource package decodes its
// section of the stack config with: paths and the problems found at them,
// joined into one error; typed field decoders that report the wrong type;
// did-you-mean suggestions; config keys, import ids and notification
// channels. It knows no resource type: each type's rules live in its own
// package (roles, users, monitors, synthetics).
package configkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Namespace is the project's config namespace; it must equal the project
// name in Pulumi.yaml. Paths in messages are written without it, as
// `pulumi config set --path` takes them.
const Namespace = "pytorch-datadog"

// Raw is the stack config as the engine hands it to a program: fully
// qualified keys (`namespace:key`) mapped to strings, object and array values
// encoded as JSON, and the set of keys whose values are secret.
type Raw struct {
	Values map[string]string
	Secret map[string]bool
	// SecurePaths are the config paths of the stack file's `secure:`
	// values, sorted ("secrets.incident-io-bearer", "datadog:apiKey"), when
	// the config was read from a stack file; the engine tells a program only
	// which whole keys are secret.
	SecurePaths []string
}

// Get returns a project key's raw value (key without its namespace).
func (r Raw) Get(key string) (string, bool) {
	v, ok := r.Values[Namespace+":"+key]
	return v, ok
}

// PathError is one problem in the stack config and the path where it is.
type PathError struct {
	Path string
	Msg  string
}

// Error is "path: message", every unsafe character of either escaped (see
// Escape): a key or a quoted value from the config may hold an escape
// sequence, and the message is printed to a terminal.
func (e *PathError) Error() string { return Escape(e.Path + ": " + e.Msg) }

// Problems collects every error found while decoding, each prefixed with
// its config path, so that all of them are reported at once.
type Problems struct {
	errs []error
}

// Add records a problem at a path.
func (p *Problems) Add(path, format string, args ...any) {
	p.errs = append(p.errs, &PathError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Len is how many problems were found so far: a decoder compares it before
// and after a field to know whether the field was valid.
func (p *Problems) Len() int { return len(p.errs) }

// Err joins every problem, or is nil when there is none.
func (p *Problems) Err() error { return errors.Join(p.errs...) }

// SortedKeys returns a map's keys in order: logical names are registered,
// and problems reported, in sorted key order.
func SortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// keyPattern is the form of config keys, which become logical names.
var keyPattern = regexp.MustCompile(KeyPattern)

// IsKey says whether s has the form of a config key (kebab-case).
func IsKey(s string) bool { return keyPattern.MatchString(s) }

// notKey is a run of what a config key cannot hold.
var notKey = regexp.MustCompile(`[^a-z0-9]+`)

// KeyOf makes a config key of a display name, a handle or an email's
// local part: lowercase letters and digits, each run of anything else one
// '-' ("Limited Read Write" is limited-read-write); fallback when nothing
// is left. ddstack import and audit key the entries they write so.
func KeyOf(name, fallback string) string {
	if key := strings.Trim(notKey.ReplaceAllString(strings.ToLower(name), "-"), "-"); key != "" {
		return key
	}
	return fallback
}

// Key checks a config key that becomes a resource's logical name.
func (p *Problems) Key(path, key string) {
	if !IsKey(key) {
		p.Add(path, "key %q must be lowercase letters and digits joined by '-' (for example jane-smith): it becomes the resource's logical name", key)
	}
}

// Section decodes a section's raw value (JSON, as the engine passes an
// object) into a map of entries by key.
func (p *Problems) Section(key, raw, what string) (map[string]any, bool) {
	v, ok := parseJSON(raw)
	switch {
	case !ok && strings.TrimSpace(raw) == "":
		// "users:" with nothing under it.
		p.Add(key, "must be a map of %s, got nothing: add an entry under it, or remove the key", what)
		return nil, false
	case !ok:
		p.Add(key, "must be a map of %s, got the string %q", what, raw)
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.Add(key, "must be a map of %s, got %s", what, Describe(v))
		return nil, false
	}
	return m, true
}

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

// Describe names a decoded value's type and shows it, for "got ..."
// messages.
func Describe(v any) string {
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

// Field is the decoder of one field of a config object, by its name in
// the object's Spec.
type Field struct {
	Name   string
	Decode func(path string, v any)
}

// Object checks that v is a map of the object spec declares: it reports
// the fields spec does not declare (with a did-you-mean) and the required
// ones that are missing, and hands each present field to its decoder, in
// the order of fields. Every field spec declares has a decoder in fields,
// and every decoder a declared field: a test of each section proves it.
func (p *Problems) Object(path string, v any, spec *Spec, fields []Field) bool {
	m, ok := v.(map[string]any)
	if !ok {
		p.Add(path, "must be %s, got %s", spec.Describe(), Describe(v))
		return false
	}
	known := spec.FieldNames()
	for _, k := range SortedKeys(m) {
		if !slices.Contains(known, k) {
			p.Add(path+"."+k, "unknown field%s; known fields: %s", DidYouMean(k, known), strings.Join(known, ", "))
		}
	}
	for _, f := range fields {
		declared := spec.Field(f.Name)
		if declared == nil {
			p.Add(path+"."+f.Name, "internal error: a decoder for a field %s does not declare; report it", spec.Describe())
			continue
		}
		fv, present := m[f.Name]
		if !present {
			if declared.Required {
				p.Add(path+"."+f.Name, "missing; it is required")
			}
			continue
		}
		f.Decode(path+"."+f.Name, fv)
	}
	return true
}

// String decodes a string.
func (p *Problems) String(path string, v any, out *string) bool {
	s, ok := v.(string)
	if !ok {
		p.Add(path, "must be a string, got %s", Describe(v))
		return false
	}
	*out = s
	return true
}

// OptString decodes an optional string: out stays nil when v is not one.
func (p *Problems) OptString(path string, v any, out **string) {
	var s string
	if p.String(path, v, &s) {
		*out = &s
	}
}

// NonEmpty reports a string that is empty or only spaces.
func (p *Problems) NonEmpty(path, s string) {
	if strings.TrimSpace(s) == "" {
		p.Add(path, "is empty")
	}
}

// Bool decodes true or false.
func (p *Problems) Bool(path string, v any, out *bool) bool {
	b, ok := v.(bool)
	if !ok {
		p.Add(path, "must be true or false, got %s", Describe(v))
		return false
	}
	*out = b
	return true
}

// OptBool decodes an optional boolean: out stays nil when v is not one.
func (p *Problems) OptBool(path string, v any, out **bool) {
	var b bool
	if p.Bool(path, v, &b) {
		*out = &b
	}
}

// StringList decodes a list of strings. A lone string is reported with the
// list it was probably meant to be.
func (p *Problems) StringList(path string, v any, what string, out *[]string) bool {
	list, ok := v.([]any)
	if !ok {
		if s, isStr := v.(string); isStr {
			p.Add(path, "must be a list of %s, got the string %q (write it as a list: [%q])", what, s, s)
			return false
		}
		p.Add(path, "must be a list of %s, got %s", what, Describe(v))
		return false
	}
	before := p.Len()
	res := make([]string, 0, len(list))
	for i, item := range list {
		s, isStr := item.(string)
		if !isStr {
			p.Add(fmt.Sprintf("%s[%d]", path, i), "must be a string, got %s", Describe(item))
			continue
		}
		res = append(res, s)
	}
	*out = res
	return p.Len() == before
}

// List decodes a list of anything.
func (p *Problems) List(path string, v any) []any {
	list, ok := v.([]any)
	if !ok {
		p.Add(path, "must be a list, got %s", Describe(v))
		return nil
	}
	return list
}

// StringMap decodes a map of strings.
func (p *Problems) StringMap(path string, v any, out *map[string]string) {
	m, ok := v.(map[string]any)
	if !ok {
		p.Add(path, "must be a map of names to strings, got %s", Describe(v))
		return
	}
	res := map[string]string{}
	for _, k := range SortedKeys(m) {
		s, isStr := m[k].(string)
		if !isStr {
			p.Add(path+"."+k, "must be a string, got %s", Describe(m[k]))
			continue
		}
		res[k] = s
	}
	*out = res
}

// Number decodes a number.
func (p *Problems) Number(path string, v any, out *float64) bool {
	n, ok := v.(json.Number)
	if !ok {
		p.Add(path, "must be a number, got %s", Describe(v))
		return false
	}
	f, err := n.Float64()
	if err != nil {
		p.Add(path, "must be a number, got %s", Describe(v))
		return false
	}
	*out = f
	return true
}

// OptNumber decodes an optional number: out stays nil when v is not one.
func (p *Problems) OptNumber(path string, v any, out **float64) {
	var f float64
	if p.Number(path, v, &f) {
		*out = &f
	}
}

// Int decodes a whole number within [lo, hi].
func (p *Problems) Int(path string, v any, lo, hi int, out *int) bool {
	n, ok := v.(json.Number)
	if !ok {
		p.Add(path, "must be a whole number, got %s", Describe(v))
		return false
	}
	i, err := n.Int64()
	if err != nil {
		p.Add(path, "must be a whole number, got %s", Describe(v))
		return false
	}
	if i < int64(lo) || i > int64(hi) {
		p.Add(path, "must be from %d to %d, got %d", lo, hi, i)
		return false
	}
	*out = int(i)
	return true
}

// Enum decodes a string that must be one of allowed.
func (p *Problems) Enum(path string, v any, allowed []string, out *string) bool {
	s, ok := v.(string)
	if !ok {
		p.Add(path, "must be one of %s, got %s", strings.Join(allowed, ", "), Describe(v))
		return false
	}
	if !slices.Contains(allowed, s) {
		p.Add(path, "%q is not one of %s%s", s, strings.Join(allowed, ", "), DidYouMean(s, allowed))
		return false
	}
	*out = s
	return true
}

// FormatNumber renders a number as Datadog shows it: 5000, 0.5, never in
// exponent form.
func FormatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Leaves unpacks joined errors into the single errors they join, in order.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, Leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// Entry is one entry of a section: its key, its path (section.key) and
// its value.
type Entry struct {
	Key, Path string
	Value     any
}

// Entries decodes a section (Section) into its entries in sorted key
// order, each key checked (Key): the loop every type's decoder runs.
// Absent, or not a map, the section has none.
func (p *Problems) Entries(section, raw string, present bool, what string) []Entry {
	if !present {
		return nil
	}
	m, ok := p.Section(section, raw, what)
	if !ok {
		return nil
	}
	out := make([]Entry, 0, len(m))
	for _, key := range SortedKeys(m) {
		path := section + "." + key
		p.Key(path, key)
		out = append(out, Entry{Key: key, Path: path, Value: m[key]})
	}
	return out
}

// DecodeEntry decodes one entry as the stack would hold it, {key: entry},
// with its section's decoder: what a conversion into the stack (ddstack
// import --add, audit --add) checks before it writes an entry, so that
// nothing the decoder refuses is ever written. It returns what the
// decoder made of the section, and the problems it found.
func DecodeEntry[T any](key string, entry map[string]any, decode func(p *Problems, raw string, present bool) T) (T, error) {
	var decoded T
	raw, err := json.Marshal(map[string]any{key: entry})
	if err != nil {
		return decoded, err
	}
	p := &Problems{}
	decoded = decode(p, string(raw), true)
	return decoded, p.Err()
}
