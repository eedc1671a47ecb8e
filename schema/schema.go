// Package schema holds the stack file's JSON Schema, stack.schema.json,
// which go generate ./internal/schema writes from the program's
// declarations, and checks a stack file against it (cmd/stackcheck): the
// static half of what ddstack plan checks, without compiling the Pulumi
// or Datadog SDKs. It imports nothing of the program.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// JSON is the stack file's JSON Schema (draft 2020-12).
//
//go:embed stack.schema.json
var JSON []byte

// Namespace is the project's config namespace, which messages leave out
// of paths (users.jane.email, as pulumi config set --path takes it).
const Namespace = "pytorch-datadog"

// Problem is one place where a stack file is not what the schema says.
type Problem struct {
	// Path is the config path (users.jane-smith.roles[0]), or for a key
	// outside config its name.
	Path string
	Msg  string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// Compile compiles JSON.
func Compile() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("stack.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("stack.schema.json")
}

// Check checks a stack file's YAML against the schema and returns every
// problem found, sorted by path; an error when the file is not YAML.
func Check(s *jsonschema.Schema, data []byte) ([]Problem, error) {
	doc, err := Instance(data)
	if err != nil {
		return nil, err
	}
	err = s.Validate(doc)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, err
	}
	printer := message.NewPrinter(language.English)
	seen := map[string]bool{}
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		p := Problem{Path: path(doc, e.InstanceLocation), Msg: e.ErrorKind.LocalizedString(printer)}
		if !seen[p.String()] {
			seen[p.String()] = true
			out = append(out, p)
		}
	}
	walk(ve)
	slices.SortStableFunc(out, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// Instance reads a stack file's YAML into the JSON value the schema
// describes (a timestamp YAML reads becomes its text, as editors read it).
func Instance(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("not YAML: %w", err)
	}
	raw, err := json.Marshal(jsonable(v))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(raw))
}

// jsonable turns what YAML decoded into values JSON holds.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonable(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	default:
		return x
	}
}

// path writes an instance location as a config path: the project's
// namespace left out, a list's index in brackets.
func path(doc any, location []string) string {
	var b strings.Builder
	v := doc
	for i, seg := range location {
		if i == 0 && seg == "config" && len(location) > 1 {
			v = child(v, seg)
			continue
		}
		if list, ok := v.([]any); ok {
			b.WriteString("[" + seg + "]")
			n, _ := strconv.Atoi(seg)
			if n >= 0 && n < len(list) {
				v = list[n]
			}
			continue
		}
		if i == 1 && location[0] == "config" {
			seg = strings.TrimPrefix(seg, Namespace+":")
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(seg)
		v = child(v, location[i])
	}
	if b.Len() == 0 {
		return "(the stack file)"
	}
	return b.String()
}

func child(v any, key string) any {
	if m, ok := v.(map[string]any); ok {
		return m[key]
	}
	return nil
}
