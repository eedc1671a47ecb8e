package plan

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/awsaccounts"
	"github.com/pytorch-fdn/pytorch-datadog/dashboards"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/slack"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
	"github.com/pytorch-fdn/pytorch-datadog/webhooks"
)

// The production stack is tested for invariants only, never for its data:
// adding, changing or removing a valid entry of any type in
// Pulumi.prod.yaml (a user, a team member, a monitor, a test, ...) must
// never fail a test. Behaviour is tested on the
// fixture stacks (fixture_test.go).

// built is a stack read, validated and planned.
type built struct {
	stack *stackfile.Stack
	cfg   *program.Config
	plan  *Plan
}

func build(s *stackfile.Stack) (*built, error) {
	cfg, err := Load(s)
	if err != nil {
		return nil, err
	}
	p, err := Build(s.Name, cfg, false)
	if err != nil {
		return nil, err
	}
	return &built{stack: s, cfg: cfg, plan: p}, nil
}

// prod is the production stack, read and planned once for every test here;
// the tests only read it.
var prod = sync.OnceValues(func() (*built, error) {
	s, err := stackfile.Load(repoRoot, "prod", "")
	if err != nil {
		return nil, err
	}
	return build(s)
})

// invariant lists the ways a stack breaks one rule; none for a stack that
// keeps it.
type invariant func(b *built) []string

// invariants hold for the production stack whatever it manages.
var invariants = map[string]invariant{
	"default providers are disabled":                   defaultProvidersDisabled,
	"every resource uses the explicit pinned provider": explicitProvider,
	"every user has a role":                            everyUserHasARole,
	"user emails are unique":                           unique(users.Token, "email", true),
	"role names are unique":                            unique(roles.Token, "name", true),
	"monitor names are unique":                         unique(monitors.Token, "name", false),
	"test names are unique":                            unique(synthetics.Token, "name", false),
	"team names are unique":                            unique(teams.Token, "name", true),
	"team handles are unique":                          unique(teams.Token, "handle", false),
	"webhook names are unique":                         unique(webhooks.Token, "name", false),
	"dashboard titles are unique":                      unique(dashboards.Token, "title", false),
	"AWS account ids are unique":                       unique(awsaccounts.Token, "awsAccountId", false),
	"every alert ends with the channels it notifies":   alertsEndWithChannels,
	"every team member is a user":                      teamMembersAreUsers,
	"Slack channel and webhook handles resolve":        handlesResolve,
	"secrets are noted when missing, never shown":      secretsNeverShown,
}

// registeredIDs are the ids of a type's registered resources (the importId
// of an adopted one, the mock's placeholder of a created one), to their
// logical names.
func registeredIDs(b *built, token string) map[string]string {
	out := map[string]string{}
	for _, r := range b.plan.Resources {
		if r.Type != token {
			continue
		}
		if r.ImportID != nil {
			out[*r.ImportID] = r.Name
		} else {
			out[ddmock.ResourceID(token, r.Name)] = r.Name
		}
	}
	return out
}

// teamMembersAreUsers: in the config, every team member is the key of a
// user of the stack; as registered, one membership per member, each of a
// team and a user registered here.
func teamMembersAreUsers(b *built) []string {
	var out []string
	want := map[string]bool{}
	for _, key := range kit.SortedKeys(b.cfg.Teams) {
		for i, m := range b.cfg.Teams[key].Members {
			if _, ok := b.cfg.Users[m]; !ok {
				out = append(out, fmt.Sprintf("teams.%s.members[%d]: %q is not a user key", key, i, m))
			}
			want[teams.MembershipName(key, m)] = true
		}
	}
	teamIDs, userIDs := registeredIDs(b, teams.Token), registeredIDs(b, users.Token)
	for _, r := range b.plan.Resources {
		if r.Type != teams.MembershipToken {
			continue
		}
		teamID, _ := r.Inputs["teamId"].(string)
		userID, _ := r.Inputs["userId"].(string)
		team, user := teamIDs[teamID], userIDs[userID]
		switch {
		case team == "":
			out = append(out, fmt.Sprintf("%s: team %q is no team registered here", r.Name, teamID))
		case user == "":
			out = append(out, fmt.Sprintf("%s: user %q is no user registered here", r.Name, userID))
		case r.Name != teams.MembershipName(team, user):
			out = append(out, fmt.Sprintf("%s: the membership of %s in %s", r.Name, user, team))
		case !want[r.Name]:
			out = append(out, fmt.Sprintf("%s: registered, but %s is not a member of teams.%s", r.Name, user, team))
		}
		delete(want, r.Name)
	}
	for _, name := range kit.SortedKeys(want) {
		out = append(out, name+": a member in the config, never registered")
	}
	return out
}

