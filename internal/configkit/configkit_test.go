package configkit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// jsonValue decodes s as the toolkit sees a config value: JSON with numbers
// kept as json.Number.
func jsonValue(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "test input %s", s)
	return v
}

// problems returns the problems p found by path, failing the test when one
// is not a *PathError or when two share a path.
func problems(t *testing.T, p *kit.Problems) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := p.Err()
	if err == nil {
		require.Zero(t, p.Len(), "Len counts problems that Err does not report")
		return out
	}
	leaves := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		leaves = j.Unwrap()
	}
	require.Len(t, leaves, p.Len(), "Len and Err disagree")
	for _, e := range leaves {
		var pe *kit.PathError
		require.True(t, errors.As(e, &pe), "problem without a path: %v", e)
		_, dup := out[pe.Path]
		require.False(t, dup, "two problems at %s: %v", pe.Path, err)
		out[pe.Path] = pe.Msg
	}
	return out
}

// assertProblems checks that p found exactly one problem at each path of
// want, whose message contains the given fragment, and no other problem.
func assertProblems(t *testing.T, p *kit.Problems, want map[string]string) {
	t.Helper()
	got := problems(t, p)
	assert.ElementsMatch(t, kit.SortedKeys(want), kit.SortedKeys(got), "problem paths; got %v", got)
	for path, fragment := range want {
		if msg, ok := got[path]; ok {
			assert.Contains(t, msg, fragment, "message at %s", path)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestProblemsCollectsEveryErrorWithItsPath(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	assert.NoError(t, p.Err(), "no problem, no error")
	assert.Zero(t, p.Len())

	p.Add("users.a.email", "%q is not an email address", "x@")
	p.Add("roles", "is empty")
	p.Add("users.a.email", "is also the email of users.b")
	assert.Equal(t, 3, p.Len())

	err := p.Err()
	require.Error(t, err)
	assert.Equal(t, "users.a.email: \"x@\" is not an email address\nroles: is empty\nusers.a.email: is also the email of users.b", err.Error(),
		"problems are joined in the order found, each prefixed by its path, none dropped")

	var pe *kit.PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, kit.PathError{Path: "users.a.email", Msg: `"x@" is not an email address`}, *pe)
}

func TestRawGet(t *testing.T) {
	t.Parallel()
	r := kit.Raw{Values: map[string]string{
		kit.Namespace + ":users": "{}",
		"datadog:apiUrl":         "https://api.us3.datadoghq.com/",
		"other-project:roles":    "{}",
	}}
	v, ok := r.Get("users")
	assert.True(t, ok)
	assert.Equal(t, "{}", v)
	_, ok = r.Get("apiUrl")
	assert.False(t, ok, "Get reads the project's namespace only")
	_, ok = r.Get("roles")
	assert.False(t, ok, "a key of another project is not this project's")
}

func TestSortedKeys(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"a", "b", "jane-smith", "zed"}, kit.SortedKeys(map[string]int{"zed": 1, "b": 2, "jane-smith": 3, "a": 4}))
	assert.Empty(t, kit.SortedKeys(map[string]bool{}))
}

func TestIsKey(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		key  string
		want bool
	}{
		"kebab-case":          {"jane-smith", true},
		"one word":            {"readers", true},
		"digits":              {"role-01", true},
		"only digits":         {"1", true},
		"upper case":          {"Jane-Smith", false},
		"underscore":          {"jane_smith", false},
		"dot":                 {"jane.smith", false},
		"space":               {"jane smith", false},
		"leading hyphen":      {"-jane", false},
		"trailing hyphen":     {"jane-", false},
		"double hyphen":       {"jane--smith", false},
		"empty":               {"", false},
		"display name":        {"Datadog Admin Role", false},
		"non-ASCII lowercase": {"josé", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, kit.IsKey(tc.key))
		})
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	p.Key("users.jane-smith", "jane-smith")
	p.Key("users.Jane_Smith", "Jane_Smith")
	assertProblems(t, p, map[string]string{
		"users.Jane_Smith": `key "Jane_Smith" must be lowercase letters and digits joined by '-'`,
	})
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		v    any
		want string
	}{
		"null":       {nil, "nothing (null)"},
		"string":     {"jane", `the string "jane"`},
		"empty":      {"", `the string ""`},
		"bool":       {true, "the boolean true"},
		"number":     {json.Number("2.5"), "the number 2.5"},
		"list":       {[]any{"a"}, "a list"},
		"map":        {map[string]any{}, "a map"},
		"other type": {3, "int"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, kit.Describe(tc.v))
		})
	}
}

