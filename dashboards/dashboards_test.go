package dashboards_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
)

// registered is what one run of dashboards.New registered.
type registered struct {
	provider string // URN of the explicit provider
	inputs   map[string]map[string]any
	order    []string
	byName   map[string]ddmock.Resource
}

// register runs dashboards.New under the mock with an explicit provider, as
// the program does, and returns the dashboards it registered.
func register(t *testing.T, ds map[string]dashboards.Dashboard) registered {
	t.Helper()
	rec, err := ddmock.Run(configkit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		return dashboards.New(ctx, ds, provider)
	}))
	require.NoError(t, err)
	out := registered{inputs: map[string]map[string]any{}, byName: map[string]ddmock.Resource{}}
	for _, r := range rec.Resources() {
		if r.Type == ddmock.ProviderType {
			out.provider = r.URN
			continue
		}
		assert.True(t, r.Custom)
		assert.Equal(t, "4.68.0", r.Version, "%s: the pinned provider version", r.Name)
		out.inputs[r.Name] = ddmock.PlainMap(r.Inputs)
		out.byName[r.Name] = r
	}
	require.NotEmpty(t, out.provider, "the provider registered")
	out.order = make([]string, 0, len(out.byName))
	for name := range out.byName {
		out.order = append(out.order, name)
	}
	sort.Strings(out.order)
	return out
}

// productionInputs are the inputs production's status dashboard registers
// with: every field of the widget sent.
var productionInputs = map[string]any{
	"title":       "PyTorch Services Status Dashboard",
	"description": "The current status of PyTorch's services.",
	"layoutType":  "free",
	"tags":        []any{},
	"widgets": []any{map[string]any{
		"manageStatusDefinition": map[string]any{
			"title":             "PyTorch Service Monitors",
			"titleSize":         "16",
			"titleAlign":        "left",
			"query":             "",
			"summaryType":       "monitors",
			"displayFormat":     "countsAndList",
			"colorPreference":   "text",
			"hideZeroCounts":    true,
			"showLastTriggered": false,
			"showPriority":      false,
			"sort":              "status,asc",
		},
		"widgetLayout": map[string]any{"x": int64(0), "y": int64(0), "width": int64(80), "height": int64(100)},
	}},
}

