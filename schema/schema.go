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
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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

// userinfo is the user name and password of a URL (https://jane:pw@...).
var userinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^\s/@'"]*@`)

// maxMessage is the most of a validator's message shown: it quotes the
// value, which may be a 60 KB pattern.
const maxMessage = 300

// shown is a validator's message as stackcheck shows it: a URL's password
// never (the validator quotes the value that does not match a pattern),
// and a long value cut short.
func shown(msg string) string {
	msg = userinfo.ReplaceAllString(msg, "${1}…@")
	if len(msg) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}

// MaxFileSize is the largest stack file read: far above any real stack
// (production's is about 40 KB), it bounds the work a hostile file can
// cause.
const MaxFileSize = 4 << 20

// MaxConfigKeys is the most keys a stack file's config may hold: this
// program reads a few dozen, and a file of hundreds of thousands would
// take YAML readers, which compare a map's keys pair by pair, minutes.
const MaxConfigKeys = 1000

// What a stack file cannot hold, said alike by ddstack's loader
// (internal/stackfile) and by Instance.
const SecondDocument = `holds more than one YAML document (a line "---"); Pulumi reads only the first: remove the others`

// TooManyKeys refuses a config of n keys, more than MaxConfigKeys.
func TooManyKeys(n int) string {
	return fmt.Sprintf("config holds %d keys; a stack of this program has a few dozen at most (%d is the limit): each section's entries go under its key (pytorch-datadog:users:)", n, MaxConfigKeys)
}

// UnquotedDate refuses a value YAML reads as a timestamp.
func UnquotedDate(v string) string {
	return fmt.Sprintf("%s is an unquoted date or time, which YAML reads as a timestamp and Pulumi passes on rewritten (2024-01-01 becomes \"2024-01-01 00:00:00 +0000 UTC\"); quote it: '%s'", v, v)
}

// NotFinite refuses a number YAML reads as an infinity or NaN.
func NotFinite(v string) string {
	return v + " is not a number a config value can hold (JSON has no infinity or NaN); write a finite number"
}

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
		p := Problem{Path: path(doc, e.InstanceLocation), Msg: shown(e.ErrorKind.LocalizedString(printer))}
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
// describes.
// It reads the file's nodes once: a map's keys are checked with a map, not
// pair by pair as YAML's decoder does, aliases are expanded within a
// budget, and what a stack file cannot hold (a second document, a key
// that is not a name, an infinity) is said in the stack's terms.
func Instance(data []byte) (any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case err == io.EOF:
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("not YAML: %s", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return nil, errors.New(SecondDocument)
	}
	r := reader{budget: maxValues}
	v, err := r.value(&doc, nil)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(raw))
}

// maxValues bounds the values a file's aliases may expand to: a few
// lines of aliases can stand for billions.
const maxValues = 1_000_000

type reader struct{ budget int }

// value is n as a JSON value; at is its location, for messages.
func (r *reader) value(n *yaml.Node, at []string) (any, error) {
	if r.budget--; r.budget < 0 {
		return nil, fmt.Errorf("its aliases (*name) stand for more than %d values; write the values out", maxValues)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return r.value(n.Content[0], at)
	case yaml.AliasNode:
		return r.value(n.Alias, at)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := r.value(c, append(at, "["+strconv.Itoa(i)+"]"))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return r.mapping(n, at)
	}
	switch n.ShortTag() {
	case "!!timestamp":
		// As ddstack plan says: Pulumi would pass it on rewritten.
		return nil, fmt.Errorf("%s: line %d: %s", where(at), n.Line, UnquotedDate(n.Value))
	case "!!str", "!!binary":
		return n.Value, nil
	case "!!null":
		return nil, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: line %d: %q is not a value a stack file holds", where(at), n.Line, n.Value)
	}
	if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return nil, fmt.Errorf("%s: line %d: %s", where(at), n.Line, NotFinite(n.Value))
	}
	return v, nil
}

func (r *reader) mapping(n *yaml.Node, at []string) (any, error) {
	if len(at) == 1 && at[0] == "config" && len(n.Content)/2 > MaxConfigKeys {
		return nil, errors.New(TooManyKeys(len(n.Content) / 2))
	}
	out := make(map[string]any, len(n.Content)/2)
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, v)
			continue
		}
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!str":
		case k.Kind == yaml.ScalarNode:
			return nil, fmt.Errorf("%s: line %d: the key %s is not read as a name (YAML reads it as %s): quote it ('%s')", where(at), k.Line, k.Value, strings.TrimPrefix(k.ShortTag(), "!!"), k.Value)
		default:
			return nil, fmt.Errorf("%s: line %d: a key is a list or a map, and a key is a name: write it as one (such as jane-smith)", where(at), k.Line)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("%s: line %d: the key %q is given twice; keep one", where(at), k.Line, k.Value)
		}
		val, err := r.value(v, append(at, k.Value))
		if err != nil {
			return nil, err
		}
		out[k.Value] = val
	}
	// A merge key (<<: *defaults) adds the keys the map does not set.
	for _, m := range merged {
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			v, err := r.value(src, at)
			if err != nil {
				return nil, err
			}
			more, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: line %d: a merge (<<) takes a map or a list of maps", where(at), m.Line)
			}
			for key, val := range more {
				if _, set := out[key]; !set {
					out[key] = val
				}
			}
		}
	}
	return out, nil
}

// where is a location for a message: its config path (the project's
// namespace left out, an index in brackets), or the file.
func where(at []string) string {
	var b strings.Builder
	for i, seg := range at {
		switch {
		case i == 0 && seg == "config" && len(at) > 1:
			continue
		case i == 1 && at[0] == "config":
			seg = strings.TrimPrefix(seg, Namespace+":")
		case strings.HasPrefix(seg, "["):
			b.WriteString(seg)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	if b.Len() == 0 {
		return "(the stack file)"
	}
	return b.String()
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
