package slack_test

import (
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
)

// apiChannel is a channel as GET …/accounts/{account}/channels answers it;
// display nil leaves every flag unset.
func apiChannel(name string, display *datadogV1.SlackIntegrationChannelDisplay) datadogV1.SlackIntegrationChannel {
	c := datadogV1.NewSlackIntegrationChannel()
	c.SetName(name)
	c.Display = display
	return *c
}

// shows is a display with each flag set as given.
func shows(message, notified, snapshot, tags, muteButtons bool) *datadogV1.SlackIntegrationChannelDisplay {
	return &datadogV1.SlackIntegrationChannelDisplay{
		Message: datadog.PtrBool(message), Notified: datadog.PtrBool(notified), Snapshot: datadog.PtrBool(snapshot),
		Tags: datadog.PtrBool(tags), MuteButtons: datadog.PtrBool(muteButtons),
	}
}

// channelObject is a channel as List makes it.
func channelObject(account string, c datadogV1.SlackIntegrationChannel) live.Object {
	id := account + ":" + c.GetName()
	return live.Object{ID: id, On: id, Name: id, Key: slack.KeyFor(c.GetName()), Data: slack.Live{Account: account, Channel: c}}
}

func display(message, notified, snapshot, tags, muteButtons bool) map[string]any {
	return map[string]any{"message": message, "notified": notified, "snapshot": snapshot, "tags": tags, "muteButtons": muteButtons}
}

func TestFromAPI(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		account string
		channel datadogV1.SlackIntegrationChannel
		key     string
		entry   map[string]any
	}{
		"production's channel, everything shown": {
			account: "PyTorch", channel: apiChannel("#pytorch-infra-alerts", shows(true, true, true, true, true)),
			key: "pytorch-infra-alerts",
			entry: map[string]any{"account": "PyTorch", "channel": "#pytorch-infra-alerts",
				"display": display(true, true, true, true, true), "importId": "PyTorch:#pytorch-infra-alerts"},
		},
		"flags turned off are written off": {
			account: "Linux_Foundation", channel: apiChannel("#pytorch-infra", shows(true, false, false, true, false)),
			key: "pytorch-infra",
			entry: map[string]any{"account": "Linux_Foundation", "channel": "#pytorch-infra",
				"display": display(true, false, false, true, false), "importId": "Linux_Foundation:#pytorch-infra"},
		},
		"flags Datadog leaves unset are shown, their default": {
			account: "PyTorch", channel: apiChannel("#ci_alerts", &datadogV1.SlackIntegrationChannelDisplay{Tags: datadog.PtrBool(false)}),
			key: "ci-alerts",
			entry: map[string]any{"account": "PyTorch", "channel": "#ci_alerts",
				"display": display(true, true, true, false, true), "importId": "PyTorch:#ci_alerts"},
		},
		"no display at all": {
			account: "PyTorch", channel: apiChannel("#ops", nil),
			key: "ops",
			entry: map[string]any{"account": "PyTorch", "channel": "#ops",
				"display": display(true, true, true, true, true), "importId": "PyTorch:#ops"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := channelObject(tc.account, tc.channel)
			assert.Equal(t, tc.key, o.Key)
			entry, err := slack.FromAPI(o)
			require.NoError(t, err)
			assert.Equal(t, tc.entry, entry)
		})
	}
}

func TestFromAPIErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		object   live.Object
		contains []string
	}{
		"an account name the config refuses": {channelObject("PyTorch Foundation", apiChannel("#ops", nil)),
			[]string{"channel PyTorch Foundation:#ops of the Slack integration cannot be written as config", "slackChannels.ops.account", "not a Slack account name"}},
		"a channel name with capitals": {channelObject("PyTorch", apiChannel("#Ops", nil)),
			[]string{"channel PyTorch:#Ops of the Slack integration cannot be written as config", "Slack's are lowercase"}},
		"no channel data": {live.Object{ID: "PyTorch:#ops", Name: "PyTorch:#ops", Data: 3}, []string{"channel PyTorch:#ops of the Slack integration: no channel data"}},
		"no account":      {channelObject("", apiChannel("#ops", nil)), []string{"Datadog gave it no name, account or id"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := slack.FromAPI(tc.object)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Nil(t, entry)
		})
	}
}