func TestSection(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw     string
		want    map[string]any
		problem string // the message at path "roles", "" for none
	}{
		"map":            {raw: `{"a": {"name": "A"}, "b": 2}`, want: map[string]any{"a": map[string]any{"name": "A"}, "b": json.Number("2")}},
		"empty map":      {raw: `{}`, want: map[string]any{}},
		"plain string":   {raw: `readers`, problem: `must be a map of role key to role, got the string "readers"`},
		"empty string":   {raw: ``, problem: `must be a map of role key to role, got nothing: add an entry under it, or remove the key`},
		"JSON string":    {raw: `"readers"`, problem: `must be a map of role key to role, got the string "readers"`},
		"list":           {raw: `[{"name": "A"}]`, problem: "must be a map of role key to role, got a list"},
		"null":           {raw: `null`, problem: "got nothing (null)"},
		"number":         {raw: `12`, problem: "got the number 12"},
		"trailing value": {raw: `{} {}`, problem: `got the string "{} {}"`},
		"malformed JSON": {raw: `{"a": `, problem: `got the string "{\"a\": "`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			m, ok := p.Section("roles", tc.raw, "role key to role")
			if tc.problem == "" {
				assert.True(t, ok)
				assert.Equal(t, tc.want, m)
				assertProblems(t, p, nil)
				return
			}
			assert.False(t, ok)
			assert.Nil(t, m)
			assertProblems(t, p, map[string]string{"roles": tc.problem})
		})
	}
}

func TestObject(t *testing.T) {
	t.Parallel()
	thing := &kit.Spec{Title: "a thing", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "name", Kind: kit.String, Required: true, Doc: "Its name."},
		{Name: "count", Kind: kit.Integer, Doc: "How many."},
		{Name: "tags", Kind: kit.List, Required: true, Doc: "Its tags."},
	}}
	fields := func(p *kit.Problems, calls *[]string, count *int) []kit.Field {
		return []kit.Field{
			{Name: "name", Decode: func(fp string, v any) {
				*calls = append(*calls, fp)
				var s string
				p.String(fp, v, &s)
			}},
			{Name: "count", Decode: func(fp string, v any) {
				*calls = append(*calls, fp)
				p.Int(fp, v, 0, 10, count)
			}},
			{Name: "tags", Decode: func(fp string, v any) {
				*calls = append(*calls, fp)
			}},
		}
	}
	tests := map[string]struct {
		input    string
		ok       bool
		calls    []string
		count    int
		problems map[string]string
	}{
		"every field": {
			input: `{"tags": [], "count": 3, "name": "x"}`, ok: true, count: 3,
			calls: []string{"m.x.name", "m.x.count", "m.x.tags"},
		},
		"optional field absent": {
			input: `{"name": "x", "tags": []}`, ok: true,
			calls: []string{"m.x.name", "m.x.tags"},
		},
		"every problem at once": {
			input: `{"nmae": "x", "count": "3", "colour": "red"}`, ok: true,
			calls: []string{"m.x.count"},
			problems: map[string]string{
				"m.x.nmae":   `unknown field (did you mean "name"?); known fields: name, count, tags`,
				"m.x.colour": "unknown field; known fields: name, count, tags",
				"m.x.name":   "missing; it is required",
				"m.x.tags":   "missing; it is required",
				"m.x.count":  `must be a whole number, got the string "3"`,
			},
		},
		"not a map": {
			input: `["x"]`, ok: false,
			problems: map[string]string{"m.x": "must be a thing ({name, count, tags}), got a list"},
		},
		"null": {
			input: `null`, ok: false,
			problems: map[string]string{"m.x": "got nothing (null)"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			var calls []string
			var count int
			ok := p.Object("m.x", jsonValue(t, tc.input), thing, fields(p, &calls, &count))
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.calls, calls, "each present known field is decoded once, at its path, in the fields' order")
			assert.Equal(t, tc.count, count)
			assertProblems(t, p, tc.problems)
		})
	}
}

