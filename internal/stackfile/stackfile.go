// Package stackfile reads a Pulumi project file and a stack file into the raw
// config the engine would hand the program, without the Pulumi CLI, and with
// the Pulumi SDK's own loaders (github.com/pulumi/pulumi/sdk/v3/go/common/
// workspace and its config package): what `pulumi preview` refuses (a
// duplicated key, an anchor that contains itself, excessive aliasing, a
// stack without a key Pulumi.yaml requires, a value of the wrong declared
// type) ddstack refuses, and what it reads ddstack reads the same way.
//
// `secure:` values are never decrypted: each stands as a placeholder
// ("[secret:<fingerprint of the ciphertext>]"), as ddstack needs no
// passphrase or credentials, and its config path is recorded.
package stackfile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"gopkg.in/yaml.v3"

	"github.com/pytorch-fdn/pytorch-datadog/internal/boundedfile"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/schema"
)

// MaxSize is the largest stack or project file read (schema.MaxFileSize).
const MaxSize = schema.MaxFileSize

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
	// EncryptionSalt and SecretsProvider are the stack file's, for a
	// command that decrypts a secret with the stack's passphrase.
	EncryptionSalt  string
	SecretsProvider string
	// Ciphertexts are the stack file's `secure:` values by config path (as
	// in Raw.SecurePaths), for Decrypt.
	Ciphertexts map[string]string
	// Source is the stack file as it was read, for an edit to check that
	// it has not changed since (ddstack import and audit --write).
	Source []byte
	// Problems are what is wrong with the config read, each a
	// *configkit.PathError (a key Pulumi.yaml requires and the stack lacks,
	// an unquoted date, a number YAML reads as infinity): reported with
	// what the program finds, all at once (plan.Load). A file that cannot
	// be read at all is Load's error instead.
	Problems []error
}

// Load reads Pulumi.yaml from dir and the stack file: file when it is not
// empty, else dir/Pulumi.<stack>.yaml. A stack read from a file is named
// stack, or when stack is empty after the file (StackName). Project config
// defaults declared in Pulumi.yaml apply to keys the stack file does not
// set, and a key declared without a default must be set, as the Pulumi CLI
// requires.
func Load(dir, stack, file string) (*Stack, error) {
	path := file
	if path == "" {
		path = filepath.Join(dir, "Pulumi."+stack+".yaml")
	}
	if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err != nil {
		return nil, err
	}
	data, err := ReadFile(path, MaxSize)
	if err != nil {
		return nil, err
	}
	return LoadData(dir, stack, path, data)
}

// LoadData is Load for a stack file's content in hand (an edit not yet
// written): messages name path, the file it is meant for.
func LoadData(dir, stack, path string, data []byte) (s *Stack, err error) {
	// The SDK's loaders assert what they expect (contract.Failf) on some
	// input; no input may crash ddstack.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%s: cannot be read: %v", path, r)
		}
	}()
	if stack == "" {
		stack = StackName(path)
	}
	projectPath := filepath.Join(dir, "Pulumi.yaml")
	projectData, err := ReadFile(projectPath, MaxSize)
	if err != nil {
		return nil, err
	}
	project, err := workspace.LoadProjectBytes(projectData, projectPath, encoding.YAML)
	if err != nil {
		return nil, oneLine(err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: is %d bytes; a stack file is at most %d", path, len(data), MaxSize)
	}
	source := data
	data = stripBOM(data)
	s = &Stack{
		Source:  source,
		Project: project.Name.String(),
		Dir:     dir,
		Name:    stack,
		Path:    path,
		Raw:     kit.Raw{Values: map[string]string{}, Secret: map[string]bool{}},

		Ciphertexts: map[string]string{},
	}
	var errs []error
	report := func(key, format string, args ...any) {
		errs = append(errs, &kit.PathError{Path: displayPath(s.Project, key), Msg: fmt.Sprintf(format, args...)})
	}
	data, root, err := scan(data, path, s.Project, report)
	if err != nil {
		return nil, err
	}
	ps, err := loadProjectStack(project, data, root, path)
	if err != nil {
		msg := oneLine(err).Error()
		if strings.HasPrefix(msg, "expected project to be an object") {
			msg = "must be a YAML map holding config: (the stack's config by key)"
		}
		return nil, fmt.Errorf("%s: %s", path, msg)
	}

	s.EncryptionSalt, s.SecretsProvider = ps.EncryptionSalt, ps.SecretsProvider
	keys := make([]config.Key, 0, len(ps.Config))
	for k := range ps.Config {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b config.Key) int { return strings.Compare(a.String(), b.String()) })
	for _, k := range keys {
		v := ps.Config[k]
		obj, err := v.ToObject()
		if err != nil {
			report(k.String(), "cannot be read: %v", err)
			continue
		}
		before := len(errs)
		walk(obj, k.String(), v.Secure() && !v.Object(), func(p string, secure bool, leaf any) {
			if x, ok := leaf.(string); ok {
				if secure && x == "" {
					report(p, "is an empty secure value; set it with pulumi config set --secret --path '%s' <value>, or remove it", strings.TrimPrefix(displayPath(s.Project, p), s.Project+":"))
				}
			}
			if secure {
				s.Raw.SecurePaths = append(s.Raw.SecurePaths, displayPath(s.Project, p))
				if ct, ok := leaf.(string); ok {
					s.Ciphertexts[displayPath(s.Project, p)] = ct
				}
			}
		})
		if len(errs) > before {
			continue
		}
		text, err := v.Value(placeholders{})
		if err != nil {
			report(k.String(), "cannot be read: %v", err)
			continue
		}
		s.Raw.Values[k.String()] = text
		s.Raw.Secret[k.String()] = v.Secure()
	}
	fileErrs := applyProject(project, ps.Config, s, report)
	if err := errors.Join(fileErrs...); err != nil {
		return nil, err
	}
	slices.Sort(s.Raw.SecurePaths)
	s.Problems = errs
	return s, nil
}

