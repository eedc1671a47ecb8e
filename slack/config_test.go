package slack_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
)

// decode decodes a slackChannels section given as JSON and returns the
// channels and the problems found, by path (at most one a path).
func decode(t *testing.T, raw string) (map[string]slack.Channel, map[string]string) {
	t.Helper()
	p := &kit.Problems{}
	out := slack.Decode(p, raw, true)
	return out, problemsByPath(t, p)
}

func problemsByPath(t *testing.T, p *kit.Problems) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := p.Err()
	if err == nil {
		require.Zero(t, p.Len(), "Len counts problems Err does not report")
		return out
	}
	leaves := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		leaves = j.Unwrap()
	}
	require.Len(t, leaves, p.Len(), "Len and Err disagree")
	for _, e := range leaves {
		var pe *kit.PathError
		require.True(t, errors.As(e, &pe), "every problem carries its path: %v", e)
		_, dup := out[pe.Path]
		require.False(t, dup, "two problems at %s:\n%v", pe.Path, err)
		out[pe.Path] = pe.Msg
	}
	return out
}

// fromYAML turns a stack file's section, written in YAML, into the JSON the
// engine hands the program.
func fromYAML(t *testing.T, src string) string {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(src), &v))
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

var allShown = slack.Display{Message: true, Notified: true, Snapshot: true, Tags: true, MuteButtons: true}

func TestDecodeProduction(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, fromYAML(t, `
pytorch-infra-alerts:
  account: PyTorch
  channel: "#pytorch-infra-alerts"
  display: {message: true, notified: true, snapshot: true, tags: true, muteButtons: true}
  importId: "PyTorch:#pytorch-infra-alerts"
`))
	assert.Empty(t, problems)
	assert.Equal(t, map[string]slack.Channel{
		"pytorch-infra-alerts": {Account: "PyTorch", Channel: "#pytorch-infra-alerts", Display: allShown, ImportID: "PyTorch:#pytorch-infra-alerts"},
	}, got)
	assert.Equal(t, "@slack-PyTorch-pytorch-infra-alerts", slack.Handle(got["pytorch-infra-alerts"]), "the handle the monitors notify")
}

func TestDecodeValid(t *testing.T) {
	t.Parallel()
	long := "#" + strings.Repeat("a", slack.MaxChannelName)
	got, problems := decode(t, `{
		"infra": {"account": "PyTorch", "channel": "#pytorch-infra-alerts"},
		"lf": {"account": "Linux_Foundation", "channel": "#pytorch-infra", "display": {"snapshot": false, "muteButtons": false}},
		"quiet": {"account": "ops.team-2", "channel": "#quiet_alerts-2", "display": {"message": false, "notified": false, "snapshot": false, "tags": false, "muteButtons": false}},
		"long": {"account": "PyTorch", "channel": "`+long+`", "display": {}}
	}`)
	assert.Empty(t, problems)
	assert.Equal(t, map[string]slack.Channel{
		"infra": {Account: "PyTorch", Channel: "#pytorch-infra-alerts", Display: allShown},
		"lf": {Account: "Linux_Foundation", Channel: "#pytorch-infra",
			Display: slack.Display{Message: true, Notified: true, Snapshot: false, Tags: true, MuteButtons: false}},
		"quiet": {Account: "ops.team-2", Channel: "#quiet_alerts-2", Display: slack.Display{}},
		"long":  {Account: "PyTorch", Channel: long, Display: allShown},
	}, got, "a flag left out is shown (true); listed ones are taken as given; 80 characters is allowed")
}

func TestDefaultDisplayShowsEverything(t *testing.T) {
	t.Parallel()
	assert.Equal(t, allShown, slack.DefaultDisplay())
}

