package dashboards

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Section is the config key of the dashboards: `pytorch-datadog:dashboards`.
const Section = "dashboards"

// ImportID is the form of a dashboard's import id: its id, three groups of
// three lowercase letters or digits, as in the dashboard's URL.
var ImportID = kit.IDForm{Pattern: regexp.MustCompile(`^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$`), Example: "abc-def-ghi"}

// Layout types of a dashboard.
const (
	// Ordered places widgets on a 12-column grid, top to bottom.
	Ordered = "ordered"
	// Free places every widget at its own position and size.
	Free = "free"
)

var layoutTypes = []string{Ordered, Free}

// OrderedColumns is the width of an ordered dashboard's grid: a widget of
// it must fit, x + width at most this.
const OrderedColumns = 12

// Bounds of a widget's whole numbers, in grid units (a title size in
// points): a position from 0, a size from 1, and at most the 32-bit
// integers the provider takes.
const (
	minPosition  = 0
	minSize      = 1
	minTitleSize = 1
	maxWhole     = math.MaxInt32
)

// Dashboard is a Datadog dashboard managed here, in one of two forms:
// structured (Title, Description, LayoutType, Widgets, Tags), registered as
// a datadog.Dashboard, or its JSON as Datadog exports it from the UI (JSON),
// registered as a datadog.DashboardJson.
type Dashboard struct {
	// Title is the dashboard's title; for the JSON form, the JSON's
	// `title`. Required, unique across dashboards (Terraform adoption
	// matches on it).
	Title string
	// Description is shown under the title; default "" (none), always sent.
	Description string
	// LayoutType is Ordered or Free. Required in the structured form.
	LayoutType string
	// Widgets are the dashboard's widgets in order; always sent, so a widget
	// added in the UI shows as drift.
	Widgets []Widget
	// Tags are `team:<name>` tags, the only ones Datadog takes on a
	// dashboard; always sent ([] when none).
	Tags []string
	// JSON is the dashboard's JSON, compact, keys as given; "" for the
	// structured form.
	JSON string
	// ImportID adopts an existing Datadog dashboard (its id, abc-def-ghi).
	ImportID string
}

// Widget is one widget of a structured dashboard: a monitor summary, the one
// widget kind the structured form expresses, and where it sits.
type Widget struct {
	MonitorSummary MonitorSummary
	// Layout is required on a free dashboard; on an ordered one, either
	// every widget has one (fixed reflow) or none does (auto reflow).
	Layout *Layout
}

// MonitorSummary is a monitor summary widget (the provider's
// manageStatusDefinition). Every field is sent, defaults included, so that a
// change made in the UI shows as drift.
type MonitorSummary struct {
	Title      string
	TitleSize  int
	TitleAlign string
	// Query selects the monitors, as in the Manage Monitors page; ""
	// selects every monitor.
	Query             string
	SummaryType       string
	DisplayFormat     string
	ColorPreference   string
	HideZeroCounts    bool
	ShowLastTriggered bool
	ShowPriority      bool
	Sort              string
}

// Layout is a widget's position and size in grid units.
type Layout struct {
	X, Y, Width, Height int
}

// DefaultMonitorSummary holds the defaults of a monitor summary's optional
// fields: the widget as the Datadog UI creates it, so that leaving a field
// out means what it means in the UI.
var DefaultMonitorSummary = MonitorSummary{
	// No title: the widget shows none unless given one.
	Title: "",
	// 16 is the size Datadog uses for a widget title that sets none.
	TitleSize: 16,
	// Titles are left-aligned in the UI by default.
	TitleAlign: "left",
	// An empty query summarises every monitor of the organisation: the
	// status board this widget is usually for.
	Query: "",
	// One row per monitor, not per monitor group.
	SummaryType: "monitors",
	// The counts by status and the list of monitors below them.
	DisplayFormat: "countsAndList",
	// Status colours on the text; coloured backgrounds are a choice.
	ColorPreference: "text",
	// Statuses with no monitors are hidden, as in the UI.
	HideZeroCounts: true,
	// The last-triggered column is off in the UI by default.
	ShowLastTriggered: false,
	// The priority column is off by default (the provider's default).
	ShowPriority: false,
	// Worst status first: alerting monitors at the top.
	Sort: "status,asc",
}