// applyProject does what the Pulumi CLI does with Pulumi.yaml's config
// declarations before it runs a program: a declared key the stack does not
// set takes its default (or value); one with neither is missing; a set
// value must have the declared type, and be secure when declared secret.
func applyProject(project *workspace.Project, stack config.Map, s *Stack, report func(key, format string, args ...any)) []error {
	var errs []error
	name := project.Name.String()
	for _, decl := range kit.SortedKeys(project.Config) {
		t := project.Config[decl]
		full := decl
		if !strings.Contains(decl, ":") {
			full = name + ":" + decl
		}
		k, err := config.ParseKey(full)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: config.%s: %w", filepath.Join(s.Dir, "Pulumi.yaml"), decl, err))
			continue
		}
		v, set := stack[k]
		if !set {
			def := t.Default
			if t.Value != nil {
				def = t.Value
			}
			if def == nil {
				if k.Namespace() == name {
					report(full, "missing; Pulumi.yaml requires it (pulumi preview refuses the stack without it): add it to %s", s.Path)
				}
				continue
			}
			text, err := rawDefault(def)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: config.%s: default: %w", filepath.Join(s.Dir, "Pulumi.yaml"), decl, err))
				continue
			}
			s.Raw.Values[full] = text
			s.Raw.Secret[full] = false
			continue
		}
		if t.Secret && !v.Secure() {
			report(full, "must be secret, as Pulumi.yaml declares it: pulumi config set --secret %s", full)
		}
		if t.IsExplicitlyTyped() {
			text, ok := s.Raw.Values[full]
			if !ok {
				continue // already reported
			}
			var content any = text
			if v.Object() {
				if err := json.Unmarshal([]byte(text), &content); err != nil {
					continue
				}
			}
			if !workspace.ValidateConfigValue(*t.Type, t.Items, content) {
				report(full, "must be of type %s, as Pulumi.yaml declares it (pulumi preview refuses the stack otherwise)", workspace.InferFullTypeName(*t.Type, t.Items))
			}
		}
	}
	return errs
}

// rawDefault renders a declared default as the engine passes it: strings
// as they are, anything else as JSON.
func rawDefault(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	data, err := json.Marshal(normalize(v))
	return string(data), err
}

// normalize turns YAML's map[any]any into JSON-able maps.
func normalize(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = normalize(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	default:
		return v
	}
}