// The two doors into the stack agree: production's channel read from
// Datadog is the entry ddstack import writes from the Terraform state.
func TestFromAPIAgreesWithFromTerraform(t *testing.T) {
	t.Parallel()
	objs := ddfake.ProductionState(t, map[string][]string{slack.Terraform: {"account_name", "channel_name"}})
	require.Len(t, objs, 1, "production has one Slack channel")
	key, fromTerraform, err := slack.FromTerraform(objs[0].Attrs)
	require.NoError(t, err)

	o := channelObject("PyTorch", apiChannel("#pytorch-infra-alerts", shows(true, true, true, true, true)))
	assert.Equal(t, objs[0].ID, o.ID, "the import id is Terraform's id")
	assert.Equal(t, objs[0].Key, o.On, "matched on what ddstack import matches on")
	fromAPI, err := slack.FromAPI(o)
	require.NoError(t, err)
	assert.Equal(t, fromTerraform, fromAPI)
	assert.Equal(t, key, o.Key)
}

func TestList(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.SlackChannels = map[string][]datadogV1.SlackIntegrationChannel{
		"PyTorch": {
			apiChannel("#pytorch-infra-alerts", shows(true, true, true, true, true)),
			apiChannel("#ci-noise", shows(false, false, false, false, false)),
			// Answered without its '#': the same channel.
			apiChannel("releases", nil),
		},
		"Linux_Foundation": {apiChannel("#pytorch-infra", nil)},
		// An account no channel of the stack names: never read.
		"Other": {apiChannel("#elsewhere", nil)},
	}
	stack := map[string]slack.Channel{
		"pytorch-infra-alerts": {Account: "PyTorch", Channel: "#pytorch-infra-alerts"},
		"releases":             {Account: "PyTorch", Channel: "#releases"},
		"lf":                   {Account: "Linux_Foundation", Channel: "#pytorch-infra"},
		// An account Datadog's integration does not have (404).
		"gone": {Account: "Gone", Channel: "#old"},
	}
	l, err := slack.List(f.Reader(t), stack)
	require.NoError(t, err)
	assert.Equal(t, slack.Partial, l.Partial)
	assert.Contains(t, l.Partial, "only the channels of the accounts the stack's Slack channels name are read")

	var ons, keys []string
	for _, o := range l.Objects {
		ons = append(ons, o.On)
		keys = append(keys, o.Key)
		assert.Equal(t, o.On, o.ID, "the import id is what it is matched on")
		assert.Equal(t, o.On, o.Name)
		assert.False(t, o.Quiet)
	}
	assert.Equal(t, []string{"Linux_Foundation:#pytorch-infra", "PyTorch:#pytorch-infra-alerts", "PyTorch:#ci-noise", "PyTorch:#releases"}, ons)
	assert.Equal(t, []string{"pytorch-infra", "pytorch-infra-alerts", "ci-noise", "releases"}, keys)
	for _, c := range stack {
		if c.Account != "Gone" {
			assert.Contains(t, ons, slack.MatchKey(c), "the stack's channel is found under its match key")
		}
	}

	entry, err := slack.FromAPI(l.Objects[2])
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"account": "PyTorch", "channel": "#ci-noise", "display": display(false, false, false, false, false),
		"importId": "PyTorch:#ci-noise"}, entry)

	var got []string
	for _, r := range f.Requests() {
		got = append(got, r.Method+" "+r.Path)
	}
	assert.Equal(t, []string{
		"GET /api/v1/integration/slack/configuration/accounts/Gone/channels",
		"GET /api/v1/integration/slack/configuration/accounts/Linux_Foundation/channels",
		"GET /api/v1/integration/slack/configuration/accounts/PyTorch/channels",
	}, got, "each account the stack names, once, in sorted order")
}

func TestListNoChannels(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	l, err := slack.List(f.Reader(t), nil)
	require.NoError(t, err)
	assert.Empty(t, l.Objects)
	assert.Equal(t, slack.Partial, l.Partial)
	assert.Empty(t, f.Requests(), "no account to read")
}

func TestListFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.SlackChannels = map[string][]datadogV1.SlackIntegrationChannel{"PyTorch": {apiChannel("#ops", nil)}}
	f.Fault("/api/v1/integration/slack/configuration/accounts/PyTorch/channels", ddfake.Fault{Status: 400, Body: `{"errors":["bad"]}`})
	l, err := slack.List(f.Reader(t), map[string]slack.Channel{"ops": {Account: "PyTorch", Channel: "#ops"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v1/integration/slack/configuration/accounts/PyTorch/channels: 400 Bad Request")
	assert.Empty(t, l.Objects)
}
