// Package tfstate reads the Datadog objects out of a Terraform or OpenTofu
// state: either the JSON of `tofu show -json` / `terraform show -json`, or a
// raw terraform.tfstate of format version 4. Modules are walked too.
package tfstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Object is one managed Datadog object of the state.
type Object struct {
	// Address is the Terraform address: module.x.datadog_user.users["jane"].
	Address string
	Type    string
	// ID is the object's Datadog id, the value Pulumi imports.
	ID string
	// Key is the value of the attributes it is matched on, joined with ":"
	// when there are several: a user's email, a monitor's name, a Slack
	// channel's account and channel.
	Key string
	// Attrs are all its attributes, as the state holds them.
	Attrs map[string]any
}

// Read parses a state in either format and returns the objects of the
// adoptable types, sorted by address. adoptable maps each Terraform type to
// the attributes its objects are matched on (program.TerraformTypes: the
// registry); objects of other types are skipped. A state that lists an
// address twice, or one object (type and id) under two addresses, is
// refused, as is an id or match attribute that is not a string or a whole
// number; every error says where.
func Read(data []byte, adoptable map[string][]string) ([]Object, error) {
	var probe struct {
		FormatVersion string          `json:"format_version"`
		Version       *int            `json:"version"`
		Values        json.RawMessage `json:"values"`
		Resources     json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, jsonError("the state", "", err)
	}
	var (
		objs []Object
		err  error
	)
	switch {
	case probe.FormatVersion != "":
		objs, err = readShow(probe.Values, adoptable)
	case probe.Version != nil && *probe.Version == 4:
		objs, err = readRaw(probe.Resources, adoptable)
	case probe.Version != nil:
		return nil, fmt.Errorf("state format version %d; ddstack reads version 4, or the JSON of `tofu show -json`", *probe.Version)
	default:
		return nil, fmt.Errorf("not a Terraform state: neither `show -json` output (format_version) nor a terraform.tfstate (version)")
	}
	if err != nil {
		return nil, err
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Address < objs[j].Address })
	if err := unique(objs); err != nil {
		return nil, err
	}
	return objs, nil
}

// unique refuses a state that lists an address twice, or one Datadog
// object (one type, one id) under two addresses: adopting it twice would
// make two Pulumi resources manage one object. objs are sorted by address.
func unique(objs []Object) error {
	type typeID struct{ typ, id string }
	seen := map[typeID]string{}
	for i, o := range objs {
		if i > 0 && objs[i-1].Address == o.Address {
			return fmt.Errorf("the state lists %s twice", o.Address)
		}
		k := typeID{o.Type, o.ID}
		if first, dup := seen[k]; dup {
			return fmt.Errorf("%s and %s have the same id %q: one Datadog object is in a state once", first, o.Address, o.ID)
		}
		seen[k] = o.Address
	}
	return nil
}

// object makes an Object from a resource's attributes, keyed by the
// attributes matchOn.
func object(address, typ string, matchOn []string, attrs map[string]any) (Object, error) {
	o := Object{Address: address, Type: typ, Attrs: attrs}
	id, err := attr(attrs, "id")
	if err != nil {
		return o, fmt.Errorf("%s: %w", address, err)
	}
	if id == "" {
		return o, fmt.Errorf("%s has no id attribute", address)
	}
	o.ID = id
	var parts []string
	for _, a := range matchOn {
		v, err := attr(attrs, a)
		if err != nil {
			return o, fmt.Errorf("%s: %w", address, err)
		}
		if v == "" {
			return o, fmt.Errorf("%s has no %s attribute to match on", address, a)
		}
		parts = append(parts, v)
	}
	o.Key = strings.Join(parts, ":")
	return o, nil
}

// attr is a string attribute: a string, or a whole number (as JSON holds
// it, exactly up to 2^53); "" when it is missing or null. Any other value
// is an error: a state's ids and names are strings.
func attr(attrs map[string]any, name string) (string, error) {
	switch x := attrs[name].(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
		return "", fmt.Errorf("its %s attribute is the number %v, not a string", name, x)
	case bool:
		return "", fmt.Errorf("its %s attribute is %v, not a string", name, x)
	case []any:
		return "", fmt.Errorf("its %s attribute is a list, not a string", name)
	default:
		return "", fmt.Errorf("its %s attribute is a map, not a string", name)
	}
}

func str(v any) string {
	s, _ := attr(map[string]any{"": v}, "")
	return s
}

