package slack

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode/utf8"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Section is the config key of the Slack channels:
// `pytorch-datadog:slackChannels`.
const Section = "slackChannels"

// ImportID is the form of a Slack channel's import id, which is also its
// Terraform id: `<account>:<channel>`, as PyTorch:#pytorch-infra-alerts.
var ImportID = kit.IDForm{
	Pattern: regexp.MustCompile(`^[A-Za-z0-9_.\-]+:#[a-z0-9_\-]{1,80}$`),
	Example: "PyTorch:#pytorch-infra-alerts",
}

// Channel is a Slack channel of Datadog's Slack integration managed here:
// where alerts notifying its handle are posted, and what they show. Its
// config key is also a notification channel key that monitors and tests
// list under `notify`.
type Channel struct {
	// Account is the Slack workspace's name as configured in Datadog's
	// Slack integration, such as PyTorch. Required.
	Account string
	// Channel is the Slack channel's name with its '#', such as
	// #pytorch-infra-alerts. Required; (Account, Channel) unique.
	Channel string
	// Display is what an alert posted there shows. Every flag is always
	// sent, so a change made in the Datadog UI shows as drift.
	Display Display
	// ImportID adopts an existing channel (`<account>:<channel>`).
	ImportID string
}

// Display are the parts of an alert event a Slack message shows.
type Display struct {
	// Message shows the main body of the alert.
	Message bool
	// Notified shows the list of @-handles notified.
	Notified bool
	// Snapshot shows the graph snapshot image.
	Snapshot bool
	// Tags shows the scopes on which the monitor alerted.
	Tags bool
	// MuteButtons shows buttons to mute the alerting monitor.
	MuteButtons bool
}

// DefaultDisplay shows everything: each flag defaults to true, as Datadog's
// UI and the provider do, and as production has it.
func DefaultDisplay() Display {
	return Display{Message: true, Notified: true, Snapshot: true, Tags: true, MuteButtons: true}
}

// MaxChannelName is Slack's limit on a channel name's length, '#' not
// counted.
const MaxChannelName = 80

var (
	accountPattern = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)
	channelPattern = regexp.MustCompile(`^#[a-z0-9_\-]+$`)
)

// Handle is the notification handle of a channel, which monitors and tests
// write in their messages: @slack-<account>-<channel without '#'>.
func Handle(c Channel) string {
	return "@slack-" + c.Account + "-" + strings.TrimPrefix(c.Channel, "#")
}

// Handles are the notification handles of the channels, by config key: the
// entries the stack adds to its notification channels.
func Handles(channels map[string]Channel) map[string]string {
	out := map[string]string{}
	for key, c := range channels {
		out[key] = Handle(c)
	}
	return out
}

// MatchKey is what ddstack import matches a Terraform object on: account and
// channel together, `<account>:<channel>`, which is also the Terraform
// object's id.
func MatchKey(c Channel) string {
	return c.Account + ":" + c.Channel
}

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the Slack channels section: the decoder, the stack file's
// JSON Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Notes: notes,
	Title: "Slack channels", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "Channels of Datadog's Slack integration by key; the key is the channel's logical name, and a notification channel that monitors and tests list under `notify` (its handle: `@slack-<account>-<channel>`).",
	Values: &kit.Spec{Title: "a Slack channel", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "account", Kind: kit.String, Required: true, Pattern: accountPattern.String(), PatternDoc: "letters, digits, '_', '.' and '-'",
			Doc: "The Slack workspace's name as Datadog's Slack integration has it (`PyTorch`)."},
		{Name: "channel", Kind: kit.String, Required: true, Pattern: channelPattern.String(), PatternDoc: "#, then lowercase letters, digits, '_' and '-'",
			Doc: "The channel's name with its `#` (`\"#pytorch-infra-alerts\"`: quote it, as an unquoted # starts a YAML comment). Unique with its account."},
		{Name: "display", Kind: kit.Object, Title: "display flags", DefaultDoc: "every part shown",
			Doc: "What an alert posted there shows; every flag is sent, so a change in the Datadog UI shows as drift.",
			Fields: []*kit.Spec{
				{Name: "message", Kind: kit.Bool, Default: true, Doc: "The alert's message."},
				{Name: "notified", Kind: kit.Bool, Default: true, Doc: "Who was notified."},
				{Name: "snapshot", Kind: kit.Bool, Default: true, Doc: "The graph snapshot."},
				{Name: "tags", Kind: kit.Bool, Default: true, Doc: "The scopes the monitor alerted on."},
				{Name: "muteButtons", Kind: kit.Bool, Default: true, Doc: "Buttons that mute the monitor."},
			}},
		ImportID.Spec("`<account>:<#channel>`, as PyTorch:#pytorch-infra-alerts"),
	}},
}

