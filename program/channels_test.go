package program

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// Sections of the channel tests: a Slack channel and a webhook, and a
// monitor and a test that notify the given channel keys.
const (
	opsSlack = `{"ops-slack": {"account": "PyTorch", "channel": "#ops"}}`
	pager    = `{"pager": {"url": "https://pager.example.org/hook", "payload": {"text": "$EVENT_MSG"}}}`
)

func monitorNotifying(keys string) *string {
	return str(`{"m": {"name": "M", "kind": "metric", "query": "avg(last_5m):q{*}", "critical": 1, "message": "m", "notify": ` + keys + `}}`)
}

func testNotifying(keys string) *string {
	return str(`{"t": {"name": "T", "url": "https://x.org", "message": "m", "notify": ` + keys + `,
		"assertions": [{"type": "statusCode", "operator": "is", "target": 200}]}}`)
}

// TestLoadSlackChannelsAndWebhooksAreChannels: a Slack channel's and a
// webhook's keys join the channels once they decode, so that monitors and
// tests notify them by key.
func TestLoadSlackChannelsAndWebhooksAreChannels(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		set          map[string]*string
		channels     map[string]string
		monitor, syn []string
	}{
		"a monitor notifies a Slack channel and a webhook": {
			set: map[string]*string{
				ns(slack.Section): str(opsSlack), ns(webhooks.Section): str(pager),
				ns(monitors.Section): monitorNotifying(`["pager", "ops-slack"]`),
			},
			channels: map[string]string{"ops-slack": "@slack-PyTorch-ops", "pager": "@webhook-pager"},
			monitor:  []string{"@webhook-pager", "@slack-PyTorch-ops"},
		},
		"a test notifies a webhook beside a plain channel": {
			set: map[string]*string{
				ns(kit.ChannelsKey): str(`{"infra": "@slack-infra"}`), ns(webhooks.Section): str(pager),
				ns(synthetics.Section): testNotifying(`["infra", "pager"]`),
			},
			channels: map[string]string{"infra": "@slack-infra", "pager": "@webhook-pager"},
			syn:      []string{"@slack-infra", "@webhook-pager"},
		},
		"a webhook's handle is its name, not its key": {
			set: map[string]*string{
				ns(webhooks.Section): str(`{"pager": {"name": "Ops_Pager", "url": "https://pager.example.org/hook", "payload": {}}}`),
				ns(monitors.Section): monitorNotifying(`["pager"]`),
			},
			channels: map[string]string{"pager": "@webhook-Ops_Pager"},
			monitor:  []string{"@webhook-Ops_Pager"},
		},
		"no Slack channels or webhooks: the channels alone": {
			set:      map[string]*string{ns(kit.ChannelsKey): str(`{"infra": "@slack-infra"}`)},
			channels: map[string]string{"infra": "@slack-infra"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Load(rawConfig(tc.set))
			require.NoError(t, err)
			assert.Equal(t, tc.channels, cfg.Channels)
			if tc.monitor != nil {
				assert.Equal(t, tc.monitor, cfg.Monitors["m"].Notify)
			}
			if tc.syn != nil {
				assert.Equal(t, tc.syn, cfg.Synthetics["t"].Notify)
			}
		})
	}
}

func TestLoadChannelKeyClash(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		set map[string]*string
		// path is where the one clash is reported; contains is in it.
		path     string
		contains []string
	}{
		"a Slack channel keyed as a channel": {
			set: map[string]*string{
				ns(kit.ChannelsKey): str(`{"ops-slack": "@slack-elsewhere"}`), ns(slack.Section): str(opsSlack),
			},
			path:     "slackChannels.ops-slack",
			contains: []string{`"ops-slack" is also a channel key (for @slack-elsewhere)`, "rename one of them"},
		},
		"a webhook keyed as a channel": {
			set: map[string]*string{
				ns(kit.ChannelsKey): str(`{"pager": "@webhook-old-pager"}`), ns(webhooks.Section): str(pager),
			},
			path:     "webhooks.pager",
			contains: []string{`"pager" is also a channel key (for @webhook-old-pager)`},
		},
		"a webhook keyed as a Slack channel": {
			set: map[string]*string{
				ns(slack.Section):    str(opsSlack),
				ns(webhooks.Section): str(`{"ops-slack": {"url": "https://pager.example.org/hook", "payload": {}}}`),
			},
			path:     "webhooks.ops-slack",
			contains: []string{`"ops-slack" is also a channel key (for @slack-PyTorch-ops)`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			msgs := requireProblem(t, rawConfig(tc.set), tc.path, tc.contains...)
			assert.Len(t, msgs, 1, "the clash is the only problem: %v", msgs)
		})
	}
}

// TestLoadNotifyUnknownChannelNamesSlackAndWebhookKeys: a typo in notify is
// told the Slack channels' and webhooks' keys too.
func TestLoadNotifyUnknownChannelNamesSlackAndWebhookKeys(t *testing.T) {
	t.Parallel()
	requireProblem(t, rawConfig(map[string]*string{
		ns(kit.ChannelsKey): str(`{"infra": "@slack-infra"}`),
		ns(slack.Section):   str(opsSlack), ns(webhooks.Section): str(pager),
		ns(monitors.Section): monitorNotifying(`["pagr"]`),
	}), "monitors.m.notify[0]", `no channel "pagr" in channels (did you mean "pager"?)`, "channels: infra, ops-slack, pager")
}
