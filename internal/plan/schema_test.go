package plan

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// repoRoot holds Pulumi.yaml, the production stack and testdata/.
const repoRoot = "../.."

// The provider's public input schema lives in the repository, named by the
// provider version go.mod pins: the conformance test runs wherever the
// tests do, and fails (never skips) when the file is missing.
const sdkModule = "github.com/pulumi/pulumi-datadog/sdk/v4"

// pinnedVersion is the Datadog SDK version go.mod requires.
var pinnedVersion = sync.OnceValues(func() (string, error) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(regexp.QuoteMeta(sdkModule) + ` v(\S+)`).FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("go.mod requires no %s", sdkModule)
	}
	return string(m[1]), nil
})

func schemaPath(version string) string {
	return filepath.Join(repoRoot, "testdata", "datadog-provider-"+version+".json")
}

type property struct {
	Required bool   `json:"required"`
	Kind     string `json:"kind"`
}

type schema struct {
	Provider  string                         `json:"provider"`
	Version   string                         `json:"version"`
	Resources map[string]map[string]property `json:"resources"`
	Functions map[string]struct {
		Inputs map[string]property `json:"inputs"`
	} `json:"functions"`
	Types map[string]map[string]property `json:"types"`
}

var readSchema = sync.OnceValues(func() (*schema, error) {
	version, err := pinnedVersion()
	if err != nil {
		return nil, err
	}
	path := schemaPath(version)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the provider schema for the pinned SDK %s: %w (commit the provider's input schema there)", version, err)
	}
	var s schema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
})

func loadSchema(t *testing.T) *schema {
	t.Helper()
	s, err := readSchema()
	require.NoError(t, err)
	return s
}

// check lists every way a plan departs from the schema: resources and
// functions it does not have, another provider version, inputs of the
// wrong kind, unknown inputs, missing required ones. Sorted.
func (s *schema) check(p *Plan) []string {
	var out []string
	for _, r := range p.Resources {
		path := r.Type + "::" + r.Name
		if r.Version != s.Version {
			out = append(out, fmt.Sprintf("%s: provider version %q, the schema is %s", path, r.Version, s.Version))
		}
		props, ok := s.Resources[r.Type]
		if !ok {
			out = append(out, path+": not a resource of the schema")
			continue
		}
		out = append(out, s.properties(path, props, r.Inputs)...)
	}
	for _, inv := range p.Invokes {
		fn, ok := s.Functions[inv.Token]
		if !ok {
			out = append(out, inv.Token+": not a function of the schema")
			continue
		}
		out = append(out, s.properties(inv.Token, fn.Inputs, inv.Args)...)
	}
	sort.Strings(out)
	return out
}

// conform lists how the value v departs from kind.
func (s *schema) conform(path, kind string, v any) []string {
	if v == ddmock.Secret || v == ddmock.Unknown {
		return nil
	}
	switch {
	case kind == "string":
		if _, ok := v.(string); !ok {
			return []string{fmt.Sprintf("%s: want a string, got %T", path, v)}
		}
	case kind == "number":
		switch v.(type) {
		case int64, float64:
		default:
			return []string{fmt.Sprintf("%s: want a number, got %T", path, v)}
		}
	case kind == "boolean":
		if _, ok := v.(bool); !ok {
			return []string{fmt.Sprintf("%s: want a boolean, got %T", path, v)}
		}
	case strings.HasPrefix(kind, "array<"):
		list, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %T", path, v)}
		}
		var out []string
		for i, e := range list {
			out = append(out, s.conform(fmt.Sprintf("%s[%d]", path, i), inner(kind), e)...)
		}
		return out
	case strings.HasPrefix(kind, "map<"):
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a map, got %T", path, v)}
		}
		var out []string
		for k, e := range m {
			out = append(out, s.conform(path+"."+k, inner(kind), e)...)
		}
		return out
	case strings.HasPrefix(kind, "object<"):
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %T", path, v)}
		}
		props, known := s.Types[inner(kind)]
		if !known {
			return []string{fmt.Sprintf("%s: type %s is not in the schema", path, inner(kind))}
		}
		return s.properties(path, props, m)
	default:
		return []string{fmt.Sprintf("%s: unknown kind %s", path, kind)}
	}
	return nil
}

func (s *schema) properties(path string, props map[string]property, m map[string]any) []string {
	var out []string
	for k, v := range m {
		p, ok := props[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s.%s: not an input of the schema", path, k))
			continue
		}
		out = append(out, s.conform(path+"."+k, p.Kind, v)...)
	}
	for k, p := range props {
		if _, set := m[k]; p.Required && !set {
			out = append(out, fmt.Sprintf("%s.%s: required, not set", path, k))
		}
	}
	return out
}