// walk visits every leaf of a config value (as config.Value.ToObject
// returns it: a nested secure value is {"secure": ciphertext}) with its path
// in `pulumi config set --path` form.
func walk(v any, path string, secure bool, visit func(path string, secure bool, leaf any)) {
	switch x := v.(type) {
	case map[string]any:
		if ct, ok := x["secure"].(string); ok && len(x) == 1 {
			visit(path, true, ct)
			return
		}
		for _, k := range kit.SortedKeys(x) {
			walk(x[k], path+"."+k, secure, visit)
		}
	case []any:
		for i, e := range x {
			walk(e, path+"["+strconv.Itoa(i)+"]", secure, visit)
		}
	default:
		visit(path, secure, v)
	}
}

// scan reports what the SDK's loader would take silently or report
// without a path: an unquoted date (YAML reads 2024-01-01 as a timestamp,
// and Pulumi passes the program "2024-01-01 00:00:00 +0000 UTC"), and
// .inf or .nan (which no config value can hold: Pulumi fails with a JSON
// error naming no key, and hides every other error). Each non-finite
// number is reported at its path and replaced by 0, so that the loader
// goes on to find any other problem. Aliases are not followed, so that a
// hostile file costs no more than its size.
//
// It refuses, at their line and path, keys that are not strings (a list,
// a number, true): the loader's message would show a Go type
// ([]interface {}{"a", "b"}). It also refuses a key of the file that is
// not one of a stack file's (confg: for config:), which the loader ignores
// silently. It returns the data the loader is to read and its root map
// (nil when the document is not one: the loader reports it).
func scan(data []byte, path, project string, report func(key, format string, args ...any)) ([]byte, *yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if dec.Decode(&doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return data, nil, nil // the loader reports it
	}
	if at, deep := tooDeep(doc.Content[0], "", 0); deep {
		// The SDK's loader takes memory in proportion to depth times size:
		// refuse before it reads the file.
		return nil, nil, fmt.Errorf("%s: %s: nested more than %d levels deep; a config value is far shallower", path, at, MaxDepth)
	}
	if err := keysAreNames(doc.Content[0], path, project); err != nil {
		return nil, nil, err
	}
	if err := configShape(doc.Content[0], path); err != nil {
		return nil, nil, err
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		// Pulumi reads the first document only: what follows a "---"
		// would look like config to a reviewer and do nothing.
		report(path, schema.SecondDocument)
	}
	root := doc.Content[0]
	changed := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if name := root.Content[i].Value; !slices.Contains(stackFileKeys, name) {
			report(path, "%q is not a key of a stack file%s; the stack's keys go under config:, and a stack file holds only %s",
				name, kit.DidYouMean(name, stackFileKeys), strings.Join(stackFileKeys, ", "))
		}
		if root.Content[i].Value != "config" || root.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		cfg := root.Content[i+1]
		written := map[string]string{}
		for j := 0; j+1 < len(cfg.Content); j += 2 {
			as := cfg.Content[j].Value
			key := as
			if !strings.Contains(key, ":") {
				key = project + ":" + key
			}
			if other, dup := written[key]; dup && other != as {
				// The loader would keep one of the two at random.
				report(key, "is given twice, as %q and as %q (a key without its namespace is the project's): keep one", other, as)
			}
			written[key] = as
			scanNode(cfg.Content[j+1], key, report, &changed)
		}
	}
	if !changed {
		return data, root, nil
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return data, root, nil
	}
	return out, root, nil
}

// configShape refuses a config that is not a map (config: hello), whose
// message from the loader names Go's types, and one with more keys than
// any stack of this program holds, which the loader would compare pair by
// pair for minutes.
func configShape(root *yaml.Node, path string) error {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "config" {
			continue
		}
		v := root.Content[i+1]
		switch {
		case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null":
		case v.Kind != yaml.MappingNode:
			return fmt.Errorf("%s: line %d: config must be a map of config keys to values (config:, then each key indented below it)", path, v.Line)
		case len(v.Content)/2 > schema.MaxConfigKeys:
			return fmt.Errorf("%s: %s", path, schema.TooManyKeys(len(v.Content)/2))
		}
	}
	return nil
}

// stackFileKeys are the keys a stack file holds (workspace.ProjectStack).
var stackFileKeys = []string{"config", "encryptedkey", "encryptionsalt", "environment", "secretsprovider"}

