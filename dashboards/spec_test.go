package dashboards_test

import (
	"testing"

	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field of both forms, a widget's included.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	decode := func(p *kit.Problems, raw string) any { return dashboards.Decode(p, raw, true) }
	tests := map[string]map[string]any{
		// Ordered, so that a widget may leave its layout out: on a free
		// dashboard every widget needs one, a rule across the dashboard
		// and its widgets that the declaration says in words only.
		"structured": {
			"title": "PyTorch Services Status Dashboard", "description": "The current status of PyTorch's services, from their monitors.",
			"layoutType": "ordered", "tags": []any{"team:pytorch-dev-infra"},
			"widgets": []any{map[string]any{
				"monitorSummary": map[string]any{
					"title": "PyTorch Service Monitors", "titleSize": 16, "titleAlign": "left", "query": "tag:team:infra",
					"summaryType": "monitors", "displayFormat": "countsAndList", "colorPreference": "text",
					"hideZeroCounts": true, "showLastTriggered": false, "showPriority": true, "sort": "status,asc",
				},
				"layout": map[string]any{"x": 0, "y": 0, "width": 12, "height": 4},
			}},
			"importId": "q8v-2pm-xk4",
		},
		"by its JSON": {
			"json": map[string]any{
				"title": "CI Health", "layout_type": "ordered", "reflow_type": "auto",
				"widgets": []any{map[string]any{"definition": map[string]any{"type": "note", "content": "Runner queues, by label."}}},
			},
			"importId": "abc-def-ghi",
		},
		"by its JSON, a string": {
			"json":     "{\n  \"title\": \"CI Health\",\n  \"layout_type\": \"free\",\n  \"widgets\": []\n}\n",
			"importId": "abc-def-ghi",
		},
	}
	for name, base := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kittest.Agree(t, dashboards.Section, dashboards.Spec, base, decode, kittest.IntoListItems())
		})
	}
}
