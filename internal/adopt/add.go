package adopt

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Addition is an object with no counterpart in the config (in a Terraform
// state: ddstack import --add; in Datadog: ddstack audit --add), written
// into the stack file as a new entry, so that what was made outside the
// stack is brought into code. Its entry carries the object's importId, so
// Pulumi adopts it rather than creating it.
type Addition struct {
	Section, Key string
	Entry        map[string]any
	// Spec is the entry's declaration, whose field order the entry is
	// written in; nil writes them sorted.
	Spec *kit.Spec
	// By and Source say, in the comment above the entry, what added it and
	// where from: "Added by ddstack import --add from
	// datadog_user.users[\"jane\"]."
	By, Source string
}

// Add returns the stack file with each addition written as a new entry
// where its key sorts among its section's entries (the section is added at
// the end of the config when the file has none), each under a comment
// saying where it came from, its fields in the order its Spec declares. Nothing else changes: comments, key order, quoting
// and line endings stay, as with Write.
func Add(data []byte, adds []Addition) ([]byte, error) {
	if len(adds) == 0 {
		return data, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the stack file is not a map")
	}
	top := doc.Content[0]
	configKey, config := entry(top, "config")
	if config == nil || config.Kind != yaml.MappingNode || len(config.Content) == 0 || config.Style&yaml.FlowStyle != 0 {
		return nil, fmt.Errorf("the stack file has no config written as a block map")
	}
	configIndent := config.Content[0].Column - 1

	eol := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		eol = "\r\n"
	}
	lines := strings.SplitAfter(string(data), "\n")
	if last := lines[len(lines)-1]; last == "" {
		lines = lines[:len(lines)-1]
	} else if !strings.HasSuffix(last, "\n") {
		lines[len(lines)-1] += eol
	}

	bySection := map[string][]Addition{}
	for _, a := range adds {
		bySection[a.Section] = append(bySection[a.Section], a)
	}
	type insertion struct {
		line int // 0-based line the text goes before
		text []string
	}
	var ins []insertion
	var appended []string
	for _, section := range kit.SortedKeys(bySection) {
		group := bySection[section]
		sort.Slice(group, func(i, j int) bool { return group[i].Key < group[j].Key })
		keyNode, node := entry(config, kit.Namespace+":"+section)
		switch {
		case keyNode == nil:
			appended = append(appended, strings.Repeat(" ", configIndent)+kit.Namespace+":"+section+":"+eol)
			text, err := render(group, configIndent+2, eol)
			if err != nil {
				return nil, err
			}
			appended = append(appended, text...)
		case node.Kind == yaml.MappingNode && node.Style&yaml.FlowStyle == 0 && len(node.Content) > 0:
			// Each entry goes where its key sorts among the section's:
			// before the first entry whose key is greater (and its
			// comments), else after the section's last.
			end := sectionEnd(top, config, keyNode, len(lines))
			at := map[int][]Addition{}
			for _, a := range group {
				line := end
				for i := 0; i+1 < len(node.Content); i += 2 {
					if k := node.Content[i]; k.Value > a.Key {
						line = startLine(k)
						break
					}
				}
				at[line] = append(at[line], a)
			}
			for line, here := range at {
				text, err := render(here, node.Content[0].Column-1, eol)
				if err != nil {
					return nil, err
				}
				ins = append(ins, insertion{line: line, text: text})
			}
		case node.Kind == yaml.ScalarNode && node.Tag == "!!null" && node.Line == keyNode.Line && strings.TrimSpace(strings.SplitN(lines[keyNode.Line-1], "#", 2)[0]) == kit.Namespace+":"+section+":":
			text, err := render(group, keyNode.Column-1+2, eol)
			if err != nil {
				return nil, err
			}
			ins = append(ins, insertion{line: keyNode.Line, text: text})
		default:
			return nil, fmt.Errorf("%s is written in flow style or is not a map in the stack file; add its entries by hand", section)
		}
	}
	if len(appended) > 0 {
		// New sections go at the end of the config, which must then end the
		// file: a key after it would otherwise fall inside the section.
		if configKey.Line < maxLine(top) && lastKey(top) != configKey {
			return nil, fmt.Errorf("the stack file has keys after config; add the new sections by hand")
		}
		ins = append(ins, insertion{line: len(lines), text: appended})
	}
	sort.Slice(ins, func(i, j int) bool { return ins[i].line > ins[j].line })
	for _, in := range ins {
		if in.line > len(lines) {
			return nil, fmt.Errorf("line %d: past the end of the file", in.line+1)
		}
		lines = append(lines[:in.line], append(in.text, lines[in.line:]...)...)
	}
	return []byte(strings.Join(lines, "")), nil
}