func inner(kind string) string {
	return kind[strings.Index(kind, "<")+1 : len(kind)-1]
}

// stackFiles are the stack files of the project and every fixture stack:
// valid ones, and those meant to be invalid (named *invalid*).
func stackFiles(t *testing.T) (valid, invalid []string) {
	t.Helper()
	var files []string
	for _, pattern := range []string{
		filepath.Join(repoRoot, "Pulumi.*.yaml"),
		filepath.Join(repoRoot, "testdata", "stacks", "Pulumi.*.yaml"),
	} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, found...)
	}
	// Fixtures of the commands, at any depth.
	err := filepath.WalkDir(filepath.Join(repoRoot, "internal", "cli", "testdata"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ok, _ := filepath.Match("Pulumi.*.yaml", d.Name()); ok && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	require.NoError(t, err)
	for _, f := range files {
		if strings.Contains(strings.ToLower(filepath.Base(f)), "invalid") {
			invalid = append(invalid, f)
		} else {
			valid = append(valid, f)
		}
	}
	require.Contains(t, valid, filepath.Join(repoRoot, "Pulumi.prod.yaml"))
	require.Contains(t, valid, filepath.Join(repoRoot, "testdata", "stacks", "Pulumi.full.yaml"))
	return valid, invalid
}

// planOf loads a stack file and builds its plan.
func planOf(t *testing.T, file string) *Plan {
	t.Helper()
	s, err := stackfile.Load(repoRoot, "", file)
	require.NoError(t, err)
	cfg, err := Load(s)
	require.NoError(t, err)
	p, err := Build(s.Name, cfg, false)
	require.NoError(t, err)
	return p
}

func TestSchemaIsThePinnedProvider(t *testing.T) {
	t.Parallel()
	sch := loadSchema(t)
	version, err := pinnedVersion()
	require.NoError(t, err)
	assert.Equal(t, version, sch.Version, "the schema is the version of the SDK go.mod pins")
	assert.Equal(t, "datadog", sch.Provider)
	assert.Contains(t, sch.Resources, program.ProviderToken, "the provider's own inputs are checked too")
	for _, ty := range program.Types {
		assert.Contains(t, sch.Resources, ty.Token, "every type the program registers is in the schema")
	}
}

// TestStacksConformToProviderSchema holds everything the program registers
// and invokes, for the production stack and every valid fixture stack,
// against the provider's published input schema.
func TestStacksConformToProviderSchema(t *testing.T) {
	t.Parallel()
	sch := loadSchema(t)
	valid, invalid := stackFiles(t)
	for _, file := range valid {
		t.Run(strings.TrimPrefix(filepath.ToSlash(file), "../../"), func(t *testing.T) {
			t.Parallel()
			p := planOf(t, file)
			require.NotEmpty(t, p.Resources)
			assert.Empty(t, sch.check(p))
		})
	}
	// A file named invalid is left out above only because it is invalid.
	for _, file := range invalid {
		t.Run(strings.TrimPrefix(filepath.ToSlash(file), "../../")+" is invalid", func(t *testing.T) {
			t.Parallel()
			s, err := stackfile.Load(repoRoot, "", file)
			if err != nil {
				return
			}
			_, err = Load(s)
			assert.Error(t, err, "a fixture named invalid must not load; rename it to have it checked for conformance")
		})
	}
}

func TestSchemaCheckFindsDepartures(t *testing.T) {
	t.Parallel()
	sch := loadSchema(t)
	res := func(token string, inputs map[string]any) Resource {
		return Resource{Type: token, Name: "x", Version: sch.Version, Inputs: inputs}
	}
	user := func(extra map[string]any) Resource {
		in := map[string]any{"email": "a@example.org"}
		for k, v := range extra {
			in[k] = v
		}
		return res(users.Token, in)
	}
	const u = users.Token + "::x"
	tests := map[string]struct {
		plan Plan
		want []string
	}{
		"conforming": {
			Plan{Resources: []Resource{user(map[string]any{"roles": []any{"r"}, "disabled": false, "name": "A"})}},
			nil,
		},
		"secrets and unknowns are of any kind": {
			Plan{Resources: []Resource{
				res(program.ProviderToken, map[string]any{"apiUrl": "https://x", "apiKey": ddmock.Secret, "appKey": ddmock.Unknown}),
				user(map[string]any{"roles": ddmock.Unknown}),
			}},
			nil,
		},
		"wrong kinds, an unknown input, a required one missing": {
			Plan{Resources: []Resource{res(users.Token, map[string]any{"roles": "r", "disabled": "no", "role": []any{}})}},
			[]string{
				u + ".disabled: want a boolean, got string",
				u + ".email: required, not set",
				u + ".role: not an input of the schema",
				u + ".roles: want an array, got string",
			},
		},
		"an array's element": {
			Plan{Resources: []Resource{user(map[string]any{"roles": []any{"r", int64(3)}})}},
			[]string{u + ".roles[1]: want a string, got int64"},
		},
		"a nested object's field": {
			Plan{Resources: []Resource{res(monitors.Token, map[string]any{
				"name": "M", "type": "query alert", "query": "q > 1", "message": "m",
				"monitorThresholds": map[string]any{"critical": int64(1), "critcal": "1"},
			})}},
			[]string{
				monitors.Token + "::x.monitorThresholds.critcal: not an input of the schema",
				monitors.Token + "::x.monitorThresholds.critical: want a string, got int64",
			},
		},
		"an object in an array, and a map's value": {
			Plan{Resources: []Resource{res(synthetics.Token, map[string]any{
				"name": "T", "type": "api", "status": "live", "locations": []any{"aws:us-west-2"},
				"optionsList":    map[string]any{"tickEvery": "300"},
				"assertions":     []any{map[string]any{"type": "body", "operator": "contains", "target": int64(1)}},
				"requestHeaders": map[string]any{"accept": true},
			})}},
			[]string{
				synthetics.Token + "::x.assertions[0].target: want a string, got int64",
				synthetics.Token + "::x.optionsList.tickEvery: want a number, got string",
				synthetics.Token + "::x.requestHeaders.accept: want a string, got bool",
			},
		},
		"another provider version": {
			Plan{Resources: []Resource{{Type: roles.Token, Name: "r", Version: "4.67.0",
				Inputs: map[string]any{"name": "R", "permissions": []any{map[string]any{"id": "p"}}}}}},
			[]string{roles.Token + `::r: provider version "4.67.0", the schema is ` + sch.Version},
		},
		"a resource the schema does not have": {
			Plan{Resources: []Resource{res("datadog:index/dashboardList:DashboardList", map[string]any{"name": "D"})}},
			[]string{"datadog:index/dashboardList:DashboardList::x: not a resource of the schema"},
		},
		"a function the schema does not have, and a wrong argument": {
			Plan{Invokes: []Invoke{
				{Token: "datadog:index/getUser:getUser", Args: map[string]any{"filter": "a"}},
				{Token: ddmock.GetPermissions, Args: map[string]any{"includeRestricted": "yes"}},
				{Token: ddmock.GetRole, Args: map[string]any{}},
			}},
			[]string{
				ddmock.GetPermissions + ".includeRestricted: want a boolean, got string",
				ddmock.GetRole + ".filter: required, not set",
				"datadog:index/getUser:getUser: not a function of the schema",
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, sch.check(&tc.plan))
		})
	}

	t.Run("kinds and types the schema does not have", func(t *testing.T) {
		t.Parallel()
		odd := &schema{Types: map[string]map[string]property{}}
		props := map[string]property{"a": {Kind: "object<Missing>"}, "b": {Kind: "tuple<string>"}}
		assert.ElementsMatch(t, []string{
			"p.a: type Missing is not in the schema",
			"p.b: unknown kind tuple<string>",
		}, odd.properties("p", props, map[string]any{"a": map[string]any{}, "b": "x"}))
	})
}

// TestSchemaCheckSeesAPlansDeparture: the checker, run on a real plan,
// finds the inputs changed to the wrong kind there, and nothing else.
func TestSchemaCheckSeesAPlansDeparture(t *testing.T) {
	t.Parallel()
	sch := loadSchema(t)
	p := planOf(t, filepath.Join(repoRoot, "testdata", "stacks", "Pulumi.full.yaml"))
	require.Empty(t, sch.check(p))
	i := slices.IndexFunc(p.Resources, func(r Resource) bool { return r.Type == monitors.Token })
	require.GreaterOrEqual(t, i, 0, "the fixture has a monitor")
	r := &p.Resources[i]
	r.Inputs["monitorThresholds"].(map[string]any)["critical"] = int64(5000)
	r.Inputs["priority"] = int64(2)
	assert.Equal(t, []string{
		monitors.Token + "::" + r.Name + ".monitorThresholds.critical: want a string, got int64",
		monitors.Token + "::" + r.Name + ".priority: want a string, got int64",
	}, sch.check(p))
}
