package dashboards_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
)

// stateJSON is production's datadog_dashboard.status_dashboard as `tofu
// show -json` gives its values: nested blocks as lists, every widget kind
// the provider knows present and empty but one.
const stateJSON = `{
	"dashboard_lists": [], "dashboard_lists_removed": [],
	"description": "The current status of PyTorch's services.",
	"id": "q8v-2pm-xk4", "is_read_only": false, "layout_type": "free",
	"notify_list": [], "reflow_type": "", "restricted_roles": [], "tags": [],
	"template_variable": [], "template_variable_preset": [],
	"title": "PyTorch Services Status Dashboard",
	"url": "/dashboard/q8v-2pm-xk4/pytorch-services-status-dashboard",
	"widget": [{
		"alert_graph_definition": [], "alert_value_definition": [], "group_definition": [],
		"id": 1234567890123456,
		"manage_status_definition": [{
			"color_preference": "text", "display_format": "countsAndList", "hide_zero_counts": true,
			"query": "", "show_last_triggered": false, "show_priority": false, "sort": "status,asc",
			"summary_type": "monitors", "title": "PyTorch Service Monitors", "title_align": "left", "title_size": "16"
		}],
		"note_definition": [], "query_value_definition": [], "timeseries_definition": [],
		"widget_layout": [{"height": 100, "id": 0, "is_column_break": false, "width": 80, "x": 0, "y": 0}]
	}]
}`

// state parses a state object's values as the state reader does.
func state(t *testing.T, s string) map[string]any {
	t.Helper()
	var attrs map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &attrs))
	return attrs
}

// roundTrip decodes an entry FromTerraform made, under key, as the stack
// would hold it.
func roundTrip(t *testing.T, key string, entry map[string]any) dashboards.Dashboard {
	t.Helper()
	raw, err := json.Marshal(map[string]any{key: entry})
	require.NoError(t, err)
	got, problems := decode(t, string(raw))
	require.Empty(t, problems, "the entry decodes without problems")
	return got[key]
}

func TestFromTerraformProduction(t *testing.T) {
	t.Parallel()
	key, entry, err := dashboards.FromTerraform(state(t, stateJSON))
	require.NoError(t, err)
	assert.Equal(t, "pytorch-services-status-dashboard", key)
	assert.Equal(t, map[string]any{
		"title":       "PyTorch Services Status Dashboard",
		"description": "The current status of PyTorch's services.",
		"layoutType":  "free",
		"tags":        []any{},
		"widgets": []any{map[string]any{
			"monitorSummary": map[string]any{
				"title": "PyTorch Service Monitors", "titleSize": 16.0, "titleAlign": "left", "query": "",
				"summaryType": "monitors", "displayFormat": "countsAndList", "colorPreference": "text",
				"hideZeroCounts": true, "showLastTriggered": false, "showPriority": false, "sort": "status,asc",
			},
			"layout": map[string]any{"x": 0.0, "y": 0.0, "width": 80.0, "height": 100.0},
		}},
		"importId": "q8v-2pm-xk4",
	}, entry)

	want := production
	want.ImportID = "q8v-2pm-xk4"
	assert.Equal(t, want, roundTrip(t, key, entry), "the same dashboard as the production config, adopted")
}

