package adopt

import (
	"bytes"
	"fmt"
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
	// By and Source say, in the comment above the entry, what added it and
	// where from: "Added by ddstack import --add from
	// datadog_user.users[\"jane\"]."
	By, Source string
}

// Add returns the stack file with each addition written as a new entry at
// the top of its section (the section is added at the end of the config
// when the file has none), each under a comment naming the Terraform
// address it came from. Nothing else changes: comments, key order, quoting
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
			text, err := render(group, node.Content[0].Column-1, eol)
			if err != nil {
				return nil, err
			}
			ins = append(ins, insertion{line: keyNode.Line, text: text})
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
		if err := enc.Encode(map[string]any{a.Key: a.Entry}); err != nil {
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
