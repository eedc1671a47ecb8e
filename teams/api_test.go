package teams_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
)

// apiTeam is a team as GET /api/v2/team answers it; description nil
// leaves it unset.
func apiTeam(id, handle, name string, description *string) datadogV2.Team {
	attrs := datadogV2.NewTeamAttributes(handle, name)
	if description != nil {
		attrs.SetDescription(*description)
	}
	attrs.SetUserCount(2)
	return *datadogV2.NewTeam(*attrs, id, datadogV2.TEAMTYPE_TEAM)
}

// teamObject is a team as List makes it.
func teamObject(t datadogV2.Team) live.Object {
	return live.Object{ID: t.Id, On: t.Attributes.Handle, Name: t.Attributes.Name, Key: teams.KeyOf(t.Attributes.Handle, t.Attributes.Name), Data: t}
}

func str(s string) *string { return &s }

func TestFromAPI(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		team  datadogV2.Team
		key   string
		entry map[string]any
	}{
		"production's handle is its key": {
			team:  apiTeam(teamID, "lf-staff", "LF Staff", str("Linux Foundation staff members.")),
			key:   "lf-staff",
			entry: obj{"name": "LF Staff", "description": "Linux Foundation staff members.", "members": []any{}, "importId": teamID},
		},
		"a handle with other signs is kept": {
			team:  apiTeam(teamID, "ml_platform.v2", "ML Platform", str("Platform.")),
			key:   "ml-platform-v2",
			entry: obj{"name": "ML Platform", "description": "Platform.", "handle": "ml_platform.v2", "members": []any{}, "importId": teamID},
		},
		"a handle of signs only: the key comes from the name": {
			team:  apiTeam(teamID, "__", "Ops Team!", str("Ops.")),
			key:   "ops-team",
			entry: obj{"name": "Ops Team!", "description": "Ops.", "handle": "__", "members": []any{}, "importId": teamID},
		},
		"markdown description, kept as it is": {
			team:  apiTeam(teamID, "meta-staff", "Meta Staff", str("# Meta\n\nStaff members of *Meta*.\n")),
			key:   "meta-staff",
			entry: obj{"name": "Meta Staff", "description": "# Meta\n\nStaff members of *Meta*.\n", "members": []any{}, "importId": teamID},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := teamObject(tc.team)
			assert.Equal(t, tc.key, o.Key)
			entry, err := teams.FromAPI(o)
			require.NoError(t, err)
			assert.Equal(t, tc.entry, entry)
		})
	}

	// The handle defaults to the key the entry is written under: under
	// another key (ddstack audit makes keys unique), it is written.
	o := teamObject(apiTeam(teamID, "lf-staff", "LF Staff", str("Staff.")))
	o.Key = "lf-staff-2"
	entry, err := teams.FromAPI(o)
	require.NoError(t, err)
	assert.Equal(t, "lf-staff", entry["handle"])
}

func TestFromAPIErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		object   live.Object
		contains []string
	}{
		"no description": {teamObject(apiTeam(teamID, "ops", "Ops", nil)),
			[]string{`team "ops" cannot be written as config`, "teams.ops.description", "is empty"}},
		"a blank description": {teamObject(apiTeam(teamID, "ops", "Ops", str("  "))),
			[]string{`team "ops" cannot be written as config`, "is empty"}},
		"a handle Datadog no longer takes": {teamObject(apiTeam(teamID, "Ops Team", "Ops", str("Ops."))),
			[]string{`team "Ops Team" cannot be written as config`, "not a Datadog team handle"}},
		"a name with trailing spaces": {teamObject(apiTeam(teamID, "ops", "Ops ", str("Ops."))),
			[]string{`team "ops" cannot be written as config`, "leading or trailing spaces"}},
		"an id that is not a UUID": {teamObject(apiTeam("7", "ops", "Ops", str("Ops."))),
			[]string{`team "ops" cannot be written as config`, "teams.ops.importId"}},
		"no team data": {live.Object{ID: teamID, Name: "Ops", Data: nil}, []string{`team "Ops": no team data`}},
		"no handle":    {teamObject(apiTeam(teamID, "", "Ops", str("Ops."))), []string{"Datadog gave it no handle or id"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			entry, err := teams.FromAPI(tc.object)
			require.Error(t, err)
			for _, c := range tc.contains {
				assert.Contains(t, err.Error(), c)
			}
			assert.Nil(t, entry)
		})
	}
}

// The two doors into the stack agree: each production team read from
// Datadog is the entry ddstack import writes from the Terraform state.
func TestFromAPIAgreesWithFromTerraform(t *testing.T) {
	t.Parallel()
	objs := ddfake.ProductionState(t, map[string][]string{"datadog_team": {"handle"}})
	require.Len(t, objs, 5, "production has five teams")
	for _, obj := range objs {
		t.Run(obj.Address, func(t *testing.T) {
			t.Parallel()
			key, fromTerraform, err := teams.FromTerraform(obj.Attrs)
			require.NoError(t, err)
			o := teamObject(apiTeam(obj.ID, obj.Attrs["handle"].(string), obj.Attrs["name"].(string), str(obj.Attrs["description"].(string))))
			fromAPI, err := teams.FromAPI(o)
			require.NoError(t, err)
			assert.Equal(t, fromTerraform, fromAPI)
			assert.Equal(t, key, o.Key)
		})
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	const n = 2*teams.PageSize + 1
	for i := 0; i < n; i++ {
		f.Teams = append(f.Teams, apiTeam(fmt.Sprintf("d0000000-0000-0000-0000-%012d", i), fmt.Sprintf("team_%03d", i), fmt.Sprintf("Team %03d", i), str("A team.")))
	}
	l, err := teams.List(f.Reader(t))
	require.NoError(t, err)
	assert.Empty(t, l.Partial)
	require.Len(t, l.Objects, n, "every team comes back, across the pages")
	for i, o := range l.Objects {
		assert.Equal(t, f.Teams[i].Id, o.ID)
		assert.Equal(t, fmt.Sprintf("team_%03d", i), o.On, "matched on the handle")
		assert.Equal(t, fmt.Sprintf("Team %03d", i), o.Name)
		assert.Equal(t, fmt.Sprintf("team-%03d", i), o.Key)
		assert.False(t, o.Quiet)
	}
	entry, err := teams.FromAPI(l.Objects[200])
	require.NoError(t, err)
	assert.Equal(t, obj{"name": "Team 200", "description": "A team.", "handle": "team_200", "members": []any{},
		"importId": "d0000000-0000-0000-0000-000000000200"}, entry)

	var got []string
	for _, r := range f.Requests() {
		got = append(got, r.Method+" "+r.Path+" "+r.Query.Encode())
	}
	page := func(n int) string {
		return "GET /api/v2/team " + url.Values{"page[size]": {"100"}, "page[number]": {fmt.Sprint(n)}}.Encode()
	}
	assert.Equal(t, []string{page(0), page(1), page(2)}, got)
}

func TestListFails(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Fault("/api/v2/team", ddfake.Fault{Status: 404, Body: `{"errors":["Not found"]}`})
	l, err := teams.List(f.Reader(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET /api/v2/team: 404 Not Found")
	assert.Empty(t, l.Objects)
}