// handlesResolve: every Slack channel and webhook of the config is
// registered, and its key is the channel whose handle the registered
// resource answers to, so that the alerts notifying it reach it.
func handlesResolve(b *built) []string {
	var out []string
	registered := map[string]bool{}
	for _, r := range b.plan.Resources {
		var handle string
		switch r.Type {
		case slack.Token:
			account, _ := r.Inputs["accountName"].(string)
			channel, _ := r.Inputs["channelName"].(string)
			handle = "@slack-" + account + "-" + strings.TrimPrefix(channel, "#")
		case webhooks.Token:
			name, _ := r.Inputs["name"].(string)
			handle = "@webhook-" + name
		default:
			continue
		}
		registered[r.Type+"::"+r.Name] = true
		switch got, ok := b.cfg.Channels[r.Name]; {
		case !ok:
			out = append(out, fmt.Sprintf("%s: its key is no channel", r.Name))
		case got != handle:
			out = append(out, fmt.Sprintf("%s: channel %s is %s, the registered one answers to %s", r.Name, r.Name, got, handle))
		}
	}
	for _, key := range kit.SortedKeys(b.cfg.SlackChannels) {
		if !registered[slack.Token+"::"+key] {
			out = append(out, fmt.Sprintf("%s.%s: not registered", slack.Section, key))
		}
	}
	for _, key := range kit.SortedKeys(b.cfg.Webhooks) {
		if !registered[webhooks.Token+"::"+key] {
			out = append(out, fmt.Sprintf("%s.%s: not registered", webhooks.Section, key))
		}
	}
	return out
}

// secretsNeverShown: a secret the config names and the stack file lacks is
// noted (pulumi preview needs it); the plan never shows a secret's value;
// and a webhook's headers that take a secret are secret.
func secretsNeverShown(b *built) []string {
	var out []string
	notes := strings.Join(b.plan.Notes, "\n")
	for _, name := range program.MissingSecrets(b.cfg) {
		if !strings.Contains(notes, kit.SecretsKey+"."+name+" is not in the stack file") {
			out = append(out, fmt.Sprintf("%s.%s: missing, and no note says so", kit.SecretsKey, name))
		}
	}
	data, err := json.Marshal(b.plan)
	if err != nil {
		return []string{err.Error()}
	}
	for _, name := range kit.SortedKeys(b.cfg.Secrets) {
		if strings.Contains(string(data), b.cfg.Secrets[name]) {
			out = append(out, fmt.Sprintf("%s.%s: its value is in the plan", kit.SecretsKey, name))
		}
	}
	secretHooks := map[string]bool{}
	for key, w := range b.cfg.Webhooks {
		for _, h := range w.Headers {
			if h.Secret != "" {
				secretHooks[key] = true
			}
		}
	}
	for _, r := range b.plan.Resources {
		if r.Type == webhooks.Token && secretHooks[r.Name] && r.Inputs["customHeaders"] != ddmock.Secret {
			out = append(out, fmt.Sprintf("%s: its headers take a secret, but show as %v", r.Name, r.Inputs["customHeaders"]))
		}
	}
	return out
}

// defaultProvidersDisabled: a resource that missed the explicit provider
// would fail loudly rather than act through another provider version or
// account.
func defaultProvidersDisabled(b *built) []string {
	const key = "pulumi:disable-default-providers"
	v, ok := b.stack.Raw.Values[key]
	if !ok {
		return []string{key + ": not set"}
	}
	var list []string
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		return []string{fmt.Sprintf("%s: %q is not a list of providers", key, v)}
	}
	if !slices.Contains(list, "datadog") {
		return []string{fmt.Sprintf("%s: %v does not include datadog", key, list)}
	}
	return nil
}

func explicitProvider(b *built) []string {
	version, err := pinnedVersion()
	if err != nil {
		return []string{err.Error()}
	}
	urn := fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", b.plan.Stack, b.stack.Project, program.ProviderToken, program.ProviderName)
	tokens := []string{program.ProviderToken}
	for _, ty := range program.Types {
		tokens = append(tokens, ty.Token)
		tokens = append(tokens, kit.SortedKeys(ty.Others)...)
	}
	var out []string
	providers := 0
	for _, r := range b.plan.Resources {
		path := r.Type + "::" + r.Name
		if !slices.Contains(tokens, r.Type) {
			out = append(out, path+": not a type of the registry")
		}
		if r.Version != version {
			out = append(out, fmt.Sprintf("%s: provider version %q, not the pinned %s", path, r.Version, version))
		}
		if r.Type == program.ProviderToken {
			providers++
			if r.Name != program.ProviderName {
				out = append(out, path+": a provider other than the explicit one")
			}
			continue
		}
		if r.Provider != urn {
			out = append(out, fmt.Sprintf("%s: provider %q, not the explicit %s", path, r.Provider, urn))
		}
	}
	if providers != 1 {
		out = append(out, fmt.Sprintf("%d providers registered, not one", providers))
	}
	return out
}

