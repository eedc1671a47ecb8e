package slack_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
)

// stateValues decodes a resource's `values`, as `tofu show -json` gives
// them, the way encoding/json does by default.
func stateValues(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

// production is the state of datadog_integration_slack_channel.pytorch-infra-alerts.
const production = `{
	"id": "PyTorch:#pytorch-infra-alerts",
	"account_name": "PyTorch",
	"channel_name": "#pytorch-infra-alerts",
	"display": [{"message": true, "notified": true, "snapshot": true, "tags": true, "mute_buttons": true}]
}`

func TestFromTerraformProduction(t *testing.T) {
	t.Parallel()
	key, entry, err := slack.FromTerraform(stateValues(t, production))
	require.NoError(t, err)
	assert.Equal(t, "pytorch-infra-alerts", key)
	assert.Equal(t, map[string]any{
		"account":  "PyTorch",
		"channel":  "#pytorch-infra-alerts",
		"display":  map[string]any{"message": true, "notified": true, "snapshot": true, "tags": true, "muteButtons": true},
		"importId": "PyTorch:#pytorch-infra-alerts",
	}, entry)
}

// TestFromTerraformRoundTrip: the entry FromTerraform makes, written to the
// stack config, decodes without problems to the state's values, and adoption
// matches it to the state object it came from.
func TestFromTerraformRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		state string
		want  slack.Channel
	}{
		"production": {production, slack.Channel{
			Account: "PyTorch", Channel: "#pytorch-infra-alerts", Display: slack.DefaultDisplay(), ImportID: "PyTorch:#pytorch-infra-alerts",
		}},
		"flags off": {`{"id": "Linux_Foundation:#pytorch-infra", "account_name": "Linux_Foundation", "channel_name": "#pytorch-infra",
			"display": [{"message": true, "notified": false, "snapshot": false, "tags": true, "mute_buttons": false}]}`,
			slack.Channel{
				Account: "Linux_Foundation", Channel: "#pytorch-infra", ImportID: "Linux_Foundation:#pytorch-infra",
				Display: slack.Display{Message: true, Notified: false, Snapshot: false, Tags: true, MuteButtons: false},
			}},
		"all off": {`{"id": "ops:#quiet", "account_name": "ops", "channel_name": "#quiet",
			"display": [{"message": false, "notified": false, "snapshot": false, "tags": false, "mute_buttons": false}]}`,
			slack.Channel{Account: "ops", Channel: "#quiet", ImportID: "ops:#quiet"}},
		"state of a provider without mute_buttons": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a",
			"display": [{"message": false, "notified": true, "snapshot": true, "tags": true}]}`,
			slack.Channel{Account: "ops", Channel: "#a", ImportID: "ops:#a",
				Display: slack.Display{Message: false, Notified: true, Snapshot: true, Tags: true, MuteButtons: true}}},
		"no display block": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a", "display": []}`,
			slack.Channel{Account: "ops", Channel: "#a", ImportID: "ops:#a", Display: slack.DefaultDisplay()}},
		"display absent": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a"}`,
			slack.Channel{Account: "ops", Channel: "#a", ImportID: "ops:#a", Display: slack.DefaultDisplay()}},
		"display as an object (raw tfstate)": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a", "display": {"tags": false}}`,
			slack.Channel{Account: "ops", Channel: "#a", ImportID: "ops:#a",
				Display: slack.Display{Message: true, Notified: true, Snapshot: true, Tags: false, MuteButtons: true}}},
		"renamed channel": {`{"id": "ops:#old", "account_name": "ops", "channel_name": "#new", "display": []}`,
			slack.Channel{Account: "ops", Channel: "#new", ImportID: "ops:#old", Display: slack.DefaultDisplay()}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := slack.FromTerraform(stateValues(t, tc.state))
			require.NoError(t, err)
			raw, err := json.Marshal(map[string]any{key: entry})
			require.NoError(t, err)
			got, problems := decode(t, string(raw))
			assert.Empty(t, problems, "the entry is valid config: %s", raw)
			assert.Equal(t, map[string]slack.Channel{key: tc.want}, got)
			assert.Equal(t, tc.want.Account+":"+tc.want.Channel, slack.MatchKey(got[key]), "adoption matches on account and channel")
		})
	}
}

func TestFromTerraformErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		state, want string
	}{
		"no id": {`{"account_name": "ops", "channel_name": "#a"}`,
			"datadog_integration_slack_channel: no id attribute (a string), got nothing (null)"},
		"no account": {`{"id": "ops:#a", "channel_name": "#a"}`,
			"datadog_integration_slack_channel: no account_name attribute (a string), got nothing (null)"},
		"empty channel": {`{"id": "ops:#a", "account_name": "ops", "channel_name": ""}`,
			`datadog_integration_slack_channel: no channel_name attribute (a string), got the string ""`},
		"account a list": {`{"id": "ops:#a", "account_name": ["ops"], "channel_name": "#a"}`,
			"no account_name attribute (a string), got a list"},
		"two display blocks": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a", "display": [{}, {}]}`,
			"datadog_integration_slack_channel ops:#a: display has 2 blocks; Terraform allows one"},
		"display block not an object": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a", "display": [true]}`,
			"display block is the boolean true, not an object"},
		"display a string": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a", "display": "all"}`,
			`display is the string "all", not a block`},
		"flag a string": {`{"id": "ops:#a", "account_name": "ops", "channel_name": "#a", "display": [{"mute_buttons": "yes"}]}`,
			`display.mute_buttons is the string "yes", not true or false`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := slack.FromTerraform(stateValues(t, tc.state))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}
}

func TestKeyFor(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ channel, want string }{
		"production":         {"#pytorch-infra-alerts", "pytorch-infra-alerts"},
		"underscores":        {"#pytorch_infra__alerts", "pytorch-infra-alerts"},
		"capitals, no #":     {"PyTorch-Alerts", "pytorch-alerts"},
		"edges trimmed":      {"#-alerts_", "alerts"},
		"digits":             {"#team-2", "team-2"},
		"nothing left":       {"#__", "slack-channel"},
		"non-ASCII replaced": {"#équipe", "quipe"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := slack.KeyFor(tc.channel)
			assert.Equal(t, tc.want, got)
			assert.True(t, kit.IsKey(got), "%q is a config key", got)
		})
	}
}