func TestDecodeSection(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw      string
		present  bool
		contains string // "" for no problem
	}{
		"absent":       {raw: `{"x": 1}`, present: false},
		"empty":        {raw: `{}`, present: true},
		"a list":       {raw: `[{"account": "PyTorch"}]`, present: true, contains: "must be a map of channel key to a Slack channel ({account, channel, display}), got a list"},
		"plain string": {raw: `#pytorch-infra-alerts`, present: true, contains: `got the string "#pytorch-infra-alerts"`},
		"null":         {raw: `null`, present: true, contains: "got nothing (null)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			assert.Empty(t, slack.Decode(p, tc.raw, tc.present))
			problems := problemsByPath(t, p)
			if tc.contains == "" {
				assert.Empty(t, problems)
				return
			}
			assert.Equal(t, []string{"slackChannels"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["slackChannels"], tc.contains)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	entry := func(body string) string { return `{"infra": ` + body + `}` }
	ch := func(extra string) string {
		return entry(`{"account": "PyTorch", "channel": "#pytorch-infra-alerts"` + extra + `}`)
	}
	tests := map[string]struct {
		raw            string
		path, contains string
	}{
		"key not kebab-case": {`{"Infra_Alerts": {"account": "PyTorch", "channel": "#a"}}`,
			"slackChannels.Infra_Alerts", `key "Infra_Alerts" must be lowercase letters and digits joined by '-'`},
		"channel entry a string": {entry(`"#pytorch-infra-alerts"`),
			"slackChannels.infra", `must be a Slack channel ({account, channel, display}), got the string "#pytorch-infra-alerts"`},
		"missing account": {entry(`{"channel": "#a"}`),
			"slackChannels.infra.account", "missing; it is required"},
		"missing channel": {entry(`{"account": "PyTorch"}`),
			"slackChannels.infra.channel", "missing; it is required"},
		"account a number": {entry(`{"account": 7, "channel": "#a"}`),
			"slackChannels.infra.account", "must be a string, got the number 7"},
		"account empty": {entry(`{"account": " ", "channel": "#a"}`),
			"slackChannels.infra.account", "is empty; give the Slack workspace's name"},
		"account with a space": {entry(`{"account": "Linux Foundation", "channel": "#a"}`),
			"slackChannels.infra.account", `"Linux Foundation" is not a Slack account name of Datadog's Slack integration: letters, digits, '_', '-' and '.', no spaces`},
		"account with a colon": {entry(`{"account": "PyTorch:x", "channel": "#a"}`),
			"slackChannels.infra.account", `"PyTorch:x" is not a Slack account name`},
		"channel unquoted in YAML": {entry(`{"account": "PyTorch", "channel": null}`),
			"slackChannels.infra.channel", `is null: in YAML an unquoted # starts a comment; quote the name: channel: "#pytorch-infra-alerts"`},
		"channel a list": {entry(`{"account": "PyTorch", "channel": ["#a"]}`),
			"slackChannels.infra.channel", "must be a string, got a list"},
		"channel without #": {entry(`{"account": "PyTorch", "channel": "pytorch-infra-alerts"}`),
			"slackChannels.infra.channel", `"pytorch-infra-alerts" does not start with '#'; write "#pytorch-infra-alerts" (quoted in YAML`},
		"channel without # and in capitals": {entry(`{"account": "PyTorch", "channel": "Infra"}`),
			"slackChannels.infra.channel", `"Infra" does not start with '#'; write "#infra"`},
		"channel in capitals": {entry(`{"account": "PyTorch", "channel": "#PyTorch-Infra"}`),
			"slackChannels.infra.channel", `"#PyTorch-Infra" is not a Slack channel name: Slack's are lowercase; write "#pytorch-infra"`},
		"channel with a space": {entry(`{"account": "PyTorch", "channel": "#infra alerts"}`),
			"slackChannels.infra.channel", `"#infra alerts" is not a Slack channel name: '#' then lowercase letters, digits, '-' and '_' (no spaces or dots)`},
		"channel with a dot": {entry(`{"account": "PyTorch", "channel": "#infra.alerts"}`),
			"slackChannels.infra.channel", `"#infra.alerts" is not a Slack channel name`},
		"channel only #": {entry(`{"account": "PyTorch", "channel": "#"}`),
			"slackChannels.infra.channel", "is empty; give the Slack channel's name with its '#'"},
		"channel empty": {entry(`{"account": "PyTorch", "channel": ""}`),
			"slackChannels.infra.channel", "is empty"},
		"channel too long": {entry(`{"account": "PyTorch", "channel": "#` + strings.Repeat("a", 81) + `"}`),
			"slackChannels.infra.channel", "is 81 characters after '#'; Slack allows at most 80"},
		"channel a handle": {entry(`{"account": "PyTorch", "channel": "@slack-PyTorch-infra"}`),
			"slackChannels.infra.channel", `"@slack-PyTorch-infra" is not a Slack channel name`},
		"display a list": {ch(`, "display": [{"message": true}]`),
			"slackChannels.infra.display", "must be display flags ({message, notified, snapshot, tags, muteButtons}), got a list"},
		"display null": {ch(`, "display": null`),
			"slackChannels.infra.display", "got nothing (null)"},
		"display flag a string": {ch(`, "display": {"tags": "false"}`),
			"slackChannels.infra.display.tags", `must be true or false, got the string "false"`},
		"display flag in Terraform's spelling": {ch(`, "display": {"mute_buttons": false}`),
			"slackChannels.infra.display.mute_buttons", `unknown field (did you mean "muteButtons"?); known fields: message, notified, snapshot, tags, muteButtons`},
		"display flag misspelt": {ch(`, "display": {"snapshots": false}`),
			"slackChannels.infra.display.snapshots", `unknown field (did you mean "snapshot"?)`},
		"misspelt field": {ch(`, "chanel": "#b"`),
			"slackChannels.infra.chanel", `unknown field (did you mean "channel"?); known fields: account, channel, display, importId`},
		"Terraform's field name": {ch(`, "account_name": "PyTorch"`),
			"slackChannels.infra.account_name", "unknown field"},
		"importId without the account": {ch(`, "importId": "#pytorch-infra-alerts"`),
			"slackChannels.infra.importId", `"#pytorch-infra-alerts" is not an id of this type, such as PyTorch:#pytorch-infra-alerts`},
		"importId a number": {ch(`, "importId": 1`),
			"slackChannels.infra.importId", "must be a string, got the number 1"},
		"importId of another account": {ch(`, "importId": "Linux_Foundation:#pytorch-infra-alerts"`),
			"slackChannels.infra.importId", `"Linux_Foundation:#pytorch-infra-alerts" is a channel of Slack account Linux_Foundation, not PyTorch: a channel cannot move between accounts`},
		"importId of the account in other case": {ch(`, "importId": "pytorch:#pytorch-infra-alerts"`),
			"slackChannels.infra.importId", "is a channel of Slack account pytorch, not PyTorch"},
		"same channel twice": {`{"a": {"account": "PyTorch", "channel": "#infra"}, "b": {"account": "PyTorch", "channel": "#infra", "display": {"tags": false}}}`,
			"slackChannels.b.channel", "account PyTorch and channel #infra are also those of slackChannels.a; each Slack channel has one entry"},
		"same channel, account in other case": {`{"a": {"account": "PyTorch", "channel": "#infra"}, "b": {"account": "pytorch", "channel": "#infra"}}`,
			"slackChannels.b.channel", "are also those of slackChannels.a"},
		"one handle for two channels": {`{"a": {"account": "ops-team", "channel": "#alerts"}, "b": {"account": "ops", "channel": "#team-alerts"}}`,
			"slackChannels.b.channel", "its handle @slack-ops-team-alerts is also that of slackChannels.a, another account and channel: Datadog could not tell them apart"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, tc.raw)
			assert.Equal(t, []string{tc.path}, kit.SortedKeys(problems), "exactly one problem, at its path: %v", problems)
			assert.Contains(t, problems[tc.path], tc.contains)
		})
	}
}