// everyUserHasARole: in the config, and as registered: at least one role
// id, each a role registered here or a Datadog role looked up.
func everyUserHasARole(b *built) []string {
	known := map[string]bool{}
	for _, name := range users.DatadogRoleNames(b.cfg.Users) {
		known[ddmock.DatadogRoleID(name)] = true
	}
	for _, r := range b.plan.Resources {
		if r.Type != roles.Token {
			continue
		}
		if r.ImportID != nil {
			known[*r.ImportID] = true
		} else {
			known[ddmock.ResourceID(roles.Token, r.Name)] = true
		}
	}
	var out []string
	for _, key := range kit.SortedKeys(b.cfg.Users) {
		if len(b.cfg.Users[key].Roles) == 0 {
			out = append(out, "users."+key+": no role in the config")
		}
	}
	for _, r := range b.plan.Resources {
		if r.Type != users.Token {
			continue
		}
		ids, _ := r.Inputs["roles"].([]any)
		if len(ids) == 0 {
			out = append(out, r.Name+": registered without a role")
		}
		for _, id := range ids {
			if s, _ := id.(string); !known[s] {
				out = append(out, fmt.Sprintf("%s: role %v is neither registered nor looked up", r.Name, id))
			}
		}
	}
	return out
}

// unique: no two resources of a type have the same value of an input.
func unique(token, input string, foldCase bool) invariant {
	return func(b *built) []string {
		var out []string
		seen := map[string]string{}
		count := 0
		for _, r := range b.plan.Resources {
			if r.Type != token {
				continue
			}
			count++
			v, ok := r.Inputs[input].(string)
			if !ok || v == "" {
				out = append(out, fmt.Sprintf("%s: no %s", r.Name, input))
				continue
			}
			if foldCase {
				v = strings.ToLower(v)
			}
			if other, dup := seen[v]; dup {
				out = append(out, fmt.Sprintf("%s and %s have the %s %q", other, r.Name, input, v))
			}
			seen[v] = r.Name
		}
		return out
	}
}

// alertsEndWithChannels: every monitor's and test's message ends with the
// handles of the channels its notify lists, each a channel of the stack. A
// monitor or test that notifies nobody is valid config, and passes.
func alertsEndWithChannels(b *built) []string {
	handles := map[string]bool{}
	for _, h := range b.cfg.Channels {
		handles[h] = true
	}
	notify := map[string][]string{}
	for key, m := range b.cfg.Monitors {
		notify[monitors.Token+"::"+key] = m.Notify
	}
	for key, t := range b.cfg.Synthetics {
		notify[synthetics.Token+"::"+key] = t.Notify
	}
	var out []string
	for _, r := range b.plan.Resources {
		if r.Type != monitors.Token && r.Type != synthetics.Token {
			continue
		}
		path := r.Type + "::" + r.Name
		if len(notify[path]) == 0 {
			continue
		}
		msg, _ := r.Inputs["message"].(string)
		i := strings.LastIndex(msg, "\n\n")
		if i < 0 {
			out = append(out, path+": the message ends with no channel handle")
			continue
		}
		tail := strings.Split(msg[i+2:], "\n")
		for _, h := range tail {
			if !handles[h] {
				out = append(out, fmt.Sprintf("%s: the message ends with %q, not a channel's handle", path, h))
			}
		}
		if !slices.Equal(tail, notify[path]) {
			out = append(out, fmt.Sprintf("%s: the message ends with %q, its notify resolves to %q", path, tail, notify[path]))
		}
	}
	return out
}

func loadProd(t *testing.T) *built {
	t.Helper()
	b, err := prod()
	require.NoError(t, err, "Pulumi.prod.yaml must load, validate and plan")
	return b
}

func TestProdValidates(t *testing.T) {
	t.Parallel()
	b := loadProd(t)
	assert.Equal(t, "prod", b.plan.Stack)
	assert.Equal(t, kit.Namespace, b.stack.Project)
	assert.NotEmpty(t, b.cfg.Users, "the stack manages at least one user")
	assert.NotEmpty(t, b.plan.Resources)
}

func TestProdInvariants(t *testing.T) {
	t.Parallel()
	b := loadProd(t)
	for name, check := range invariants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Empty(t, check(b))
		})
	}
}

// fullFile is the fixture stack: the production stack frozen.
var fullFile = repoRoot + "/testdata/stacks/Pulumi.full.yaml"

