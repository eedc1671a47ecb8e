package adopt

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// insertion is a text to put into the stack file at a line and column.
type insertion struct {
	line int // 0-based line the text goes before (block) or into (flow)
	col  int // 0-based byte offset in that line, for a flow mapping
	text string
	flow bool
}

// IDEdit is an importId to write into the stack file: the entry
// section.key adopts the Datadog object of id ID.
type IDEdit struct {
	Section, Key, ID string
}

// Edit is the importId a match sets.
func (m Match) Edit() IDEdit { return IDEdit{Section: m.Section, Key: m.Key, ID: m.Object.ID} }

// Edits are the importIds matches set.
func Edits(matches []Match) []IDEdit {
	out := make([]IDEdit, len(matches))
	for i, m := range matches {
		out[i] = m.Edit()
	}
	return out
}

// Write returns the stack file with an `importId` line added to each
// edited object, and nothing else changed: the YAML is parsed only to
// find where each object is, and the lines are inserted into the text as
// it was, so comments, key order, quoting and blank lines stay.
func Write(data []byte, edits []IDEdit) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("the stack file is empty")
	}
	config := lookup(doc.Content[0], "config")
	if config == nil {
		return nil, fmt.Errorf("the stack file has no config")
	}
	var ins []insertion
	for _, m := range edits {
		section := lookup(config, kit.Namespace+":"+m.Section)
		if section == nil {
			return nil, fmt.Errorf("%s: not in the stack file", m.Section)
		}
		keyNode, obj := entry(section, m.Key)
		if obj == nil || obj.Kind != yaml.MappingNode || len(obj.Content) == 0 {
			return nil, fmt.Errorf("%s.%s: not a map in the stack file", m.Section, m.Key)
		}
		value := strconv.Quote(m.ID)
		if obj.Style&yaml.FlowStyle != 0 {
			ins = append(ins, insertion{line: obj.Line - 1, col: obj.Column, text: "importId: " + value + ", ", flow: true})
			continue
		}
		indent := strings.Repeat(" ", obj.Content[0].Column-1)
		// Right after the object's own key line, before any comment that
		// belongs to its first field.
		ins = append(ins, insertion{line: keyNode.Line, text: indent + "importId: " + value})
	}
	// From the bottom up, so that earlier line numbers stay right.
	sort.Slice(ins, func(i, j int) bool {
		if ins[i].line != ins[j].line {
			return ins[i].line > ins[j].line
		}
		return ins[i].col > ins[j].col
	})
	lines := strings.SplitAfter(string(data), "\n")
	for _, in := range ins {
		if in.flow {
			l := lines[in.line]
			if in.col > len(l) || l[in.col-1] != '{' {
				return nil, fmt.Errorf("line %d: expected a flow mapping", in.line+1)
			}
			lines[in.line] = l[:in.col] + in.text + l[in.col:]
			continue
		}
		eol := "\n"
		if strings.HasSuffix(lines[0], "\r\n") {
			eol = "\r\n"
		}
		if in.line > len(lines) {
			return nil, fmt.Errorf("line %d: past the end of the file", in.line+1)
		}
		if in.line == len(lines) || (in.line > 0 && !strings.HasSuffix(lines[in.line-1], "\n")) {
			lines[in.line-1] += eol
		}
		lines = append(lines[:in.line], append([]string{in.text + eol}, lines[in.line:]...)...)
	}
	return []byte(strings.Join(lines, "")), nil
}

// lookup finds a key's value in a mapping node.
func lookup(m *yaml.Node, key string) *yaml.Node {
	_, v := entry(m, key)
	return v
}

func entry(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}