func TestFieldDecoders(t *testing.T) {
	t.Parallel()
	kinds := []string{"metric", "event", "log"}
	// Each decoder returns what it decoded and whether it says the value was
	// valid; decoders without a result report valid when they added nothing.
	str := func(p *kit.Problems, v any) (any, bool) {
		var s string
		ok := p.String("f", v, &s)
		return s, ok
	}
	optStr := func(p *kit.Problems, v any) (any, bool) {
		var s *string
		p.OptString("f", v, &s)
		return s, p.Len() == 0
	}
	boolean := func(p *kit.Problems, v any) (any, bool) {
		var b bool
		ok := p.Bool("f", v, &b)
		return b, ok
	}
	optBool := func(p *kit.Problems, v any) (any, bool) {
		var b *bool
		p.OptBool("f", v, &b)
		return b, p.Len() == 0
	}
	strList := func(p *kit.Problems, v any) (any, bool) {
		var l []string
		ok := p.StringList("f", v, "role names", &l)
		return l, ok
	}
	list := func(p *kit.Problems, v any) (any, bool) {
		l := p.List("f", v)
		return l, p.Len() == 0
	}
	strMap := func(p *kit.Problems, v any) (any, bool) {
		var m map[string]string
		p.StringMap("f", v, &m)
		return m, p.Len() == 0
	}
	number := func(p *kit.Problems, v any) (any, bool) {
		var f float64
		ok := p.Number("f", v, &f)
		return f, ok
	}
	optNumber := func(p *kit.Problems, v any) (any, bool) {
		var f *float64
		p.OptNumber("f", v, &f)
		return f, p.Len() == 0
	}
	integer := func(p *kit.Problems, v any) (any, bool) {
		var i int
		ok := p.Int("f", v, 1, 5, &i)
		return i, ok
	}
	enum := func(p *kit.Problems, v any) (any, bool) {
		var s string
		ok := p.Enum("f", v, kinds, &s)
		return s, ok
	}
	nonEmpty := func(p *kit.Problems, v any) (any, bool) {
		p.NonEmpty("f", v.(string))
		return nil, p.Len() == 0
	}

	tests := map[string]struct {
		decode  func(p *kit.Problems, v any) (any, bool)
		input   string
		want    any
		problem string // the message at path "f", "" for none
	}{
		"string":                         {decode: str, input: `"x"`, want: "x"},
		"string from a number":           {decode: str, input: `3`, want: "", problem: "must be a string, got the number 3"},
		"string from a list":             {decode: str, input: `["x"]`, want: "", problem: "must be a string, got a list"},
		"optional string":                {decode: optStr, input: `""`, want: ptr("")},
		"optional string from a boolean": {decode: optStr, input: `true`, want: (*string)(nil), problem: "must be a string, got the boolean true"},
		"boolean":                        {decode: boolean, input: `true`, want: true},
		"boolean from a string":          {decode: boolean, input: `"yes"`, want: false, problem: `must be true or false, got the string "yes"`},
		"optional boolean false":         {decode: optBool, input: `false`, want: ptr(false)},
		"optional boolean from null":     {decode: optBool, input: `null`, want: (*bool)(nil), problem: "must be true or false, got nothing (null)"},
		"string list":                    {decode: strList, input: `["a", "b"]`, want: []string{"a", "b"}},
		"empty string list":              {decode: strList, input: `[]`, want: []string{}},
		"string list from a lone string": {
			decode: strList, input: `"admin"`, want: []string(nil),
			problem: `must be a list of role names, got the string "admin" (write it as a list: ["admin"])`,
		},
		"string list from a map": {decode: strList, input: `{}`, want: []string(nil), problem: "must be a list of role names, got a map"},
		"list":                   {decode: list, input: `[1, "a"]`, want: []any{json.Number("1"), "a"}},
		"list from a string":     {decode: list, input: `"a"`, want: []any(nil), problem: `must be a list, got the string "a"`},
		"string map":             {decode: strMap, input: `{"team": "infra", "env": "prod"}`, want: map[string]string{"team": "infra", "env": "prod"}},
		"string map from a list": {decode: strMap, input: `["a"]`, want: map[string]string(nil), problem: "must be a map of names to strings, got a list"},
		"number":                 {decode: number, input: `2.5`, want: 2.5},
		"negative number":        {decode: number, input: `-3`, want: -3.0},
		"number from a string":   {decode: number, input: `"5"`, want: 0.0, problem: `must be a number, got the string "5"`},
		"number out of range":    {decode: number, input: `1e400`, want: 0.0, problem: "must be a number, got the number 1e400"},
		"optional number":        {decode: optNumber, input: `0`, want: ptr(0.0)},
		"optional number from a string": {
			decode: optNumber, input: `"0"`, want: (*float64)(nil), problem: `must be a number, got the string "0"`,
		},
		"whole number":             {decode: integer, input: `5`, want: 5},
		"whole number at low end":  {decode: integer, input: `1`, want: 1},
		"whole number above range": {decode: integer, input: `6`, want: 0, problem: "must be from 1 to 5, got 6"},
		"whole number below range": {decode: integer, input: `0`, want: 0, problem: "must be from 1 to 5, got 0"},
		"fraction":                 {decode: integer, input: `1.5`, want: 0, problem: "must be a whole number, got the number 1.5"},
		"whole number as a string": {decode: integer, input: `"3"`, want: 0, problem: `must be a whole number, got the string "3"`},
		"enum":                     {decode: enum, input: `"event"`, want: "event"},
		"enum typo": {
			decode: enum, input: `"metrics"`, want: "",
			problem: `"metrics" is not one of metric, event, log (did you mean "metric"?)`,
		},
		"enum far off":          {decode: enum, input: `"synthetics"`, want: "", problem: `"synthetics" is not one of metric, event, log`},
		"enum from a number":    {decode: enum, input: `1`, want: "", problem: "must be one of metric, event, log, got the number 1"},
		"non-empty":             {decode: nonEmpty, input: `"x"`},
		"empty string":          {decode: nonEmpty, input: `""`, problem: "is empty"},
		"only spaces and a tab": {decode: nonEmpty, input: `" \t "`, problem: "is empty"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			got, ok := tc.decode(p, jsonValue(t, tc.input))
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.problem == "", ok, "valid iff no problem")
			if tc.problem == "" {
				assertProblems(t, p, nil)
				return
			}
			assertProblems(t, p, map[string]string{"f": tc.problem})
		})
	}
}

