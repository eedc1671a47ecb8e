package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
)

// The provider's input schema is reference material kept beside the project
// (shared/reference), not in it; CI has it at this path.
const defaultSchema = "../../../shared/reference/datadog-provider-4.68.0.json"

type property struct {
	Required bool   `json:"required"`
	Kind     string `json:"kind"`
}

type schema struct {
	Version   string                         `json:"version"`
	Resources map[string]map[string]property `json:"resources"`
	Functions map[string]struct {
		Inputs map[string]property `json:"inputs"`
	} `json:"functions"`
	Types map[string]map[string]property `json:"types"`
}

func loadSchema(t *testing.T) *schema {
	t.Helper()
	path := os.Getenv("DATADOG_PROVIDER_SCHEMA")
	if path == "" {
		path = defaultSchema
	}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("no provider schema at %s (set DATADOG_PROVIDER_SCHEMA)", path)
	}
	require.NoError(t, err)
	var s schema
	require.NoError(t, json.Unmarshal(data, &s))
	return &s
}

// conform lists how the value v departs from kind.
func (s *schema) conform(path, kind string, v any) []string {
	if v == "[secret]" || v == "[unknown]" {
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

// TestStacksConformToProviderSchema holds everything the program registers
// and invokes, for every stack file of the project, against the provider's
// published input schema.
func TestStacksConformToProviderSchema(t *testing.T) {
	sch := loadSchema(t)
	stacks, err := filepath.Glob("../../Pulumi.*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, stacks)
	for _, file := range stacks {
		t.Run(filepath.Base(file), func(t *testing.T) {
			s, err := stackfile.Load("../..", "", file)
			require.NoError(t, err)
			p, err := Build(s, false)
			require.NoError(t, err)
			var problems []string
			for _, r := range p.Resources {
				assert.Equal(t, sch.Version, r.Version, r.Name)
				props, ok := sch.Resources[r.Type]
				if !ok {
					problems = append(problems, r.Type+": not a resource of the schema")
					continue
				}
				problems = append(problems, sch.properties(r.Type+"::"+r.Name, props, r.Inputs)...)
			}
			for _, inv := range p.Invokes {
				fn, ok := sch.Functions[inv.Token]
				if !ok {
					problems = append(problems, inv.Token+": not a function of the schema")
					continue
				}
				problems = append(problems, sch.properties(inv.Token, fn.Inputs, inv.Args)...)
			}
			assert.Empty(t, problems)
		})
	}
}

func TestSchemaCheckFindsDepartures(t *testing.T) {
	sch := loadSchema(t)
	props := sch.Resources["datadog:index/user:User"]
	got := sch.properties("u", props, map[string]any{"roles": "r", "disabled": "no", "role": []any{}})
	assert.ElementsMatch(t, []string{
		"u.roles: want an array, got string",
		"u.disabled: want a boolean, got string",
		"u.role: not an input of the schema",
		"u.email: required, not set",
	}, got)
}