// sectionOf decodes one project section of a stack's raw config.
func sectionOf(t *testing.T, s *stackfile.Stack, name string) map[string]any {
	t.Helper()
	v, ok := s.Raw.Get(name)
	require.True(t, ok, "the fixture has %s", name)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(v), &m))
	return m
}

func setSection(t *testing.T, s *stackfile.Stack, name string, m map[string]any) {
	t.Helper()
	data, err := json.Marshal(m)
	require.NoError(t, err)
	s.Raw.Values[kit.Namespace+":"+name] = string(data)
}

// editSection applies an edit to one section of a stack.
func editSection(name string, edit func(t *testing.T, m map[string]any)) func(t *testing.T, s *stackfile.Stack) {
	return func(t *testing.T, s *stackfile.Stack) {
		m := sectionOf(t, s, name)
		edit(t, m)
		setSection(t, s, name, m)
	}
}

// first is the first key of a section.
func first(t *testing.T, m map[string]any) string {
	t.Helper()
	keys := kit.SortedKeys(m)
	require.NotEmpty(t, keys)
	return keys[0]
}

// withEveryType adds a second role and two entries of each type the
// fixture stack predates (teams with members, Slack channels and webhooks
// that alerts notify, a webhook header taking a secret the stack does not
// hold, dashboards, AWS accounts), so that every invariant has something
// to check on it.
func withEveryType(t *testing.T, s *stackfile.Stack) {
	t.Helper()
	editSection(roles.Section, func(_ *testing.T, m map[string]any) {
		m["readers"] = map[string]any{"name": "Readers", "permissions": []any{"logs_read_data"}}
	})(t, s)
	people := kit.SortedKeys(sectionOf(t, s, users.Section))
	require.GreaterOrEqual(t, len(people), 2)
	setSection(t, s, teams.Section, map[string]any{
		"staff": map[string]any{"name": "Staff", "description": "Everyone.", "members": []any{people[1], people[0]}},
		"ops":   map[string]any{"name": "Ops", "description": "On call.", "handle": "ops-team", "members": []any{people[0]}},
	})
	setSection(t, s, slack.Section, map[string]any{
		"ops-slack": map[string]any{"account": "PyTorch", "channel": "#ops"},
		"dev-slack": map[string]any{"account": "PyTorch", "channel": "#dev"},
	})
	setSection(t, s, webhooks.Section, map[string]any{
		"pager": map[string]any{"url": "https://pager.example.org/hook", "payload": map[string]any{"text": "$EVENT_MSG"},
			"headers": map[string]any{"Authorization": map[string]any{"secret": "pager-token", "prefix": "Bearer "}}},
		"chat": map[string]any{"name": "Chat_Hook", "url": "https://chat.example.org/hook", "payload": map[string]any{}},
	})
	setSection(t, s, dashboards.Section, map[string]any{
		"status": map[string]any{"title": "Status", "layoutType": "ordered", "widgets": []any{map[string]any{"monitorSummary": map[string]any{}}}},
		"board":  map[string]any{"title": "Board", "layoutType": "ordered"},
	})
	setSection(t, s, awsaccounts.Section, map[string]any{
		"main":   map[string]any{"accountId": "123456789012", "roleName": "DatadogIntegrationRole"},
		"second": map[string]any{"accountId": "210987654321", "roleName": "DatadogIntegrationRole"},
	})
	editSection(monitors.Section, func(t *testing.T, m map[string]any) {
		mon := m[first(t, m)].(map[string]any)
		mon["notify"] = append(mon["notify"].([]any), "pager", "ops-slack")
	})(t, s)
	editSection(synthetics.Section, func(t *testing.T, m map[string]any) {
		m[first(t, m)].(map[string]any)["notify"] = []any{"chat", "dev-slack"}
	})(t, s)
}

// stacksUnderTest are the stacks the invariants must hold on after valid
// edits: the fixture, the fixture with every type, and the production
// stack itself (each loaded afresh: the edits change a copy).
var stacksUnderTest = map[string]func(t *testing.T) *stackfile.Stack{
	"fixture": func(t *testing.T) *stackfile.Stack {
		s, err := stackfile.Load(repoRoot, "prod", fullFile)
		require.NoError(t, err)
		return s
	},
	"fixture with every type": func(t *testing.T) *stackfile.Stack {
		s, err := stackfile.Load(repoRoot, "prod", fullFile)
		require.NoError(t, err)
		withEveryType(t, s)
		return s
	},
	"production": func(t *testing.T) *stackfile.Stack {
		s, err := stackfile.Load(repoRoot, "prod", "")
		require.NoError(t, err)
		return s
	},
}

// validEdit is an edit a pull request to the production stack makes, and
// whether a stack has what it edits: the production stack may lose its
// last monitor or team, which must not fail a test.
type validEdit struct {
	applies func(t *testing.T, s *stackfile.Stack) bool
	edit    func(t *testing.T, s *stackfile.Stack)
}

