package slack_test

import (
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/configkit/kittest"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
)

// The decoder and the declaration (the schema, the reference) agree on
// every field.
func TestSpecAgreesWithDecode(t *testing.T) {
	t.Parallel()
	kittest.Agree(t, slack.Section, slack.Spec, map[string]any{
		"account": "PyTorch", "channel": "#pytorch-infra-alerts",
		"display":  map[string]any{"message": true, "notified": true, "snapshot": false, "tags": true, "muteButtons": true},
		"importId": "PyTorch:#pytorch-infra-alerts",
	}, func(p *kit.Problems, raw string) any { return slack.Decode(p, raw, true) })
}
