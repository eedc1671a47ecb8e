package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// PageSize is how many dashboards GET /api/v1/dashboard is asked for at a
// time (its count; start is the offset): 100, the endpoint's default and
// the page its official clients read at. Datadog documents no larger
// maximum.
const PageSize = 100

const listEndpoint = "GET /api/v1/dashboard"

// ReadOnlyFields are the fields Datadog adds to a dashboard's JSON that it
// does not take back (the provider's dashboard JSON resource drops them
// too): they are left out of an entry's json, as are the widgets' ids.
var ReadOnlyFields = []string{"id", "author_handle", "author_name", "created_at", "modified_at", "url"}

// List reads the summaries of every dashboard of the organisation (GET
// /api/v1/dashboard, PageSize at a time, start at the page's offset), each
// matched on its title. A summary has no widgets: Detail reads a whole
// dashboard, only when an entry is to be written for it.
func List(r *live.Reader) (live.List, error) {
	api := datadogV1.NewDashboardsApi(r.Client())
	list, err := live.Pages(r, listEndpoint, PageSize,
		func(d datadogV1.DashboardSummaryDefinition) string { return d.GetId() },
		func(page int) ([]datadogV1.DashboardSummaryDefinition, error) {
			resp, _, err := api.ListDashboards(r.Context(), *datadogV1.NewListDashboardsOptionalParameters().
				WithCount(PageSize).WithStart(int64(page * PageSize)))
			return resp.Dashboards, live.Decoded(resp, err)
		})
	if err != nil {
		return live.List{}, err
	}
	out := live.List{Objects: []live.Object{}}
	for _, d := range list {
		if d.GetId() == "" || d.GetTitle() == "" {
			return live.List{}, &live.EndpointError{Endpoint: listEndpoint, Err: fmt.Errorf("answered a dashboard without an id or a title (id %q, title %q)", d.GetId(), d.GetTitle())}
		}
		out.Objects = append(out.Objects, live.Object{ID: d.GetId(), On: d.GetTitle(), Name: d.GetTitle(), Key: KeyOf(d.GetTitle()), Data: d})
	}
	return out, nil
}

// Detail reads the whole dashboard of a summary List found (GET
// /api/v1/dashboard/{id}) into o.Data, for FromAPI.
func Detail(r *live.Reader, o live.Object) (live.Object, error) {
	if o.ID == "" {
		return o, fmt.Errorf("dashboard %q: no id to read it by", o.Name)
	}
	d, _, err := datadogV1.NewDashboardsApi(r.Client()).GetDashboard(r.Context(), o.ID)
	if err := live.Decoded(d, err); err != nil {
		return o, live.Wrap("GET /api/v1/dashboard/"+o.ID, err)
	}
	o.Data = d
	return o, nil
}

// FromAPI turns a dashboard, as Detail read it, into a dashboards entry
// that adopts it by importId, its id. A dashboard the structured form
// expresses (monitor summary widgets only, and nothing else the form does
// not hold) is written in it, as FromTerraform writes it: title,
// description, layoutType, widgets and tags. Any other is written as its
// JSON, under json, as Datadog has it less the read-only fields
// (ReadOnlyFields, the widgets' ids). An entry neither form could decode is
// an error saying why.
func FromAPI(o live.Object) (map[string]any, error) {
	d, ok := o.Data.(datadogV1.Dashboard)
	if !ok {
		return nil, fmt.Errorf("dashboard %q: not read whole (Detail reads it; got %T)", o.Name, o.Data)
	}
	if o.ID == "" || strings.TrimSpace(d.Title) == "" {
		return nil, fmt.Errorf("dashboard %q (id %q): Datadog gave it no title or id", d.Title, o.ID)
	}
	key := o.Key
	if !kit.IsKey(key) {
		key = KeyOf(d.Title)
	}
	entry, why := structuredEntry(d)
	if why == "" {
		entry["importId"] = o.ID
		err := validate(key, entry)
		if err == nil {
			return entry, nil
		}
		why = err.Error()
	}
	j, err := jsonEntry(d)
	if err != nil {
		return nil, fmt.Errorf("dashboard %q: %w", d.Title, err)
	}
	entry = map[string]any{"json": j, "importId": o.ID}
	if err := validate(key, entry); err != nil {
		return nil, fmt.Errorf("dashboard %q cannot be written as config: not in the structured form (%s), and its JSON is refused: %w", d.Title, why, err)
	}
	return entry, nil
}

