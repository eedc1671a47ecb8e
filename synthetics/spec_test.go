package synthetics_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

func decodeAny(p *kit.Problems, raw string) any { return synthetics.Decode(p, raw, true, channels) }

// common are the fields every kind of test takes, each set.
func common(kind string, extra map[string]any) map[string]any {
	base := map[string]any{
		"name": "Probe", "kind": kind, "message": "Probe failed.", "notify": []any{"infra", "lf"},
		"service": "probe-service", "tags": []any{"team:infra"}, "locations": []any{"aws:us-east-1", "aws:eu-west-1"},
		"tickEvery": 600, "retry": map[string]any{"count": 2, "intervalMs": 60000}, "minFailureDuration": 300,
		"status": "paused", "importId": "abc-123-xyz",
	}
	maps.Copy(base, extra)
	return base
}

// The decoder and the declaration (the schema, the reference) agree on
// every field, for each kind: which fields a test takes, and which it
// needs, depend on it (When).
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	bases := map[string]map[string]any{
		synthetics.HTTP: common(synthetics.HTTP, map[string]any{
			"url": "https://pytorch.org/api?x=1", "timeoutSeconds": 30, "method": "POST",
			"headers": map[string]any{"content-type": "application/json"}, "body": `{"a": 1}`, "followRedirects": true,
			"assertions": []any{
				map[string]any{"type": "statusCode", "operator": "is", "target": 200},
				map[string]any{"type": "header", "property": "x-cache", "operator": "doesNotExist"},
				map[string]any{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"},
			},
		}),
		synthetics.SSL: common(synthetics.SSL, map[string]any{
			"host": "discuss.pytorch.org", "port": 8443,
			"assertions": []any{map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": 14}},
		}),
		synthetics.Queue: common(synthetics.Queue, map[string]any{
			"url": "https://hud.example.org/queue", "timeoutSeconds": 15,
			"queue": map[string]any{"contains": ".rocm.", "exclude": []any{`^linux\.rocm\.gpu\.mi250`, ".nightly"}, "thresholdHours": 4, "label": "ROCm"},
		}),
		// A queue without a rule: every machine type not excluded.
		"queue of every other family": common(synthetics.Queue, map[string]any{
			"queue": map[string]any{"exclude": []any{".dgx."}, "thresholdHours": 3},
		}),
	}
	for name, base := range bases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kittest.Agree(t, synthetics.Section, synthetics.Spec, base, decodeAny, kittest.IntoListItems())
		})
	}
}

// sectionSchema compiles the section's JSON Schema.
func sectionSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc := synthetics.Spec.JSONSchema()
	doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	loaded, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	require.NoError(t, c.AddResource("synthetics.json", loaded))
	s, err := c.Compile("synthetics.json")
	require.NoError(t, err)
	return s
}

// assertionProbe runs one assertion, in a test of kind, through the
// decoder and the schema.
type assertionProbe struct {
	t      *testing.T
	schema *jsonschema.Schema
	kind   string
}

// itemPath is where the decoder reports the probed assertion.
const itemPath = "synthetics.probe.assertions[0]"

func (a assertionProbe) run(assertion map[string]any) ([]*kit.PathError, error) {
	entry := map[string]any{"name": "Probe", "kind": a.kind, "message": "m", "assertions": []any{assertion}}
	if a.kind == synthetics.SSL {
		entry["host"] = "discuss.pytorch.org"
	} else {
		entry["url"] = "https://pytorch.org"
	}
	raw, err := json.Marshal(map[string]any{"probe": entry})
	require.NoError(a.t, err)
	p := &kit.Problems{}
	synthetics.Decode(p, string(raw), true, channels)
	var doc any
	require.NoError(a.t, json.Unmarshal(raw, &doc))
	return kittest.Problems(a.t, p), a.schema.Validate(doc)
}

// refused checks that both refuse the assertion, the decoder at want or
// below it.
func (a assertionProbe) refused(what string, assertion map[string]any, want string) {
	a.t.Helper()
	problems, invalid := a.run(assertion)
	found := slices.ContainsFunc(problems, func(pe *kit.PathError) bool {
		return pe.Path == want || strings.HasPrefix(pe.Path, want+".") || strings.HasPrefix(pe.Path, want+"[")
	})
	assert.True(a.t, found, "%s: the decoder refuses it at %s; it reported %v", what, want, problems)
	assert.Error(a.t, invalid, "%s: the schema refuses it", what)
}

// with is a copy of an assertion with field set to v (nil: left out).
func with(assertion map[string]any, field string, v any) map[string]any {
	out := maps.Clone(assertion)
	if v == nil {
		delete(out, field)
	} else {
		out[field] = v
	}
	return out
}

// rulesOf are the fields an object's rules require and forbid, as its
// values make them.
func rulesOf(spec *kit.Spec, value map[string]any) (needs, bars map[string]bool) {
	needs, bars = map[string]bool{}, map[string]bool{}
	for _, w := range spec.When {
		if v, ok := value[w.Field].(string); ok && slices.Contains(w.Is, v) {
			for _, f := range w.Require {
				needs[f] = true
			}
			for _, f := range w.Forbid {
				bars[f] = true
			}
		}
	}
	return needs, bars
}

