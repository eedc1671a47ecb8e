package teams_test

import (
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

const (
	stack        = "test"
	version      = "4.68.0"
	userID       = "66666666-7777-8888-9999-000000000000"
	providerURN  = "urn:pulumi:test::pytorch-datadog::pulumi:providers:datadog::datadog"
	teamURNStart = "urn:pulumi:test::pytorch-datadog::datadog:index/team:Team::"
	userURNStart = "urn:pulumi:test::pytorch-datadog::datadog:index/user:User::"
	memberURN    = "urn:pulumi:test::pytorch-datadog::datadog:index/teamMembership:TeamMembership::"
)

type obj = map[string]any

// result is what a run of teams.New returned: the ids of the teams it
// returned, by key, or its error.
type result struct {
	mu  sync.Mutex
	ids map[string]string
	err error
}

// program registers an explicit provider, as the program does, then the
// users (their roles are Datadog's, looked up) and the teams through it,
// and records what teams.New returned. Users listed in unregistered are
// decoded but left out of what New is given.
func program(us map[string]users.User, ts map[string]teams.Team, res *result, unregistered ...string) pulumi.RunFunc {
	return ddmock.WithProvider(func(ctx *pulumi.Context, provider pulumi.ResourceOrInvokeOption) error {
		madeUsers, err := users.New(ctx, us, nil, provider)
		if err != nil {
			return err
		}
		for _, key := range unregistered {
			delete(madeUsers, key)
		}
		made, err := teams.New(ctx, ts, madeUsers, provider)
		res.mu.Lock()
		res.err = err
		if made != nil {
			res.ids = map[string]string{}
		}
		res.mu.Unlock()
		if err != nil {
			return err
		}
		for key, team := range made {
			team.ID().ApplyT(func(id pulumi.ID) string {
				res.mu.Lock()
				defer res.mu.Unlock()
				res.ids[key] = string(id)
				return string(id)
			})
		}
		return nil
	})
}

// run runs users.New and teams.New under the mock engine.
func run(t *testing.T, us map[string]users.User, ts map[string]teams.Team, unregistered ...string) (*ddmock.Recorder, *result, error) {
	t.Helper()
	res := &result{}
	rec, err := ddmock.Run(kit.Namespace, stack, nil, nil, program(us, ts, res, unregistered...))
	return rec, res, err
}

// byName returns the recorded resources of a type by logical name.
func byName(rec *ddmock.Recorder, token string) map[string]ddmock.Resource {
	out := map[string]ddmock.Resource{}
	for _, r := range rec.Resources() {
		if r.Type == token {
			out[r.Name] = r
		}
	}
	return out
}

// admins are users with a Datadog role: users.New registers them after one
// getRole lookup.
func admins(keys ...string) map[string]users.User {
	out := map[string]users.User{}
	for _, k := range keys {
		out[k] = users.User{Email: k + "@example.org", Roles: []users.RoleRef{{Datadog: "Datadog Admin Role"}}}
	}
	return out
}

func TestNewRegistersTeamsAndMemberships(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, admins("jconway", "tha", "atalman", "amdfaa"), map[string]teams.Team{
		"lf-staff":   {Name: "LF Staff", Handle: "lf-staff", Description: "Linux Foundation staff.", Members: []string{"tha", "jconway"}},
		"meta-staff": {Name: "Meta Staff", Handle: "meta_staff.v2", Description: "Meta staff.", Members: []string{"atalman"}},
		"ibm-staff":  {Name: "IBM Staff", Handle: "ibm-staff", Description: "IBM staff.", Members: []string{}},
	})
	require.NoError(t, err)

	got := byName(rec, teams.Token)
	assert.Equal(t, []string{"ibm-staff", "lf-staff", "meta-staff"}, kit.SortedKeys(got), "logical names are the config keys")
	for name, r := range got {
		assert.Equal(t, version, r.Version, "%s pins the provider version", name)
		assert.True(t, r.Custom, name)
		assert.Equal(t, providerURN, r.Provider, "%s uses the explicit provider", name)
		assert.Equal(t, teamURNStart+name, r.URN, "%s is not parented to a component", name)
		assert.Empty(t, r.ImportID, "%s has no importId: it is created", name)
		assert.Empty(t, r.DependsOn, "%s depends on nothing", name)
		assert.False(t, r.Protect, name)
	}
	assert.Equal(t, obj{"name": "LF Staff", "handle": "lf-staff", "description": "Linux Foundation staff."}, ddmock.PlainMap(got["lf-staff"].Inputs))
	assert.Equal(t, obj{"name": "Meta Staff", "handle": "meta_staff.v2", "description": "Meta staff."}, ddmock.PlainMap(got["meta-staff"].Inputs))
	assert.Equal(t, obj{"name": "IBM Staff", "handle": "ibm-staff", "description": "IBM staff."}, ddmock.PlainMap(got["ibm-staff"].Inputs))

	members := byName(rec, teams.MembershipToken)
	assert.Equal(t, []string{"lf-staff.jconway", "lf-staff.tha", "meta-staff.atalman"}, kit.SortedKeys(members),
		"one membership per member, named <team-key>.<user-key>; none for a team without members")
	for name, r := range members {
		assert.Equal(t, version, r.Version, "%s pins the provider version", name)
		assert.True(t, r.Custom, name)
		assert.Equal(t, providerURN, r.Provider, "%s uses the explicit provider", name)
		assert.Equal(t, memberURN+name, r.URN, "%s is not parented to its team", name)
		assert.Empty(t, r.ImportID, name)
		assert.False(t, r.Protect, name)
	}
	for name, want := range map[string]struct{ team, user string }{
		"lf-staff.jconway":   {"lf-staff", "jconway"},
		"lf-staff.tha":       {"lf-staff", "tha"},
		"meta-staff.atalman": {"meta-staff", "atalman"},
	} {
		assert.Equal(t, obj{
			"teamId": ddmock.ResourceID(teams.Token, want.team),
			"userId": ddmock.ResourceID(users.Token, want.user),
		}, ddmock.PlainMap(members[name].Inputs), "%s: ids from the resources, no role (a plain member)", name)
		assert.Equal(t, []string{teamURNStart + want.team, userURNStart + want.user}, members[name].DependsOn,
			"%s depends on its team and its user", name)
	}
	for _, r := range rec.Resources() {
		if r.Type == users.Token {
			assert.Equal(t, userURNStart+r.Name, r.URN, "dependencies name the user's URN")
		}
	}

	assert.Equal(t, map[string]string{
		"ibm-staff":  ddmock.ResourceID(teams.Token, "ibm-staff"),
		"lf-staff":   ddmock.ResourceID(teams.Token, "lf-staff"),
		"meta-staff": ddmock.ResourceID(teams.Token, "meta-staff"),
	}, res.ids, "New returns every registered team by key")
}