func TestNewPinsEveryInput(t *testing.T) {
	t.Parallel()
	ordered := dashboards.Dashboard{
		Title: "Fixed", LayoutType: dashboards.Ordered, Tags: []string{"team:infra", "team:ci"},
		Widgets: []dashboards.Widget{
			{MonitorSummary: dashboards.MonitorSummary{Title: "A", TitleSize: 20, TitleAlign: "right", Query: "tag:team:infra",
				SummaryType: "groups", DisplayFormat: "list", ColorPreference: "background", HideZeroCounts: false,
				ShowLastTriggered: true, ShowPriority: true, Sort: "triggered,desc"},
				Layout: &dashboards.Layout{X: 6, Y: 1, Width: 6, Height: 2}},
			{MonitorSummary: dashboards.DefaultMonitorSummary, Layout: &dashboards.Layout{X: 0, Y: 0, Width: 12, Height: 1}},
		},
	}
	auto := dashboards.Dashboard{
		Title: "Auto", LayoutType: dashboards.Ordered, Tags: []string{},
		Widgets: []dashboards.Widget{{MonitorSummary: dashboards.DefaultMonitorSummary}},
	}
	empty := dashboards.Dashboard{Title: "Empty", LayoutType: dashboards.Ordered, Tags: []string{}, Widgets: []dashboards.Widget{}}
	ui := dashboards.Dashboard{
		Title: "UI", LayoutType: dashboards.Free,
		JSON: `{"title":"UI","layout_type":"free","widgets":[{"definition":{"type":"note","content":"a < b"}}]}`,
	}
	got := register(t, map[string]dashboards.Dashboard{"status": production, "fixed": ordered, "auto": auto, "empty": empty, "ui": ui})

	assert.Equal(t, []string{"auto", "empty", "fixed", "status", "ui"}, got.order, "one resource per key, named by it")
	for name, token := range map[string]string{"status": dashboards.Token, "fixed": dashboards.Token, "auto": dashboards.Token, "empty": dashboards.Token, "ui": dashboards.JSONToken} {
		assert.Equal(t, token, got.byName[name].Type, name)
		assert.Equal(t, got.provider, got.byName[name].Provider, "%s registers with the explicit provider", name)
		assert.Empty(t, got.byName[name].ImportID, "%s is created, not adopted", name)
	}

	assert.Equal(t, productionInputs, got.inputs["status"], "a free dashboard sends no reflowType")
	assert.Equal(t, map[string]any{
		"title": "Fixed", "description": "", "layoutType": "ordered", "reflowType": "fixed",
		"tags": []any{"team:infra", "team:ci"},
		"widgets": []any{
			map[string]any{
				"manageStatusDefinition": map[string]any{
					"title": "A", "titleSize": "20", "titleAlign": "right", "query": "tag:team:infra",
					"summaryType": "groups", "displayFormat": "list", "colorPreference": "background",
					"hideZeroCounts": false, "showLastTriggered": true, "showPriority": true, "sort": "triggered,desc",
				},
				"widgetLayout": map[string]any{"x": int64(6), "y": int64(1), "width": int64(6), "height": int64(2)},
			},
			map[string]any{
				"manageStatusDefinition": map[string]any{
					"title": "", "titleSize": "16", "titleAlign": "left", "query": "",
					"summaryType": "monitors", "displayFormat": "countsAndList", "colorPreference": "text",
					"hideZeroCounts": true, "showLastTriggered": false, "showPriority": false, "sort": "status,asc",
				},
				"widgetLayout": map[string]any{"x": int64(0), "y": int64(0), "width": int64(12), "height": int64(1)},
			},
		},
	}, got.inputs["fixed"], "widgets in order; an ordered dashboard whose widgets have layouts reflows fixed")
	assert.Equal(t, "auto", got.inputs["auto"]["reflowType"], "an ordered dashboard without layouts reflows auto")
	assert.NotContains(t, got.inputs["auto"]["widgets"].([]any)[0], "widgetLayout")
	assert.Equal(t, map[string]any{
		"title": "Empty", "description": "", "layoutType": "ordered", "reflowType": "auto", "tags": []any{}, "widgets": []any{},
	}, got.inputs["empty"], "no widgets and no tags are sent as empty lists, so ones added in the UI are drift")
	assert.Equal(t, map[string]any{"dashboard": ui.JSON}, got.inputs["ui"], "the JSON form sends the JSON as it is")
}

func TestNewAdoptsByImportID(t *testing.T) {
	t.Parallel()
	adopted := production
	adopted.ImportID = "abc-def-ghi"
	created := production
	created.Title = "Other"
	ui := dashboards.Dashboard{Title: "UI", LayoutType: dashboards.Free, JSON: `{"title":"UI","layout_type":"free"}`, ImportID: "xyz-123-4r5"}
	got := register(t, map[string]dashboards.Dashboard{"adopted": adopted, "created": created, "ui": ui})

	assert.Equal(t, "abc-def-ghi", got.byName["adopted"].ImportID)
	assert.Equal(t, "xyz-123-4r5", got.byName["ui"].ImportID, "a JSON dashboard is adopted too")
	assert.Empty(t, got.byName["created"].ImportID)
	for _, name := range got.order {
		assert.Equal(t, got.provider, got.byName[name].Provider, "the import keeps the provider: %s", name)
	}
}

func TestNewWithNoDashboards(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]dashboards.Dashboard{})
	assert.Empty(t, got.order)
}

// TestDecodedDashboardsRegister runs decoded config through New: what the
// config says, defaults included, is what is registered.
func TestDecodedDashboardsRegister(t *testing.T) {
	t.Parallel()
	ds, problems := decode(t, `{
		"status": `+productionEntry+`,
		"ui": {"json": "{\"title\": \"UI\",  \"layout_type\": \"ordered\", \"widgets\": []}", "importId": "abc-def-ghi"},
		"minimal": {"title": "Minimal", "layoutType": "free", "widgets": [{"monitorSummary": {"title": "M"}, "layout": {"x": 1, "y": 2, "width": 3, "height": 4}}]}
	}`)
	require.Empty(t, problems)
	got := register(t, ds)
	assert.Equal(t, productionInputs, got.inputs["status"])
	assert.Equal(t, map[string]any{"dashboard": `{"title":"UI","layout_type":"ordered","widgets":[]}`}, got.inputs["ui"])
	assert.Equal(t, dashboards.JSONToken, got.byName["ui"].Type)
	assert.Equal(t, "abc-def-ghi", got.byName["ui"].ImportID)
	assert.Equal(t, map[string]any{
		"title": "Minimal", "description": "", "layoutType": "free", "tags": []any{},
		"widgets": []any{map[string]any{
			"manageStatusDefinition": map[string]any{
				"title": "M", "titleSize": "16", "titleAlign": "left", "query": "",
				"summaryType": "monitors", "displayFormat": "countsAndList", "colorPreference": "text",
				"hideZeroCounts": true, "showLastTriggered": false, "showPriority": false, "sort": "status,asc",
			},
			"widgetLayout": map[string]any{"x": int64(1), "y": int64(2), "width": int64(3), "height": int64(4)},
		}},
	}, got.inputs["minimal"], "every default is sent")
}