func TestFromTerraformRoundTrips(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		state string
		key   string
		want  dashboards.Dashboard
	}{
		"ordered, tags, two widgets, one with every field set otherwise": {
			state: `{"id": "abc-def-ghi", "title": "Infra: Monitors (prod)", "description": null, "layout_type": "ordered",
				"reflow_type": "fixed", "tags": ["team:infra"], "notify_list": [], "template_variable": [],
				"widget": [
					{"manage_status_definition": [{"color_preference": "background", "display_format": "list", "hide_zero_counts": false,
						"query": "tag:team:infra", "show_last_triggered": true, "show_priority": true, "sort": "priority,desc",
						"summary_type": "combined", "title": "", "title_align": "center", "title_size": "20"}],
					 "timeseries_definition": [],
					 "widget_layout": [{"x": 0, "y": 0, "width": 12, "height": 4, "is_column_break": false}]},
					{"manage_status_definition": [{"query": "status:alert", "title": "Alerting"}],
					 "widget_layout": [{"x": 6, "y": 4, "width": 6, "height": 2}]}
				]}`,
			key: "infra-monitors-prod",
			want: dashboards.Dashboard{
				Title: "Infra: Monitors (prod)", Description: "", LayoutType: dashboards.Ordered, Tags: []string{"team:infra"},
				Widgets: []dashboards.Widget{
					{MonitorSummary: dashboards.MonitorSummary{Title: "", TitleSize: 20, TitleAlign: "center", Query: "tag:team:infra",
						SummaryType: "combined", DisplayFormat: "list", ColorPreference: "background", HideZeroCounts: false,
						ShowLastTriggered: true, ShowPriority: true, Sort: "priority,desc"},
						Layout: &dashboards.Layout{X: 0, Y: 0, Width: 12, Height: 4}},
					// Attributes Terraform left unset take the defaults, but
					// for the booleans, whose unset is false.
					{MonitorSummary: dashboards.MonitorSummary{Title: "Alerting", TitleSize: 16, TitleAlign: "left", Query: "status:alert",
						SummaryType: "monitors", DisplayFormat: "countsAndList", ColorPreference: "text", HideZeroCounts: false,
						ShowLastTriggered: false, ShowPriority: false, Sort: "status,asc"},
						Layout: &dashboards.Layout{X: 6, Y: 4, Width: 6, Height: 2}},
				},
				ImportID: "abc-def-ghi",
			},
		},
		"unset enumerations and title size in the state": {
			state: `{"id": "abc-def-ghi", "title": "T", "layout_type": "ordered", "widget": [{"manage_status_definition": [{
				"color_preference": "", "display_format": "", "hide_zero_counts": true, "query": "", "show_last_triggered": false,
				"show_priority": false, "sort": "", "summary_type": "", "title": "", "title_align": "", "title_size": ""}],
				"widget_layout": []}]}`,
			key: "t",
			want: dashboards.Dashboard{
				Title: "T", LayoutType: dashboards.Ordered, Tags: []string{},
				Widgets:  []dashboards.Widget{{MonitorSummary: dashboards.DefaultMonitorSummary}},
				ImportID: "abc-def-ghi",
			},
		},
		"no widgets": {
			state: `{"id": "abc-def-ghi", "title": "Empty board", "description": "Nothing yet.", "layout_type": "free", "widget": []}`,
			key:   "empty-board",
			want: dashboards.Dashboard{Title: "Empty board", Description: "Nothing yet.", LayoutType: dashboards.Free,
				Widgets: []dashboards.Widget{}, Tags: []string{}, ImportID: "abc-def-ghi"},
		},
		"a title with nothing kebab-case in it": {
			state: `{"id": "abc-def-ghi", "title": "📊 ✓", "layout_type": "free"}`,
			key:   "dashboard",
			want:  dashboards.Dashboard{Title: "📊 ✓", LayoutType: dashboards.Free, Widgets: []dashboards.Widget{}, Tags: []string{}, ImportID: "abc-def-ghi"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := dashboards.FromTerraform(state(t, tc.state))
			require.NoError(t, err)
			assert.Equal(t, tc.key, key)
			assert.Equal(t, tc.want, roundTrip(t, key, entry))
		})
	}
}

