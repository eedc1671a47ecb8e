package slack

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// Partial is why List's channels are not all that Datadog has.
const Partial = "Datadog has no endpoint that lists the Slack accounts of its Slack integration: only the channels of the accounts the stack's Slack channels name are read, and channels of other accounts cannot be reported"

// Live is a Slack channel as Datadog has it, with the account it was read
// from: the channel's answer does not name its account.
type Live struct {
	Account string
	Channel datadogV1.SlackIntegrationChannel
}

// List reads the Slack channels of each distinct account the stack's
// channels name, in sorted order (GET
// /api/v1/integration/slack/configuration/accounts/{account}/channels, one
// answer per account): Datadog cannot list the accounts themselves, so
// List.Partial says that other accounts are not read. An account Datadog
// answers 404 for is not in the integration: it has no channels.
// List.Covers says which accounts' channels were read. Each
// channel is matched on `<account>:<#channel>` (MatchKey), which is also
// its import id.
func List(r *live.Reader, channels map[string]Channel) (live.List, error) {
	accounts := map[string]bool{}
	for _, c := range channels {
		if c.Account != "" {
			accounts[c.Account] = true
		}
	}
	api := datadogV1.NewSlackIntegrationApi(r.Client())
	out := live.List{Objects: []live.Object{}, Partial: Partial, Covers: func(id string) bool {
		account, _, _ := strings.Cut(id, ":")
		return accounts[account]
	}}
	for _, account := range kit.SortedKeys(accounts) {
		list, resp, err := api.GetSlackIntegrationChannels(r.Context(), account)
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			continue
		}
		if err != nil {
			return live.List{}, live.Wrap("GET /api/v1/integration/slack/configuration/accounts/"+account+"/channels", err)
		}
		for _, ch := range list {
			name := ch.GetName()
			if name == "" {
				// Nothing could match or adopt a channel without a name.
				continue
			}
			// The stack and Terraform write a channel with its '#'; an
			// answer without it names the same channel.
			if !strings.HasPrefix(name, "#") {
				name = "#" + name
			}
			ch.SetName(name)
			id := MatchKey(Channel{Account: account, Channel: name})
			out.Objects = append(out.Objects, live.Object{
				ID: id, On: id, Name: id, Key: KeyFor(name),
				Data: Live{Account: account, Channel: ch},
			})
		}
	}
	return out, nil
}

// FromAPI turns a channel as List found it into a Slack channels entry
// that adopts it, as FromTerraform does from a Terraform state: account,
// channel, every display flag (one Datadog leaves unset is shown, its
// default), and importId, `<account>:<#channel>`. A channel the config
// could not express (an account or channel name Datadog's Slack
// integration would not take from the stack) is an error.
func FromAPI(o live.Object) (map[string]any, error) {
	l, ok := o.Data.(Live)
	if !ok {
		return nil, fmt.Errorf("channel %s of the Slack integration: no channel data to write it from (%T)", o.Name, o.Data)
	}
	channel := l.Channel.GetName()
	if l.Account == "" || channel == "" || o.ID == "" {
		return nil, fmt.Errorf("channel %q of Slack account %q (id %q): Datadog gave it no name, account or id", channel, l.Account, o.ID)
	}
	d := l.Channel.GetDisplay()
	flag := func(b *bool) bool { return b == nil || *b }
	entry := map[string]any{
		"account": l.Account,
		"channel": channel,
		"display": map[string]any{
			"message":     flag(d.Message),
			"notified":    flag(d.Notified),
			"snapshot":    flag(d.Snapshot),
			"tags":        flag(d.Tags),
			"muteButtons": flag(d.MuteButtons),
		},
		"importId": o.ID,
	}
	if _, err := kit.DecodeEntry(o.Key, entry, Decode); err != nil {
		return nil, fmt.Errorf("channel %s of the Slack integration cannot be written as config: %w", o.ID, err)
	}
	return entry, nil
}
