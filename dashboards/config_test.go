package dashboards_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
)

// decode decodes a dashboards section as present and returns the
// dashboards and every problem found, each a *configkit.PathError.
func decode(t *testing.T, raw string) (map[string]dashboards.Dashboard, []*configkit.PathError) {
	t.Helper()
	p := &configkit.Problems{}
	out := dashboards.Decode(p, raw, true)
	return out, kittest.Problems(t, p)
}

// requireOnly checks that list is exactly one problem, at path, whose
// message contains fragment.
func requireOnly(t *testing.T, list []*configkit.PathError, path, fragment string) {
	t.Helper()
	require.Len(t, list, 1, "problems: %v", list)
	assert.Equal(t, path, list[0].Path)
	assert.Contains(t, list[0].Msg, fragment)
}

// productionEntry is the suggested config of production's status
// dashboard, as the engine hands it over; productionJSON is the section.
const (
	productionEntry = `{
	"title": "PyTorch Services Status Dashboard",
	"description": "The current status of PyTorch's services.",
	"layoutType": "free",
	"widgets": [{
		"monitorSummary": {
			"title": "PyTorch Service Monitors", "titleSize": 16, "titleAlign": "left", "query": "",
			"summaryType": "monitors", "displayFormat": "countsAndList", "colorPreference": "text",
			"hideZeroCounts": true, "showLastTriggered": false, "sort": "status,asc"
		},
		"layout": {"x": 0, "y": 0, "width": 80, "height": 100}
	}]
}`
	productionJSON = `{"status": ` + productionEntry + `}`
)

// production is what productionJSON decodes to.
var production = dashboards.Dashboard{
	Title:       "PyTorch Services Status Dashboard",
	Description: "The current status of PyTorch's services.",
	LayoutType:  dashboards.Free,
	Widgets: []dashboards.Widget{{
		MonitorSummary: dashboards.MonitorSummary{
			Title: "PyTorch Service Monitors", TitleSize: 16, TitleAlign: "left", Query: "",
			SummaryType: "monitors", DisplayFormat: "countsAndList", ColorPreference: "text",
			HideZeroCounts: true, ShowLastTriggered: false, ShowPriority: false, Sort: "status,asc",
		},
		Layout: &dashboards.Layout{X: 0, Y: 0, Width: 80, Height: 100},
	}},
	Tags: []string{},
}

// widget is a free dashboard "d" with one widget whose monitorSummary has
// the given fields.
func widget(summary string) string {
	return `{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": {` + summary + `}, "layout": {"x": 0, "y": 0, "width": 4, "height": 4}}]}}`
}

// layout is a free dashboard "d" with one widget of the given layout.
func layout(l string) string {
	return `{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": {}, "layout": {` + l + `}}]}}`
}

func TestDecodeProduction(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, productionJSON)
	require.Empty(t, problems)
	assert.Equal(t, map[string]dashboards.Dashboard{"status": production}, got)
}

// TestDecodeDefaults: an empty monitor summary takes every default, and
// the defaults are the widget as production has it.
func TestDecodeDefaults(t *testing.T) {
	t.Parallel()
	assert.Equal(t, dashboards.MonitorSummary{
		Title: "", TitleSize: 16, TitleAlign: "left", Query: "", SummaryType: "monitors",
		DisplayFormat: "countsAndList", ColorPreference: "text", HideZeroCounts: true,
		ShowLastTriggered: false, ShowPriority: false, Sort: "status,asc",
	}, dashboards.DefaultMonitorSummary)

	got, problems := decode(t, `{"d": {"title": "D", "layoutType": "ordered", "widgets": [{"monitorSummary": {}}]}}`)
	require.Empty(t, problems)
	assert.Equal(t, dashboards.Dashboard{
		Title: "D", Description: "", LayoutType: dashboards.Ordered,
		Widgets: []dashboards.Widget{{MonitorSummary: dashboards.DefaultMonitorSummary}},
		Tags:    []string{},
	}, got["d"], "no layout on an ordered dashboard; description and tags empty, not nil")

	got, problems = decode(t, `{"d": {"title": "D", "layoutType": "free"}}`)
	require.Empty(t, problems)
	assert.Equal(t, []dashboards.Widget{}, got["d"].Widgets, "no widgets is an empty list, sent as one")
	assert.Equal(t, []string{}, got["d"].Tags)
	assert.Empty(t, got["d"].JSON, "structured")
}