// TestDecodeUnquotedChannelInYAML: the stack file's most likely mistake,
// `channel: #name`, which YAML reads as a comment, gets the fix.
func TestDecodeUnquotedChannelInYAML(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, fromYAML(t, "infra:\n  account: PyTorch\n  channel: #pytorch-infra-alerts\n"))
	assert.Equal(t, map[string]string{
		"slackChannels.infra.channel": `is null: in YAML an unquoted # starts a comment; quote the name: channel: "#pytorch-infra-alerts"`,
	}, problems)
}

// TestDecodeImportIDOfARenamedChannel: a channel renamed after adoption
// keeps its importId (changing it would replace the resource), so only the
// account part of importId must agree.
func TestDecodeImportIDOfARenamedChannel(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{"infra": {"account": "PyTorch", "channel": "#pytorch-infra", "importId": "PyTorch:#pytorch-alerts"}}`)
	assert.Empty(t, problems)
	assert.Equal(t, "PyTorch:#pytorch-alerts", got["infra"].ImportID)
}

func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{
		"z": {"account": "PyTorch", "channel": "#a", "display": {"tags": 1, "mute": true}},
		"a": {"account": "Py Torch", "channel": "infra", "importId": "x"},
		"m": {},
		"Bad_Key": {"account": "PyTorch", "channel": "#a", "colour": "red"},
		"s": "#a"
	}`)
	want := map[string]string{
		"slackChannels.a.account":      `"Py Torch" is not a Slack account name`,
		"slackChannels.a.channel":      `"infra" does not start with '#'; write "#infra"`,
		"slackChannels.a.importId":     `"x" is not an id of this type`,
		"slackChannels.Bad_Key":        `key "Bad_Key" must be lowercase letters and digits joined by '-'`,
		"slackChannels.Bad_Key.colour": "unknown field",
		"slackChannels.m.account":      "missing; it is required",
		"slackChannels.m.channel":      "missing; it is required",
		"slackChannels.s":              `got the string "#a"`,
		"slackChannels.z.channel":      "account PyTorch and channel #a are also those of slackChannels.Bad_Key",
		"slackChannels.z.display.mute": `unknown field (did you mean "muteButtons"?)`,
		"slackChannels.z.display.tags": "must be true or false, got the number 1",
	}
	assert.Equal(t, want, fragments(problems, want), "every problem, each once, across fields and entries")
	assert.NotContains(t, got, "s", "an entry that is not an object is skipped")
}

