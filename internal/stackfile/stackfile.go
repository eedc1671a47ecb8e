// Package stackfile reads a Pulumi project file and a stack file into the raw
// config the engine would hand the program, without the Pulumi CLI:
// `secure:` values are never decrypted and stand as a placeholder
// ("[secret:<fingerprint of the ciphertext>]") in secret keys, as `ddstack`
// needs no passphrase or credentials.
package stackfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
)

// Stack is a stack's config as read from its files.
type Stack struct {
	// Project is the project name from Pulumi.yaml.
	Project string
	// Dir is the project directory, holding Pulumi.yaml.
	Dir string
	// Name is the stack name.
	Name string
	// Path is the stack file read.
	Path string
	// Raw is the config as the engine would pass it to the program.
	Raw kit.Raw
}

// Load reads Pulumi.yaml from dir and the stack file: file when it is not
// empty, else dir/Pulumi.<stack>.yaml. A stack read from a file is named
// stack, or when stack is empty after the file (StackName). Project config
// defaults declared in Pulumi.yaml apply to keys the stack file does not
// set.
func Load(dir, stack, file string) (*Stack, error) {
	projectPath := filepath.Join(dir, "Pulumi.yaml")
	var project struct {
		Name   string               `yaml:"name"`
		Config map[string]yaml.Node `yaml:"config"`
	}
	if err := readYAML(projectPath, &project); err != nil {
		return nil, err
	}
	if project.Name == "" {
		return nil, fmt.Errorf("%s: no project name", projectPath)
	}

	path := file
	if path == "" {
		path = filepath.Join(dir, "Pulumi."+stack+".yaml")
	} else if stack == "" {
		stack = StackName(path)
	}
	var stackDoc struct {
		Config map[string]yaml.Node `yaml:"config"`
	}
	if err := readYAML(path, &stackDoc); err != nil {
		return nil, err
	}

	s := &Stack{
		Project: project.Name,
		Dir:     dir,
		Name:    stack,
		Path:    path,
		Raw:     kit.Raw{Values: map[string]string{}, Secret: map[string]bool{}},
	}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(stackDoc.Config)) {
		node := stackDoc.Config[key]
		if !strings.Contains(key, ":") {
			errs = append(errs, fmt.Errorf("%s:%d: config key %q needs its namespace, as %s:%s", path, node.Line, key, project.Name, key))
			continue
		}
		v, secret, err := rawValue(&node)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %w", path, node.Line, key, err))
			continue
		}
		s.Raw.Values[key] = v
		s.Raw.Secret[key] = secret
	}
	for _, key := range slices.Sorted(maps.Keys(project.Config)) {
		full := key
		if !strings.Contains(key, ":") {
			full = project.Name + ":" + key
		}
		if _, set := s.Raw.Values[full]; set {
			continue
		}
		decl := project.Config[key]
		if def, ok := declaredDefault(&decl); ok {
			v, secret, err := rawValue(def)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %s: %w", projectPath, def.Line, key, err))
				continue
			}
			s.Raw.Values[full] = v
			s.Raw.Secret[full] = secret
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// StackName takes the stack name from a file named Pulumi.<stack>.yaml, or
// else from the file's name without its extension.
func StackName(path string) string {
	base := filepath.Base(path)
	if name, ok := strings.CutPrefix(base, "Pulumi."); ok {
		if name, ok = strings.CutSuffix(name, ".yaml"); ok && name != "" {
			return name
		}
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func readYAML(path string, out any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// declaredDefault returns the default of a project config declaration:
// `key: {type, default, ...}`, `key: {value: ...}` or the shorthand
// `key: value`.
func declaredDefault(n *yaml.Node) (*yaml.Node, bool) {
	if n.Kind != yaml.MappingNode {
		return n, n.Kind == yaml.ScalarNode
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k == "default" || k == "value" {
			return n.Content[i+1], true
		}
	}
	return nil, false
}

// rawValue renders a stack file value as the engine passes it to the
// program: scalars as their text, objects and lists as JSON. A `secure:`
// value anywhere in it makes the whole key secret, and stands as a
// ddmock.SecretPlaceholder.
func rawValue(n *yaml.Node) (string, bool, error) {
	if isSecure(n) {
		return ddmock.SecretPlaceholder(n.Content[1].Value), true, nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" {
			return "null", false, nil
		}
		return n.Value, false, nil
	}
	secret := false
	v, err := plain(n, &secret)
	if err != nil {
		return "", false, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return "", false, err
	}
	return string(data), secret, nil
}

func isSecure(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "secure" && n.Content[1].Kind == yaml.ScalarNode
}

// plain decodes a node into JSON-able values, replacing secure values.
func plain(n *yaml.Node, secret *bool) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return plain(n.Alias, secret)
	case yaml.MappingNode:
		if isSecure(n) {
			*secret = true
			return ddmock.SecretPlaceholder(n.Content[1].Value), nil
		}
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			v, err := plain(n.Content[i+1], secret)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := plain(c, secret)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	default:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return v, nil
	}
}
