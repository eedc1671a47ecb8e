package dashboards_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

const dashboardID = "q7x-2kd-9pa"

// summaryWidget is production's monitor summary widget, as Datadog
// answers it, at a layout (nil for none) and with Datadog's widget id.
func summaryWidget(id int64, layout *datadogV1.WidgetLayout) datadogV1.Widget {
	s := datadogV1.NewMonitorSummaryWidgetDefinition("", datadogV1.MONITORSUMMARYWIDGETDEFINITIONTYPE_MANAGE_STATUS)
	s.SetTitle("PyTorch Service Monitors")
	s.SetTitleSize("16")
	s.SetTitleAlign(datadogV1.WIDGETTEXTALIGN_LEFT)
	s.SetSummaryType(datadogV1.WIDGETSUMMARYTYPE_MONITORS)
	s.SetDisplayFormat(datadogV1.WIDGETMONITORSUMMARYDISPLAYFORMAT_COUNTS_AND_LIST)
	s.SetColorPreference(datadogV1.WIDGETCOLORPREFERENCE_TEXT)
	s.SetHideZeroCounts(true)
	s.SetShowLastTriggered(false)
	s.SetShowPriority(false)
	s.SetSort(datadogV1.WIDGETMONITORSUMMARYSORT_STATUS_ASCENDING)
	w := datadogV1.NewWidget(datadogV1.MonitorSummaryWidgetDefinitionAsWidgetDefinition(s))
	w.SetId(id)
	w.Layout = layout
	return *w
}

// noteWidget is a note widget, which only the JSON form holds.
func noteWidget(id int64) datadogV1.Widget {
	w := datadogV1.NewWidget(datadogV1.NoteWidgetDefinitionAsWidgetDefinition(
		datadogV1.NewNoteWidgetDefinition("Runbook: see the wiki.", datadogV1.NOTEWIDGETDEFINITIONTYPE_NOTE)))
	w.SetId(id)
	return *w
}

// apiDashboard is a dashboard as GET /api/v1/dashboard/{id} answers it,
// with the read-only fields Datadog adds.
func apiDashboard(id, title string, layout datadogV1.DashboardLayoutType, widgets ...datadogV1.Widget) datadogV1.Dashboard {
	d := datadogV1.NewDashboard(layout, title, widgets)
	d.SetId(id)
	d.SetDescription("Shows the current status of PyTorch services")
	d.SetAuthorHandle("jconway@linuxfoundation.org")
	d.SetAuthorName("J. Conway")
	d.SetCreatedAt(time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC))
	d.SetModifiedAt(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	d.SetUrl("/dashboard/" + id + "/pytorch-services-status-dashboard")
	d.SetIsReadOnly(false)
	d.SetNotifyList([]string{})
	d.SetTags([]string{})
	return *d
}

// statusDashboard is production's dashboard as Datadog has it.
func statusDashboard() datadogV1.Dashboard {
	return apiDashboard(dashboardID, "PyTorch Services Status Dashboard", datadogV1.DASHBOARDLAYOUTTYPE_FREE,
		summaryWidget(1234567890123456, datadogV1.NewWidgetLayout(100, 80, 0, 0)))
}

// dashboardObject is a dashboard as Detail completes it.
func dashboardObject(d datadogV1.Dashboard) live.Object {
	return live.Object{ID: d.GetId(), On: d.Title, Name: d.Title, Key: dashboards.KeyOf(d.Title), Data: d}
}

// productionSummary is the structured form of production's widget.
func productionSummary() map[string]any {
	return map[string]any{
		"title": "PyTorch Service Monitors", "titleSize": float64(16), "titleAlign": "left", "query": "",
		"summaryType": "monitors", "displayFormat": "countsAndList", "colorPreference": "text",
		"hideZeroCounts": true, "showLastTriggered": false, "showPriority": false, "sort": "status,asc",
	}
}