// TestInputsConformToSchema checks what New registers against the
// provider's input schema kept in testdata: every input known, of its
// kind, and every required one set.
func TestInputsConformToSchema(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "datadog-provider-4.68.0.json"))
	require.NoError(t, err)
	var schema struct {
		Resources map[string]map[string]prop `json:"resources"`
		Types     map[string]map[string]prop `json:"types"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))

	ds, problems := decode(t, `{
		"status": `+productionEntry+`,
		"ordered": {"title": "O", "layoutType": "ordered", "tags": ["team:infra"], "widgets": [{"monitorSummary": {}, "layout": {"x": 0, "y": 0, "width": 12, "height": 2}}]},
		"ui": {"json": {"title": "UI", "layout_type": "free"}}
	}`)
	require.Empty(t, problems)

	// The check itself finds what it is for.
	dash := schema.Resources[dashboards.Token]
	assert.ElementsMatch(t, []string{
		"d.layoutType: required, not set",
		"d.widgets[0].manageStatusDefinition.titleSize: want string, got int64",
		"d.widgets[0].widgetLayout.columnBreak: not an input of the schema",
	}, conform(schema.Types, "d", dash, map[string]any{"title": "D", "widgets": []any{map[string]any{
		"manageStatusDefinition": map[string]any{"query": "", "titleSize": int64(16)},
		"widgetLayout":           map[string]any{"x": int64(0), "y": int64(0), "width": int64(1), "height": int64(1), "columnBreak": true},
	}}}))

	got := register(t, ds)
	require.Len(t, got.order, 3)
	for _, name := range got.order {
		props, ok := schema.Resources[got.byName[name].Type]
		require.True(t, ok, got.byName[name].Type)
		assert.Empty(t, conform(schema.Types, name, props, got.inputs[name]), name)
	}
}

type prop struct {
	Required bool   `json:"required"`
	Kind     string `json:"kind"`
}

// conform lists how the object m departs from props.
func conform(types map[string]map[string]prop, path string, props map[string]prop, m map[string]any) []string {
	var out []string
	for k, v := range m {
		p, ok := props[k]
		if !ok {
			out = append(out, path+"."+k+": not an input of the schema")
			continue
		}
		out = append(out, conformKind(types, path+"."+k, p.Kind, v)...)
	}
	for k, p := range props {
		if _, set := m[k]; p.Required && !set {
			out = append(out, path+"."+k+": required, not set")
		}
	}
	return out
}

func conformKind(types map[string]map[string]prop, path, kind string, v any) []string {
	inner := func() string { return kind[strings.Index(kind, "<")+1 : len(kind)-1] }
	bad := []string{fmt.Sprintf("%s: want %s, got %T", path, kind, v)}
	switch {
	case kind == "string":
		if _, ok := v.(string); !ok {
			return bad
		}
	case kind == "number":
		switch v.(type) {
		case int, int64, float64:
		default:
			return bad
		}
	case kind == "boolean":
		if _, ok := v.(bool); !ok {
			return bad
		}
	case strings.HasPrefix(kind, "array<"):
		list, ok := v.([]any)
		if !ok {
			return bad
		}
		var out []string
		for i, e := range list {
			out = append(out, conformKind(types, fmt.Sprintf("%s[%d]", path, i), inner(), e)...)
		}
		return out
	case strings.HasPrefix(kind, "object<"):
		m, ok := v.(map[string]any)
		if !ok {
			return bad
		}
		props, known := types[inner()]
		if !known {
			return []string{path + ": type " + inner() + " is not in the schema"}
		}
		return conform(types, path, props, m)
	default:
		return []string{path + ": unknown kind " + kind}
	}
	return nil
}