var (
	summaryTypes     = []string{"monitors", "groups", "combined"}
	displayFormats   = []string{"counts", "countsAndList", "list"}
	colorPreferences = []string{"background", "text"}
	titleAligns      = []string{"left", "center", "right"}
	// sorts are the orders Datadog accepts for a monitor summary.
	sorts = []string{
		"name", "group", "status", "tags", "triggered",
		"name,asc", "name,desc", "group,asc", "group,desc", "status,asc", "status,desc",
		"tags,asc", "tags,desc", "triggered,asc", "triggered,desc", "priority,asc", "priority,desc",
	}
	// teamTag is the one tag form Datadog takes on a dashboard: team: and
	// a name without spaces ([\t\n\f\r ] is RE2's \s, written out so
	// that the schema's ECMA-262 reads the same).
	teamTag = regexp.MustCompile(`^team:[^\t\n\f\r ]+$`)
)

// notBlank is what the schema can say of a title that is not blank
// (NonEmpty): a character other than an ASCII space. (\S would not do: to
// ECMA-262 U+FEFF is a space, and strings.TrimSpace keeps it.)
const notBlank = `[^ \t\n\v\f\r]`

// jsonObject is what a string of JSON holding an object starts with,
// after JSON's spaces: the schema's check of the json field's string form
// (the decoder parses it).
const jsonObject = `^[ \t\n\r]*\{`

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the dashboards section: the decoder, the stack file's
// JSON Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Notes: notes,
	Title: "Dashboards", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "Datadog dashboards by key; the key is the dashboard's logical name. A dashboard is written in one of two forms: **structured** (title, layout, monitor summary widgets), registered as a `datadog.Dashboard`, or, for a dashboard built in the Datadog UI, **by its JSON** (`json`), registered as a `datadog.DashboardJson`. An entry is one or the other: `json` with any structured field is an error. Titles are unique across both forms, as `ddstack import` matches Terraform's dashboards on their title.",
	Values: &kit.Spec{Title: "a dashboard", AnyOf: []*kit.Spec{structuredSpec, jsonSpec},
		Doc: "A structured dashboard, or a dashboard by its JSON."},
}

// importIDSpec is the importId of both forms.
var importIDSpec = ImportID.Spec("the dashboard's id, `abc-def-ghi` as in its URL (both forms)")

// structuredSpec declares the structured form.
var structuredSpec = &kit.Spec{Title: "a structured dashboard", Kind: kit.Object,
	Doc: "A dashboard written field by field, its widgets monitor summaries; registered as a `datadog.Dashboard`.",
	Fields: []*kit.Spec{
		{Name: "title", Kind: kit.String, Required: true, Pattern: notBlank, PatternDoc: "not empty",
			Doc: "The dashboard's title. Unique across the dashboards of both forms."},
		{Name: "description", Kind: kit.String, Default: "",
			Doc: "Shown under the title. Always sent."},
		{Name: "layoutType", Kind: kit.String, Required: true, Enum: layoutTypes,
			Doc: "`free`: every widget sits at its own `layout`, which each widget must then have. `ordered`: a " + fmt.Sprint(OrderedColumns) + "-column grid; give every widget a layout (sent as `reflowType: fixed`) or none (`auto`)."},
		{Name: "widgets", Kind: kit.List, Default: []any{}, Items: widgetSpec,
			Doc: "The widgets, in order. Always sent, so that a widget added in the UI shows as drift. The monitor summary is the one widget kind the structured form expresses; for any other, write the dashboard by its JSON."},
		{Name: "tags", Kind: kit.List, Unique: true, Default: []any{},
			Items: &kit.Spec{Kind: kit.String, Pattern: teamTag.String(), PatternDoc: "team:<name>"},
			Doc:   "`team:<name>` tags, each once: the only tags Datadog takes on a dashboard. Always sent."},
		importIDSpec,
	}}