func TestListAndMapReportEveryBadEntry(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	var l []string
	ok := p.StringList("users.a.roles", jsonValue(t, `["a", 3, {}, "b", null]`), "role names", &l)
	assert.False(t, ok)
	var m map[string]string
	p.StringMap("tags", jsonValue(t, `{"a": "1", "b": 2, "c": [], "d": "4"}`), &m)
	assert.Equal(t, map[string]string{"a": "1", "d": "4"}, m, "the strings are kept")
	assertProblems(t, p, map[string]string{
		"users.a.roles[1]": "must be a string, got the number 3",
		"users.a.roles[2]": "must be a string, got a map",
		"users.a.roles[4]": "must be a string, got nothing (null)",
		"tags.b":           "must be a string, got the number 2",
		"tags.c":           "must be a string, got a list",
	})
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		f    float64
		want string
	}{
		"whole":               {5000, "5000"},
		"zero":                {0, "0"},
		"fraction":            {0.5, "0.5"},
		"negative":            {-3, "-3"},
		"large":               {1e21, "1000000000000000000000"},
		"small":               {1e-7, "0.0000001"},
		"shortest round trip": {0.30000000000000004, "0.30000000000000004"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, kit.FormatNumber(tc.f))
		})
	}
}

func TestIDFormField(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		form    kit.IDForm
		input   string
		want    string
		problem string // the message at "monitors.m.importId", "" for none
	}{
		"UUID":                 {form: kit.UUID, input: `"a1b2c3d4-0000-1111-2222-333344445555"`, want: "a1b2c3d4-0000-1111-2222-333344445555"},
		"UUID in upper case":   {form: kit.UUID, input: `"A1B2C3D4-0000-1111-2222-333344445555"`, problem: `"A1B2C3D4-0000-1111-2222-333344445555" is not an id of this type, such as a1b2c3d4-0000-1111-2222-333344445555`},
		"UUID without hyphens": {form: kit.UUID, input: `"a1b2c3d4000011112222333344445555"`, problem: "is not an id of this type"},
		"UUID with a suffix":   {form: kit.UUID, input: `"a1b2c3d4-0000-1111-2222-333344445555x"`, problem: "is not an id of this type"},
		"numeric":              {form: kit.Numeric, input: `"12345"`, want: "12345"},
		"numeric with letters": {form: kit.Numeric, input: `"abc-123-xyz"`, problem: `"abc-123-xyz" is not an id of this type, such as 12345678 (ddstack import sets it`},
		"empty":                {form: kit.Numeric, input: `""`, problem: `"" is not an id of this type`},
		"a number":             {form: kit.Numeric, input: `123`, problem: "must be a string, got the number 123"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			var id string
			f := tc.form.Field(p, &id)
			assert.Equal(t, "importId", f.Name)
			spec := &kit.Spec{Title: "a monitor", Kind: kit.Object, Fields: []*kit.Spec{tc.form.Spec("the monitor's number")}}
			assert.False(t, spec.Fields[0].Required, "an importId is optional")
			p.Object("monitors.m", jsonValue(t, `{"importId": `+tc.input+`}`), spec, []kit.Field{f})
			if tc.problem == "" {
				assert.Equal(t, tc.want, id)
				assertProblems(t, p, nil)
				return
			}
			assertProblems(t, p, map[string]string{"monitors.m.importId": tc.problem})
		})
	}
}

