package kittest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Decoder decodes a section's raw value (JSON) as the program does, and
// returns what it decoded (the section's map of entries).
type Decoder func(p *kit.Problems, raw string) any

// Agree proves that a section's decoder and its declaration (Spec, whose
// JSON Schema editors check) agree on every field the declaration has,
// nested objects included, starting from base, an entry both accept:
//
//   - an unknown field is refused by both;
//   - a required field left out is refused by both, at its path;
//   - a value of another kind is refused by both, at its path;
//   - a string outside its enum, a number outside its bounds, a list
//     shorter than its least length, are refused by both, at its path;
//     each enum member and each bound is accepted by the decoder there;
//   - an optional field left out decodes as its declared default does;
//   - a rule of the object (when kind is metric, query is required) is
//     refused by both when broken; where a rule holds in base, the
//     fields it requires are probed as required, and those it forbids
//     only as forbidden (call Agree once per kind, each with its base).
//
// A value of several object forms (AnyOf: a dashboard structured or by
// its JSON, the entry itself or a field) is probed in the one form its
// value in base has: its fields as above, except that a field left out,
// or a field of another form added, must be refused by both or accepted
// by both (leaving out a namespace filter's include makes it the {} form,
// which both accept; leaving out a dashboard's json, the rest is in no
// form). Call Agree once per form, each with a base
// in it. With IntoListItems, the first item of each list of objects in
// base is probed too.
//
// Every probe changes one thing of base; key is the entry's key.
func Agree(t *testing.T, section string, spec *kit.Spec, base map[string]any, decode Decoder, opts ...Option) {
	t.Helper()
	require.Empty(t, spec.Check(section), "the declaration is consistent")
	require.NotNil(t, spec.Values, "%s declares its entries", section)
	schema := compile(t, spec)
	const key = "probe"
	run := func(entry map[string]any) ([]*kit.PathError, any, error) {
		section := map[string]any{key: entry}
		raw, err := json.Marshal(section)
		require.NoError(t, err)
		p := &kit.Problems{}
		decoded := decode(p, string(raw))
		var doc any
		require.NoError(t, json.Unmarshal(raw, &doc))
		return Problems(t, p), decoded, schema.Validate(doc)
	}
	problems, _, invalid := run(base)
	require.Empty(t, problems, "the base entry is valid")
	require.NoError(t, invalid, "the schema accepts the base entry")

	probe := agreement{t: t, run: run, root: section + "." + key, base: base, itemNarrowed: map[string]bool{}}
	itemFieldsNarrowed(spec, probe.itemNarrowed)
	for _, o := range opts {
		o(&probe)
	}
	if !probe.nested(spec.Values, base, nil) {
		t.Errorf("%s: the entry is neither an object with fields nor one of several object forms; nothing to probe", section)
	}
	assert.Positive(t, probe.count)
}

// Option changes what Agree probes.
type Option func(*agreement)

// IntoListItems probes the first item of each list of objects in the
// base entry (a dashboard's widgets) as Agree probes nested objects. (Off
// by default while the sections whose lists of objects have not been
// probed so catch up.)
func IntoListItems() Option {
	return func(a *agreement) { a.items = true }
}

type agreement struct {
	t     *testing.T
	run   func(map[string]any) ([]*kit.PathError, any, error)
	root  string
	base  map[string]any
	items bool
	// itemNarrowed are list items' fields a rule narrows (narrowedBy).
	itemNarrowed map[string]bool
	count        int
}

// nested probes a value of spec found in the base entry at path: an
// object's fields, the fields of the one object form (AnyOf) the value
// is in, or (IntoListItems) a list's first item. It says whether it
// probed anything.
func (a *agreement) nested(spec *kit.Spec, value any, path []string) bool {
	switch v := value.(type) {
	case map[string]any:
		if spec.Kind == kit.Object && len(spec.Fields) > 0 {
			a.object(spec, path, nil)
			return true
		}
		if forms := spec.ObjectForms(); len(forms) > 0 {
			if form := a.formOf(forms, v, a.root+dotted(path)); form != nil {
				a.object(form, path, forms)
				return true
			}
		}
	case []any:
		if a.items && spec.Kind == kit.List && spec.Items != nil && len(v) > 0 {
			return a.nested(spec.Items, v[0], append(slices.Clone(path), "[0]"))
		}
	}
	return false
}

