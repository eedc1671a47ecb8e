package configkit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

func TestChannels(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw      string
		present  bool
		want     map[string]string
		problems map[string]string
	}{
		"absent": {raw: `{"infra": "not-a-handle"}`, present: false, want: map[string]string{}},
		"handles": {
			raw: `{"infra": "@slack-PyTorch-pytorch-infra-alerts", "lf": "@webhook-lf-incident-io", "oncall": "@pagerduty-Py_Torch.oncall"}`, present: true,
			want: map[string]string{"infra": "@slack-PyTorch-pytorch-infra-alerts", "lf": "@webhook-lf-incident-io", "oncall": "@pagerduty-Py_Torch.oncall"},
		},
		"empty": {raw: `{}`, present: true, want: map[string]string{}},
		"not a map": {
			raw: `["@slack-infra"]`, present: true, want: map[string]string{},
			problems: map[string]string{"channels": `must be a map of channel key to notification handle ("@slack-..."), got a list`},
		},
		"every problem at once": {
			raw:     `{"infra": "slack-infra", "lf": 3, "Ops_Team": "@slack-ops", "spaced": "@slack infra", "ok": "@slack-ok", "bare": "@"}`,
			present: true,
			want:    map[string]string{"ok": "@slack-ok", "Ops_Team": "@slack-ops"},
			problems: map[string]string{
				"channels.infra":    `"slack-infra" is not a Datadog notification handle such as @slack-`,
				"channels.lf":       "must be a string, got the number 3",
				"channels.Ops_Team": `key "Ops_Team" must be lowercase letters and digits joined by '-'`,
				"channels.spaced":   `"@slack infra" is not a Datadog notification handle`,
				"channels.bare":     `"@" is not a Datadog notification handle`,
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			assert.Equal(t, tc.want, p.Channels(tc.raw, tc.present))
			assertProblems(t, p, tc.problems)
		})
	}
}

func TestNotify(t *testing.T) {
	t.Parallel()
	channels := map[string]string{"infra": "@slack-infra", "lf": "@webhook-lf", "oncall": "@pagerduty-oncall"}
	tests := map[string]struct {
		notify   string
		channels map[string]string
		want     []string
		problems map[string]string
	}{
		"handles in the list's order": {notify: `["lf", "infra"]`, channels: channels, want: []string{"@webhook-lf", "@slack-infra"}},
		"empty list":                  {notify: `[]`, channels: channels},
		"every problem at once": {
			notify: `["infra", "ifra", "infra", "pager", "lf"]`, channels: channels,
			want: []string{"@slack-infra", "@webhook-lf"},
			problems: map[string]string{
				"monitors.m.notify[1]": `no channel "ifra" in channels (did you mean "infra"?); channels: infra, lf, oncall`,
				"monitors.m.notify[2]": `"infra" is listed twice (also at [0])`,
				"monitors.m.notify[3]": `no channel "pager" in channels; channels: infra, lf, oncall`,
			},
		},
		"a lone string": {
			notify: `"infra"`, channels: channels,
			problems: map[string]string{"monitors.m.notify": `must be a list of channel keys, got the string "infra" (write it as a list: ["infra"])`},
		},
		"an entry not a string": {
			notify: `["infra", 3]`, channels: channels,
			problems: map[string]string{"monitors.m.notify[1]": "must be a string, got the number 3"},
		},
		"no channels defined": {
			notify: `["infra"]`, channels: map[string]string{},
			problems: map[string]string{"monitors.m.notify[0]": `no channel "infra" in channels`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			assert.Equal(t, tc.want, p.Notify("monitors.m.notify", jsonValue(t, tc.notify), tc.channels))
			assertProblems(t, p, tc.problems)
		})
	}
}

func TestWithHandles(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		text    string
		handles []string
		want    string
	}{
		"no handles": {"  Check the scale-up logs.\n", nil, "Check the scale-up logs."},
		"one handle": {"Check the logs.", []string{"@slack-infra"}, "Check the logs.\n\n@slack-infra"},
		"handles in order, one a line": {
			"Check the logs.\n\n", []string{"@webhook-lf", "@slack-infra"},
			"Check the logs.\n\n@webhook-lf\n@slack-infra",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, kit.WithHandles(tc.text, tc.handles))
		})
	}
}

func TestSplitHandlesInvertsWithHandles(t *testing.T) {
	t.Parallel()
	channels := map[string]string{"slack": "@slack-ops", "also-slack": "@slack-ops", "hook": "@webhook-pager"}
	for name, tc := range map[string]struct {
		message, text string
		notify        []any
	}{
		"handles after a blank line":  {"Down.\n\n@slack-ops\n@webhook-pager", "Down.", []any{"also-slack", "hook"}},
		"a handle of no channel last": {"Down.\n\n@slack-ops\n@slack-other", "Down.\n\n@slack-ops\n@slack-other", nil},
		"no blank line":               {"Down.\n@slack-ops", "Down.\n@slack-ops", nil},
		"a handle twice":              {"Down.\n\n@slack-ops\n@slack-ops", "Down.\n\n@slack-ops\n@slack-ops", nil},
		"no text":                     {"\n\n@slack-ops", "@slack-ops", nil},
		"handles in the text stay":    {"Page @webhook-pager now.\n\n@slack-ops", "Page @webhook-pager now.", []any{"also-slack"}},
		"no handle":                   {"Down.", "Down.", nil},
	} {
		text, notify := kit.SplitHandles(tc.message, channels)
		assert.Equal(t, tc.text, text, name)
		assert.Equal(t, tc.notify, notify, name)
		handles := []string{}
		for _, k := range notify {
			handles = append(handles, channels[k.(string)])
		}
		assert.Equal(t, strings.TrimSpace(tc.message), kit.WithHandles(text, handles), "%s: renders back unchanged", name)
	}
}
