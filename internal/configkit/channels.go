package configkit

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
)

// ChannelsKey is the config key of the notification channels: handles by
// key, which monitors and tests list under `notify`.
const ChannelsKey = "channels"

var handlePattern = regexp.MustCompile(`^@[A-Za-z0-9_.\-]+$`)

// channelsNotes are what the reference says of the section beyond its values.
//
//go:embed channels.md
var channelsNotes string

// ChannelsSpec declares the channels section.
var ChannelsSpec = &Spec{
	Notes: channelsNotes,
	Title: "Channels", Kind: Map, KeyPattern: KeyPattern, Default: map[string]any{},
	Doc: "Notification channels by key: a Datadog handle each. Monitors and tests list channel keys under `notify`: these, and the keys of `slackChannels` and `webhooks`, which are channels too. Each key names one handle.",
	Values: &Spec{Kind: String, Pattern: handlePattern.String(), PatternDoc: "a handle such as @slack-pytorch-infra-alerts",
		Doc: "A Datadog notification handle (`@slack-pytorch-infra-alerts`, `@webhook-lf-incident-io`)."},
}

// Channels decodes the channels section: a map of channel key to Datadog
// notification handle ("@slack-...", "@webhook-..."). Absent, there are
// none.
func (p *Problems) Channels(raw string, present bool) map[string]string {
	out := map[string]string{}
	for _, e := range p.Entries(ChannelsKey, raw, present, "channel key to notification handle (\"@slack-...\")") {
		key, path := e.Key, e.Path
		var h string
		if !p.String(path, e.Value, &h) {
			continue
		}
		if !handlePattern.MatchString(h) {
			p.Add(path, "%q is not a Datadog notification handle such as @slack-pytorch-infra-alerts or @webhook-lf-incident-io", h)
			continue
		}
		out[key] = h
	}
	return out
}

// Notify decodes a `notify` list of channel keys into their handles, in
// the list's order.
func (p *Problems) Notify(path string, v any, channels map[string]string) []string {
	var keys []string
	if !p.StringList(path, v, "channel keys", &keys) {
		return nil
	}
	known := SortedKeys(channels)
	var handles []string
	seen := map[string]int{}
	for i, k := range keys {
		ip := fmt.Sprintf("%s[%d]", path, i)
		h, ok := channels[k]
		if !ok {
			p.Add(ip, "no channel %q in channels%s; channels: %s", k, DidYouMean(k, known), strings.Join(known, ", "))
			continue
		}
		if j, dup := seen[k]; dup {
			p.Add(ip, "%q is listed twice (also at [%d])", k, j)
			continue
		}
		seen[k] = i
		handles = append(handles, h)
	}
	return handles
}

// WithHandles renders a notification message: the text, then the channel
// handles one a line, which is how Datadog routes a notification.
func WithHandles(text string, handles []string) string {
	text = strings.TrimSpace(text)
	if len(handles) == 0 {
		return text
	}
	return text + "\n\n" + strings.Join(handles, "\n")
}

// SplitHandles inverts WithHandles, for a message read from Datadog: the
// handles ending the message, one a line after a blank line, that are
// channels of the stack become their keys (in order, a handle that is
// several channels' the first key in sorted order), and the rest is the
// text. A message that does not end so (a handle of no stack channel last,
// no blank line before the handles, a handle twice) is all text, with no
// keys: it renders back unchanged either way.
func SplitHandles(message string, channels map[string]string) (text string, notify []any) {
	message = strings.TrimSpace(message)
	keyOf := map[string]string{}
	for _, k := range SortedKeys(channels) {
		if _, taken := keyOf[channels[k]]; !taken {
			keyOf[channels[k]] = k
		}
	}
	lines := strings.Split(message, "\n")
	i := len(lines)
	seen := map[string]bool{}
	for i > 0 && keyOf[lines[i-1]] != "" && !seen[lines[i-1]] {
		seen[lines[i-1]] = true
		i--
	}
	if i == len(lines) || i < 2 || lines[i-1] != "" {
		return message, nil
	}
	text = strings.Join(lines[:i-1], "\n")
	if text == "" || text != strings.TrimSpace(text) {
		return message, nil
	}
	for _, h := range lines[i:] {
		notify = append(notify, keyOf[h])
	}
	return text, notify
}
