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
	"slices"
	"strings"

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
			res.Added = append(res.Added, Resource{Type: h.Type, Name: h.Name, Inputs: mask(normalize(h.Inputs)).(map[string]any)})
			continue
		}
		props := properties(b, h)
		if len(props) == 0 {
			res.Unchanged++
			continue
		}
		res.Changed = append(res.Changed, Resource{Type: h.Type, Name: h.Name, Properties: props})
	}
	for _, key := range slices.Sorted(maps.Keys(old)) {
		if _, kept := cur[key]; !kept {
			b := old[key]
			res.Removed = append(res.Removed, Resource{Type: b.Type, Name: b.Name, Inputs: mask(normalize(b.Inputs)).(map[string]any)})
		}
	}
	return res
}

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
func properties(b, h plan.Resource) []Property {
	var out []Property
	walk("", normalize(b.Inputs), normalize(h.Inputs), &out)
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

func walk(path string, old, cur any, out *[]Property) {
	if isSecret(old) || isSecret(cur) {
		if !reflect.DeepEqual(old, cur) {
			*out = append(*out, Property{Path: path, Old: mask(old), New: mask(cur), Secret: true})
		}
		return
	}
	om, oldIsMap := old.(map[string]any)
	cm, curIsMap := cur.(map[string]any)
	if oldIsMap && curIsMap {
		keys := maps.Clone(om)
		maps.Copy(keys, cm)
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			walk(p, om[k], cm[k], out)
		}
		return
	}
	if !reflect.DeepEqual(old, cur) {
		*out = append(*out, Property{Path: path, Old: mask(old), New: mask(cur)})
	}
}

func isSecret(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, "[secret")
}

// mask replaces every secret placeholder with "[secret]".
func mask(v any) any {
	switch x := v.(type) {
	case string:
		if isSecret(x) {
			return ddmock.Secret
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = mask(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = mask(e)
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