func TestUniqueImportIDs(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	p.UniqueImportIDs("users", map[string]string{
		"d": "",
		"b": "11111111-2222-3333-4444-555555555555",
		"a": "11111111-2222-3333-4444-555555555555",
		"c": "",
		"e": "66666666-7777-8888-9999-000000000000",
		"f": "11111111-2222-3333-4444-555555555555",
	})
	got := problems(t, p)
	assert.Equal(t, []string{"users.b.importId", "users.f.importId"}, kit.SortedKeys(got),
		"the later keys in sorted order are reported; entries without an importId never clash")
	assert.Equal(t, `"11111111-2222-3333-4444-555555555555" is also the importId of users.a; one Datadog object is adopted once`, got["users.b.importId"])
	assert.Contains(t, got["users.f.importId"], "is also the importId of users.")

	p = &kit.Problems{}
	p.UniqueImportIDs("monitors", map[string]string{"a": "1", "b": "2", "c": ""})
	assert.NoError(t, p.Err())
}

// importMocks records the import id of each resource registered under the
// mock engine.
type importMocks struct {
	mu  sync.Mutex
	ids map[string]string
}

func (m *importMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids[args.Name] = args.ID
	return "id-" + args.Name, args.Inputs, nil
}

func (m *importMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

type thing struct{ pulumi.CustomResourceState }

func TestWithImport(t *testing.T) {
	t.Parallel()
	mocks := &importMocks{ids: map[string]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		// A slice with room to grow: WithImport must not write its option
		// into the caller's backing array, or one entry's import id would
		// leak into the next.
		base := make([]pulumi.ResourceOption, 0, 4)
		base = append(base, pulumi.Protect(false))

		assert.Len(t, kit.WithImport("", base...), 1, "no import id, no option")
		a := kit.WithImport("11111111-2222-3333-4444-555555555555", base...)
		b := kit.WithImport("66666666-7777-8888-9999-000000000000", base...)
		assert.Len(t, a, 2)
		assert.Len(t, base, 1, "the caller's options are unchanged")
		for name, opts := range map[string][]pulumi.ResourceOption{"a": a, "b": b, "created": kit.WithImport("", base...)} {
			if err := ctx.RegisterResource("test:index:Thing", name, nil, &thing{}, opts...); err != nil {
				return err
			}
		}
		return nil
	}, pulumi.WithMocks("project", "stack", mocks))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"a":       "11111111-2222-3333-4444-555555555555",
		"b":       "66666666-7777-8888-9999-000000000000",
		"created": "",
	}, mocks.ids)
}

func TestNamespaceIsTheProjectName(t *testing.T) {
	t.Parallel()
	// The engine qualifies the program's config keys with the project name
	// of Pulumi.yaml; Raw.Get finds them only if Namespace is that name.
	data, err := os.ReadFile(filepath.Join("..", "..", "Pulumi.yaml"))
	require.NoError(t, err)
	var project struct {
		Name string `yaml:"name"`
	}
	require.NoError(t, yaml.Unmarshal(data, &project))
	assert.Equal(t, project.Name, kit.Namespace)
}

// A third entry adopting the same object is said to repeat the first, and
// so is the second.
func TestUniqueImportIDsNameTheFirst(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	p.UniqueImportIDs("users", map[string]string{"a": "x", "b": "x", "c": "x"})
	require.Error(t, p.Err())
	assert.Equal(t, `users.b.importId: "x" is also the importId of users.a; one Datadog object is adopted once`+"\n"+
		`users.c.importId: "x" is also the importId of users.a; one Datadog object is adopted once`, p.Err().Error())
}

// One naming rule for every secret, outside the stack file: the
// repository secret, the synthetics variable and ddstack's environment.
func TestEnvName(t *testing.T) {
	t.Parallel()
	for secret, want := range map[string]string{
		"incident-io-bearer": "INCIDENT_IO_BEARER",
		"key2":               "KEY2",
		"a-b-c":              "A_B_C",
	} {
		assert.Equal(t, want, kit.EnvName(secret))
	}
}
