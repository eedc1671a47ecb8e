// Package slack manages the Slack channels of Datadog's Slack integration
// from the stack config (`pytorch-datadog:slackChannels`): their config,
// its decoding and validation (Slack's naming rules, one entry per channel
// and per handle), their notification handles, which monitors and tests
// notify, and one slack.Channel per config key, with every display flag
// sent.
package slack

import (
	"fmt"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog/slack"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the Slack channels register as.
const Token = "datadog:slack/channel:Channel"

// New registers one slack.Channel per config key, in sorted key order, each
// named by its key, and returns them by key. Every display flag is sent,
// true or false, so that a flag changed in the Datadog UI shows as drift.
// The provider option applies to every channel.
func New(ctx *pulumi.Context, channels map[string]Channel, provider pulumi.ResourceOrInvokeOption) (map[string]*slack.Channel, error) {
	out := map[string]*slack.Channel{}
	for _, key := range kit.SortedKeys(channels) {
		c := channels[key]
		ch, err := slack.NewChannel(ctx, key, &slack.ChannelArgs{
			AccountName: pulumi.String(c.Account),
			ChannelName: pulumi.String(c.Channel),
			Display: &slack.ChannelDisplayArgs{
				Message:     pulumi.Bool(c.Display.Message),
				Notified:    pulumi.Bool(c.Display.Notified),
				Snapshot:    pulumi.Bool(c.Display.Snapshot),
				Tags:        pulumi.Bool(c.Display.Tags),
				MuteButtons: pulumi.Bool(c.Display.MuteButtons),
			},
		}, kit.WithImport(c.ImportID, provider)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = ch
	}
	return out, nil
}