func TestFromAPIStructured(t *testing.T) {
	t.Parallel()
	ordered := func(reflow *datadogV1.DashboardReflowType, widgets ...datadogV1.Widget) datadogV1.Dashboard {
		d := apiDashboard(dashboardID, "Ordered", datadogV1.DASHBOARDLAYOUTTYPE_ORDERED, widgets...)
		d.ReflowType = reflow
		return d
	}
	tagged := statusDashboard()
	tagged.SetTags([]string{"team:lf-staff"})
	noDescription := statusDashboard()
	noDescription.Description.Set(nil)
	tests := map[string]struct {
		dashboard datadogV1.Dashboard
		entry     map[string]any
	}{
		"production's status dashboard": {
			dashboard: statusDashboard(),
			entry: map[string]any{
				"title": "PyTorch Services Status Dashboard", "description": "Shows the current status of PyTorch services",
				"layoutType": "free", "tags": []any{}, "importId": dashboardID,
				"widgets": []any{map[string]any{"monitorSummary": productionSummary(),
					"layout": map[string]any{"x": float64(0), "y": float64(0), "width": float64(80), "height": float64(100)}}},
			},
		},
		"team tags, and a null description": {
			dashboard: func() datadogV1.Dashboard { d := tagged; d.Description = noDescription.Description; return d }(),
			entry: map[string]any{
				"title": "PyTorch Services Status Dashboard", "description": "",
				"layoutType": "free", "tags": []any{"team:lf-staff"}, "importId": dashboardID,
				"widgets": []any{map[string]any{"monitorSummary": productionSummary(),
					"layout": map[string]any{"x": float64(0), "y": float64(0), "width": float64(80), "height": float64(100)}}},
			},
		},
		"ordered, auto reflow, no layouts": {
			dashboard: ordered(datadogV1.DASHBOARDREFLOWTYPE_AUTO.Ptr(), summaryWidget(1, nil), summaryWidget(2, nil)),
			entry: map[string]any{
				"title": "Ordered", "description": "Shows the current status of PyTorch services",
				"layoutType": "ordered", "tags": []any{}, "importId": dashboardID,
				"widgets": []any{map[string]any{"monitorSummary": productionSummary()}, map[string]any{"monitorSummary": productionSummary()}},
			},
		},
		"ordered, fixed reflow, layouts": {
			dashboard: ordered(datadogV1.DASHBOARDREFLOWTYPE_FIXED.Ptr(), summaryWidget(1, datadogV1.NewWidgetLayout(4, 12, 0, 0))),
			entry: map[string]any{
				"title": "Ordered", "description": "Shows the current status of PyTorch services",
				"layoutType": "ordered", "tags": []any{}, "importId": dashboardID,
				"widgets": []any{map[string]any{"monitorSummary": productionSummary(),
					"layout": map[string]any{"x": float64(0), "y": float64(0), "width": float64(12), "height": float64(4)}}},
			},
		},
		"no widgets": {
			dashboard: ordered(nil),
			entry: map[string]any{
				"title": "Ordered", "description": "Shows the current status of PyTorch services",
				"layoutType": "ordered", "tags": []any{}, "importId": dashboardID, "widgets": []any{},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := dashboards.FromAPI(dashboardObject(tc.dashboard))
			require.NoError(t, err)
			assert.Equal(t, tc.entry, entry)
		})
	}
}

// withoutReadOnly is the JSON a dashboard's entry should hold: the
// dashboard's JSON less the read-only fields and the widgets' ids.
func withoutReadOnly(t *testing.T, d datadogV1.Dashboard) map[string]any {
	t.Helper()
	b, err := json.Marshal(d)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, f := range []string{"id", "author_handle", "author_name", "created_at", "modified_at", "url"} {
		require.Contains(t, m, f, "the dashboard has %s, to be dropped", f)
		delete(m, f)
	}
	var drop func(v any)
	drop = func(v any) {
		for _, w := range v.([]any) {
			w := w.(map[string]any)
			delete(w, "id")
			if inner, ok := w["definition"].(map[string]any)["widgets"]; ok {
				drop(inner)
			}
		}
	}
	drop(m["widgets"])
	return m
}