// TestAssertionSpecAgreesWithDecode probes the assertion's declaration
// (Agree does not reach into these list items: the declared type and
// operator are any type's and any operator, where the decoder takes only
// those of the test's kind and of the assertion's type, which the schema
// cannot say). Each assertion below, in a test of its kind, is valid to
// both; changed one way at a time, by its type's and its operator's rules,
// it is refused by both.
func TestAssertionSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	schema := sectionSchema(t)
	spec := synthetics.Spec.Values.Field("assertions").Items
	require.NotNil(t, spec)
	tests := map[string]struct {
		kind      string
		assertion map[string]any
	}{
		"status code":          {synthetics.HTTP, map[string]any{"type": "statusCode", "operator": "isNot", "target": 500}},
		"status code pattern":  {synthetics.HTTP, map[string]any{"type": "statusCode", "operator": "matches", "target": "20[04]"}},
		"body":                 {synthetics.HTTP, map[string]any{"type": "body", "operator": "contains", "target": "PyTorch"}},
		"header":               {synthetics.HTTP, map[string]any{"type": "header", "property": "content-type", "operator": "is", "target": "text/html"}},
		"header number":        {synthetics.HTTP, map[string]any{"type": "header", "property": "content-length", "operator": "moreThan", "target": 100}},
		"header absent":        {synthetics.HTTP, map[string]any{"type": "header", "property": "x-debug", "operator": "doesNotExist"}},
		"response time":        {synthetics.HTTP, map[string]any{"type": "responseTime", "operator": "lessThan", "target": 2000, "timingsScope": "withoutDNS"}},
		"javascript":           {synthetics.HTTP, map[string]any{"type": "javascript", "code": "dd.expect(dd.response.statusCode).to.equal(200);"}},
		"certificate":          {synthetics.SSL, map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": 14}},
		"certificate, shorter": {synthetics.SSL, map[string]any{"type": "certificate", "operator": "isInLessThan", "target": 0}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := assertionProbe{t: t, schema: schema, kind: tc.kind}
			problems, invalid := a.run(tc.assertion)
			require.Empty(t, problems, "the decoder accepts the assertion")
			require.NoError(t, invalid, "the schema accepts the assertion")

			a.refused("an unknown field", with(tc.assertion, "zzUnknown", 1), itemPath+".zzUnknown")
			needs, bars := rulesOf(spec, tc.assertion)
			for _, f := range spec.Fields {
				fp := itemPath + "." + f.Name
				current, present := tc.assertion[f.Name]
				switch {
				case bars[f.Name]:
					a.refused(f.Name+" where its rules forbid it", with(tc.assertion, f.Name, "x"), itemPath)
					continue
				case f.Required || needs[f.Name]:
					require.True(t, present, "the assertion has %s, which it needs", f.Name)
					a.refused(f.Name+" left out", with(tc.assertion, f.Name, nil), fp)
				}
				if !present {
					continue
				}
				// Every field's kind is a string, or (target) a string or
				// a number: a boolean is of none.
				a.refused(f.Name+" of another kind", with(tc.assertion, f.Name, true), fp)
				if len(f.Enum) > 0 {
					a.refused(fmt.Sprintf("%s %v outside its enum", f.Name, current), with(tc.assertion, f.Name, "zz-not-one-of-them"), fp)
				}
			}
		})
	}

	// Without its type, both refuse it, and the decoder says so once.
	a := assertionProbe{t: t, schema: schema, kind: synthetics.HTTP}
	problems, invalid := a.run(map[string]any{"operator": "is", "target": 200})
	require.Len(t, problems, 1, "one problem: %v", problems)
	assert.Equal(t, itemPath+".type", problems[0].Path)
	assert.Error(t, invalid)
}

// TestAssertionOperatorsAccepted: every operator of every type, with a
// target of its form, is valid to both the decoder and the schema, as the
// reference's table has them.
func TestAssertionOperatorsAccepted(t *testing.T) {
	t.Parallel()
	schema := sectionSchema(t)
	spec := synthetics.Spec.Values.Field("assertions").Items
	targets := map[string][]any{
		"is": {"x"}, "isNot": {"x"}, "contains": {"x"}, "doesNotContain": {"x"}, "matches": {"^x+$"}, "doesNotMatch": {"^x+$"},
		"lessThan": {7.5}, "lessThanOrEqual": {7}, "moreThan": {7}, "moreThanOrEqual": {7}, "doesNotExist": nil,
	}
	table := map[string][]string{
		"statusCode":   {"is", "isNot", "matches", "doesNotMatch"},
		"body":         {"contains", "doesNotContain", "is", "isNot", "matches", "doesNotMatch"},
		"header":       {"contains", "doesNotContain", "is", "isNot", "matches", "doesNotMatch", "doesNotExist", "lessThan", "lessThanOrEqual", "moreThan", "moreThanOrEqual"},
		"responseTime": {"lessThan", "lessThanOrEqual", "moreThan", "moreThanOrEqual"},
		"certificate":  {"isInMoreThan", "isInLessThan"},
	}
	var declared []string
	for typ, ops := range table {
		for _, op := range ops {
			declared = append(declared, op)
			kind := synthetics.HTTP
			assertion := map[string]any{"type": typ, "operator": op}
			switch {
			case typ == "statusCode" && (op == "is" || op == "isNot"):
				assertion["target"] = 200
			case typ == "responseTime":
				assertion["target"] = 1000
			case typ == "certificate":
				kind, assertion["target"] = synthetics.SSL, 30
			case targets[op] != nil:
				assertion["target"] = targets[op][0]
			}
			if typ == "header" {
				assertion["property"] = "x-probe"
			}
			t.Run(typ+" "+op, func(t *testing.T) {
				problems, invalid := assertionProbe{t: t, schema: schema, kind: kind}.run(assertion)
				assert.Empty(t, problems)
				assert.NoError(t, invalid)
			})
		}
	}
	slices.Sort(declared)
	want := slices.Clone(spec.Field("operator").Enum)
	slices.Sort(want)
	assert.Equal(t, want, slices.Compact(declared), "the declaration's operators are the table's")
}