// widgetSpec declares a structured dashboard's widget.
var widgetSpec = &kit.Spec{Title: "a widget", Kind: kit.Object,
	Doc: "A widget: a monitor summary, and where it sits.",
	Fields: []*kit.Spec{
		{Name: "monitorSummary", Kind: kit.Object, Required: true, Title: "a monitor summary", Fields: summarySpecs,
			Doc: "A monitor summary (the provider's `manageStatusDefinition`), the one widget kind the structured form expresses. Every field is sent, defaults included, so that a change made in the UI shows as drift; the defaults are the widget as the Datadog UI creates it."},
		{Name: "layout", Kind: kit.Object, Title: "a layout", DefaultDoc: "unset", Fields: layoutSpecs,
			Doc: "Where the widget sits and its size, in whole grid units. Required on a `free` dashboard. On an `ordered` one, every widget has a layout (fixed reflow) or none does (auto reflow), and `x + width` is at most " + fmt.Sprint(OrderedColumns) + "."},
	}}

// summarySpecs declare a monitor summary's fields, defaults from
// DefaultMonitorSummary.
var summarySpecs = []*kit.Spec{
	{Name: "title", Kind: kit.String, Default: DefaultMonitorSummary.Title, Doc: "The widget's title."},
	{Name: "titleSize", Kind: kit.Integer, Default: DefaultMonitorSummary.TitleSize, Min: kit.Bound(minTitleSize), Max: kit.Bound(maxWhole),
		Doc: "Its size (sent as a string, `\"16\"`, as the provider takes it)."},
	{Name: "titleAlign", Kind: kit.String, Enum: titleAligns, Default: DefaultMonitorSummary.TitleAlign, Doc: "Its alignment."},
	{Name: "query", Kind: kit.String, Default: DefaultMonitorSummary.Query,
		Doc: "Which monitors, as in the Manage Monitors search (`tag:team:infra`); `\"\"` is every monitor."},
	{Name: "summaryType", Kind: kit.String, Enum: summaryTypes, Default: DefaultMonitorSummary.SummaryType,
		Doc: "One row per monitor (`monitors`), per monitor group (`groups`), or both (`combined`)."},
	{Name: "displayFormat", Kind: kit.String, Enum: displayFormats, Default: DefaultMonitorSummary.DisplayFormat,
		Doc: "The counts by status (`counts`), the list of monitors (`list`), or both (`countsAndList`)."},
	{Name: "colorPreference", Kind: kit.String, Enum: colorPreferences, Default: DefaultMonitorSummary.ColorPreference,
		Doc: "What the status colours: the `text`, or the `background`."},
	{Name: "hideZeroCounts", Kind: kit.Bool, Default: DefaultMonitorSummary.HideZeroCounts, Doc: "Hide the statuses no monitor has."},
	{Name: "showLastTriggered", Kind: kit.Bool, Default: DefaultMonitorSummary.ShowLastTriggered, Doc: "Show when each monitor last triggered."},
	{Name: "showPriority", Kind: kit.Bool, Default: DefaultMonitorSummary.ShowPriority, Doc: "Show the priority column."},
	{Name: "sort", Kind: kit.String, Enum: sorts, Default: DefaultMonitorSummary.Sort,
		Doc: "The order of the list: worst status first by default."},
}

// layoutSpecs declare a layout's fields.
var layoutSpecs = []*kit.Spec{
	{Name: "x", Kind: kit.Integer, Required: true, Min: kit.Bound(minPosition), Max: kit.Bound(maxWhole), Doc: "The column of its left edge, from 0."},
	{Name: "y", Kind: kit.Integer, Required: true, Min: kit.Bound(minPosition), Max: kit.Bound(maxWhole), Doc: "The row of its top edge, from 0."},
	{Name: "width", Kind: kit.Integer, Required: true, Min: kit.Bound(minSize), Max: kit.Bound(maxWhole), Doc: "Its width, in columns."},
	{Name: "height", Kind: kit.Integer, Required: true, Min: kit.Bound(minSize), Max: kit.Bound(maxWhole), Doc: "Its height, in rows."},
}