// render writes entries as YAML lines at an indentation, each under a
// comment naming where it came from.
func render(group []Addition, indent int, eol string) ([]string, error) {
	pad := strings.Repeat(" ", indent)
	var out []string
	for _, a := range group {
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Value: a.Key}, ordered(a.Entry, a.Spec),
		}}
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", a.Section, a.Key, err)
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
		out = append(out, pad+"# Added by "+kit.EscapeLine(a.By+" from "+a.Source)+"."+eol)
		for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			out = append(out, pad+l+eol)
		}
	}
	return out, nil
}

// ordered is a value as a YAML node, an object's fields in the order its
// spec declares them (a user's email first, its importId last), those it
// does not declare after them in sorted order.
func ordered(v any, spec *kit.Spec) *yaml.Node {
	m, isMap := v.(map[string]any)
	if !isMap {
		if list, isList := v.([]any); isList {
			n := &yaml.Node{Kind: yaml.SequenceNode}
			var item *kit.Spec
			if spec != nil {
				item = spec.Items
			}
			for _, e := range list {
				n.Content = append(n.Content, ordered(e, item))
			}
			return n
		}
		var n yaml.Node
		if err := n.Encode(v); err != nil {
			return &yaml.Node{Kind: yaml.ScalarNode, Value: fmt.Sprint(v)}
		}
		return &n
	}
	spec = formOf(m, spec)
	var keys []string
	if spec != nil {
		for _, f := range spec.Fields {
			if _, ok := m[f.Name]; ok {
				keys = append(keys, f.Name)
			}
		}
	}
	for _, k := range kit.SortedKeys(m) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range keys {
		var field *kit.Spec
		if spec != nil {
			field = spec.Field(k)
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, ordered(m[k], field))
	}
	return n
}

// formOf is the object form of spec an object is in: spec itself, or of
// its forms (a dashboard's structured form or its JSON) the first that
// declares every field the object has.
func formOf(m map[string]any, spec *kit.Spec) *kit.Spec {
	if spec == nil || len(spec.Fields) > 0 {
		return spec
	}
	for _, form := range spec.AnyOf {
		names := form.FieldNames()
		all := len(names) > 0
		for k := range m {
			all = all && slices.Contains(names, k)
		}
		if all {
			return form
		}
	}
	return spec
}

// startLine is the 0-based line where a mapping key's entry starts: its
// head comment's first line, or its own.
func startLine(k *yaml.Node) int {
	line := k.Line - 1
	if k.HeadComment != "" {
		line -= strings.Count(strings.TrimRight(k.HeadComment, "\n"), "\n") + 1
	}
	return line
}

// sectionEnd is the 0-based line after a section of config: where the
// next key of config starts (its comments first), or where the next key
// of the file does, or the end of the file.
func sectionEnd(top, config, sectionKey *yaml.Node, lines int) int {
	for _, m := range []*yaml.Node{config, top} {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Line > sectionKey.Line && (m == config || i > 0 && m.Content[i-2].Line <= sectionKey.Line) {
				return startLine(m.Content[i])
			}
		}
	}
	return lines
}

func lastKey(m *yaml.Node) *yaml.Node {
	if len(m.Content) < 2 {
		return nil
	}
	return m.Content[len(m.Content)-2]
}

func maxLine(n *yaml.Node) int {
	max := n.Line
	for _, c := range n.Content {
		if l := maxLine(c); l > max {
			max = l
		}
	}
	return max
}

// UniqueKey is key, or key-2, key-3... when used has it already: a new
// entry never takes an existing entry's key. An empty key (a name with no
// letter or digit) is "entry".
func UniqueKey(used map[string]bool, key string) string {
	if key == "" {
		key = "entry"
	}
	unique := key
	for i := 2; used[unique]; i++ {
		unique = fmt.Sprintf("%s-%d", key, i)
	}
	return unique
}
