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

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/monitors"
	"github.com/pytorch-fdn/pytorch-datadog/program"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// The production stack is tested for invariants only, never for its data:
// adding, changing or removing a valid user, monitor or test in
// Pulumi.prod.yaml must never fail a test. Behaviour is tested on the
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

// invariants hold for the production stack whatever users, monitors and
// tests it manages.
var invariants = map[string]invariant{
	"default providers are disabled":                   defaultProvidersDisabled,
	"every resource uses the explicit pinned provider": explicitProvider,
	"every user has a role":                            everyUserHasARole,
	"user emails are unique":                           unique(users.Token, "email", true),
	"role names are unique":                            unique(roles.Token, "name", true),
	"monitor names are unique":                         unique(monitors.Token, "name", false),
	"test names are unique":                            unique(synthetics.Token, "name", false),
	"every alert ends with the channels it notifies":   alertsEndWithChannels,
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

// TestInvariantsSurviveValidEdits makes the edits a pull request to the
// production stack makes, on a copy of the fixture stack: the invariants
// hold after each, so that they test no data.
func TestInvariantsSurviveValidEdits(t *testing.T) {
	t.Parallel()
	anyChannel := func(t *testing.T, s *stackfile.Stack) string { return first(t, sectionOf(t, s, kit.ChannelsKey)) }
	edits := map[string]func(t *testing.T, s *stackfile.Stack){
		"add a user with a managed role": func(t *testing.T, s *stackfile.Stack) {
			role := first(t, sectionOf(t, s, roles.Section))
			editSection(users.Section, func(_ *testing.T, m map[string]any) {
				m["new-person"] = map[string]any{"email": "new.person@example.org", "roles": []any{role}, "name": "New Person"}
			})(t, s)
		},
		"add a user with a Datadog role": editSection(users.Section, func(_ *testing.T, m map[string]any) {
			m["new-person"] = map[string]any{"email": "new.person@example.org", "roles": []any{"Datadog Read Only Role"}}
		}),
		"disable a user": editSection(users.Section, func(t *testing.T, m map[string]any) {
			m[first(t, m)].(map[string]any)["disabled"] = true
		}),
		"remove a user": editSection(users.Section, func(t *testing.T, m map[string]any) {
			require.Greater(t, len(m), 1)
			delete(m, first(t, m))
		}),
		"change a threshold": editSection(monitors.Section, func(t *testing.T, m map[string]any) {
			for _, key := range kit.SortedKeys(m) {
				mon := m[key].(map[string]any)
				if c, set := mon["comparator"]; set && !strings.HasPrefix(c.(string), ">") {
					continue
				}
				mon["critical"] = mon["critical"].(float64)*2 + 1
				return
			}
			t.Fatal("the fixture has no monitor alerting above its threshold")
		}),
		"add a monitor": func(t *testing.T, s *stackfile.Stack) {
			ch := anyChannel(t, s)
			editSection(monitors.Section, func(_ *testing.T, m map[string]any) {
				m["new-monitor"] = map[string]any{"name": "New monitor", "kind": "log", "search": "service:new", "critical": 10,
					"message": "Too many.", "notify": []any{ch}}
			})(t, s)
		},
		"remove a monitor": editSection(monitors.Section, func(t *testing.T, m map[string]any) { delete(m, first(t, m)) }),
		"add an HTTP test": func(t *testing.T, s *stackfile.Stack) {
			ch := anyChannel(t, s)
			editSection(synthetics.Section, func(_ *testing.T, m map[string]any) {
				m["new-site"] = map[string]any{"name": "new.example.org Check", "url": "https://new.example.org", "message": "Down.",
					"assertions": []any{map[string]any{"type": "statusCode", "operator": "is", "target": 200}}, "notify": []any{ch}}
			})(t, s)
		},
		"remove a test": editSection(synthetics.Section, func(t *testing.T, m map[string]any) { delete(m, first(t, m)) }),
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := stackfile.Load(repoRoot, "prod", fullFile)
			require.NoError(t, err)
			before := s.Raw.Values[kit.Namespace+":"+users.Section] + s.Raw.Values[kit.Namespace+":"+monitors.Section] +
				s.Raw.Values[kit.Namespace+":"+synthetics.Section]
			edit(t, s)
			after := s.Raw.Values[kit.Namespace+":"+users.Section] + s.Raw.Values[kit.Namespace+":"+monitors.Section] +
				s.Raw.Values[kit.Namespace+":"+synthetics.Section]
			require.NotEqual(t, before, after, "the edit changed the stack")
			b, err := build(s)
			require.NoError(t, err, "the edit is valid")
			for inv, check := range invariants {
				assert.Empty(t, check(b), inv)
			}
		})
	}
}

// TestInvariantsCatchViolations breaks each invariant on the fixture stack
// and checks that it says so.
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
	tests := map[string]struct {
		invariant string
		breakIt   func(b *built)
		want      string
	}{
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
			b, err := build(s)
			require.NoError(t, err)
			require.Empty(t, invariants[tc.invariant](b), "the fixture keeps the invariant")
			tc.breakIt(b)
			problems := invariants[tc.invariant](b)
			require.NotEmpty(t, problems)
			assert.Contains(t, strings.Join(problems, "\n"), tc.want)
		})
	}
}
