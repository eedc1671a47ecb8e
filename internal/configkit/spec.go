package configkit

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A Spec declares one config value: the one place its kind, meaning,
// requiredness, default, bounds and form are written. Each section's
// package declares its entries so (its Spec), and from that one
// declaration come the decoder's field names, requiredness and unknown
// fields (Problems.Object), the JSON Schema of the stack file that editors
// check as one types, and docs/configuration.md (internal/schema). The
// decoders' own checks (types, enums, ranges) use the values the Spec
// names (the same Go variables and constants), and a test proves the
// decoders and the declarations agree on every field.
type Spec struct {
	// Name is the value's field name in its object ("" for a list item, a
	// map value, a section).
	Name string
	// Title names the value in messages and the reference: "a user".
	Title string
	Kind  Kind
	// Required fields must be present in their object.
	Required bool
	// Doc says what the value means, in a sentence or a few (markdown).
	Doc string
	// Notes, for a section, are what more there is to know of it (how an
	// entry converges, examples), in markdown: the reference shows them
	// after its table; the schema leaves them out.
	Notes string
	// Default is the value an absent optional field stands for, when it
	// is one; DefaultDoc says it in words where it is not a value ("the
	// key", "left to Datadog").
	Default    any
	DefaultDoc string
	// Enum are the strings a String may be.
	Enum []string
	// Pattern is a regular expression a String matches whole (RE2 syntax
	// that ECMA-262 reads the same, for the JSON Schema); PatternDoc says
	// it in words.
	Pattern    string
	PatternDoc string
	// MinLength is a String's least length (1: not empty).
	MinLength int
	// Min and Max bound a Number or an Integer.
	Min, Max *float64
	// MinItems is a List's least length, MaxItems its most (0: none).
	MinItems, MaxItems int
	// Unique Lists hold each item once.
	Unique bool
	// Items is a List's item.
	Items *Spec
	// Fields are an Object's fields, in the order written and decoded.
	Fields []*Spec
	// Values is a Map's value, and KeyPattern the form of its keys.
	Values     *Spec
	KeyPattern string
	// AnyOf are the forms a value may take, for a value of several kinds
	// (a header: a string, or {secret, prefix, suffix}).
	AnyOf []*Spec
	// Secure values are `secure:` ciphertexts ({secure: ...}), written by
	// pulumi config set --secret.
	Secure bool
	// When are an Object's rules that depend on a field's value.
	When []When
	// AtMostOne are fields of an Object of which it has one at the most (a
	// queue's startsWith, contains and equals).
	AtMostOne []string
}

// When is a rule of an Object that holds when Field is one of Is: then
// Require are required and Forbid forbidden, and Narrow narrows fields
// further: a field of the same name there takes only its Enum (a subset of
// the field's own), or its Kind (Integer) within Min and Max.
type When struct {
	Field           string
	Is              []string
	Require, Forbid []string
	Narrow          []*Spec
}

// Kind is the JSON kind of a config value.
type Kind int

// The kinds of config values.
const (
	String Kind = iota + 1
	Bool
	Integer
	Number
	List
	Map
	Object
	// Any is any JSON value (a dashboard's JSON, a webhook's payload).
	Any
)

// KeyPattern is the form of config keys, which become logical names
// (IsKey).
const KeyPattern = `^[a-z0-9]+(-[a-z0-9]+)*$`

// OneLinePattern is the form of a name: one line, not empty, without
// spaces around it (what the decoders' checks of names refuse; the
// characters a terminal acts on the schema leaves to them).
const (
	OneLinePattern = `^\S(.*\S)?$`
	OneLineDoc     = "one line of text, without spaces around it"
)

// URLPattern is the form of an address of one of schemes (lower case), as
// the schema checks it: the scheme in any case, a host without a user
// name or password (which plans would show), no spaces. The decoders'
// URL checks (Problems.URL) say more, and refuse more.
func URLPattern(schemes ...string) string {
	alts := make([]string, len(schemes))
	for i, scheme := range schemes {
		var b strings.Builder
		for _, r := range scheme {
			b.WriteString("[" + strings.ToUpper(string(r)) + string(r) + "]")
		}
		alts[i] = b.String()
	}
	return `^(?:` + strings.Join(alts, "|") + `)://[^/?#@\s]+(?:[/?#]\S*)?$`
}

// Bound makes a bound for Min or Max.
func Bound(f float64) *float64 { return &f }