func TestDecodeEveryField(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{"board": {
		"title": "Board", "description": "All of it.", "layoutType": "ordered", "tags": ["team:infra", "team:pytorch-dev-infra"],
		"importId": "abc-123-x9z",
		"widgets": [
			{"monitorSummary": {"title": "Groups", "titleSize": 20, "titleAlign": "center", "query": "tag:team:infra",
				"summaryType": "groups", "displayFormat": "list", "colorPreference": "background", "hideZeroCounts": false,
				"showLastTriggered": true, "showPriority": true, "sort": "priority,desc"},
			 "layout": {"x": 6, "y": 2, "width": 6, "height": 3}},
			{"monitorSummary": {"summaryType": "combined", "displayFormat": "counts", "titleAlign": "right", "sort": "triggered"},
			 "layout": {"x": 0, "y": 0, "width": 12, "height": 1}}
		]}}`)
	require.Empty(t, problems)
	first := dashboards.MonitorSummary{
		Title: "Groups", TitleSize: 20, TitleAlign: "center", Query: "tag:team:infra", SummaryType: "groups",
		DisplayFormat: "list", ColorPreference: "background", HideZeroCounts: false, ShowLastTriggered: true,
		ShowPriority: true, Sort: "priority,desc",
	}
	second := dashboards.DefaultMonitorSummary
	second.SummaryType, second.DisplayFormat, second.TitleAlign, second.Sort = "combined", "counts", "right", "triggered"
	assert.Equal(t, dashboards.Dashboard{
		Title: "Board", Description: "All of it.", LayoutType: dashboards.Ordered,
		Tags: []string{"team:infra", "team:pytorch-dev-infra"},
		Widgets: []dashboards.Widget{
			{MonitorSummary: first, Layout: &dashboards.Layout{X: 6, Y: 2, Width: 6, Height: 3}},
			{MonitorSummary: second, Layout: &dashboards.Layout{X: 0, Y: 0, Width: 12, Height: 1}},
		},
		ImportID: "abc-123-x9z",
	}, got["board"], "widgets in config order")
}

func TestDecodeJSONForm(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw        string
		title      string
		layoutType string
		json       string
	}{
		"an object": {
			raw:   `{"ui": {"json": {"title": "Built in the UI", "layout_type": "ordered", "widgets": [{"definition": {"type": "note", "content": "a < b & c"}}], "reflow_type": "auto"}, "importId": "abc-def-ghi"}}`,
			title: "Built in the UI", layoutType: dashboards.Ordered,
			json: `{"layout_type":"ordered","reflow_type":"auto","title":"Built in the UI","widgets":[{"definition":{"content":"a < b & c","type":"note"}}]}`,
		},
		"a string, its key order and escapes kept": {
			raw:   `{"ui": {"json": "{\n  \"title\": \"Built in the UI\",\n  \"widgets\": [ {\"id\": 1.50, \"note\": \"\\u003c\"} ],\n  \"layout_type\": \"free\"\n}\n", "importId": "abc-def-ghi"}}`,
			title: "Built in the UI", layoutType: dashboards.Free,
			json: `{"title":"Built in the UI","widgets":[{"id":1.50,"note":"\u003c"}],"layout_type":"free"}`,
		},
		"numbers as written": {
			raw:   `{"ui": {"json": {"title": "T", "layout_type": "free", "widgets": [{"layout": {"x": 0, "width": 47, "ratio": 0.25, "big": 12345678901234567890}}]}}}`,
			title: "T", layoutType: dashboards.Free,
			json: `{"layout_type":"free","title":"T","widgets":[{"layout":{"big":12345678901234567890,"ratio":0.25,"width":47,"x":0}}]}`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, tc.raw)
			require.Empty(t, problems)
			d := got["ui"]
			assert.Equal(t, tc.title, d.Title, "the title comes from the JSON")
			assert.Equal(t, tc.layoutType, d.LayoutType)
			assert.Equal(t, tc.json, d.JSON)
			assert.True(t, json.Valid([]byte(d.JSON)))
			assert.Empty(t, d.Widgets)
			assert.Empty(t, d.Tags)
		})
	}
	got, _ := decode(t, tests["an object"].raw)
	assert.Equal(t, "abc-def-ghi", got["ui"].ImportID, "a JSON dashboard is adopted by its id too")
}

func TestDecodeReportsOneProblem(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw, path, fragment string
	}{
		"section a list": {`[{"title": "D"}]`,
			"dashboards", "must be a map of dashboard key to dashboard, got a list"},
		"section not JSON": {`status`,
			"dashboards", `got the string "status"`},
		"dashboard not a map": {`{"d": "PyTorch Services Status Dashboard"}`,
			"dashboards.d", "must be a dashboard ({title, description, layoutType, widgets, tags}, or {json} exported from the Datadog UI), got the string"},
		"key not kebab-case": {`{"Status_Board": {"title": "D", "layoutType": "free"}}`,
			"dashboards.Status_Board", `key "Status_Board" must be lowercase letters and digits joined by '-'`},
		"misspelt field": {`{"d": {"title": "D", "layoutType": "free", "widget": []}}`,
			"dashboards.d.widget", `unknown field (did you mean "widgets"?)`},
		"layout type misspelt": {`{"d": {"title": "D", "layoutType": "fre"}}`,
			"dashboards.d.layoutType", `"fre" is not one of ordered, free (did you mean "free"?)`},
		"layout type a number": {`{"d": {"title": "D", "layoutType": 1}}`,
			"dashboards.d.layoutType", "must be one of ordered, free, got the number 1"},
		"missing layout type": {`{"d": {"title": "D"}}`,
			"dashboards.d.layoutType", "missing; a dashboard needs its layoutType (or its JSON exported from the Datadog UI under json)"},
		"blank title": {`{"d": {"title": " ", "layoutType": "free"}}`,
			"dashboards.d.title", "is empty"},
		"description a list": {`{"d": {"title": "D", "layoutType": "free", "description": ["a"]}}`,
			"dashboards.d.description", "must be a string, got a list"},
		"tags a string": {`{"d": {"title": "D", "layoutType": "free", "tags": "team:infra"}}`,
			"dashboards.d.tags", `(write it as a list: ["team:infra"])`},
		"tag not a team": {`{"d": {"title": "D", "layoutType": "free", "tags": ["team:infra", "env:prod"]}}`,
			"dashboards.d.tags[1]", `"env:prod" is not a team:<name> tag, the only tags Datadog takes on a dashboard`},
		"tag listed twice": {`{"d": {"title": "D", "layoutType": "free", "tags": ["team:infra", "team:infra"]}}`,
			"dashboards.d.tags[1]", `"team:infra" is listed twice (also at [0])`},
		"tag not a string": {`{"d": {"title": "D", "layoutType": "free", "tags": [7]}}`,
			"dashboards.d.tags[0]", "must be a string, got the number 7"},
		"widgets a map": {`{"d": {"title": "D", "layoutType": "free", "widgets": {"monitorSummary": {}}}}`,
			"dashboards.d.widgets", "must be a list of widgets ({monitorSummary, layout}), got a map"},
		"widget not a map": {`{"d": {"title": "D", "layoutType": "free", "widgets": ["summary"]}}`,
			"dashboards.d.widgets[0]", `must be a widget ({monitorSummary, layout}), got the string "summary"`},
		"widget without monitorSummary": {`{"d": {"title": "D", "layoutType": "free", "widgets": [{"layout": {"x": 0, "y": 0, "width": 1, "height": 1}}]}}`,
			"dashboards.d.widgets[0].monitorSummary", "missing; monitorSummary is the one widget kind written here: for other widgets, export the dashboard's JSON from the Datadog UI and put it under json"},
		"free widget without layout": {`{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": {}}]}}`,
			"dashboards.d.widgets[0].layout", "missing; a free-layout dashboard places every widget: give it {x, y, width, height}"},
		"ordered widgets with and without layouts": {`{"d": {"title": "D", "layoutType": "ordered", "widgets": [{"monitorSummary": {}}, {"monitorSummary": {}, "layout": {"x": 0, "y": 0, "width": 1, "height": 1}}]}}`,
			"dashboards.d.widgets[0].layout", "missing, while widgets[1] has one; in an ordered dashboard give every widget a layout (fixed reflow) or none (auto reflow)"},
		"ordered widget wider than the grid": {`{"d": {"title": "D", "layoutType": "ordered", "widgets": [{"monitorSummary": {}, "layout": {"x": 4, "y": 0, "width": 9, "height": 1}}]}}`,
			"dashboards.d.widgets[0].layout", "x + width is 13; an ordered dashboard's grid is 12 columns wide"},
		"summary not a map": {`{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": true, "layout": {"x": 0, "y": 0, "width": 1, "height": 1}}]}}`,
			"dashboards.d.widgets[0].monitorSummary", "must be a monitor summary ({title, titleSize, titleAlign, query, summaryType, displayFormat, colorPreference, hideZeroCounts, showLastTriggered, showPriority, sort}), got the boolean true"},
		"summary field misspelt": {widget(`"hideZeroCount": true`),
			"dashboards.d.widgets[0].monitorSummary.hideZeroCount", `unknown field (did you mean "hideZeroCounts"?)`},
		"summary type misspelt": {widget(`"summaryType": "monitor"`),
			"dashboards.d.widgets[0].monitorSummary.summaryType", `"monitor" is not one of monitors, groups, combined (did you mean "monitors"?)`},
		"display format in another case": {widget(`"displayFormat": "countsandlist"`),
			"dashboards.d.widgets[0].monitorSummary.displayFormat", `(did you mean "countsAndList"?)`},
		"colour preference unknown": {widget(`"colorPreference": "foreground"`),
			"dashboards.d.widgets[0].monitorSummary.colorPreference", `"foreground" is not one of background, text`},
		"title align unknown": {widget(`"titleAlign": "middle"`),
			"dashboards.d.widgets[0].monitorSummary.titleAlign", `"middle" is not one of left, center, right`},
		"sort unknown": {widget(`"sort": "status,up"`),
			"dashboards.d.widgets[0].monitorSummary.sort", `"status,up" is not one of name, group, status, tags, triggered`},
		"sort with a space": {widget(`"sort": "status, asc"`),
			"dashboards.d.widgets[0].monitorSummary.sort", `(did you mean "status,asc"?)`},
		"title size as a string": {widget(`"titleSize": "16"`),
			"dashboards.d.widgets[0].monitorSummary.titleSize", `must be a whole number, got the string "16"`},
		"title size zero": {widget(`"titleSize": 0`),
			"dashboards.d.widgets[0].monitorSummary.titleSize", "must be a whole number of at least 1, got 0"},
		"title size a fraction": {widget(`"titleSize": 16.5`),
			"dashboards.d.widgets[0].monitorSummary.titleSize", "must be a whole number, got the number 16.5"},
		"query null": {widget(`"query": null`),
			"dashboards.d.widgets[0].monitorSummary.query", "must be a string, got nothing (null)"},
		"hideZeroCounts a string": {widget(`"hideZeroCounts": "true"`),
			"dashboards.d.widgets[0].monitorSummary.hideZeroCounts", `must be true or false, got the string "true"`},
		"showPriority a number": {widget(`"showPriority": 0`),
			"dashboards.d.widgets[0].monitorSummary.showPriority", "must be true or false, got the number 0"},
		"layout not a map": {`{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": {}, "layout": [0, 0, 80, 100]}]}}`,
			"dashboards.d.widgets[0].layout", "must be a layout ({x, y, width, height}), got a list"},
		"layout without height": {layout(`"x": 0, "y": 0, "width": 80`),
			"dashboards.d.widgets[0].layout.height", "missing; it is required"},
		"negative x": {layout(`"x": -1, "y": 0, "width": 80, "height": 100`),
			"dashboards.d.widgets[0].layout.x", "must be a whole number of at least 0, got -1"},
		"zero width": {layout(`"x": 0, "y": 0, "width": 0, "height": 100`),
			"dashboards.d.widgets[0].layout.width", "must be a whole number of at least 1, got 0"},
		"fractional y": {layout(`"x": 0, "y": 0.5, "width": 80, "height": 100`),
			"dashboards.d.widgets[0].layout.y", "must be a whole number, got the number 0.5"},
		"height beyond 32 bits": {layout(`"x": 0, "y": 0, "width": 80, "height": 4294967296`),
			"dashboards.d.widgets[0].layout.height", "must be from 1 to 2147483647"},
		"layout field unknown": {layout(`"x": 0, "y": 0, "width": 80, "height": 100, "isColumnBreak": true`),
			"dashboards.d.widgets[0].layout.isColumnBreak", "unknown field; known fields: x, y, width, height"},
		"importId of a monitor": {`{"d": {"title": "D", "layoutType": "free", "importId": "12345"}}`,
			"dashboards.d.importId", `"12345" is not an id of this type, such as abc-def-ghi`},
		"importId in upper case": {`{"d": {"title": "D", "layoutType": "free", "importId": "ABC-DEF-GHI"}}`,
			"dashboards.d.importId", "is not an id of this type"},
		"duplicate titles": {`{"a": {"title": "Status", "layoutType": "free"}, "b": {"title": "Status", "layoutType": "ordered"}}`,
			"dashboards.b.title", `title "Status" is also the title of dashboards.a; dashboard titles must be unique`},
		"duplicate titles across the forms": {`{"a": {"json": {"title": "Status", "layout_type": "free"}}, "b": {"title": "Status", "layoutType": "free"}}`,
			"dashboards.b.title", `title "Status" is also the title of dashboards.a`},
		"duplicate titles of two JSON dashboards": {`{"a": {"json": {"title": "Status", "layout_type": "free"}}, "b": {"json": "{\"title\": \"Status\", \"layout_type\": \"ordered\"}"}}`,
			"dashboards.b.json.title", `title "Status" is also the title of dashboards.a`},
		"json with a structured field": {`{"d": {"json": {"title": "D", "layout_type": "free"}, "layoutType": "free"}}`,
			"dashboards.d.layoutType", "cannot be set with json: a dashboard is either structured (title, layoutType, widgets, ...) or its JSON, and the JSON carries its own layout_type"},
		"json a number": {`{"d": {"json": 3}}`,
			"dashboards.d.json", "must be the dashboard's JSON as the Datadog UI exports it (an object, or a string of JSON), got the number 3"},
		"json a list": {`{"d": {"json": [{"title": "D"}]}}`,
			"dashboards.d.json", "must be the dashboard's JSON as the Datadog UI exports it (an object, or a string of JSON), got a list"},
		"json a string that is not JSON": {`{"d": {"json": "{\"title\": \"D\","}}`,
			"dashboards.d.json", "is not JSON (unexpected EOF)"},
		"json a string of a list": {`{"d": {"json": "[]"}}`,
			"dashboards.d.json", "got JSON of a list"},
		"json a string of two objects": {`{"d": {"json": "{\"title\": \"D\", \"layout_type\": \"free\"} {}"}}`,
			"dashboards.d.json", "holds more than one JSON value"},
		"json without a title": {`{"d": {"json": {"layout_type": "free", "widgets": []}}}`,
			"dashboards.d.json.title", "missing; the dashboard's JSON needs its title"},
		"json with an empty title": {`{"d": {"json": "{\"title\": \"\", \"layout_type\": \"free\"}"}}`,
			"dashboards.d.json.title", "is empty"},
		"json with a title not a string": {`{"d": {"json": {"title": ["D"], "layout_type": "free"}}}`,
			"dashboards.d.json.title", "must be a string, got a list"},
		"json without a layout type": {`{"d": {"json": {"title": "D"}}}`,
			"dashboards.d.json.layout_type", "missing; the dashboard's JSON needs its layout_type (ordered or free)"},
		"json with a camelCase layout type": {`{"d": {"json": {"title": "D", "layoutType": "free"}}}`,
			"dashboards.d.json.layout_type", "missing"},
		"json with an unknown layout type": {`{"d": {"json": {"title": "D", "layout_type": "grid"}}}`,
			"dashboards.d.json.layout_type", `"grid" is not one of ordered, free`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			requireOnly(t, got, tc.path, tc.fragment)
		})
	}
}