// Decode decodes and validates the Slack channels section, reporting every
// problem to p. An absent section is no channels.
func Decode(p *kit.Problems, raw string, present bool) map[string]Channel {
	out := map[string]Channel{}
	// Account names are compared without case: two entries differing only
	// in the account's case are one workspace mistyped, and their handles would be
	// told apart by case alone.
	byChannel := map[string]string{}
	byHandle := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "channel key to "+Spec.Values.Describe()) {
		key, path := e.Key, e.Path
		c := Channel{Display: DefaultDisplay()}
		accountOK, channelOK := false, false
		valid := p.Object(path, e.Value, Spec.Values, []kit.Field{
			{Name: "account", Decode: func(fp string, v any) {
				if p.String(fp, v, &c.Account) {
					accountOK = checkAccount(p, fp, c.Account)
				}
			}},
			{Name: "channel", Decode: func(fp string, v any) {
				if v == nil {
					p.Add(fp, "is null: in YAML an unquoted # starts a comment; quote the name: channel: \"#pytorch-infra-alerts\"")
					return
				}
				if p.String(fp, v, &c.Channel) {
					channelOK = checkChannel(p, fp, c.Channel)
				}
			}},
			{Name: "display", Decode: func(fp string, v any) { decodeDisplay(p, fp, v, &c.Display) }},
			ImportID.Field(p, &c.ImportID),
		})
		if !valid {
			continue
		}
		if accountOK && ImportID.Pattern.MatchString(c.ImportID) {
			checkImportAccount(p, path+".importId", c)
		}
		if accountOK && channelOK {
			same := strings.ToLower(MatchKey(c))
			handle := strings.ToLower(Handle(c))
			if other, dup := byChannel[same]; dup {
				p.Add(path+".channel", "account %s and channel %s are also those of %s.%s; each Slack channel has one entry", c.Account, c.Channel, Section, other)
			} else if other, clash := byHandle[handle]; clash {
				p.Add(path+".channel", "its handle %s is also that of %s.%s, another account and channel: Datadog could not tell them apart; rename one of the channels", Handle(c), Section, other)
				byChannel[same] = key
			} else {
				byChannel[same], byHandle[handle] = key, key
			}
		}
		out[key] = c
	}
	return out
}

// checkAccount checks a Slack account name, reporting what is wrong.
func checkAccount(p *kit.Problems, path, account string) bool {
	switch {
	case strings.TrimSpace(account) == "":
		p.Add(path, "is empty; give the Slack workspace's name as Datadog's Slack integration lists it, such as PyTorch")
	case !accountPattern.MatchString(account):
		p.Add(path, "%q is not a Slack account name of Datadog's Slack integration: letters, digits, '_', '-' and '.', no spaces, as the integration lists it (such as PyTorch or Linux_Foundation)", account)
	default:
		return true
	}
	return false
}

// checkChannel checks a Slack channel name by Slack's rules, suggesting the
// fixed name when it is only a missing '#' or capital letters.
func checkChannel(p *kit.Problems, path, channel string) bool {
	name, hasHash := strings.CutPrefix(channel, "#")
	fixed := "#" + strings.ToLower(strings.TrimSpace(name))
	switch {
	case strings.TrimSpace(name) == "":
		p.Add(path, "is empty; give the Slack channel's name with its '#', quoted in YAML: \"#pytorch-infra-alerts\"")
	case utf8.RuneCountInString(name) > MaxChannelName:
		p.Add(path, "is %d characters after '#'; Slack allows at most %d", utf8.RuneCountInString(name), MaxChannelName)
	case channelPattern.MatchString(channel):
		return true
	case !hasHash && channelPattern.MatchString(fixed):
		p.Add(path, "%q does not start with '#'; write %q (quoted in YAML, where an unquoted # starts a comment)", channel, fixed)
	case channelPattern.MatchString(fixed):
		p.Add(path, "%q is not a Slack channel name: Slack's are lowercase; write %q", channel, fixed)
	default:
		p.Add(path, "%q is not a Slack channel name: '#' then lowercase letters, digits, '-' and '_' (no spaces or dots), such as \"#pytorch-infra-alerts\"", channel)
	}
	return false
}

// checkImportAccount reports an importId of another account than the
// entry's: a channel cannot move between accounts (the provider would
// delete and recreate it). Another channel name is allowed: it renames the
// adopted channel, and an adopted channel renamed later keeps its importId.
func checkImportAccount(p *kit.Problems, path string, c Channel) {
	account, _, _ := strings.Cut(c.ImportID, ":")
	if account != c.Account {
		p.Add(path, "%q is a channel of Slack account %s, not %s: a channel cannot move between accounts (the provider would delete and recreate it); to adopt it, set account to %s; to move an adopted channel, remove importId", c.ImportID, account, c.Account, account)
	}
}

// decodeDisplay decodes the display flags over the defaults: a flag left
// out keeps its default.
func decodeDisplay(p *kit.Problems, path string, v any, out *Display) {
	flag := func(name string, dst *bool) kit.Field {
		return kit.Field{Name: name, Decode: func(fp string, v any) { p.Bool(fp, v, dst) }}
	}
	p.Object(path, v, Spec.Values.Field("display"), []kit.Field{
		flag("message", &out.Message),
		flag("notified", &out.Notified),
		flag("snapshot", &out.Snapshot),
		flag("tags", &out.Tags),
		flag("muteButtons", &out.MuteButtons),
	})
}