// formOf is the one form whose schema accepts v, or nil (reported).
func (a *agreement) formOf(forms []*kit.Spec, v map[string]any, where string) *kit.Spec {
	var in []*kit.Spec
	for _, form := range forms {
		if compile(a.t, form).Validate(jsonValue(a.t, v)) == nil {
			in = append(in, form)
		}
	}
	if len(in) != 1 {
		a.t.Errorf("%s: the base's value is in %d of the forms %v; each probe needs it in one", where, len(in), titles(forms))
		return nil
	}
	return in[0]
}

func titles(forms []*kit.Spec) []string {
	var out []string
	for _, f := range forms {
		out = append(out, f.Describe())
	}
	return out
}

// jsonValue is v as the JSON Schema validator reads it.
func jsonValue(t *testing.T, v any) any {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

// object probes the fields of an object spec, found in the base entry at
// path (field names, "[0]" for a list's first item; nil for the entry
// itself). forms are the forms spec is one of, or nil.
func (a *agreement) object(spec *kit.Spec, at []string, forms []*kit.Spec) {
	t := a.t
	here := a.root + dotted(at)
	a.refused("an unknown field", append(slices.Clone(at), "zzUnknown"), 1, here+".zzUnknown")
	needs, bars := a.rules(spec, at)
	for _, f := range spec.Fields {
		if bars[f.Name] {
			// Refused whatever its value: the rule's probe below.
			continue
		}
		required := f.Required || needs[f.Name]
		path := append(slices.Clone(at), f.Name)
		fp := a.root + dotted(path)
		current, present := lookup(a.base, path)
		if forms != nil && (required || present) {
			// Without it, the value may be in another form, or in none.
			if entry, ok := a.mutate(path, deleteMe{}); ok {
				a.agrees(fp+" left out", entry, here)
			}
		} else if required {
			a.refused("left out", path, deleteMe{}, fp)
		} else if present {
			a.acceptedAt("left out (optional)", path, deleteMe{}, fp)
		}
		// A field the object's rules turn on (a test's kind), at another
		// value than its default, is probed for its default in a base
		// that has it: left out, it would switch the rules.
		switches := slices.ContainsFunc(spec.When, func(w kit.When) bool { return w.Field == f.Name }) &&
			fmt.Sprint(current) != fmt.Sprint(f.Default)
		if !required && present && f.Default != nil && !switches {
			without, _ := a.mutate(path, deleteMe{})
			with, _ := a.mutate(path, f.Default)
			p1, d1, _ := a.run(without)
			p2, d2, _ := a.run(with)
			if assert.Empty(t, p1, "%s left out", fp) && assert.Empty(t, p2, "%s set to its default %v", fp, f.Default) {
				// An empty list and none are one value.
				assert.Empty(t, cmp.Diff(d1, d2, cmpopts.EquateEmpty()), "%s: left out, it decodes as its declared default %v does", fp, f.Default)
			}
			a.count++
		}
		if wrong, ok := wrongKind(f); ok {
			a.refused("of another kind", path, wrong, fp)
		}
		switch {
		case len(f.Enum) > 0:
			a.refused("outside its enum", path, "zz-not-one-of-them", fp)
			if !a.narrowedBy(spec, f.Name) {
				// A field a rule narrows takes each member in some
				// case: narrowed probes them there.
				for _, member := range f.Enum {
					a.acceptedAt("an enum member", path, member, fp)
				}
			}
		case f.Kind == kit.Integer || f.Kind == kit.Number:
			if f.Min != nil {
				a.refused("below its least", path, *f.Min-1, fp)
				a.acceptedAt("its least", path, *f.Min, fp)
			}
			if f.Max != nil {
				a.refused("above its most", path, *f.Max+1, fp)
				a.acceptedAt("its most", path, *f.Max, fp)
			}
		case f.Kind == kit.List && f.MinItems > 0:
			a.refused("shorter than its least", path, []any{}, fp)
		}
		// An item twice: refused by both, or by neither.
		if items, ok := current.([]any); ok && f.Kind == kit.List && len(items) > 0 && (f.MaxItems == 0 || len(items) < f.MaxItems) {
			twice := append(slices.Clone(items), items[0])
			if f.Unique {
				a.refused("with an item twice", path, twice, fp)
			} else if entry, ok := a.mutate(path, twice); ok {
				a.count++
				problems, _, invalid := a.run(entry)
				assert.False(t, reported(problems, fp), "%s with an item twice: not declared unique, but the decoder refuses it: %v", fp, problems)
				assert.NoError(t, invalid, "%s with an item twice: the schema accepts it", fp)
			}
		}
		if present {
			a.nested(f, current, path)
		}
	}
	// A field of another form, alongside this form's.
	for _, other := range forms {
		for _, f := range other.Fields {
			if spec.Field(f.Name) != nil {
				continue
			}
			if entry, ok := a.mutate(append(slices.Clone(at), f.Name), sample(f)); ok {
				a.agrees(fmt.Sprintf("%s.%s, a field of %s", here, f.Name, other.Describe()), entry, here)
			}
		}
	}
	for _, w := range spec.When {
		if len(w.Require) > 0 {
			entry, ok := a.mutate(append(slices.Clone(at), w.Field), w.Is[0])
			if ok {
				// The base may lack the required field already: then the
				// entry with the field switched lacks it.
				if without, present := mutateIn(entry, append(slices.Clone(at), w.Require[0]), deleteMe{}); present {
					entry = without
				}
				a.refusedEntry(fmt.Sprintf("%s %s without %s", w.Field, w.Is[0], w.Require[0]), entry, here)
			}
		}
		if applies(spec, w, a.base, at) {
			for _, forbidden := range w.Forbid {
				entry, _ := a.mutate(append(slices.Clone(at), forbidden), "x")
				a.refusedEntry(fmt.Sprintf("%s %v with %s", w.Field, w.Is, forbidden), entry, here)
			}
		}
	}
	for _, w := range spec.When {
		if len(w.Narrow) > 0 {
			a.narrowed(spec, w, at, here)
		}
	}
	// Two of fields of which one at the most may be set.
	for i, first := range spec.AtMostOne {
		if _, present := lookup(a.base, append(slices.Clone(at), first)); !present {
			continue
		}
		for _, second := range slices.Concat(spec.AtMostOne[:i], spec.AtMostOne[i+1:]) {
			entry, ok := a.mutate(append(slices.Clone(at), second), "x")
			if ok {
				a.refusedEntry(fmt.Sprintf("%s with %s", first, second), entry, here)
			}
		}
	}
}

// rules are the fields the object's rules that hold in the base entry
// require and forbid: a field they require is probed as required, and
// one they forbid only as forbidden (its kind, enum and bounds do not
// matter where it may not be).
func (a *agreement) rules(spec *kit.Spec, at []string) (needs, bars map[string]bool) {
	needs, bars = map[string]bool{}, map[string]bool{}
	for _, w := range spec.When {
		if !applies(spec, w, a.base, at) {
			continue
		}
		for _, f := range w.Require {
			needs[f] = true
		}
		for _, f := range w.Forbid {
			bars[f] = true
		}
	}
	return needs, bars
}

// applies says whether a rule of the object at path in entry holds: its
// field is one of the rule's values, or is absent and its default is (as
// the JSON Schema reads the rule).
func applies(spec *kit.Spec, w kit.When, entry map[string]any, at []string) bool {
	if v, present := lookup(entry, append(slices.Clone(at), w.Field)); present {
		return slices.Contains(w.Is, fmt.Sprint(v))
	}
	f := spec.Field(w.Field)
	if f == nil {
		return false
	}
	def, isString := f.Default.(string)
	return isString && slices.Contains(w.Is, def)
}

// refused sets path to value (a deleteMe deletes it) and checks both
// refuse it, the decoder at want or below it.
func (a *agreement) refused(what string, path []string, value any, want string) {
	entry, ok := a.mutate(path, value)
	if !ok {
		return
	}
	a.count++
	problems, _, invalid := a.run(entry)
	assert.True(a.t, reported(problems, want), "%s %s: the decoder refuses it at %s; it reported %v", want, what, want, problems)
	assert.Error(a.t, invalid, "%s %s: the schema refuses it", want, what)
}

func (a *agreement) refusedEntry(what string, entry map[string]any, under string) {
	a.count++
	problems, _, invalid := a.run(entry)
	assert.True(a.t, reported(problems, under), "%s: the decoder refuses it; it reported %v", what, problems)
	assert.Error(a.t, invalid, "%s: the schema refuses it", what)
}

// agrees checks that the decoder and the schema take one view of entry:
// both refuse it (the decoder at under or below it), or both accept it.
func (a *agreement) agrees(what string, entry map[string]any, under string) {
	a.count++
	problems, _, invalid := a.run(entry)
	if invalid != nil {
		assert.True(a.t, reported(problems, under), "%s: the schema refuses it, so the decoder must at %s; it reported %v", what, under, problems)
		return
	}
	assert.Empty(a.t, problems, "%s: the schema accepts it, so the decoder must", what)
}

// sample is a value of f's kind: its default, else its first enum member,
// its least, or an empty one.
func sample(f *kit.Spec) any {
	if f.Default != nil {
		return f.Default
	}
	switch f.Kind {
	case kit.String:
		if len(f.Enum) > 0 {
			return f.Enum[0]
		}
		return "x"
	case kit.Bool:
		return true
	case kit.Integer, kit.Number:
		if f.Min != nil {
			return *f.Min
		}
		return 1
	case kit.List:
		return []any{}
	case kit.Map, kit.Object:
		return map[string]any{}
	}
	if len(f.AnyOf) > 0 {
		return sample(f.AnyOf[0])
	}
	return "x"
}

// acceptedAt checks the decoder takes value at path: no problem there (a
// rule of the object may still refuse the whole).
func (a *agreement) acceptedAt(what string, path []string, value any, fp string) {
	entry, ok := a.mutate(path, value)
	if !ok {
		return
	}
	a.count++
	problems, _, _ := a.run(entry)
	for _, pe := range problems {
		assert.NotEqual(a.t, fp, pe.Path, "%s %v (%s) is declared valid, but the decoder says: %s", fp, value, what, pe.Msg)
	}
}

// mutate returns a copy of the base entry with path set to value (or
// deleted).
func (a *agreement) mutate(path []string, value any) (map[string]any, bool) {
	return mutateIn(a.base, path, value)
}

type deleteMe struct{}

// mutateIn copies entry (deeply) and sets path to value; a deleteMe
// deletes it. It fails when an object on the way is not there.
func mutateIn(entry map[string]any, path []string, value any) (map[string]any, bool) {
	var c map[string]any
	data, _ := json.Marshal(entry)
	_ = json.Unmarshal(data, &c)
	parent, ok := lookup(c, path[:len(path)-1])
	if !ok {
		return nil, false
	}
	m, ok := parent.(map[string]any)
	if !ok {
		return nil, false
	}
	last := path[len(path)-1]
	if _, del := value.(deleteMe); del {
		if _, ok := m[last]; !ok {
			return nil, false
		}
		delete(m, last)
	} else {
		m[last] = value
	}
	return c, true
}

// lookup finds path in m: field names, and "[i]" for a list's item i.
func lookup(m map[string]any, path []string) (any, bool) {
	var v any = m
	for _, k := range path {
		if i, isItem := item(k); isItem {
			list, ok := v.([]any)
			if !ok || i >= len(list) {
				return nil, false
			}
			v = list[i]
			continue
		}
		mm, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// item reads a path element "[i]".
func item(k string) (int, bool) {
	inner, ok := strings.CutPrefix(k, "[")
	if !ok {
		return 0, false
	}
	inner, ok = strings.CutSuffix(inner, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(inner)
	return i, err == nil && i >= 0
}

// wrongKind is a value of another kind than the field's.
func wrongKind(f *kit.Spec) (any, bool) {
	if len(f.AnyOf) > 0 || f.Secure {
		return nil, false
	}
	switch f.Kind {
	case kit.String:
		return 12345, true
	case kit.Bool:
		return "yes", true
	case kit.Integer, kit.Number:
		return "7", true
	case kit.List, kit.Map, kit.Object:
		return true, true
	}
	return nil, false
}

// reported says whether a problem is at path or below it.
func reported(problems []*kit.PathError, path string) bool {
	for _, pe := range problems {
		if pe.Path == path || strings.HasPrefix(pe.Path, path+".") || strings.HasPrefix(pe.Path, path+"[") {
			return true
		}
	}
	return false
}

// dotted writes a path as messages do: .widgets[0].layout.
func dotted(path []string) string {
	var b strings.Builder
	for _, k := range path {
		if _, isItem := item(k); !isItem {
			b.WriteString(".")
		}
		b.WriteString(k)
	}
	return b.String()
}

// compile compiles a section's JSON Schema.
func compile(t *testing.T, spec *kit.Spec) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	doc := spec.JSONSchema()
	doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	loaded, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	require.NoError(t, err)
	require.NoError(t, c.AddResource("section.json", loaded))
	s, err := c.Compile("section.json")
	require.NoError(t, err)
	return s
}

// narrowed checks a rule's narrowed fields: from the base switched to the
// rule's case (its required fields given, its forbidden ones left out, its
// narrowed fields at their first member or least), a value the field
// takes elsewhere but not here is refused by both, at the field, and each
// value it takes here is accepted by both. A case the base cannot be made
// valid for is skipped (the field kinds of another case).
func (a *agreement) narrowed(spec *kit.Spec, w kit.When, at []string, here string) {
	t := a.t
	path := func(name string) []string { return append(slices.Clone(at), name) }
	entry, ok := a.mutate(path(w.Field), w.Is[0])
	if !ok {
		return
	}
	for _, r := range spec.When {
		if r.Field != w.Field || !slices.Contains(r.Is, w.Is[0]) {
			continue
		}
		for _, name := range r.Require {
			if _, present := lookup(entry, path(name)); !present {
				if f := spec.Field(name); f != nil {
					entry, _ = mutateIn(entry, path(name), sample(f))
				}
			}
		}
		for _, name := range r.Forbid {
			if without, present := mutateIn(entry, path(name), deleteMe{}); present {
				entry = without
			}
		}
	}
	for _, f := range w.Narrow {
		if with, ok := mutateIn(entry, path(f.Name), sample(f)); ok {
			entry = with
		}
	}
	problems, _, invalid := a.run(entry)
	if reported(problems, here) || invalid != nil {
		t.Logf("%s: %s %s not probed: the base made of its case is not valid (%v, %v)", here, w.Field, w.Is[0], problems, invalid)
		return
	}
	for _, f := range w.Narrow {
		fp := here + "." + f.Name
		probe := func(v any, accept bool) {
			e, _ := mutateIn(entry, path(f.Name), v)
			a.count++
			problems, _, invalid := a.run(e)
			if accept {
				assert.False(t, reported(problems, here), "%s %v with %s %s: declared valid, but the decoder says %v", fp, v, w.Field, w.Is[0], problems)
				assert.NoError(t, invalid, "%s %v with %s %s: the schema accepts it", fp, v, w.Field, w.Is[0])
				return
			}
			assert.True(t, reported(problems, fp), "%s %v with %s %s: the decoder refuses it at %s; it reported %v", fp, v, w.Field, w.Is[0], fp, problems)
			assert.Error(t, invalid, "%s %v with %s %s: the schema refuses it", fp, v, w.Field, w.Is[0])
		}
		for _, v := range f.Enum {
			probe(v, true)
		}
		if whole := spec.Field(f.Name); whole != nil {
			for _, v := range whole.Enum {
				if !slices.Contains(f.Enum, v) && len(f.Enum) > 0 {
					probe(v, false)
				}
			}
		}
		if f.Min != nil {
			probe(*f.Min, true)
			probe(*f.Min-1, false)
		}
		if f.Max != nil {
			probe(*f.Max, true)
			probe(*f.Max+1, false)
		}
		if f.Kind == kit.Integer && f.Min != nil {
			probe(*f.Min+0.5, false)
			probe(fmt.Sprint(*f.Min), false)
		}
	}
}

// narrowedBy says whether a rule of spec narrows the field name, or a
// rule of an enclosing object narrows a field of that name in a list's
// items (an ssl test's assertions take only ssl's assertion types).
func (a *agreement) narrowedBy(spec *kit.Spec, name string) bool {
	for _, w := range spec.When {
		if slices.ContainsFunc(w.Narrow, func(f *kit.Spec) bool { return f.Name == name }) {
			return true
		}
	}
	return a.itemNarrowed[name]
}

// itemFieldsNarrowed are the names of list items' fields that a rule
// anywhere in spec narrows.
func itemFieldsNarrowed(spec *kit.Spec, out map[string]bool) {
	if spec == nil {
		return
	}
	for _, w := range spec.When {
		for _, f := range w.Narrow {
			if f.Kind == kit.List && f.Items != nil {
				for _, g := range f.Items.Fields {
					out[g.Name] = true
				}
			}
		}
	}
	for _, f := range spec.Fields {
		itemFieldsNarrowed(f, out)
	}
	for _, f := range spec.AnyOf {
		itemFieldsNarrowed(f, out)
	}
	itemFieldsNarrowed(spec.Items, out)
	itemFieldsNarrowed(spec.Values, out)
}