// TestDecodeReportsEveryProblemAtOnce checks that one pass finds all the
// problems of an input, across fields, widgets and dashboards.
func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw  string
		want map[string]string // path: message fragment
	}{
		"empty dashboard": {`{"d": {}}`, map[string]string{
			"dashboards.d.title":      "missing; a dashboard needs its title (or its JSON exported from the Datadog UI under json)",
			"dashboards.d.layoutType": "missing; a dashboard needs its layoutType",
		}},
		"json with every structured field": {`{"d": {"json": {"title": "D", "layout_type": "free"}, "title": "D", "description": "x", "layoutType": "free", "widgets": [], "tags": []}}`, map[string]string{
			"dashboards.d.title":       "cannot be set with json",
			"dashboards.d.description": "cannot be set with json",
			"dashboards.d.layoutType":  "cannot be set with json",
			"dashboards.d.widgets":     "the JSON carries its own widgets",
			"dashboards.d.tags":        "the JSON carries its own tags",
		}},
		"a widget of another kind": {`{"d": {"title": "D", "layoutType": "free", "widgets": [{"timeseries": {}, "layout": {"x": 0, "y": 0, "width": 1, "height": 1}}]}}`, map[string]string{
			"dashboards.d.widgets[0].timeseries":     "unknown field; known fields: monitorSummary, layout",
			"dashboards.d.widgets[0].monitorSummary": "for other widgets, export the dashboard's JSON from the Datadog UI and put it under json",
		}},
		"several fields of several widgets and dashboards": {`{
			"b": {"title": "B", "layoutType": "free", "tags": ["infra"], "widgets": [
				{"monitorSummary": {"sort": "name,up", "titleSize": -2}},
				{"monitorSummary": {"displayFormat": "table"}, "layout": {"x": -1, "y": "0", "width": 1}}
			]},
			"a": {"json": {"title": "", "layout_type": "free"}, "importId": "nope"}
		}`, map[string]string{
			"dashboards.a.json.title":                              "is empty",
			"dashboards.a.importId":                                "is not an id of this type",
			"dashboards.b.tags[0]":                                 "is not a team:<name> tag",
			"dashboards.b.widgets[0].monitorSummary.sort":          `"name,up" is not one of`,
			"dashboards.b.widgets[0].monitorSummary.titleSize":     "at least 1, got -2",
			"dashboards.b.widgets[0].layout":                       "missing; a free-layout dashboard places every widget",
			"dashboards.b.widgets[1].monitorSummary.displayFormat": `"table" is not one of counts, countsAndList, list`,
			"dashboards.b.widgets[1].layout.x":                     "at least 0, got -1",
			"dashboards.b.widgets[1].layout.y":                     `must be a whole number, got the string "0"`,
			"dashboards.b.widgets[1].layout.height":                "missing; it is required",
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, got := decode(t, tc.raw)
			want := make([]string, 0, len(tc.want))
			for path := range tc.want {
				want = append(want, path)
			}
			sort.Strings(want)
			assert.Equal(t, want, kittest.SortedPaths(got), "every problem, each once")
			for _, pe := range got {
				assert.Contains(t, pe.Msg, tc.want[pe.Path], pe.Path)
			}
		})
	}

	// Dashboards are decoded in sorted key order, so problems come in it.
	_, got := decode(t, `{"z": {}, "a": {}}`)
	require.NotEmpty(t, got)
	assert.True(t, strings.HasPrefix(got[0].Path, "dashboards.a."), "first problem is a's: %v", got)
	assert.True(t, strings.HasPrefix(got[len(got)-1].Path, "dashboards.z."), "last problem is z's: %v", got)
}

