package slack

import (
	"fmt"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Terraform is the type of the Terraform resource a Slack channel replaces.
const Terraform = "datadog_integration_slack_channel"

// displayFlags pairs each display flag's Terraform attribute with its
// config field, in config order.
var displayFlags = []struct{ terraform, config string }{
	{"message", "message"},
	{"notified", "notified"},
	{"snapshot", "snapshot"},
	{"tags", "tags"},
	{"mute_buttons", "muteButtons"},
}

// FromTerraform turns the attributes of one datadog_integration_slack_channel
// of a Terraform state (`tofu show -json` values) into a config key, derived
// from the channel name, and the config entry that manages the same channel
// with the same values: account, channel, every display flag (a flag the
// state lacks takes Terraform's default, true) and importId, the state's id.
func FromTerraform(attrs map[string]any) (key string, entry map[string]any, err error) {
	str := func(name string) (string, error) {
		s, ok := attrs[name].(string)
		if !ok || s == "" {
			return "", fmt.Errorf("%s: no %s attribute (a string), got %s", Terraform, name, kit.Describe(attrs[name]))
		}
		return s, nil
	}
	id, err := str("id")
	if err != nil {
		return "", nil, err
	}
	account, err := str("account_name")
	if err != nil {
		return "", nil, err
	}
	channel, err := str("channel_name")
	if err != nil {
		return "", nil, err
	}
	display, err := terraformDisplay(attrs["display"])
	if err != nil {
		return "", nil, fmt.Errorf("%s %s: %w", Terraform, id, err)
	}
	entry = map[string]any{
		"account":  account,
		"channel":  channel,
		"display":  display,
		"importId": id,
	}
	return KeyFor(channel), entry, nil
}

// terraformDisplay reads the display block: a list of at most one object
// (a bare object is read too); absent, every flag takes Terraform's default.
func terraformDisplay(v any) (map[string]any, error) {
	var block map[string]any
	switch x := v.(type) {
	case nil:
	case map[string]any:
		block = x
	case []any:
		switch {
		case len(x) > 1:
			return nil, fmt.Errorf("display has %d blocks; Terraform allows one", len(x))
		case len(x) == 1:
			m, ok := x[0].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("display block is %s, not an object", kit.Describe(x[0]))
			}
			block = m
		}
	default:
		return nil, fmt.Errorf("display is %s, not a block", kit.Describe(v))
	}
	out := map[string]any{}
	for _, f := range displayFlags {
		switch b := block[f.terraform].(type) {
		case nil:
			out[f.config] = true // Terraform's default
		case bool:
			out[f.config] = b
		default:
			return nil, fmt.Errorf("display.%s is %s, not true or false", f.terraform, kit.Describe(b))
		}
	}
	return out, nil
}

// KeyFor derives a config key from a channel name: without its '#',
// lowercase, every run of other characters than letters and digits made
// one '-' (#pytorch_infra-alerts: pytorch-infra-alerts).
func KeyFor(channel string) string { return kit.KeyOf(channel, "slack-channel") }
