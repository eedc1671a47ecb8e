package ddfake

import (
	"fmt"
	"math"
	"strconv"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
)

// conv says how a Terraform block becomes the API's JSON.
type conv struct {
	// lists are the block lists that stay lists, by Terraform name, with
	// the API's name (request → requests). Any other list of one block is
	// Terraform's way of writing one object, and becomes that object.
	lists map[string]string
	// drop leaves out the empty values Terraform writes for attributes
	// never set ("", [], {}), which the API would not hold: an empty
	// string is not a valid enum value. keep names attributes whose empty
	// value means something (a monitor summary's query "" is every
	// monitor).
	drop bool
	keep map[string]bool
	// names renames attributes whose API name differs (body_type →
	// bodyType).
	names map[string]string
}

// blocks converts a Terraform value (decoded JSON) by c.
func (c conv) blocks(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			name := k
			if to, ok := c.names[k]; ok {
				name = to
			}
			if to, ok := c.lists[k]; ok {
				if items, isList := val.([]any); isList {
					if len(items) == 0 && c.drop {
						continue
					}
					conv := make([]any, len(items))
					for i, it := range items {
						conv[i] = c.blocks(it)
					}
					out[to] = conv
					continue
				}
			}
			if c.empty(k, val) {
				continue
			}
			if items, isList := val.([]any); isList && len(items) > 0 && allMaps(items) {
				if len(items) == 1 {
					out[name] = c.blocks(items[0])
				} else {
					conv := make([]any, len(items))
					for i, it := range items {
						conv[i] = c.blocks(it)
					}
					out[name] = conv
				}
				continue
			}
			out[name] = c.blocks(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = c.blocks(it)
		}
		return out
	}
	return v
}

// empty says whether the attribute k's value val is left out.
func (c conv) empty(k string, val any) bool {
	if val == nil {
		return true
	}
	if !c.drop || c.keep[k] {
		return false
	}
	switch x := val.(type) {
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func allMaps(items []any) bool {
	for _, it := range items {
		if _, ok := it.(map[string]any); !ok {
			return false
		}
	}
	return true
}

// firstBlock is the block of a Terraform block list of one (nil if there
// is none).
func firstBlock(v any) map[string]any {
	items, _ := v.([]any)
	if len(items) == 0 {
		return nil
	}
	m, _ := items[0].(map[string]any)
	return m
}

// blockList is a Terraform block list's blocks.
func blockList(v any) []map[string]any {
	items, _ := v.([]any)
	var out []map[string]any
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// str is a string attribute ("" when it is missing or not a string).
func str(v any) string {
	s, _ := v.(string)
	return s
}

// number is a numeric attribute, which Terraform writes as a number or,
// for some (thresholds, priority), as a string; false when missing or
// empty.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

// copyAttrs copies the attributes names of a into m, under the same
// names, leaving out the missing and the empty.
func copyAttrs(m, a map[string]any, names ...string) {
	c := conv{drop: true}
	for _, n := range names {
		if v, ok := a[n]; ok && !c.empty(n, v) {
			m[n] = v
		}
	}
}

// decodeInto turns the API's JSON built as a map into a client model, by
// the client's own decoder: what the Fake serves is then what the client
// made of it.
func decodeInto(m map[string]any, model any) error {
	b, err := datadog.Marshal(m)
	if err != nil {
		return err
	}
	if err := datadog.Unmarshal(b, model); err != nil {
		return fmt.Errorf("not decoded by Datadog's client: %w", err)
	}
	return nil
}
