package stackfile

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"gopkg.in/yaml.v3"
)

// The SDK's stack loader (workspace.LoadProjectStackBytes) decodes the
// file with gopkg.in/yaml.v3, whose check for a mapping key written twice
// compares every pair of keys of a mapping: a stack of 20,000 users took 7
// s, most of it in that check, and a hostile file of 4 MiB of short keys
// far longer. loadProjectStack gives the loader's result in time linear in
// the file: the loader reads the file with each config value left empty
// (its structure, the secrets provider's fields, the config keys), and
// each value is made, as the loader makes it, by the SDK's own
// config.Value.UnmarshalYAML from what yaml.v3 decodes of it, the keys of
// each mapping checked once each. Scalars are decoded by yaml.v3 itself,
// and go through the encode and decode the loader puts every value
// through. A file with aliases or merge keys (which yaml.v3 resolves as it
// decodes) is left to the loader whole; FuzzLoadData checks both ways give
// one result.

// loadProjectStack is workspace.LoadProjectStackBytes of data, whose
// document root (parsed by yaml.v3) is root, nil when it is not a map.
func loadProjectStack(project *workspace.Project, data []byte, root *yaml.Node, path string) (*workspace.ProjectStack, error) {
	cfg := child(root, "config")
	if cfg == nil || cfg.Kind != yaml.MappingNode || !plain(root) {
		return workspace.LoadProjectStackBytes(nil, project, data, path, encoding.YAML)
	}
	if err := uniqueKeys(root); err != nil {
		return nil, err
	}
	// The loader reads the file's structure with each value empty.
	values := cfg.Content
	skeleton := *cfg
	skeleton.Content = make([]*yaml.Node, len(values))
	for i := 0; i < len(values); i += 2 {
		skeleton.Content[i] = values[i]
		skeleton.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ""}
	}
	top := *root
	top.Content = make([]*yaml.Node, len(root.Content))
	copy(top.Content, root.Content)
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "config" {
			top.Content[i+1] = &skeleton
		}
	}
	small, err := yaml.Marshal(&top)
	if err != nil {
		return nil, err
	}
	ps, err := workspace.LoadProjectStackBytes(nil, project, small, path, encoding.YAML)
	if err != nil {
		return nil, err
	}
	ps.Config = config.Map{}
	for i := 0; i+1 < len(values); i += 2 {
		name := values[i].Value
		if !strings.Contains(name, ":") {
			name = project.Name.String() + ":" + name
		}
		key, err := config.ParseKey(name)
		if err != nil {
			return nil, fmt.Errorf("could not unmarshal map: %w", err)
		}
		if n := values[i+1]; n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
			// yaml.v3 leaves a null's target as it is: no unmarshaler runs.
			ps.Config[key] = config.Value{}
			continue
		}
		decoded, err := decode(values[i+1])
		if err != nil {
			return nil, err
		}
		var v config.Value
		if err := v.UnmarshalYAML(func(out any) error {
			*out.(*any) = decoded
			return nil
		}); err != nil {
			return nil, fmt.Errorf("could not unmarshal map: %w", err)
		}
		ps.Config[key] = v
	}
	return ps, nil
}

// plain says whether a document has neither an alias nor a merge key, and
// only string keys: what yaml.v3 decodes without resolving anything.
func plain(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.AliasNode:
		return false
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
				return false
			}
		}
	}
	for _, c := range n.Content {
		if !plain(c) {
			return false
		}
	}
	return true
}

// uniqueKeys reports every mapping key written twice in its mapping, as
// yaml.v3 does, in time linear in the document.
func uniqueKeys(n *yaml.Node) error {
	var dups []string
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			first := make(map[string]int, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if line, dup := first[k.Value]; dup {
					dups = append(dups, fmt.Sprintf("line %d: mapping key %q already defined at line %d", k.Line, k.Value, line))
					continue
				}
				first[k.Value] = k.Line
			}
		}
		for _, c := range n.Content {
			visit(c)
		}
	}
	visit(n)
	if len(dups) == 0 {
		return nil
	}
	return fmt.Errorf("yaml: unmarshal errors:\n  %s", strings.Join(dups, "\n  "))
}

// decode is what yaml.v3 decodes of a node of a plain document into an
// interface value, after the encode and decode the loader puts it through.
func decode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := decode(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := decode(c)
			if err != nil {
				return nil, err
			}
			l[i] = v
		}
		return l, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	if n.ShortTag() == "!!str" {
		// A string is encoded so as to decode as itself.
		return v, nil
	}
	// A number, boolean, null or timestamp is encoded as yaml.v3 writes it
	// and read back, as the loader does (-0.0 is read back as 0).
	text, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	var again any
	if err := yaml.Unmarshal(text, &again); err != nil {
		return nil, err
	}
	return again, nil
}

// child is the value of a key of a mapping node, or nil.
func child(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