// jsonError says where a state's JSON is not what a state holds: the
// field, what it is and what it should be, without Go's types. whole names
// the value decoded, and prefix starts its fields' paths.
func jsonError(whole, prefix string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := whole
		if te.Field != "" {
			field = prefix + te.Field
		}
		return fmt.Errorf("not a Terraform state: %s is %s, not %s", field, jsonKind(te.Value), goKind(te.Type))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("not a Terraform state (JSON): %v, at byte %d", se, se.Offset)
	}
	return fmt.Errorf("not a Terraform state (JSON): %w", err)
}

// jsonKind names a JSON value as json.UnmarshalTypeError describes it
// ("number", "number 4.5", "array").
func jsonKind(v string) string {
	kind, val, _ := strings.Cut(v, " ")
	switch kind {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "number":
		if val != "" {
			return "the number " + val
		}
		return "a number"
	case "bool":
		return "a boolean"
	}
	return "a " + kind
}

func goKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.Kind().String()
}

// readShow reads `show -json` values: root_module and its child_modules.
func readShow(raw json.RawMessage, adoptable map[string][]string) ([]Object, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil // an empty state
	}
	type resource struct {
		Address string         `json:"address"`
		Mode    string         `json:"mode"`
		Type    string         `json:"type"`
		Values  map[string]any `json:"values"`
	}
	type module struct {
		Resources    []resource `json:"resources"`
		ChildModules []module   `json:"child_modules"`
	}
	var values struct {
		RootModule module `json:"root_module"`
	}
	if err := json.Unmarshal(raw, &values); err != nil {
		return nil, jsonError("values", "values.", err)
	}
	var out []Object
	var walk func(m module) error
	walk = func(m module) error {
		for _, r := range m.Resources {
			matchOn, ok := adoptable[r.Type]
			if r.Mode != "managed" || !ok {
				continue
			}
			o, err := object(r.Address, r.Type, matchOn, r.Values)
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		for _, c := range m.ChildModules {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(values.RootModule)
}

// readRaw reads a format-version-4 terraform.tfstate.
func readRaw(raw json.RawMessage, adoptable map[string][]string) ([]Object, error) {
	var resources []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   any            `json:"index_key"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &resources); err != nil {
			return nil, jsonError("resources", "resources.", err)
		}
	}
	var out []Object
	for _, r := range resources {
		matchOn, ok := adoptable[r.Type]
		if r.Mode != "managed" || !ok {
			continue
		}
		base := r.Type + "." + r.Name
		if r.Module != "" {
			base = r.Module + "." + base
		}
		for _, inst := range r.Instances {
			address := base
			switch k := inst.IndexKey.(type) {
			case string:
				address += fmt.Sprintf("[%q]", k)
			case float64:
				address += fmt.Sprintf("[%s]", strconv.FormatFloat(k, 'f', -1, 64))
			}
			o, err := object(address, r.Type, matchOn, inst.Attributes)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// RoleNames maps the ids of the state's Datadog roles, managed ones and
// those read by a data source (the built-in roles a configuration looks up
// by name), to their names: what a user's `roles` ids stand for.
func RoleNames(data []byte) map[string]string {
	out := map[string]string{}
	var doc struct {
		Values struct {
			RootModule json.RawMessage `json:"root_module"`
		} `json:"values"`
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return out
	}
	add := func(typ string, attrs map[string]any) {
		if typ == "datadog_role" && str(attrs["id"]) != "" && str(attrs["name"]) != "" {
			out[str(attrs["id"])] = str(attrs["name"])
		}
	}
	for _, r := range doc.Resources {
		for _, inst := range r.Instances {
			add(r.Type, inst.Attributes)
		}
	}
	type module struct {
		Resources []struct {
			Type   string         `json:"type"`
			Values map[string]any `json:"values"`
		} `json:"resources"`
		ChildModules []json.RawMessage `json:"child_modules"`
	}
	var walk func(raw json.RawMessage, depth int)
	walk = func(raw json.RawMessage, depth int) {
		var m module
		if depth > 64 || json.Unmarshal(raw, &m) != nil {
			return
		}
		for _, r := range m.Resources {
			add(r.Type, r.Values)
		}
		for _, c := range m.ChildModules {
			walk(c, depth+1)
		}
	}
	if len(doc.Values.RootModule) > 0 {
		walk(doc.Values.RootModule, 0)
	}
	return out
}
