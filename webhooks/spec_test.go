package webhooks_test

import (
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	kittest.Agree(t, webhooks.Section, webhooks.Spec, map[string]any{
		"name": "probe", "url": "https://api.incident.io/v2/alert_events/datadog/01J", "encodeAs": "json",
		"headers":  map[string]any{"Authorization": map[string]any{"prefix": "Bearer ", "secret": "incident-io-bearer"}, "X-Team": "infra"},
		"payload":  map[string]any{"title": "$EVENT_TITLE", "logs": "$LOGS_SAMPLE"},
		"unquoted": []any{"$LOGS_SAMPLE"},
		"importId": "probe",
	}, func(p *kit.Problems, raw string) any { return webhooks.Decode(p, raw, true) })
}
