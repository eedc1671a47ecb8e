package slack_test

import (
	"testing"

	ddslack "github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog/slack"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock/ddmocktest"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
)

const providerURN = "urn:pulumi:test::pytorch-datadog::pulumi:providers:datadog::datadog"

type registered = ddmocktest.Registered

// register runs slack.New under the mock with an explicit provider, as the
// program does, and returns the channels it registered.
func register(t *testing.T, channels map[string]slack.Channel) registered {
	t.Helper()
	var made map[string]*ddslack.Channel
	rec, err := ddmock.Run(kit.Namespace, "test", nil, nil, ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) (err error) {
		made, err = slack.New(ctx, channels, provider)
		return err
	}))
	require.NoError(t, err)
	assert.Len(t, made, len(channels), "New returns every channel by key")
	for key := range channels {
		assert.NotNil(t, made[key], key)
	}

	return ddmocktest.Collect(t, rec, slack.Token)
}

func TestNewPinsEveryInput(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]slack.Channel{
		"pytorch-infra-alerts": {Account: "PyTorch", Channel: "#pytorch-infra-alerts", Display: slack.DefaultDisplay()},
		"lf": {Account: "Linux_Foundation", Channel: "#pytorch-infra",
			Display: slack.Display{Message: true, Notified: false, Snapshot: false, Tags: true, MuteButtons: false}},
		"bare": {Account: "ops", Channel: "#quiet"},
	})

	assert.Equal(t, []string{"bare", "lf", "pytorch-infra-alerts"}, got.Order, "one resource per key, named by it, in key order")
	assert.Equal(t, map[string]any{
		"accountName": "PyTorch",
		"channelName": "#pytorch-infra-alerts",
		"display":     map[string]any{"message": true, "notified": true, "snapshot": true, "tags": true, "muteButtons": true},
	}, got.Inputs["pytorch-infra-alerts"])
	assert.Equal(t, map[string]any{
		"accountName": "Linux_Foundation",
		"channelName": "#pytorch-infra",
		"display":     map[string]any{"message": true, "notified": false, "snapshot": false, "tags": true, "muteButtons": false},
	}, got.Inputs["lf"])
	assert.Equal(t, map[string]any{
		"accountName": "ops",
		"channelName": "#quiet",
		"display":     map[string]any{"message": false, "notified": false, "snapshot": false, "tags": false, "muteButtons": false},
	}, got.Inputs["bare"], "every flag is sent, false ones too, so a flag turned on in the UI shows as drift")

	for name, r := range got.ByName {
		assert.Equal(t, providerURN, r.Provider, "%s registers with the explicit provider", name)
		assert.Equal(t, "4.68.0", r.Version, "%s is pinned to the SDK's provider version", name)
		assert.Empty(t, r.ImportID, "%s is created, not adopted", name)
	}
}

func TestNewAdoptsByImportID(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]slack.Channel{
		"adopted": {Account: "PyTorch", Channel: "#pytorch-infra-alerts", Display: slack.DefaultDisplay(), ImportID: "PyTorch:#pytorch-infra-alerts"},
		"created": {Account: "PyTorch", Channel: "#new", Display: slack.DefaultDisplay()},
	})
	assert.Equal(t, "PyTorch:#pytorch-infra-alerts", got.ByName["adopted"].ImportID)
	assert.Empty(t, got.ByName["created"].ImportID)
	assert.Equal(t, providerURN, got.ByName["adopted"].Provider, "the import keeps the provider")
}

func TestNewWithNoChannels(t *testing.T) {
	t.Parallel()
	got := register(t, map[string]slack.Channel{})
	assert.Empty(t, got.Order)
}

// TestNewFromDecodedConfig: the production entry, decoded, registers what
// production has.
func TestNewFromDecodedConfig(t *testing.T) {
	t.Parallel()
	channels, problems := decode(t, `{"pytorch-infra-alerts": {"account": "PyTorch", "channel": "#pytorch-infra-alerts"}}`)
	require.Empty(t, problems)
	got := register(t, channels)
	assert.Equal(t, map[string]any{
		"accountName": "PyTorch",
		"channelName": "#pytorch-infra-alerts",
		"display":     map[string]any{"message": true, "notified": true, "snapshot": true, "tags": true, "muteButtons": true},
	}, got.Inputs["pytorch-infra-alerts"])
}