func TestFromAPIJSON(t *testing.T) {
	t.Parallel()
	withNote := statusDashboard()
	withNote.Widgets = append(withNote.Widgets, noteWidget(99))
	withVars := statusDashboard()
	withVars.TemplateVariables = []datadogV1.DashboardTemplateVariable{*datadogV1.NewDashboardTemplateVariable("env")}
	withNotify := statusDashboard()
	withNotify.SetNotifyList([]string{"ops@example.org"})
	badSize := statusDashboard()
	badSize.Widgets = []datadogV1.Widget{summaryWidget(7, datadogV1.NewWidgetLayout(1, 1, 0, 0))}
	badSize.Widgets[0].Definition.MonitorSummaryWidgetDefinition.SetTitleSize("big")
	columnBreak := statusDashboard()
	columnBreak.Widgets[0].Layout.SetIsColumnBreak(true)
	fixedNoLayout := apiDashboard(dashboardID, "Ordered", datadogV1.DASHBOARDLAYOUTTYPE_ORDERED, summaryWidget(1, nil))
	fixedNoLayout.SetReflowType(datadogV1.DASHBOARDREFLOWTYPE_FIXED)
	group := apiDashboard(dashboardID, "Runbook", datadogV1.DASHBOARDLAYOUTTYPE_ORDERED, func() datadogV1.Widget {
		g := datadogV1.NewGroupWidgetDefinition(datadogV1.WIDGETLAYOUTTYPE_ORDERED, datadogV1.GROUPWIDGETDEFINITIONTYPE_GROUP,
			[]datadogV1.Widget{noteWidget(11), summaryWidget(12, nil)})
		w := datadogV1.NewWidget(datadogV1.GroupWidgetDefinitionAsWidgetDefinition(g))
		w.SetId(10)
		return *w
	}())
	outside := statusDashboard()
	outside.AdditionalProperties = map[string]any{"pause_auto_refresh": true}
	readOnly := statusDashboard()
	readOnly.SetIsReadOnly(true)

	tests := map[string]datadogV1.Dashboard{
		"a note widget":                        withNote,
		"template variables":                   withVars,
		"a notify list":                        withNotify,
		"a title size that is not a number":    badSize,
		"a column break":                       columnBreak,
		"ordered, fixed reflow without layout": fixedNoLayout,
		"a group widget, ids nested":           group,
		"a field the client does not know":     outside,
		"read-only":                            readOnly,
	}
	for name, d := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := dashboards.FromAPI(dashboardObject(d))
			require.NoError(t, err)
			require.ElementsMatch(t, []string{"json", "importId"}, keys(entry))
			assert.Equal(t, dashboardID, entry["importId"])

			// The JSON is the dashboard's, less what Datadog adds.
			got, err := json.Marshal(entry["json"])
			require.NoError(t, err)
			var back map[string]any
			require.NoError(t, json.Unmarshal(got, &back))
			assert.Equal(t, withoutReadOnly(t, d), back)
			assert.NotContains(t, string(got), `"id"`, "no id is left, the widgets' included")

			// Numbers are numbers, whole ones whole: a json.Number would be
			// written to the stack file as a string.
			assertNoJSONNumber(t, entry["json"])

			// It decodes to a dashboard given by its JSON.
			raw, err := json.Marshal(map[string]any{"d": entry})
			require.NoError(t, err)
			decoded, problems := decode(t, string(raw))
			require.Empty(t, problems)
			assert.Equal(t, d.Title, decoded["d"].Title)
			assert.NotEmpty(t, decoded["d"].JSON)
			assert.Equal(t, dashboardID, decoded["d"].ImportID)
		})
	}

	// Whole numbers stay whole: a layout's width is 80, not 80.0.
	entry, err := dashboards.FromAPI(dashboardObject(withNote))
	require.NoError(t, err)
	widget := entry["json"].(map[string]any)["widgets"].([]any)[0].(map[string]any)
	assert.Equal(t, int64(80), widget["layout"].(map[string]any)["width"])
}

func keys(m map[string]any) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	return out
}

func assertNoJSONNumber(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case json.Number:
		assert.Failf(t, "a json.Number", "%s", x)
	case map[string]any:
		for _, e := range x {
			assertNoJSONNumber(t, e)
		}
	case []any:
		for _, e := range x {
			assertNoJSONNumber(t, e)
		}
	}
}