// has applies an edit to stacks whose section holds at least n entries
// that match (nil: any).
func has(section string, n int, match func(entry map[string]any) bool) func(t *testing.T, s *stackfile.Stack) bool {
	return func(t *testing.T, s *stackfile.Stack) bool {
		if _, ok := s.Raw.Get(section); !ok {
			return false
		}
		count := 0
		for _, v := range sectionOf(t, s, section) {
			e, isMap := v.(map[string]any)
			if match == nil || (isMap && match(e)) {
				count++
			}
		}
		return count >= n
	}
}

// alertsAbove is a monitor that alerts above its threshold.
func alertsAbove(mon map[string]any) bool {
	c, set := mon["comparator"]
	_, numeric := mon["critical"].(float64)
	return numeric && (!set || strings.HasPrefix(c.(string), ">"))
}

func enabled(u map[string]any) bool { return u["disabled"] != true }

// anyChannel is a channel key of the stack: a channels key, a Slack
// channel's or a webhook's.
func anyChannel(t *testing.T, s *stackfile.Stack) string {
	t.Helper()
	for _, section := range []string{kit.ChannelsKey, slack.Section, webhooks.Section} {
		if _, ok := s.Raw.Get(section); ok {
			if keys := kit.SortedKeys(sectionOf(t, s, section)); len(keys) > 0 {
				return keys[0]
			}
		}
	}
	t.Fatal("the stack has no channel")
	return ""
}

func hasChannel(t *testing.T, s *stackfile.Stack) bool {
	return has(kit.ChannelsKey, 1, nil)(t, s) || has(slack.Section, 1, nil)(t, s) || has(webhooks.Section, 1, nil)(t, s)
}

// addTo edits a section, which the edit creates when the stack has none.
func addTo(name string, edit func(m map[string]any)) func(t *testing.T, s *stackfile.Stack) {
	return func(t *testing.T, s *stackfile.Stack) {
		m := map[string]any{}
		if _, ok := s.Raw.Get(name); ok {
			m = sectionOf(t, s, name)
		}
		edit(m)
		setSection(t, s, name, m)
	}
}

// newPerson is the user the edits add.
const newPerson = "new-person"

func addUser(t *testing.T, s *stackfile.Stack) {
	t.Helper()
	editSection(users.Section, func(_ *testing.T, m map[string]any) {
		m[newPerson] = map[string]any{"email": "new.person@example.org", "roles": []any{"Datadog Read Only Role"}}
	})(t, s)
}