// jsonSpec declares the form by its JSON.
var jsonSpec = &kit.Spec{Title: "a dashboard by its JSON", Kind: kit.Object,
	Doc: "A dashboard built in the Datadog UI, brought into code by its JSON; registered as a `datadog.DashboardJson`.",
	Fields: []*kit.Spec{
		{Name: "json", Required: true, AnyOf: []*kit.Spec{
			{Kind: kit.Object, Title: "the JSON, as YAML"},
			{Kind: kit.String, Title: "a string of JSON", Pattern: jsonObject, PatternDoc: "a JSON object"},
		},
			Doc: "The dashboard as Datadog exports it from the UI (its settings menu, *Export dashboard JSON*), pasted as YAML or as a string of JSON. It must have a non-empty `title` (unique across the dashboards of both forms) and a `layout_type` (`ordered` or `free`). Sent as compact JSON, keys as given (a string keeps its key order). `ddstack import` derives the structured form from Terraform's state when every widget of the dashboard is a monitor summary; a dashboard with any other widget, or with template variables, a notify list or restricted roles, cannot be derived from Terraform's attributes: export its JSON from the Datadog UI and put it here, with the `importId` the error names."},
		importIDSpec,
	}}

// The decoder's views of the declarations: an entry has the fields of
// both forms, none required (which are depends on the form, and Decode
// says what a form misses); a widget's monitorSummary is required, but
// missing it is reported with the remedy.
var (
	entryFields  = kit.Lenient("a dashboard", structuredSpec, jsonSpec)
	widgetFields = kit.Lenient(widgetSpec.Title, widgetSpec)
)

const (
	jsonWhat   = "the dashboard's JSON as the Datadog UI exports it (an object, or a string of JSON)"
	jsonRemedy = "export the dashboard's JSON from the Datadog UI and put it under json"
)

// what describes an entry in messages: "a dashboard ({title, description,
// layoutType, widgets, tags}, or {json} exported from the Datadog UI)".
var what = "a dashboard (" + structuredSpec.FieldSet() + ", or " + jsonSpec.FieldSet() + " exported from the Datadog UI)"

// Decode decodes and validates the dashboards section, reporting every
// problem to p. An absent section is no dashboards.
func Decode(p *kit.Problems, raw string, present bool) map[string]Dashboard {
	out := map[string]Dashboard{}
	titles := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "dashboard key to dashboard") {
		key, path := e.Key, e.Path
		entry, isMap := e.Value.(map[string]any)
		if !isMap {
			p.Add(path, "must be %s, got %s", what, kit.Describe(e.Value))
			continue
		}
		_, hasJSON := entry["json"]
		d := Dashboard{Widgets: []Widget{}, Tags: []string{}}
		var widgets []any
		structured := func(decode func(fp string, v any)) func(string, any) {
			return func(fp string, v any) {
				if hasJSON {
					p.Add(fp, "cannot be set with json: a dashboard is either structured (title, layoutType, widgets, ...) or its JSON, and the JSON carries its own %s", jsonName(fp))
					return
				}
				decode(fp, v)
			}
		}
		fields := []kit.Field{
			{Name: "title", Decode: structured(func(fp string, v any) { p.String(fp, v, &d.Title); p.NonEmpty(fp, d.Title) })},
			{Name: "description", Decode: structured(func(fp string, v any) { p.String(fp, v, &d.Description) })},
			{Name: "layoutType", Decode: structured(func(fp string, v any) { p.Enum(fp, v, layoutTypes, &d.LayoutType) })},
			{Name: "widgets", Decode: structured(func(fp string, v any) {
				if l, isList := v.([]any); isList {
					widgets = l
					return
				}
				p.Add(fp, "must be a list of widgets (%s), got %s", widgetSpec.FieldSet(), kit.Describe(v))
			})},
			{Name: "tags", Decode: structured(func(fp string, v any) { decodeTags(p, fp, v, &d.Tags) })},
			{Name: "json", Decode: func(fp string, v any) { decodeJSON(p, fp, v, &d) }},
			ImportID.Field(p, &d.ImportID),
		}
		if !p.Object(path, e.Value, entryFields, fields) {
			continue
		}
		titlePath := path + ".json.title"
		if !hasJSON {
			titlePath = path + ".title"
			for _, f := range []string{"title", "layoutType"} {
				if _, set := entry[f]; !set {
					p.Add(path+"."+f, "missing; a dashboard needs its %s (or its JSON exported from the Datadog UI under json)", f)
				}
			}
			d.Widgets = decodeWidgets(p, path+".widgets", widgets, d.LayoutType)
		}
		if d.Title != "" {
			if other, dup := titles[d.Title]; dup {
				p.Add(titlePath, "title %q is also the title of %s.%s; dashboard titles must be unique", d.Title, Section, other)
			} else {
				titles[d.Title] = key
			}
		}
		out[key] = d
	}
	return out
}

