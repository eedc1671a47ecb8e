package monitors_test

import (
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field, for each kind: which fields a monitor takes depends on it.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	decode := func(p *kit.Problems, raw string) any { return monitors.Decode(p, raw, true, channels) }
	common := func(extra map[string]any) map[string]any {
		base := map[string]any{
			"name": "Probe", "comparator": ">", "critical": 10, "warning": 5, "criticalRecovery": 8, "warningRecovery": 3,
			"message": "Check the queue.", "notify": []any{"infra", "lf"}, "renotifyInterval": 60, "evaluationDelay": 900,
			"notifyAudit": false, "requireFullWindow": true, "includeTags": false, "tags": []any{"team:infra"},
			"priority": 2, "importId": "12345678",
		}
		for k, v := range extra {
			base[k] = v
		}
		return base
	}
	bases := map[string]map[string]any{
		"metric": common(map[string]any{"kind": "metric", "query": "sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:dlq}.as_count()",
			"onMissingData": "resolve"}),
		// notifyNoData, which onMissingData forbids.
		"metric, older no-data form": common(map[string]any{"kind": "metric", "query": "avg(last_5m):x{}", "notifyNoData": true}),
		"event": common(map[string]any{"kind": "event", "search": `source:amazon_sns @title:"ALI ValidationException Detected"`,
			"window": "1h", "onMissingData": "show_no_data"}),
		"log": common(map[string]any{"kind": "log", "search": "service:cdn status:error", "window": "5m"}),
	}
	for name, base := range bases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kittest.Agree(t, monitors.Section, monitors.Spec, base, decode)
		})
	}
}