func TestNewInvokesNothing(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, nil, map[string]teams.Team{
		"lf-staff": {Name: "LF Staff", Handle: "lf-staff", Description: "d"},
	})
	require.NoError(t, err)
	assert.Empty(t, rec.Invokes(), "teams look nothing up")
	assert.Len(t, byName(rec, teams.Token), 1)
	assert.Empty(t, byName(rec, teams.MembershipToken))
}

func TestNewNoTeams(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, admins("tha"), map[string]teams.Team{})
	require.NoError(t, err)
	assert.Empty(t, byName(rec, teams.Token))
	assert.Empty(t, byName(rec, teams.MembershipToken))
	assert.NotNil(t, res.ids, "New returns an empty map")
	assert.Empty(t, res.ids)
}

func TestNewImportIDIsTheImportOption(t *testing.T) {
	t.Parallel()
	us := admins("tha")
	u := us["tha"]
	u.ImportID = userID
	us["tha"] = u
	rec, res, err := run(t, us, map[string]teams.Team{
		"lf-staff":  {Name: "LF Staff", Handle: "lf-staff", Description: "d", Members: []string{"tha"}, ImportID: teamID},
		"amd-staff": {Name: "AMD Staff", Handle: "amd-staff", Description: "d", Members: []string{"tha"}},
	})
	require.NoError(t, err)
	got := byName(rec, teams.Token)
	assert.Equal(t, teamID, got["lf-staff"].ImportID)
	assert.Equal(t, providerURN, got["lf-staff"].Provider, "an adopted team keeps the explicit provider")
	assert.Empty(t, got["amd-staff"].ImportID, "no importId: created")

	members := byName(rec, teams.MembershipToken)
	assert.Equal(t, obj{"teamId": teamID, "userId": userID}, ddmock.PlainMap(members["lf-staff.tha"].Inputs),
		"an adopted team's and user's ids are the imported ones")
	assert.Empty(t, members["lf-staff.tha"].ImportID, "memberships are created: Terraform manages none")
	assert.Equal(t, map[string]string{"lf-staff": teamID, "amd-staff": ddmock.ResourceID(teams.Token, "amd-staff")}, res.ids)
}