func TestFromAPIErrors(t *testing.T) {
	t.Parallel()
	grid := statusDashboard()
	grid.LayoutType = "grid"
	tests := map[string]struct {
		object   live.Object
		contains []string
	}{
		"a summary, not read whole": {
			live.Object{ID: dashboardID, Name: "Status", Data: datadogV1.DashboardSummaryDefinition{Id: datadog.PtrString(dashboardID)}},
			[]string{`dashboard "Status": not read whole (Detail reads it`},
		},
		"no title": {dashboardObject(apiDashboard(dashboardID, " ", datadogV1.DASHBOARDLAYOUTTYPE_FREE)),
			[]string{"Datadog gave it no title or id"}},
		"a layout type neither form takes": {dashboardObject(grid), []string{
			`dashboard "PyTorch Services Status Dashboard" cannot be written as config: not in the structured form (`,
			"layoutType", "and its JSON is refused", "json.layout_type",
		}},
		"an id that is not a dashboard's": {func() live.Object {
			o := dashboardObject(statusDashboard())
			o.ID = "42"
			return o
		}(), []string{"cannot be written as config", "importId"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := dashboards.FromAPI(tc.object)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Nil(t, entry)
		})
	}
}

// The two doors into the stack agree: production's dashboard read from
// Datadog is the entry ddstack import writes from the Terraform state.
func TestFromAPIAgreesWithFromTerraform(t *testing.T) {
	t.Parallel()
	objs := ddfake.ProductionState(t, map[string][]string{"datadog_dashboard": {"title"}})
	require.Len(t, objs, 1, "production has one dashboard")
	key, fromTerraform, err := dashboards.FromTerraform(objs[0].Attrs)
	require.NoError(t, err)

	d := statusDashboard()
	require.Equal(t, objs[0].ID, d.GetId())
	o := dashboardObject(d)
	fromAPI, err := dashboards.FromAPI(o)
	require.NoError(t, err)
	assert.Equal(t, fromTerraform, fromAPI)
	assert.Equal(t, key, o.Key)
}

func TestListAndDetail(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	const n = 2*dashboards.PageSize + 50
	for i := 0; i < n; i++ {
		d := statusDashboard()
		d.SetId(fmt.Sprintf("d%02d-%03d-xyz", i/1000, i%1000))
		d.Title = fmt.Sprintf("Status %03d", i)
		f.Dashboards = append(f.Dashboards, d)
	}
	r := f.Reader(t)
	l, err := dashboards.List(r)
	require.NoError(t, err)
	assert.Empty(t, l.Partial)
	require.Len(t, l.Objects, n, "every dashboard comes back, across the pages")
	for i, o := range l.Objects {
		assert.Equal(t, f.Dashboards[i].GetId(), o.ID)
		assert.Equal(t, fmt.Sprintf("Status %03d", i), o.On, "matched on the title")
		assert.Equal(t, o.On, o.Name)
		assert.Equal(t, fmt.Sprintf("status-%03d", i), o.Key)
		assert.False(t, o.Quiet)
		assert.IsType(t, datadogV1.DashboardSummaryDefinition{}, o.Data, "a summary, until Detail")
	}

	var got []string
	for _, req := range f.Requests() {
		got = append(got, req.Method+" "+req.Path+" "+req.Query.Encode())
	}
	page := func(start int) string {
		return "GET /api/v1/dashboard " + url.Values{"count": {"100"}, "start": {fmt.Sprint(start)}}.Encode()
	}
	assert.Equal(t, []string{page(0), page(100), page(200)}, got, "100 at a time, from each page's offset")

	// Detail reads the one dashboard whole, and FromAPI writes it.
	o, err := dashboards.Detail(r, l.Objects[123])
	require.NoError(t, err)
	assert.Equal(t, l.Objects[123].ID, o.ID)
	entry, err := dashboards.FromAPI(o)
	require.NoError(t, err)
	assert.Equal(t, "Status 123", entry["title"])
	assert.Equal(t, "d00-123-xyz", entry["importId"])
	assert.Len(t, entry["widgets"], 1)
	reqs := f.Requests()
	assert.Equal(t, "/api/v1/dashboard/d00-123-xyz", reqs[len(reqs)-1].Path)
}

func TestListAndDetailFail(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Dashboards = []datadogV1.Dashboard{statusDashboard()}
	r := f.Reader(t)

	f.Fault("/api/v1/dashboard", ddfake.Fault{Status: 400, Body: `{"errors":["bad count"]}`})
	l, err := dashboards.List(r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v1/dashboard: 400 Bad Request")
	assert.Empty(t, l.Objects)

	// A dashboard deleted between the list and its detail.
	_, err = dashboards.Detail(r, live.Object{ID: "gon-eee-now", Name: "Gone"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v1/dashboard/gon-eee-now: 404 Not Found")
}