// Field finds a field of an Object by name, or nil.
func (s *Spec) Field(name string) *Spec {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// ObjectForms are the object forms with fields of a value of several
// forms (AnyOf).
func (s *Spec) ObjectForms() []*Spec {
	var out []*Spec
	for _, alt := range s.AnyOf {
		if alt.Kind == Object && len(alt.Fields) > 0 {
			out = append(out, alt)
		}
	}
	return out
}

// FieldNames are an Object's field names, in order.
func (s *Spec) FieldNames() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

// Describe describes an Object for "must be ..." messages: "a user
// ({email, roles, disabled, name, sendUserInvitation})".
func (s *Spec) Describe() string {
	names := s.FieldNames()
	if i := slices.Index(names, "importId"); i >= 0 {
		names = slices.Delete(names, i, i+1)
	}
	desc := "{" + strings.Join(names, ", ") + "}"
	if s.Title == "" {
		return desc
	}
	return s.Title + " (" + desc + ")"
}

// FieldSet writes an object's fields as {a, b, c} (importId left out).
func (s *Spec) FieldSet() string { return (&Spec{Fields: s.Fields}).Describe() }

// Optional is a copy of a declaration, not required.
func (s *Spec) Optional() *Spec {
	c := *s
	c.Required = false
	return &c
}

// Lenient is the object Problems.Object checks a value of one or several
// object forms against, where the decoder says itself what each form
// requires: every form's fields, each form's own first and those the
// forms share (importId) last, none of them required.
func Lenient(title string, forms ...*Spec) *Spec {
	count := map[string]int{}
	for _, form := range forms {
		for _, f := range form.Fields {
			count[f.Name]++
		}
	}
	out := &Spec{Title: title, Kind: Object}
	seen := map[string]bool{}
	for _, shared := range []bool{false, true} {
		for _, form := range forms {
			for _, f := range form.Fields {
				if seen[f.Name] || (count[f.Name] > 1) != shared {
					continue
				}
				seen[f.Name] = true
				out.Fields = append(out.Fields, f.Optional())
			}
		}
	}
	return out
}

// Check reports what is inconsistent in a declaration (a field declared
// twice, a default of another kind, a pattern that does not compile, a
// rule naming no field): the tests run it on every section's Spec.
func (s *Spec) Check(path string) []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{path}, args...)...))
	}
	if s.Kind == 0 && len(s.AnyOf) == 0 && !s.Secure {
		add("no kind")
	}
	if s.Doc == "" && s.Name != "" {
		add("no doc")
	}
	for _, p := range []string{s.Pattern, s.KeyPattern} {
		if p == "" {
			continue
		}
		if _, err := regexp.Compile(p); err != nil {
			add("pattern %q: %v", p, err)
		}
	}
	if s.Default != nil {
		ok := false
		switch s.Default.(type) {
		case string:
			ok = s.Kind == String
		case bool:
			ok = s.Kind == Bool
		case int:
			ok = s.Kind == Integer || s.Kind == Number
		case float64:
			ok = s.Kind == Number
		case []any, []string:
			ok = s.Kind == List
		case map[string]any:
			ok = s.Kind == Object || s.Kind == Map
		}
		if !ok {
			add("default %v (%T) is not a %v", s.Default, s.Default, s.Kind)
		}
		if str, isStr := s.Default.(string); isStr && len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			add("default %q is not one of its enum", str)
		}
	}
	if s.Required && (s.Default != nil || s.DefaultDoc != "") {
		add("required, and has a default")
	}
	seen := map[string]bool{}
	for _, f := range s.Fields {
		if f.Name == "" || seen[f.Name] {
			add("field %q declared twice or without a name", f.Name)
		}
		seen[f.Name] = true
		errs = append(errs, f.Check(path+"."+f.Name)...)
	}
	for _, w := range s.When {
		for _, n := range slices.Concat([]string{w.Field}, w.Require, w.Forbid) {
			if !seen[n] {
				add("rule on %s names no field %q", w.Field, n)
			}
		}
	}
	for _, n := range s.AtMostOne {
		if !seen[n] {
			add("at-most-one names no field %q", n)
		}
	}
	for name, inner := range map[string]*Spec{"[]": s.Items, ".*": s.Values} {
		if inner != nil {
			errs = append(errs, inner.Check(path+name)...)
		}
	}
	for i, alt := range s.AnyOf {
		errs = append(errs, alt.Check(fmt.Sprintf("%s(form %d)", path, i+1))...)
	}
	return errs
}

func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Bool:
		return "boolean"
	case Integer:
		return "whole number"
	case Number:
		return "number"
	case List:
		return "list"
	case Map:
		return "map"
	case Object:
		return "object"
	case Any:
		return "any value"
	}
	return "kind?"
}