func TestDecodeAbsentSection(t *testing.T) {
	t.Parallel()
	p := &configkit.Problems{}
	got := dashboards.Decode(p, `{"d": "not a dashboard"}`, false)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assert.NoError(t, p.Err(), "an absent section is not read")

	got, problems := decode(t, `{}`)
	assert.Empty(t, got)
	assert.Empty(t, problems, "an empty section is no dashboards")
}

// TestDecodeNeverPanics puts a value of every JSON type at every place of a
// dashboard: each is decoded or reported, never a panic.
func TestDecodeNeverPanics(t *testing.T) {
	t.Parallel()
	values := []string{`null`, `true`, `0`, `-1.5`, `""`, `"x"`, `[]`, `[null]`, `{}`, `{"x": null}`}
	places := []string{
		`{"d": %s}`,
		`{"d": {"title": %s, "layoutType": "free"}}`,
		`{"d": {"title": "D", "layoutType": %s}}`,
		`{"d": {"title": "D", "layoutType": "free", "description": %s}}`,
		`{"d": {"title": "D", "layoutType": "free", "tags": %s}}`,
		`{"d": {"title": "D", "layoutType": "free", "widgets": %s}}`,
		`{"d": {"title": "D", "layoutType": "ordered", "widgets": [%s]}}`,
		`{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": %s}]}}`,
		`{"d": {"title": "D", "layoutType": "ordered", "widgets": [{"monitorSummary": {}, "layout": %s}]}}`,
		`{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": {"titleSize": %s, "sort": %s, "hideZeroCounts": %s}}]}}`,
		`{"d": {"title": "D", "layoutType": "free", "widgets": [{"monitorSummary": {}, "layout": {"x": %s, "y": %s, "width": %s, "height": %s}}]}}`,
		`{"d": {"json": %s}}`,
		`{"d": {"json": {"title": %s, "layout_type": %s}}}`,
		`{"d": {"json": %s, "importId": %s}}`,
	}
	for _, place := range places {
		for _, v := range values {
			raw := strings.ReplaceAll(place, "%s", v)
			assert.NotPanics(t, func() {
				p := &configkit.Problems{}
				dashboards.Decode(p, raw, true)
			}, raw)
			// The same value as a string of JSON, for the json field.
			if strings.Contains(place, `"json": %s`) {
				quoted, err := json.Marshal(v)
				require.NoError(t, err)
				raw = strings.ReplaceAll(place, "%s", string(quoted))
				assert.NotPanics(t, func() {
					p := &configkit.Problems{}
					dashboards.Decode(p, raw, true)
				}, raw)
			}
		}
	}
}

func TestImportIDForm(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		id   string
		want bool
	}{
		"letters":            {"abc-def-ghi", true},
		"letters and digits": {"sv7-gyh-k4s", true},
		"digits":             {"123-456-789", true},
		"upper case":         {"ABC-def-ghi", false},
		"two groups":         {"abc-def", false},
		"four letters":       {"abcd-def-ghi", false},
		"numeric":            {"12345678", false},
		"underscores":        {"abc_def_ghi", false},
		"a URL":              {"https://app.datadoghq.com/dashboard/abc-def-ghi", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, dashboards.ImportID.Pattern.MatchString(tc.id))
		})
	}
	assert.True(t, dashboards.ImportID.Pattern.MatchString(dashboards.ImportID.Example), "the example has the form")
}