func TestFromTerraformRefuses(t *testing.T) {
	t.Parallel()
	const remedy = `which the structured form does not express; export the dashboard's JSON from the Datadog UI and put it under dashboards.ci-health.json, with importId "abc-def-ghi"`
	summary := `"manage_status_definition": [{"query": "", "title": "S"}]`
	tests := map[string]struct {
		state string
		want  string
	}{
		"a widget of another kind": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "ordered", "widget": [
				{` + summary + `, "timeseries_definition": []},
				{"manage_status_definition": [], "timeseries_definition": [{"title": "Queue"}]}]}`,
			want: `datadog_dashboard "CI Health": widget[1] is a timeseries_definition, ` + remedy,
		},
		"a group of monitor summaries": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "ordered", "widget": [
				{"group_definition": [{"widget": [{` + summary + `}]}]}]}`,
			want: `widget[0] is a group_definition, ` + remedy,
		},
		"a widget of a kind the state does not show": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "ordered", "widget": [{"id": 1, "widget_layout": []}]}`,
			want:  `widget[0] is of a kind the Terraform state does not show, ` + remedy,
		},
		"template variables": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "template_variable": [{"name": "env", "prefix": "env"}], "widget": []}`,
			want:  `datadog_dashboard "CI Health": it sets template_variable, ` + remedy,
		},
		"template variable presets": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "template_variable_preset": [{"name": "prod"}]}`,
			want:  `it sets template_variable_preset, ` + remedy,
		},
		"notify list": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "notify_list": ["jane@example.org"]}`,
			want:  `it sets notify_list, ` + remedy,
		},
		"restricted roles": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "restricted_roles": ["a1b2c3d4-0000-1111-2222-333344445555"]}`,
			want:  `it sets restricted_roles, ` + remedy,
		},
		"a column break": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "ordered", "widget": [
				{` + summary + `, "widget_layout": [{"x": 0, "y": 0, "width": 6, "height": 2, "is_column_break": true}]}]}`,
			want: `widget[0]'s layout is a column break, ` + remedy,
		},
		"a title size not a number": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "widget": [
				{"manage_status_definition": [{"query": "", "title_size": "large"}]}]}`,
			want: `datadog_dashboard "CI Health": widget[0]: title_size "large" is not a whole number`,
		},
		"a layout without a number": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "widget": [
				{` + summary + `, "widget_layout": [{"x": 0, "y": 0, "width": "6", "height": 2}]}]}`,
			want: `datadog_dashboard "CI Health": widget[0]: widget_layout has no number width`,
		},
		// What the stack's Decode refuses is an error, not an entry.
		"a tag Datadog takes only as team:<name>": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "tags": ["env:prod"], "widget": []}`,
			want:  `datadog_dashboard "CI Health" cannot be written as config: dashboards.ci-health.tags[0]: "env:prod" is not a team:<name> tag`,
		},
		"a widget wider than an ordered grid": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "ordered", "widget": [
				{` + summary + `, "widget_layout": [{"x": 6, "y": 0, "width": 8, "height": 2}]}]}`,
			want: `cannot be written as config: dashboards.ci-health.widgets[0].layout: x + width is 14; an ordered dashboard's grid is 12 columns wide`,
		},
		"a sort the config does not know": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "layout_type": "free", "widget": [
				{"manage_status_definition": [{"query": "", "sort": "muted,asc"}], "widget_layout": [{"x": 0, "y": 0, "width": 6, "height": 2}]}]}`,
			want: `cannot be written as config: dashboards.ci-health.widgets[0].monitorSummary.sort: "muted,asc" is not one of`,
		},
		"no layout type": {
			state: `{"id": "abc-def-ghi", "title": "CI Health", "widget": []}`,
			want:  `cannot be written as config: dashboards.ci-health.layoutType: "" is not one of ordered, free`,
		},
		"no title": {
			state: `{"id": "abc-def-ghi", "title": "  ", "layout_type": "free"}`,
			want:  "datadog_dashboard abc-def-ghi has no title",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := dashboards.FromTerraform(state(t, tc.state))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}
}

// TestFromTerraformNeverPanics gives attributes of every wrong type.
func TestFromTerraformNeverPanics(t *testing.T) {
	t.Parallel()
	values := []any{nil, true, 1.5, "x", []any{}, []any{nil, "x", 3.0}, map[string]any{}, []any{map[string]any{"manage_status_definition": "x"}}}
	attrs := []string{"id", "title", "description", "layout_type", "tags", "widget", "notify_list", "template_variable"}
	for _, a := range attrs {
		for _, v := range values {
			s := state(t, stateJSON)
			s[a] = v
			assert.NotPanics(t, func() { _, _, _ = dashboards.FromTerraform(s) }, "%s = %#v", a, v)
		}
	}
	for _, v := range values {
		s := state(t, stateJSON)
		w := s["widget"].([]any)[0].(map[string]any)
		w["manage_status_definition"] = []any{map[string]any{"title": v, "title_size": v, "sort": v, "hide_zero_counts": v, "query": v}}
		w["widget_layout"] = []any{map[string]any{"x": v, "is_column_break": v}}
		assert.NotPanics(t, func() { _, _, _ = dashboards.FromTerraform(s) }, "%#v", v)
		w["widget_layout"] = v
		w["manage_status_definition"] = v
		assert.NotPanics(t, func() { _, _, _ = dashboards.FromTerraform(s) }, "%#v", v)
	}
	assert.NotPanics(t, func() { _, _, _ = dashboards.FromTerraform(nil) })
}