// jsonName names a structured field's counterpart in the dashboard's JSON.
func jsonName(fieldPath string) string {
	switch f := fieldPath[strings.LastIndex(fieldPath, ".")+1:]; f {
	case "layoutType":
		return "layout_type"
	default:
		return f
	}
}

// decodeTags decodes a dashboard's tags: `team:<name>`, each once.
func decodeTags(p *kit.Problems, path string, v any, out *[]string) {
	var tags []string
	if !p.StringList(path, v, "team:<name> tags", &tags) {
		return
	}
	seen := map[string]int{}
	kept := []string{}
	for i, t := range tags {
		tp := fmt.Sprintf("%s[%d]", path, i)
		if !teamTag.MatchString(t) {
			p.Add(tp, "%q is not a team:<name> tag, the only tags Datadog takes on a dashboard", t)
			continue
		}
		if j, dup := seen[t]; dup {
			p.Add(tp, "%q is listed twice (also at [%d])", t, j)
			continue
		}
		seen[t] = i
		kept = append(kept, t)
	}
	*out = kept
}

// decodeJSON decodes the JSON form: an object, or a string of JSON that is
// one, with a non-empty title and a layout type. It sets the dashboard's
// JSON (compact) and Title.
func decodeJSON(p *kit.Problems, path string, v any, d *Dashboard) {
	var obj map[string]any
	var compact string
	switch x := v.(type) {
	case string:
		dec := json.NewDecoder(strings.NewReader(x))
		dec.UseNumber()
		var parsed any
		if err := dec.Decode(&parsed); err != nil {
			p.Add(path, "is not JSON (%v); %s", err, jsonRemedy)
			return
		}
		if dec.More() {
			p.Add(path, "holds more than one JSON value; it must be the one object of the dashboard's JSON")
			return
		}
		m, isObj := parsed.(map[string]any)
		if !isObj {
			p.Add(path, "must be %s, got JSON of %s", jsonWhat, kit.Describe(parsed))
			return
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(x)); err != nil {
			p.Add(path, "is not JSON (%v)", err)
			return
		}
		obj, compact = m, buf.String()
	case map[string]any:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			p.Add(path, "cannot be written as JSON: %v", err)
			return
		}
		obj, compact = x, strings.TrimSuffix(buf.String(), "\n")
	default:
		p.Add(path, "must be %s, got %s", jsonWhat, kit.Describe(v))
		return
	}
	before := p.Len()
	title, hasTitle := obj["title"]
	if !hasTitle {
		p.Add(path+".title", "missing; the dashboard's JSON needs its title")
	} else if p.String(path+".title", title, &d.Title) {
		p.NonEmpty(path+".title", d.Title)
	}
	if lt, has := obj["layout_type"]; !has {
		p.Add(path+".layout_type", "missing; the dashboard's JSON needs its layout_type (%s)", strings.Join(layoutTypes, " or "))
	} else {
		p.Enum(path+".layout_type", lt, layoutTypes, &d.LayoutType)
	}
	if p.Len() == before {
		d.JSON = compact
	}
}

