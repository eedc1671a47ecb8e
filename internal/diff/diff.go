// Package diff compares two plans of the program, the desired state of two
// stack configs: which resources are added, removed and changed, and for a
// change which properties differ. Secrets are compared by the fingerprint of
// their ciphertext and only ever shown as "[secret]".
package diff

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
)

// Result is the difference between two plans.
type Result struct {
	Stack     string     `json:"stack"`
	Base      string     `json:"base"`
	Added     []Resource `json:"added"`
	Removed   []Resource `json:"removed"`
	Changed   []Resource `json:"changed"`
	Unchanged int        `json:"unchanged"`
}

// Resource is one added, removed or changed resource.
type Resource struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// Inputs are an added or removed resource's inputs, secrets masked.
	Inputs map[string]any `json:"inputs,omitempty"`
	// Properties are a changed resource's differing properties.
	Properties []Property `json:"properties,omitempty"`
}

// Property is one property that differs. For a secret, Old and New are
// "[secret]" and Secret is true.
type Property struct {
	Path   string `json:"path"`
	Old    any    `json:"old"`
	New    any    `json:"new"`
	Secret bool   `json:"secret,omitempty"`
}

// HasChanges says whether the plans differ.
func (r *Result) HasChanges() bool {
	return len(r.Added)+len(r.Removed)+len(r.Changed) > 0
}

// Compare compares the base plan with the new one. A nil base is an empty
// stack, as for a stack that does not exist at the base.
func Compare(base, head *plan.Plan, baseName string) *Result {
	res := &Result{Stack: head.Stack, Base: baseName, Added: []Resource{}, Removed: []Resource{}, Changed: []Resource{}}
	old := index(base)
	cur := index(head)
	for _, key := range slices.Sorted(maps.Keys(cur)) {
		h := cur[key]
		b, existed := old[key]
		if !existed {
			res.Added = append(res.Added, Resource{Type: h.Type, Name: h.Name, Inputs: mask(normalize(h.Inputs), "", secretPaths(h, flagged(head), nil)).(map[string]any)})
			continue
		}
		props := properties(b, h, flagged(base), flagged(head))
		if len(props) == 0 {
			res.Unchanged++
			continue
		}
		res.Changed = append(res.Changed, Resource{Type: h.Type, Name: h.Name, Properties: props})
	}
	for _, key := range slices.Sorted(maps.Keys(old)) {
		if _, kept := cur[key]; !kept {
			b := old[key]
			res.Removed = append(res.Removed, Resource{Type: b.Type, Name: b.Name, Inputs: mask(normalize(b.Inputs), "", secretPaths(b, flagged(base), nil)).(map[string]any)})
		}
	}
	return res
}

// flagged says whether a plan flags its secrets: a nil plan (no stack)
// has none to flag.
func flagged(p *plan.Plan) bool { return p == nil || p.Format >= 2 }

// index keys a plan's resources by type and name, the provider first.
func index(p *plan.Plan) map[string]plan.Resource {
	out := map[string]plan.Resource{}
	if p == nil {
		return out
	}
	for _, r := range p.Resources {
		out[sortKey(r.Type)+"\x00"+r.Name] = r
	}
	return out
}

func sortKey(typ string) string {
	if typ == ddmock.ProviderType {
		return "\x00" + typ
	}
	return typ
}

// properties lists what differs between two registrations of a resource:
// its inputs, nested objects by dotted path, and its provider, version,
// protection and import id.
func properties(b, h plan.Resource, baseFlagged, headFlagged bool) []Property {
	var out []Property
	walk("", normalize(b.Inputs), normalize(h.Inputs), secretPaths(b, baseFlagged, secretPaths(h, headFlagged, nil)), &out)
	for _, meta := range []struct {
		name     string
		old, new any
	}{
		{"(provider)", b.Provider, h.Provider},
		{"(version)", b.Version, h.Version},
		{"(protect)", b.Protect, h.Protect},
		{"(importId)", deref(b.ImportID), deref(h.ImportID)},
	} {
		if !reflect.DeepEqual(meta.old, meta.new) {
			out = append(out, Property{Path: meta.name, Old: meta.old, New: meta.new})
		}
	}
	return out
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// secretPaths adds a plan resource's secret paths to set. A plan from a
// ddstack that predates the flag (a base commit's) has none: there a value
// that is exactly a secret placeholder counts as secret, for the base side
// only; the head's flags come from this ddstack, so a plaintext that looks
// like a placeholder is shown as the text it is.
func secretPaths(r plan.Resource, flagged bool, set map[string]bool) map[string]bool {
	if set == nil {
		set = map[string]bool{}
	}
	for _, p := range r.Secrets {
		set[p] = true
	}
	if !flagged {
		placeholders("", normalize(r.Inputs), set)
	}
	return set
}

var placeholder = regexp.MustCompile(`^\[secret(:[0-9a-f]{8})?\]$`)

func placeholders(path string, v any, set map[string]bool) {
	switch x := v.(type) {
	case string:
		if placeholder.MatchString(x) {
			set[path] = true
		}
	case []any:
		for i, e := range x {
			placeholders(path+"["+strconv.Itoa(i)+"]", e, set)
		}
	case map[string]any:
		for k, e := range x {
			placeholders(join(path, k), e, set)
		}
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func walk(path string, old, cur any, secrets map[string]bool, out *[]Property) {
	if secrets[path] {
		if !reflect.DeepEqual(old, cur) {
			*out = append(*out, Property{Path: path, Old: mask(old, path, secrets), New: mask(cur, path, secrets), Secret: true})
		}
		return
	}
	om, oldIsMap := old.(map[string]any)
	cm, curIsMap := cur.(map[string]any)
	if oldIsMap && curIsMap {
		keys := maps.Clone(om)
		maps.Copy(keys, cm)
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			walk(join(path, k), om[k], cm[k], secrets, out)
		}
		return
	}
	if reflect.DeepEqual(old, cur) {
		return
	}
	o, c := mask(old, path, secrets), mask(cur, path, secrets)
	// A list holding a secret: when only the secret differs, say so and
	// no more.
	*out = append(*out, Property{Path: path, Old: o, New: c, Secret: reflect.DeepEqual(o, c)})
}

// mask replaces the value at every secret path with "[secret]".
func mask(v any, path string, secrets map[string]bool) any {
	if secrets[path] && path != "" {
		if v == nil {
			return nil
		}
		return ddmock.Secret
	}
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = mask(e, path+"["+strconv.Itoa(i)+"]", secrets)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = mask(e, join(path, k), secrets)
		}
		return out
	default:
		return v
	}
}

// normalize makes values from a plan built here and from a plan read as
// JSON compare equal: numbers become float64, and so on.
func normalize(m map[string]any) any {
	data, err := json.Marshal(m)
	if err != nil {
		return m
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return m
	}
	if out == nil {
		return map[string]any{}
	}
	return out
}

// Summary is the one-line count of changes.
func (r *Result) Summary() string {
	if !r.HasChanges() {
		return fmt.Sprintf("no changes (%d unchanged)", r.Unchanged)
	}
	return fmt.Sprintf("%d to add, %d to change, %d to remove (%d unchanged)", len(r.Added), len(r.Changed), len(r.Removed), r.Unchanged)
}
