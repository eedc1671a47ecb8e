package dashboards

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// summaryAttrs maps the Terraform attributes of a manage_status_definition
// that hold an enumerated or free string to their config fields. An empty
// enumerated one was left unset in Terraform and takes the config's default.
var summaryAttrs = []struct{ attr, field string }{
	{"title_align", "titleAlign"},
	{"summary_type", "summaryType"},
	{"display_format", "displayFormat"},
	{"color_preference", "colorPreference"},
	{"sort", "sort"},
}

// summaryBools maps its boolean attributes to their config fields.
var summaryBools = []struct{ attr, field string }{
	{"hide_zero_counts", "hideZeroCounts"},
	{"show_last_triggered", "showLastTriggered"},
	{"show_priority", "showPriority"},
}

// unexpressed are dashboard attributes the structured form does not
// express: set in Terraform, only the JSON form keeps them.
var unexpressed = []string{"template_variable", "template_variable_preset", "notify_list", "restricted_roles"}

// FromTerraform derives the config entry of a datadog_dashboard from its
// Terraform state attributes (`tofu show -json` values), keyed by its title
// in kebab-case, with importId its id. Only a dashboard whose widgets are
// all monitor summaries (manage_status_definition) has a structured form;
// any other has an error saying to export its JSON from the Datadog UI and
// put it under json, as Terraform's attributes are not that JSON. The entry
// is checked with Decode: one the stack would refuse is an error too.
func FromTerraform(attrs map[string]any) (string, map[string]any, error) {
	title, _ := attrs["title"].(string)
	id := scalar(attrs["id"])
	if strings.TrimSpace(title) == "" {
		return "", nil, fmt.Errorf("datadog_dashboard %s has no title", id)
	}
	key := KeyOf(title)
	notDerivable := func(format string, args ...any) error {
		return fmt.Errorf("datadog_dashboard %q: %s, which the structured form does not express; export the dashboard's JSON from the Datadog UI and put it under %s.%s.json, with importId %q",
			title, fmt.Sprintf(format, args...), Section, key, id)
	}
	for _, a := range unexpressed {
		if l, _ := attrs[a].([]any); len(l) > 0 {
			return "", nil, notDerivable("it sets %s", a)
		}
	}
	rawWidgets, _ := attrs["widget"].([]any)
	widgets := []any{}
	for i, rw := range rawWidgets {
		w, _ := rw.(map[string]any)
		var others []string
		for _, k := range kit.SortedKeys(w) {
			if l, _ := w[k].([]any); len(l) > 0 && strings.HasSuffix(k, "_definition") && k != "manage_status_definition" {
				others = append(others, k)
			}
		}
		if len(others) > 0 {
			return "", nil, notDerivable("widget[%d] is a %s", i, strings.Join(others, ", "))
		}
		def := first(w["manage_status_definition"])
		if def == nil {
			return "", nil, notDerivable("widget[%d] is of a kind the Terraform state does not show", i)
		}
		summary, err := summaryEntry(def)
		if err != nil {
			return "", nil, fmt.Errorf("datadog_dashboard %q: widget[%d]: %w", title, i, err)
		}
		widget := map[string]any{"monitorSummary": summary}
		if l := first(w["widget_layout"]); l != nil {
			if b, _ := l["is_column_break"].(bool); b {
				return "", nil, notDerivable("widget[%d]'s layout is a column break", i)
			}
			layout := map[string]any{}
			for _, f := range []string{"x", "y", "width", "height"} {
				n, ok := number(l[f])
				if !ok {
					return "", nil, fmt.Errorf("datadog_dashboard %q: widget[%d]: widget_layout has no number %s", title, i, f)
				}
				layout[f] = n
			}
			widget["layout"] = layout
		}
		widgets = append(widgets, widget)
	}
	tags := []any{}
	rawTags, _ := attrs["tags"].([]any)
	for _, t := range rawTags {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	description, _ := attrs["description"].(string)
	layoutType, _ := attrs["layout_type"].(string)
	entry := map[string]any{
		"title":       title,
		"description": description,
		"layoutType":  layoutType,
		"widgets":     widgets,
		"tags":        tags,
		"importId":    id,
	}
	// The entry must decode as it will in the stack: what Decode refuses
	// (a tag other than team:<name>, a widget wider than an ordered grid,
	// a sort Datadog no longer takes) is reported here rather than written.
	if err := validate(key, entry); err != nil {
		return "", nil, fmt.Errorf("datadog_dashboard %q cannot be written as config: %w", title, err)
	}
	return key, entry, nil
}

// summaryEntry maps a manage_status_definition to a monitorSummary entry.
func summaryEntry(def map[string]any) (map[string]any, error) {
	title, _ := def["title"].(string)
	query, _ := def["query"].(string)
	out := map[string]any{"title": title, "query": query}
	if ts, _ := def["title_size"].(string); ts != "" {
		n, err := strconv.Atoi(ts)
		if err != nil {
			return nil, fmt.Errorf("title_size %q is not a whole number", ts)
		}
		out["titleSize"] = float64(n)
	}
	for _, a := range summaryAttrs {
		if s, _ := def[a.attr].(string); s != "" {
			out[a.field] = s
		}
	}
	for _, a := range summaryBools {
		b, _ := def[a.attr].(bool)
		out[a.field] = b
	}
	return out, nil
}

// KeyOf makes a config key of a dashboard's title: lowercase letters and
// digits joined by '-' ("PyTorch Services Status Dashboard" is
// pytorch-services-status-dashboard); "dashboard" when none is left.
func KeyOf(title string) string { return kit.KeyOf(title, "dashboard") }

// first is the one object of a Terraform nested block (a list of at most
// one), or nil.
func first(v any) map[string]any {
	l, _ := v.([]any)
	if len(l) == 0 {
		return nil
	}
	m, _ := l[0].(map[string]any)
	return m
}

// number reads a state number, as float64 (encoding/json) or json.Number.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// scalar renders a state id, a string or a number.
func scalar(v any) string {
	if f, ok := number(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s, _ := v.(string)
	return s
}