// fragments replaces each message of got that contains want's fragment for
// its path by that fragment, so that a map comparison shows both the
// missing and the unexpected problems.
func fragments(got, want map[string]string) map[string]string {
	out := map[string]string{}
	for path, msg := range got {
		if frag, ok := want[path]; ok && strings.Contains(msg, frag) {
			out[path] = frag
			continue
		}
		out[path] = msg
	}
	return out
}

func TestHandle(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		c    slack.Channel
		want string
	}{
		"production": {slack.Channel{Account: "PyTorch", Channel: "#pytorch-infra-alerts"}, "@slack-PyTorch-pytorch-infra-alerts"},
		"LF":         {slack.Channel{Account: "Linux_Foundation", Channel: "#pytorch-infra"}, "@slack-Linux_Foundation-pytorch-infra"},
		"underscore": {slack.Channel{Account: "ops.team", Channel: "#on_call"}, "@slack-ops.team-on_call"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, slack.Handle(tc.c))
		})
	}
}

// TestHandlesAreNotificationChannels: the handles of decoded channels are
// valid entries of the stack's notification channels, which monitors and
// tests resolve `notify` against.
func TestHandlesAreNotificationChannels(t *testing.T) {
	t.Parallel()
	channels, problems := decode(t, `{
		"infra": {"account": "PyTorch", "channel": "#pytorch-infra-alerts"},
		"lf": {"account": "Linux_Foundation", "channel": "#pytorch-infra"},
		"odd": {"account": "a.b-c_d", "channel": "#x_y-9"}
	}`)
	require.Empty(t, problems)
	handles := slack.Handles(channels)
	assert.Equal(t, map[string]string{
		"infra": "@slack-PyTorch-pytorch-infra-alerts",
		"lf":    "@slack-Linux_Foundation-pytorch-infra",
		"odd":   "@slack-a.b-c_d-x_y-9",
	}, handles)

	raw, err := json.Marshal(handles)
	require.NoError(t, err)
	p := &kit.Problems{}
	assert.Equal(t, handles, p.Channels(string(raw), true))
	assert.Empty(t, problemsByPath(t, p), "configkit accepts every handle")

	p = &kit.Problems{}
	assert.Equal(t, []string{"@slack-PyTorch-pytorch-infra-alerts", "@slack-Linux_Foundation-pytorch-infra"},
		p.Notify("monitors.m.notify", []any{"infra", "lf"}, handles))
	assert.Empty(t, problemsByPath(t, p))
}

// TestMatchKeyIsTheImportIDForm: what adoption matches on is the
// Terraform id, which is the import id, for every channel Decode accepts.
func TestMatchKeyIsTheImportIDForm(t *testing.T) {
	t.Parallel()
	channels, problems := decode(t, `{
		"infra": {"account": "PyTorch", "channel": "#pytorch-infra-alerts"},
		"odd": {"account": "a.b-c_d", "channel": "#x_y-9"},
		"long": {"account": "Z", "channel": "#`+strings.Repeat("q", slack.MaxChannelName)+`"}
	}`)
	require.Empty(t, problems)
	assert.Equal(t, "PyTorch:#pytorch-infra-alerts", slack.MatchKey(channels["infra"]))
	for key, c := range channels {
		assert.Regexp(t, slack.ImportID.Pattern, slack.MatchKey(c), key)
	}
	assert.Regexp(t, slack.ImportID.Pattern, slack.ImportID.Example)
}

// FuzzDecode: no input panics Decode, every problem has a path in the
// section, and an entry without problems registers a valid handle.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"infra": {"account": "PyTorch", "channel": "#pytorch-infra-alerts"}}`,
		`{"a": {"account": null, "channel": 3, "display": "x", "importId": []}}`,
		`{"a": {"display": {"message": null, "tags": {}}}, "b": [], "c": null}`,
		`{"a": {"account": "", "channel": "#", "importId": "a:#b"}}`,
		`[1, 2]`, `null`, `"x"`, `{`, `{"a": {"account": "x", "channel": "#é"}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := &kit.Problems{}
		got := slack.Decode(p, raw, true)
		for path := range problemsByPath(t, p) {
			assert.True(t, path == slack.Section || strings.HasPrefix(path, slack.Section+"."), "problem path %q", path)
		}
		if p.Len() == 0 {
			for key, c := range got {
				assert.Regexp(t, `^@[A-Za-z0-9_.\-]+$`, slack.Handle(c), key)
			}
		}
	})
}