// decodeWidgets decodes a structured dashboard's widgets and checks their
// layouts against the layout type ("" when it is invalid or missing).
func decodeWidgets(p *kit.Problems, path string, list []any, layoutType string) []Widget {
	out := []Widget{}
	firstWith, firstWithout := -1, -1
	for i, item := range list {
		wp := fmt.Sprintf("%s[%d]", path, i)
		w := Widget{MonitorSummary: DefaultMonitorSummary}
		var hasSummary bool
		if !p.Object(wp, item, widgetFields, []kit.Field{
			{Name: "monitorSummary", Decode: func(fp string, v any) { hasSummary = true; decodeSummary(p, fp, v, &w.MonitorSummary) }},
			{Name: "layout", Decode: func(fp string, v any) { w.Layout = decodeLayout(p, fp, v) }},
		}) {
			continue
		}
		if !hasSummary {
			p.Add(wp+".monitorSummary", "missing; monitorSummary is the one widget kind written here: for other widgets, %s", jsonRemedy)
		}
		if _, set := item.(map[string]any)["layout"]; set {
			if firstWith < 0 {
				firstWith = i
			}
		} else {
			if firstWithout < 0 {
				firstWithout = i
			}
			if layoutType == Free {
				p.Add(wp+".layout", "missing; a free-layout dashboard places every widget: give it {x, y, width, height}")
			}
		}
		if layoutType == Ordered && w.Layout != nil && w.Layout.X+w.Layout.Width > OrderedColumns {
			p.Add(wp+".layout", "x + width is %d; an ordered dashboard's grid is %d columns wide", w.Layout.X+w.Layout.Width, OrderedColumns)
		}
		out = append(out, w)
	}
	if layoutType == Ordered && firstWith >= 0 && firstWithout >= 0 {
		p.Add(fmt.Sprintf("%s[%d].layout", path, firstWithout),
			"missing, while widgets[%d] has one; in an ordered dashboard give every widget a layout (fixed reflow) or none (auto reflow)", firstWith)
	}
	return out
}

// decodeSummary decodes a monitor summary over its defaults.
func decodeSummary(p *kit.Problems, path string, v any, s *MonitorSummary) {
	p.Object(path, v, widgetSpec.Field("monitorSummary"), []kit.Field{
		{Name: "title", Decode: func(fp string, v any) { p.String(fp, v, &s.Title) }},
		{Name: "titleSize", Decode: func(fp string, v any) { atLeast(p, fp, v, minTitleSize, &s.TitleSize) }},
		{Name: "titleAlign", Decode: func(fp string, v any) { p.Enum(fp, v, titleAligns, &s.TitleAlign) }},
		{Name: "query", Decode: func(fp string, v any) { p.String(fp, v, &s.Query) }},
		{Name: "summaryType", Decode: func(fp string, v any) { p.Enum(fp, v, summaryTypes, &s.SummaryType) }},
		{Name: "displayFormat", Decode: func(fp string, v any) { p.Enum(fp, v, displayFormats, &s.DisplayFormat) }},
		{Name: "colorPreference", Decode: func(fp string, v any) { p.Enum(fp, v, colorPreferences, &s.ColorPreference) }},
		{Name: "hideZeroCounts", Decode: func(fp string, v any) { p.Bool(fp, v, &s.HideZeroCounts) }},
		{Name: "showLastTriggered", Decode: func(fp string, v any) { p.Bool(fp, v, &s.ShowLastTriggered) }},
		{Name: "showPriority", Decode: func(fp string, v any) { p.Bool(fp, v, &s.ShowPriority) }},
		{Name: "sort", Decode: func(fp string, v any) { p.Enum(fp, v, sorts, &s.Sort) }},
	})
}

// decodeLayout decodes a widget's layout: whole grid units, the position
// at least 0, the size at least 1. It returns nil when any is invalid.
func decodeLayout(p *kit.Problems, path string, v any) *Layout {
	var l Layout
	before := p.Len()
	if !p.Object(path, v, widgetSpec.Field("layout"), []kit.Field{
		{Name: "x", Decode: func(fp string, v any) { atLeast(p, fp, v, minPosition, &l.X) }},
		{Name: "y", Decode: func(fp string, v any) { atLeast(p, fp, v, minPosition, &l.Y) }},
		{Name: "width", Decode: func(fp string, v any) { atLeast(p, fp, v, minSize, &l.Width) }},
		{Name: "height", Decode: func(fp string, v any) { atLeast(p, fp, v, minSize, &l.Height) }},
	}) || p.Len() != before {
		return nil
	}
	return &l
}

// atLeast decodes a whole number of at least lo (and at most maxWhole,
// the 32-bit integers the provider takes).
func atLeast(p *kit.Problems, path string, v any, lo int, out *int) {
	if n, isNum := v.(json.Number); isNum {
		if i, err := n.Int64(); err == nil && i < int64(lo) {
			p.Add(path, "must be a whole number of at least %d, got %d", lo, i)
			return
		}
	}
	p.Int(path, v, lo, maxWhole, out)
}