var validEdits = map[string]validEdit{
	"add a user with a managed role": {has(roles.Section, 1, nil), func(t *testing.T, s *stackfile.Stack) {
		role := first(t, sectionOf(t, s, roles.Section))
		editSection(users.Section, func(_ *testing.T, m map[string]any) {
			m[newPerson] = map[string]any{"email": "new.person@example.org", "roles": []any{role}, "name": "New Person"}
		})(t, s)
	}},
	"add a user with a Datadog role": {has(users.Section, 1, nil), addUser},
	"add a user to a team": {has(teams.Section, 1, nil), func(t *testing.T, s *stackfile.Stack) {
		addUser(t, s)
		editSection(teams.Section, func(t *testing.T, m map[string]any) {
			team := m[first(t, m)].(map[string]any)
			members, _ := team["members"].([]any)
			team["members"] = append(members, newPerson)
		})(t, s)
	}},
	"add a user to every team": {has(teams.Section, 1, nil), func(t *testing.T, s *stackfile.Stack) {
		addUser(t, s)
		editSection(teams.Section, func(_ *testing.T, m map[string]any) {
			for _, key := range kit.SortedKeys(m) {
				team := m[key].(map[string]any)
				members, _ := team["members"].([]any)
				team["members"] = append(members, newPerson)
			}
		})(t, s)
	}},
	"disable a user": {has(users.Section, 1, enabled), editSection(users.Section, func(t *testing.T, m map[string]any) {
		for _, key := range kit.SortedKeys(m) {
			if u := m[key].(map[string]any); enabled(u) {
				u["disabled"] = true
				return
			}
		}
	})},
	"remove a user (and from its teams)": {has(users.Section, 2, nil), func(t *testing.T, s *stackfile.Stack) {
		var gone string
		editSection(users.Section, func(t *testing.T, m map[string]any) {
			require.Greater(t, len(m), 1)
			gone = first(t, m)
			delete(m, gone)
		})(t, s)
		if _, ok := s.Raw.Get(teams.Section); !ok {
			return
		}
		editSection(teams.Section, func(_ *testing.T, m map[string]any) {
			for _, key := range kit.SortedKeys(m) {
				team := m[key].(map[string]any)
				members, _ := team["members"].([]any)
				team["members"] = slices.DeleteFunc(slices.Clone(members), func(v any) bool { return v == gone })
			}
		})(t, s)
	}},
	"change a threshold": {has(monitors.Section, 1, alertsAbove), editSection(monitors.Section, func(_ *testing.T, m map[string]any) {
		for _, key := range kit.SortedKeys(m) {
			if mon := m[key].(map[string]any); alertsAbove(mon) {
				mon["critical"] = mon["critical"].(float64)*2 + 1
				return
			}
		}
	})},
	"add a monitor": {hasChannel, func(t *testing.T, s *stackfile.Stack) {
		ch := anyChannel(t, s)
		addTo(monitors.Section, func(m map[string]any) {
			m["new-monitor"] = map[string]any{"name": "New monitor", "kind": "log", "search": "service:new", "critical": 10,
				"message": "Too many.", "notify": []any{ch}}
		})(t, s)
	}},
	"remove a monitor": {has(monitors.Section, 1, nil), editSection(monitors.Section, func(t *testing.T, m map[string]any) { delete(m, first(t, m)) })},
	"add an HTTP test": {hasChannel, func(t *testing.T, s *stackfile.Stack) {
		ch := anyChannel(t, s)
		addTo(synthetics.Section, func(m map[string]any) {
			m["new-site"] = map[string]any{"name": "new.example.org Check", "url": "https://new.example.org", "message": "Down.",
				"assertions": []any{map[string]any{"type": "statusCode", "operator": "is", "target": 200}}, "notify": []any{ch}}
		})(t, s)
	}},
	"remove a test": {has(synthetics.Section, 1, nil), editSection(synthetics.Section, func(t *testing.T, m map[string]any) { delete(m, first(t, m)) })},
	"add a Slack channel a monitor notifies": {has(monitors.Section, 1, nil), func(t *testing.T, s *stackfile.Stack) {
		addTo(slack.Section, func(m map[string]any) {
			m["new-slack"] = map[string]any{"account": "PyTorch", "channel": "#new-alerts"}
		})(t, s)
		editSection(monitors.Section, func(t *testing.T, m map[string]any) {
			mon := m[first(t, m)].(map[string]any)
			notify, _ := mon["notify"].([]any)
			mon["notify"] = append(notify, "new-slack")
		})(t, s)
	}},
	"add a webhook a test notifies": {has(synthetics.Section, 1, nil), func(t *testing.T, s *stackfile.Stack) {
		addTo(webhooks.Section, func(m map[string]any) {
			m["new-hook"] = map[string]any{"url": "https://hooks.example.org/new", "payload": map[string]any{"text": "$EVENT_MSG"},
				"headers": map[string]any{"Authorization": map[string]any{"secret": "new-token", "prefix": "Bearer "}}}
		})(t, s)
		editSection(synthetics.Section, func(t *testing.T, m map[string]any) {
			tt := m[first(t, m)].(map[string]any)
			notify, _ := tt["notify"].([]any)
			tt["notify"] = append(notify, "new-hook")
		})(t, s)
	}},
}

// TestInvariantsSurviveValidEdits makes the edits a pull request to the
// production stack makes, on copies of the stacks under test: the
// invariants hold after each, so that they test no data.
func TestInvariantsSurviveValidEdits(t *testing.T) {
	t.Parallel()
	ran := map[string]int{}
	for stackName, load := range stacksUnderTest {
		s := load(t)
		for name, e := range validEdits {
			if !e.applies(t, s) {
				continue
			}
			ran[stackName+"/"+name]++
			t.Run(stackName+"/"+name, func(t *testing.T) {
				t.Parallel()
				s := load(t)
				before := fmt.Sprint(s.Raw.Values)
				e.edit(t, s)
				require.NotEqual(t, before, fmt.Sprint(s.Raw.Values), "the edit changed the stack")
				b, err := build(s)
				require.NoError(t, err, "the edit is valid")
				for inv, check := range invariants {
					assert.Empty(t, check(b), inv)
				}
			})
		}
	}
	for name := range validEdits {
		assert.Equal(t, 1, ran["fixture with every type/"+name], "%s is made on the fixture with every type, whatever production holds", name)
	}
}

