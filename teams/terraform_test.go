package teams_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
)

// tfTeam is the `values` of a datadog_team in `tofu show -json`, with the
// computed attributes Terraform records beside the configured ones.
func tfTeam(id, handle, name, description string) map[string]any {
	return map[string]any{
		"id": id, "handle": handle, "name": name, "description": description,
		"link_count": float64(0), "user_count": float64(2), "summary": description,
	}
}

// roundTrip gives an entry to Decode as the stack would hold it, under
// key, and returns the team it decodes to and the problems found.
func roundTrip(t *testing.T, key string, entry map[string]any) (teams.Team, map[string]string) {
	t.Helper()
	raw, err := json.Marshal(map[string]any{key: entry})
	require.NoError(t, err)
	got, problems := decode(t, string(raw), managed)
	return got[key], problems
}

func TestFromTerraformRoundTrips(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		attrs map[string]any
		key   string
		entry map[string]any
	}{
		"production's handle is its key": {
			attrs: tfTeam(teamID, "lf-staff", "LF Staff", "Linux Foundation staff members."),
			key:   "lf-staff",
			entry: obj{"name": "LF Staff", "description": "Linux Foundation staff members.", "members": []any{}, "importId": teamID},
		},
		"a handle with other signs is kept": {
			attrs: tfTeam(teamID, "ml_platform.v2", "ML Platform", "Platform."),
			key:   "ml-platform-v2",
			entry: obj{"name": "ML Platform", "description": "Platform.", "handle": "ml_platform.v2", "members": []any{}, "importId": teamID},
		},
		"a handle of signs only: the key comes from the name": {
			attrs: tfTeam(teamID, "__", "Ops Team!", "Ops."),
			key:   "ops-team",
			entry: obj{"name": "Ops Team!", "description": "Ops.", "handle": "__", "members": []any{}, "importId": teamID},
		},
		"markdown description, kept as it is": {
			attrs: tfTeam(teamID, "meta-staff", "Meta Staff", "# Meta\n\nStaff members of *Meta*.\n"),
			key:   "meta-staff",
			entry: obj{"name": "Meta Staff", "description": "# Meta\n\nStaff members of *Meta*.\n", "members": []any{}, "importId": teamID},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := teams.FromTerraform(tc.attrs)
			require.NoError(t, err)
			assert.Equal(t, tc.key, key)
			assert.True(t, kit.IsKey(key), "%q is a config key", key)
			assert.Equal(t, tc.entry, entry, "only fields Decode knows, computed attributes left out")

			got, problems := roundTrip(t, key, entry)
			assert.Empty(t, problems)
			assert.Equal(t, teams.Team{
				Name: tc.attrs["name"].(string), Handle: tc.attrs["handle"].(string), Description: tc.attrs["description"].(string),
				Members: []string{}, ImportID: teamID,
			}, got, "decodes to the state's values, adopting its id")
		})
	}
}

// TestFromTerraformProduction runs production's five teams through
// FromTerraform: each key equals its handle, and together they decode as
// one section.
func TestFromTerraformProduction(t *testing.T) {
	t.Parallel()
	section := map[string]any{}
	for i, handle := range []string{"lf-staff", "meta-staff", "amd-staff", "nvidia-staff", "ibm-staff"} {
		id := "00000000-0000-0000-0000-00000000000" + string(rune('1'+i))
		key, entry, err := teams.FromTerraform(tfTeam(id, handle, handle+" name", handle+" members."))
		require.NoError(t, err, handle)
		assert.Equal(t, handle, key)
		assert.NotContains(t, entry, "handle", "%s: a handle equal to the key is left out", handle)
		section[key] = entry
	}
	raw, err := json.Marshal(section)
	require.NoError(t, err)
	got, problems := decode(t, string(raw), managed)
	assert.Empty(t, problems)
	assert.Len(t, got, 5)
}

func TestFromTerraformRefuses(t *testing.T) {
	t.Parallel()
	valid := func(edit func(map[string]any)) map[string]any {
		a := tfTeam(teamID, "lf-staff", "LF Staff", "LF staff.")
		edit(a)
		return a
	}
	tests := map[string]struct {
		attrs map[string]any
		want  string
	}{
		"no id":                  {valid(func(a map[string]any) { delete(a, "id") }), `datadog_team "lf-staff": no id attribute`},
		"id a number":            {valid(func(a map[string]any) { a["id"] = float64(12) }), `datadog_team "lf-staff": no id attribute`},
		"no handle nor name":     {valid(func(a map[string]any) { delete(a, "handle"); a["name"] = "" }), `datadog_team "` + teamID + `": no handle, name attribute`},
		"nothing at all":         {map[string]any{}, "datadog_team: no id, handle, name attribute"},
		"id not a UUID":          {valid(func(a map[string]any) { a["id"] = "t-1" }), `datadog_team "lf-staff" cannot be written as config: teams.lf-staff.importId: "t-1" is not an id of this type`},
		"empty description":      {valid(func(a map[string]any) { a["description"] = "" }), "teams.lf-staff.description: is empty"},
		"no description":         {valid(func(a map[string]any) { delete(a, "description") }), "teams.lf-staff.description: is empty"},
		"handle Datadog refuses": {valid(func(a map[string]any) { a["handle"] = "LF Staff" }), `teams.lf-staff.handle: "LF Staff" is not a Datadog team handle`},
		"name with spaces":       {valid(func(a map[string]any) { a["name"] = " LF Staff" }), `teams.lf-staff.name: " LF Staff" has leading or trailing spaces`},
		"no key from anything":   {valid(func(a map[string]any) { a["handle"] = "__"; a["name"] = "!!" }), `datadog_team "__": no config key can be made from its handle or name`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			key, entry, err := teams.FromTerraform(tc.attrs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, key)
			assert.Nil(t, entry)
		})
	}
}