// structuredEntry is the dashboard in the structured form, or why it has
// none.
func structuredEntry(d datadogV1.Dashboard) (map[string]any, string) {
	switch {
	case d.UnparsedObject != nil:
		return nil, "the client could not read it"
	case len(d.AdditionalProperties) > 0:
		return nil, "it has fields the structured form does not know: " + strings.Join(kit.SortedKeys(d.AdditionalProperties), ", ")
	case len(d.TemplateVariables) > 0:
		return nil, "it has template variables"
	case len(d.TemplateVariablePresets) > 0:
		return nil, "it has template variable presets"
	case len(d.GetNotifyList()) > 0:
		return nil, "it has a notify list"
	case len(d.RestrictedRoles) > 0:
		return nil, "it has restricted roles"
	case len(d.Tabs) > 0:
		return nil, "it has tabs"
	case d.DefaultTimeframe != nil:
		return nil, "it has a default timeframe"
	case d.ExperienceType != nil:
		return nil, "it has an experience type"
	case d.GetIsReadOnly():
		return nil, "it is read-only"
	}
	widgets := []any{}
	hasLayout := false
	for i, w := range d.Widgets {
		widget, why := widgetEntry(w)
		if why != "" {
			return nil, fmt.Sprintf("widget[%d] %s", i, why)
		}
		if _, ok := widget["layout"]; ok {
			hasLayout = true
		}
		widgets = append(widgets, widget)
	}
	// The structured form sends no reflow type for a free dashboard, and
	// for an ordered one fixed when its widgets have layouts, auto when
	// none has: any other is the JSON's to keep.
	if rt, ok := d.GetReflowTypeOk(); ok {
		want := "auto"
		if hasLayout {
			want = "fixed"
		}
		if d.LayoutType != datadogV1.DASHBOARDLAYOUTTYPE_ORDERED || string(*rt) != want {
			return nil, fmt.Sprintf("its reflow type is %s", *rt)
		}
	}
	tags := []any{}
	for _, t := range d.GetTags() {
		tags = append(tags, t)
	}
	return map[string]any{
		"title":       d.Title,
		"description": d.GetDescription(),
		"layoutType":  string(d.LayoutType),
		"widgets":     widgets,
		"tags":        tags,
	}, ""
}

// widgetEntry is one widget in the structured form, as FromTerraform
// writes it, or why it has none.
func widgetEntry(w datadogV1.Widget) (map[string]any, string) {
	if w.UnparsedObject != nil || len(w.AdditionalProperties) > 0 {
		return nil, "has fields the structured form does not know"
	}
	s := w.Definition.MonitorSummaryWidgetDefinition
	if s == nil {
		return nil, "is a " + widgetType(w.Definition) + " widget; the structured form has monitor summaries only"
	}
	switch {
	case s.UnparsedObject != nil || len(s.AdditionalProperties) > 0:
		return nil, "has monitor summary fields the structured form does not know"
	case s.Count != nil || s.Start != nil:
		return nil, "sets the monitor summary's deprecated count or start"
	case s.Description != nil:
		return nil, "has a description"
	}
	summary := map[string]any{"title": s.GetTitle(), "query": s.Query}
	if ts, ok := s.GetTitleSizeOk(); ok && *ts != "" {
		n, err := strconv.Atoi(*ts)
		if err != nil {
			return nil, fmt.Sprintf("has the title size %q, not a whole number", *ts)
		}
		summary["titleSize"] = float64(n)
	}
	for field, v := range map[string]string{
		"titleAlign":      string(s.GetTitleAlign()),
		"summaryType":     string(s.GetSummaryType()),
		"displayFormat":   string(s.GetDisplayFormat()),
		"colorPreference": string(s.GetColorPreference()),
		"sort":            string(s.GetSort()),
	} {
		if v != "" {
			summary[field] = v
		}
	}
	summary["hideZeroCounts"] = s.GetHideZeroCounts()
	summary["showLastTriggered"] = s.GetShowLastTriggered()
	summary["showPriority"] = s.GetShowPriority()
	widget := map[string]any{"monitorSummary": summary}
	if l := w.Layout; l != nil {
		if l.UnparsedObject != nil || len(l.AdditionalProperties) > 0 || l.GetIsColumnBreak() {
			return nil, "has a layout the structured form does not express (a column break)"
		}
		widget["layout"] = map[string]any{"x": float64(l.X), "y": float64(l.Y), "width": float64(l.Width), "height": float64(l.Height)}
	}
	return widget, ""
}

// widgetType names a widget's kind by its definition's type.
func widgetType(def datadogV1.WidgetDefinition) string {
	var probe struct {
		Type string `json:"type"`
	}
	if b, err := json.Marshal(def); err == nil && json.Unmarshal(b, &probe) == nil && probe.Type != "" {
		return probe.Type
	}
	return "unknown"
}

// jsonEntry is the dashboard's JSON as Datadog has it, less its read-only
// fields and its widgets' ids, numbers as whole numbers where they are.
func jsonEntry(d datadogV1.Dashboard) (map[string]any, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("its JSON cannot be written: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("its JSON cannot be read back: %w", err)
	}
	for _, f := range ReadOnlyFields {
		delete(m, f)
	}
	dropWidgetIDs(m["widgets"])
	return numbers(m).(map[string]any), nil
}

// dropWidgetIDs deletes the id of every widget, those of group widgets
// included.
func dropWidgetIDs(v any) {
	list, _ := v.([]any)
	for _, item := range list {
		w, _ := item.(map[string]any)
		if w == nil {
			continue
		}
		delete(w, "id")
		if def, _ := w["definition"].(map[string]any); def != nil {
			dropWidgetIDs(def["widgets"])
		}
	}
}

// numbers turns the JSON numbers of v into int64 when whole, float64
// otherwise: a json.Number would be written to YAML as a string.
func numbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		// Out of float64's range, this is an infinity, which the entry's
		// check refuses.
		f, _ := x.Float64()
		return f
	}
	return v
}

// validate decodes the entry as the stack will, under key: what Decode
// refuses is reported rather than written.
func validate(key string, entry map[string]any) error {
	_, err := kit.DecodeEntry(key, entry, Decode)
	return err
}