// keysAreNames refuses every mapping key that YAML does not read as a
// string (a list, a map, a number, true, null), at the config path of its
// map (the file's name outside config), with its line: Pulumi takes only
// string keys, and the SDK's loader says so in Go's terms
// ([]interface {}{"a", "b"}). A merge key (<<) is YAML's own, and kept.
func keysAreNames(root *yaml.Node, file, project string) error {
	var errs []error
	var visit func(n *yaml.Node, at string)
	visit = func(n *yaml.Node, at string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				where := file
				if at != "" {
					where = displayPath(project, at)
				}
				switch {
				case k.Kind == yaml.ScalarNode && (k.ShortTag() == "!!str" || k.ShortTag() == "!!merge"):
					next := join(at, k.Value)
					if n == root {
						// The config's keys are paths of their own; the
						// file's other keys are not config.
						next = ""
						if k.Value != "config" {
							continue
						}
					}
					visit(v, next)
				case k.Kind == yaml.ScalarNode:
					what := map[string]string{"!!int": "a number", "!!float": "a number", "!!bool": "a boolean", "!!null": "null", "!!timestamp": "a date"}[k.ShortTag()]
					if what == "" {
						what = "a " + strings.TrimPrefix(k.ShortTag(), "!!")
					}
					errs = append(errs, &kit.PathError{Path: where, Msg: fmt.Sprintf(
						"line %d: the key %s is read as %s, and a key is a name: quote it ('%s')", k.Line, k.Value, what, k.Value)})
				default:
					what := map[yaml.Kind]string{yaml.SequenceNode: "a list", yaml.MappingNode: "a map", yaml.AliasNode: "an alias"}[k.Kind]
					errs = append(errs, &kit.PathError{Path: where, Msg: fmt.Sprintf(
						"line %d: a key is %s, and a key is a name: write it as one (such as jane-smith)", k.Line, what)})
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				visit(c, at+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	visit(root, "")
	return errors.Join(errs...)
}

// MaxDepth is how deep a stack file's values may nest: real config is a
// few levels deep (a test's assertion's target is five).
const MaxDepth = 64

// tooDeep finds a node nested deeper than MaxDepth, and its path.
func tooDeep(n *yaml.Node, path string, depth int) (string, bool) {
	if depth > MaxDepth {
		return path, true
	}
	for i, c := range n.Content {
		p := path
		if n.Kind == yaml.MappingNode && i%2 == 1 {
			p = join(path, n.Content[i-1].Value)
		} else if n.Kind == yaml.SequenceNode {
			p = path + "[" + strconv.Itoa(i) + "]"
		}
		if at, deep := tooDeep(c, p, depth+1); deep {
			return at, true
		}
	}
	return "", false
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func scanNode(n *yaml.Node, path string, report func(key, format string, args ...any), changed *bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			scanNode(n.Content[i+1], path+"."+n.Content[i].Value, report, changed)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			scanNode(c, path+"["+strconv.Itoa(i)+"]", report, changed)
		}
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!timestamp":
			report(path, "%s", schema.UnquotedDate(n.Value))
		case "!!float":
			var f float64
			if n.Decode(&f) == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
				report(path, "%s", schema.NotFinite(n.Value))
				n.Value, n.Tag, n.Style = "0", "!!int", 0
				*changed = true
			}
		}
	}
}

// displayPath writes a config path as messages do: a key of the project's
// own namespace without it (`users.jane`), any other with it
// (`datadog:apiKey`).
func displayPath(project, p string) string {
	if rest, ok := strings.CutPrefix(p, project+":"); ok {
		return rest
	}
	return p
}

// placeholders "decrypts" a ciphertext into its placeholder.
type placeholders struct{}

func (placeholders) DecryptValue(_ context.Context, ciphertext string) (string, error) {
	return kit.SecretPlaceholder(ciphertext), nil
}

func (p placeholders) BatchDecrypt(ctx context.Context, ciphertexts []string) ([]string, error) {
	out := make([]string, len(ciphertexts))
	for i, c := range ciphertexts {
		out[i], _ = p.DecryptValue(ctx, c)
	}
	return out, nil
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

// ReadFile is boundedfile.Read: every file ddstack is given is read so.
func ReadFile(path string, max int64) ([]byte, error) { return boundedfile.Read(path, max) }

func stripBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return b[3:]
	}
	return b
}

// oneLine keeps a loader's message on one line: each error is one line of
// ddstack's report.
func oneLine(err error) error {
	return errors.New(strings.Join(strings.Fields(err.Error()), " "))
}