func TestNewReportsEveryUnregisteredMember(t *testing.T) {
	t.Parallel()
	rec, res, err := run(t, admins("tha", "jconway", "amdfaa"), map[string]teams.Team{
		"lf-staff":  {Name: "LF Staff", Handle: "lf-staff", Description: "d", Members: []string{"tha", "jconway"}},
		"amd-staff": {Name: "AMD Staff", Handle: "amd-staff", Description: "d", Members: []string{"amdfaa", "ghost"}},
	}, "jconway")
	require.Error(t, err)
	require.Error(t, res.err)
	assert.Equal(t, "teams.amd-staff.members[1]: user \"ghost\" was not registered\n"+
		"teams.lf-staff.members[1]: user \"jconway\" was not registered", res.err.Error(),
		"every missing member, in sorted team order, with its path")
	assert.Nil(t, res.ids, "New returns no teams")
	assert.Empty(t, byName(rec, teams.Token), "no team is registered while a member is missing")
	assert.Empty(t, byName(rec, teams.MembershipToken))
}

// TestDecodedTeamsRegister runs a decoded config through New: the defaults
// Decode applies are what is registered.
func TestDecodedTeamsRegister(t *testing.T) {
	t.Parallel()
	us := admins("tha", "jconway")
	ts, problems := decode(t, `{
		"lf-staff": {"name": "LF Staff", "description": "Linux Foundation staff.", "members": ["tha", "jconway"]},
		"ibm-staff": {"name": "IBM Staff", "description": "IBM staff."}
	}`, us)
	require.Empty(t, problems)
	rec, _, err := run(t, us, ts)
	require.NoError(t, err)
	got := byName(rec, teams.Token)
	assert.Equal(t, obj{"name": "LF Staff", "handle": "lf-staff", "description": "Linux Foundation staff."}, ddmock.PlainMap(got["lf-staff"].Inputs),
		"the handle defaults to the key")
	assert.Equal(t, "ibm-staff", ddmock.PlainMap(got["ibm-staff"].Inputs)["handle"])
	assert.Equal(t, []string{"lf-staff.jconway", "lf-staff.tha"}, kit.SortedKeys(byName(rec, teams.MembershipToken)))
}

// TestInputsConformToTheProvider checks what New registers against the
// provider's schema (testdata/datadog-provider-4.68.0.json): every input
// is a known property of the right kind, and every required one is set.
func TestInputsConformToTheProvider(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/datadog-provider-4.68.0.json")
	require.NoError(t, err)
	var schema struct {
		Resources map[string]map[string]struct {
			Required bool   `json:"required"`
			Kind     string `json:"kind"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))

	rec, _, err := run(t, admins("tha"), map[string]teams.Team{
		"lf-staff": {Name: "LF Staff", Handle: "lf-staff", Description: "d", Members: []string{"tha"}},
	})
	require.NoError(t, err)
	for _, token := range []string{teams.Token, teams.MembershipToken} {
		props, ok := schema.Resources[token]
		require.True(t, ok, "%s is in the schema", token)
		resources := byName(rec, token)
		require.NotEmpty(t, resources, token)
		for name, r := range resources {
			inputs := ddmock.PlainMap(r.Inputs)
			for prop, v := range inputs {
				p, known := props[prop]
				if assert.True(t, known, "%s %s: %s is a property of the provider", token, name, prop) {
					assert.Equal(t, "string", p.Kind, "%s.%s is a string", token, prop)
					assert.IsType(t, "", v, "%s %s: %s is sent as a string", token, name, prop)
				}
			}
			for prop, p := range props {
				if p.Required {
					assert.Contains(t, inputs, prop, "%s %s sets the required %s", token, name, prop)
				}
			}
		}
	}
}