// TestInvariantsCatchViolations breaks each invariant on the fixture stack
// with every type and checks that it says so.
func TestInvariantsCatchViolations(t *testing.T) {
	t.Parallel()
	firstOf := func(b *built, token string) *Resource {
		for i := range b.plan.Resources {
			if b.plan.Resources[i].Type == token {
				return &b.plan.Resources[i]
			}
		}
		return nil
	}
	secondOf := func(b *built, token string) *Resource {
		seen := false
		for i := range b.plan.Resources {
			if b.plan.Resources[i].Type == token {
				if seen {
					return &b.plan.Resources[i]
				}
				seen = true
			}
		}
		return nil
	}
	named := func(b *built, token, name string) *Resource {
		for i := range b.plan.Resources {
			if r := &b.plan.Resources[i]; r.Type == token && r.Name == name {
				return r
			}
		}
		return nil
	}
	without := func(b *built, match func(r Resource) bool) {
		before := len(b.plan.Resources)
		b.plan.Resources = slices.DeleteFunc(b.plan.Resources, match)
		if len(b.plan.Resources) == before {
			panic("nothing removed")
		}
	}
	firstMembership := func(r Resource) bool { return r.Type == teams.MembershipToken && r.Name == "staff.infra-admin" }
	tests := map[string]struct {
		invariant string
		breakIt   func(b *built)
		want      string
	}{
		"two roles, one name": {"role names are unique",
			func(b *built) {
				secondOf(b, roles.Token).Inputs["name"] = strings.ToUpper(firstOf(b, roles.Token).Inputs["name"].(string))
			}, "have the name"},
		"two teams, one name": {"team names are unique",
			func(b *built) {
				secondOf(b, teams.Token).Inputs["name"] = strings.ToLower(firstOf(b, teams.Token).Inputs["name"].(string))
			}, "have the name"},
		"two teams, one handle": {"team handles are unique",
			func(b *built) { secondOf(b, teams.Token).Inputs["handle"] = firstOf(b, teams.Token).Inputs["handle"] }, "have the handle"},
		"two webhooks, one name": {"webhook names are unique",
			func(b *built) { secondOf(b, webhooks.Token).Inputs["name"] = firstOf(b, webhooks.Token).Inputs["name"] }, "have the name"},
		"two dashboards, one title": {"dashboard titles are unique",
			func(b *built) {
				secondOf(b, dashboards.Token).Inputs["title"] = firstOf(b, dashboards.Token).Inputs["title"]
			}, "have the title"},
		"two AWS accounts, one id": {"AWS account ids are unique",
			func(b *built) {
				secondOf(b, awsaccounts.Token).Inputs["awsAccountId"] = firstOf(b, awsaccounts.Token).Inputs["awsAccountId"]
			}, "have the awsAccountId"},
		"a team member who is no user": {"every team member is a user",
			func(b *built) {
				team := b.cfg.Teams["staff"]
				team.Members = append(slices.Clone(team.Members), "nobody")
				b.cfg.Teams["staff"] = team
			}, `teams.staff.members[2]: "nobody" is not a user key`},
		"a membership of a user registered nowhere": {"every team member is a user",
			func(b *built) { named(b, teams.MembershipToken, "staff.infra-admin").Inputs["userId"] = "<user:gone>" }, `user "<user:gone>" is no user registered here`},
		"a membership of a team registered nowhere": {"every team member is a user",
			func(b *built) { named(b, teams.MembershipToken, "staff.infra-admin").Inputs["teamId"] = "<team:gone>" }, `team "<team:gone>" is no team registered here`},
		"a membership named for another pair": {"every team member is a user",
			func(b *built) {
				named(b, teams.MembershipToken, "staff.infra-admin").Inputs["teamId"] = ddmock.ResourceID(teams.Token, "ops")
			}, "staff.infra-admin: the membership of infra-admin in ops"},
		"a member never registered": {"every team member is a user",
			func(b *built) { without(b, firstMembership) }, "staff.infra-admin: a member in the config, never registered"},
		"a membership of no member": {"every team member is a user",
			func(b *built) {
				team := b.cfg.Teams["ops"]
				team.Members = []string{}
				b.cfg.Teams["ops"] = team
			}, "registered, but infra-admin is not a member of teams.ops"},
		"a Slack channel answering to another handle": {"Slack channel and webhook handles resolve",
			func(b *built) { named(b, slack.Token, "ops-slack").Inputs["channelName"] = "#elsewhere" }, "the registered one answers to @slack-PyTorch-elsewhere"},
		"a webhook answering to another handle": {"Slack channel and webhook handles resolve",
			func(b *built) { named(b, webhooks.Token, "chat").Inputs["name"] = "chat" }, "channel chat is @webhook-Chat_Hook, the registered one answers to @webhook-chat"},
		"a Slack channel whose key is no channel": {"Slack channel and webhook handles resolve",
			func(b *built) { delete(b.cfg.Channels, "dev-slack") }, "dev-slack: its key is no channel"},
		"a Slack channel never registered": {"Slack channel and webhook handles resolve",
			func(b *built) {
				without(b, func(r Resource) bool { return r.Type == slack.Token && r.Name == "ops-slack" })
			}, "slackChannels.ops-slack: not registered"},
		"a webhook never registered": {"Slack channel and webhook handles resolve",
			func(b *built) { without(b, func(r Resource) bool { return r.Type == webhooks.Token }) }, "webhooks.chat: not registered"},
		"a missing secret without its note": {"secrets are noted when missing, never shown",
			func(b *built) { b.plan.Notes = nil }, "secrets.pager-token: missing, and no note says so"},
		"a secret's value in the plan": {"secrets are noted when missing, never shown",
			func(b *built) {
				b.cfg.Secrets["leaked"] = "Bearer-l3ak3d"
				named(b, webhooks.Token, "chat").Inputs["url"] = "https://chat.example.org/?t=Bearer-l3ak3d"
			}, "secrets.leaked: its value is in the plan"},
		"a secret header shown": {"secrets are noted when missing, never shown",
			func(b *built) {
				named(b, webhooks.Token, "pager").Inputs["customHeaders"] = `{"Authorization":"Bearer x"}`
			}, "pager: its headers take a secret, but show as"},
		"default providers left on": {"default providers are disabled",
			func(b *built) { delete(b.stack.Raw.Values, "pulumi:disable-default-providers") }, "not set"},
		"default providers of another package": {"default providers are disabled",
			func(b *built) { b.stack.Raw.Values["pulumi:disable-default-providers"] = `["aws"]` }, "does not include datadog"},
		"a resource on the default provider": {"every resource uses the explicit pinned provider",
			func(b *built) { firstOf(b, monitors.Token).Provider = "" }, "not the explicit"},
		"another provider version": {"every resource uses the explicit pinned provider",
			func(b *built) { firstOf(b, users.Token).Version = "4.67.0" }, `provider version "4.67.0"`},
		"a second provider": {"every resource uses the explicit pinned provider",
			func(b *built) {
				p := *firstOf(b, program.ProviderToken)
				p.Name = "other"
				b.plan.Resources = append(b.plan.Resources, p)
			}, "2 providers registered"},
		"a user without roles": {"every user has a role",
			func(b *built) { firstOf(b, users.Token).Inputs["roles"] = []any{} }, "registered without a role"},
		"a user with a role that is nowhere": {"every user has a role",
			func(b *built) { firstOf(b, users.Token).Inputs["roles"] = []any{"<role:gone>"} }, "neither registered nor looked up"},
		"two users, one email": {"user emails are unique",
			func(b *built) {
				secondOf(b, users.Token).Inputs["email"] = strings.ToUpper(firstOf(b, users.Token).Inputs["email"].(string))
			}, "have the email"},
		"two monitors, one name": {"monitor names are unique",
			func(b *built) { secondOf(b, monitors.Token).Inputs["name"] = firstOf(b, monitors.Token).Inputs["name"] }, "have the name"},
		"two tests, one name": {"test names are unique",
			func(b *built) {
				secondOf(b, synthetics.Token).Inputs["name"] = firstOf(b, synthetics.Token).Inputs["name"]
			}, "have the name"},
		"an alert to nobody": {"every alert ends with the channels it notifies",
			func(b *built) { firstOf(b, monitors.Token).Inputs["message"] = "Something is wrong." }, "ends with no channel handle"},
		"an alert to a handle that is no channel": {"every alert ends with the channels it notifies",
			func(b *built) {
				r := firstOf(b, synthetics.Token)
				r.Inputs["message"] = r.Inputs["message"].(string) + "\n@slack-elsewhere"
			}, `"@slack-elsewhere", not a channel's handle`},
		"an alert without one of its channels": {"every alert ends with the channels it notifies",
			func(b *built) {
				r := firstOf(b, synthetics.Token)
				for key := range b.cfg.Synthetics {
					if key == r.Name {
						tt := b.cfg.Synthetics[key]
						tt.Notify = append(slices.Clone(tt.Notify), tt.Notify[0])
						b.cfg.Synthetics[key] = tt
					}
				}
			}, "its notify resolves to"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Contains(t, invariants, tc.invariant)
			s, err := stackfile.Load(repoRoot, "prod", fullFile)
			require.NoError(t, err)
			withEveryType(t, s)
			b, err := build(s)
			require.NoError(t, err)
			require.Empty(t, invariants[tc.invariant](b), "the fixture keeps the invariant")
			tc.breakIt(b)
			problems := invariants[tc.invariant](b)
			require.NotEmpty(t, problems)
			assert.Contains(t, strings.Join(problems, "\n"), tc.want)
		})
	}

	broken := map[string]bool{}
	for _, tc := range tests {
		broken[tc.invariant] = true
	}
	for name := range invariants {
		assert.True(t, broken[name], "%q is broken by a case here", name)
	}
}
