package teams_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/teams"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

const teamID = "bf064c56-edb0-11ed-ae91-da7ad0900002"

// managed are the users the teams of these tests may list as members.
var managed = map[string]users.User{
	"jconway": {Email: "jconway@linuxfoundation.org", Roles: []users.RoleRef{{Datadog: "Datadog Admin Role"}}},
	"tha":     {Email: "thanh.ha@linuxfoundation.org", Roles: []users.RoleRef{{Datadog: "Datadog Admin Role"}}},
	"atalman": {Email: "atalman@meta.com", Roles: []users.RoleRef{{Managed: "limited-read-write"}}},
	"amdfaa":  {Email: "faa.diallo@amd.com", Roles: []users.RoleRef{{Managed: "limited-read-write"}}},
}

// decode decodes a teams section given as JSON against the users and
// returns the teams and the problems found, by path (at most one a path).
func decode(t *testing.T, raw string, us map[string]users.User) (map[string]teams.Team, map[string]string) {
	t.Helper()
	p := &kit.Problems{}
	out := teams.Decode(p, raw, true, us)
	return out, problemsByPath(t, p)
}

func problemsByPath(t *testing.T, p *kit.Problems) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := p.Err()
	if err == nil {
		require.Zero(t, p.Len())
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

func TestDecodeValid(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("h", teams.MaxHandle)
	got, problems := decode(t, `{
		"lf-staff": {"name": "LF Staff", "description": "Linux Foundation staff.", "members": ["tha", "jconway"], "importId": "`+teamID+`"},
		"meta-staff": {"name": "Meta Staff", "description": "Meta staff.", "handle": "meta_staff.v2", "members": []},
		"amd-staff": {"name": "AMD Staff", "description": "AMD staff.", "members": ["amdfaa"]},
		"long": {"name": "Long", "description": "A handle as long as Datadog takes.", "handle": "`+long+`"}
	}`, managed)
	assert.Empty(t, problems)
	assert.Equal(t, map[string]teams.Team{
		"lf-staff": {
			Name: "LF Staff", Handle: "lf-staff", Description: "Linux Foundation staff.",
			Members: []string{"tha", "jconway"}, ImportID: teamID,
		},
		"meta-staff": {Name: "Meta Staff", Handle: "meta_staff.v2", Description: "Meta staff.", Members: []string{}},
		"amd-staff":  {Name: "AMD Staff", Handle: "amd-staff", Description: "AMD staff.", Members: []string{"amdfaa"}},
		"long":       {Name: "Long", Handle: long, Description: "A handle as long as Datadog takes.", Members: []string{}},
	}, got, "handle defaults to the key; members keep the config's order and default to an empty list")
}

func TestDecodeMembersDefaultToAnEmptyList(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{"ibm-staff": {"name": "IBM Staff", "description": "IBM staff."}}`, managed)
	require.Empty(t, problems)
	assert.NotNil(t, got["ibm-staff"].Members, "an empty list, never nil: the stack owns the memberships")
	assert.Empty(t, got["ibm-staff"].Members)
	assert.Equal(t, "ibm-staff", got["ibm-staff"].Handle)
}

func TestDecodeSection(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw      string
		contains string
	}{
		"a list":       {`[{"name": "LF Staff"}]`, "must be a map of team key to a team ({name, description, handle, members}), got a list"},
		"plain string": {`lf-staff`, `got the string "lf-staff"`},
		"null":         {`null`, "got nothing (null)"},
		"a number":     {`3`, "got the number 3"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, tc.raw, managed)
			assert.NotNil(t, got)
			assert.Empty(t, got)
			assert.Equal(t, []string{"teams"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["teams"], tc.contains)
		})
	}
}

func TestDecodeAbsentOrEmpty(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	got := teams.Decode(p, `{"x": 1}`, false, managed)
	assert.NotNil(t, got)
	assert.Empty(t, got, "an absent section is no teams, whatever raw holds")
	assert.NoError(t, p.Err())

	got, problems := decode(t, `{}`, managed)
	assert.Empty(t, got)
	assert.Empty(t, problems, "an empty section is no teams")
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	team := func(extra string) string {
		return `{"lf-staff": {"name": "LF Staff", "description": "LF staff."` + extra + `}}`
	}
	tooLong := strings.Repeat("h", teams.MaxHandle+1)
	tests := map[string]struct {
		raw string
		// path is where the only problem must be; contains is part of its
		// text.
		path, contains string
	}{
		"key not kebab-case": {
			`{"LF_Staff": {"name": "LF Staff", "description": "d"}}`,
			"teams.LF_Staff", "lowercase letters and digits joined by '-'",
		},
		"team not a map":       {`{"lf-staff": "LF Staff"}`, "teams.lf-staff", `must be a team ({name, description, handle, members}), got the string "LF Staff"`},
		"missing name":         {`{"lf-staff": {"description": "d"}}`, "teams.lf-staff.name", "missing; it is required"},
		"name not a string":    {`{"lf-staff": {"name": ["LF"], "description": "d"}}`, "teams.lf-staff.name", "must be a string, got a list"},
		"name empty":           {`{"lf-staff": {"name": " ", "description": "d"}}`, "teams.lf-staff.name", `is empty; give the team its display name in Datadog, such as "LF Staff"`},
		"name with spaces":     {`{"lf-staff": {"name": "LF Staff ", "description": "d"}}`, "teams.lf-staff.name", `"LF Staff " has leading or trailing spaces`},
		"missing description":  {`{"lf-staff": {"name": "LF Staff"}}`, "teams.lf-staff.description", "missing; it is required"},
		"description empty":    {`{"lf-staff": {"name": "LF Staff", "description": "\n "}}`, "teams.lf-staff.description", "is empty; say in a sentence who the team is (Datadog requires a description)"},
		"description a number": {`{"lf-staff": {"name": "LF Staff", "description": 1}}`, "teams.lf-staff.description", "must be a string, got the number 1"},
		"handle with capitals and a space": {
			team(`, "handle": "LF Staff"`), "teams.lf-staff.handle",
			`"LF Staff" is not a Datadog team handle: lowercase letters, digits, '-', '_' and '.' only (such as "lf-staff")`,
		},
		"handle with an @": {team(`, "handle": "@lf-staff"`), "teams.lf-staff.handle", `(such as "lf-staff")`},
		"handle of signs only": {
			team(`, "handle": "@@"`), "teams.lf-staff.handle",
			`"@@" is not a Datadog team handle: lowercase letters, digits, '-', '_' and '.' only`,
		},
		"handle empty": {team(`, "handle": ""`), "teams.lf-staff.handle", "is empty; leave handle out to use the team's key"},
		"handle too long": {
			team(`, "handle": "` + tooLong + `"`), "teams.lf-staff.handle",
			"is 196 characters long; Datadog accepts handles of at most 195",
		},
		"handle a number": {team(`, "handle": 7`), "teams.lf-staff.handle", "must be a string, got the number 7"},
		"key too long for a handle": {
			`{"` + tooLong + `": {"name": "N", "description": "d"}}`, "teams." + tooLong,
			"key is 196 characters long, and its handle defaults to it; Datadog accepts handles of at most 195: set a shorter handle",
		},
		"member for members": {
			team(`, "member": ["tha"]`), "teams.lf-staff.member",
			`unknown field (did you mean "members"?); known fields: name, description, handle, members, importId`,
		},
		"members as a string": {team(`, "members": "tha"`), "teams.lf-staff.members", `must be a list of user keys, got the string "tha" (write it as a list: ["tha"])`},
		"members as a map":    {team(`, "members": {"tha": true}`), "teams.lf-staff.members", "must be a list of user keys, got a map"},
		"member a number":     {team(`, "members": ["tha", 3]`), "teams.lf-staff.members[1]", "must be a string, got the number 3"},
		"member mistyped":     {team(`, "members": ["tha", "jconwya"]`), "teams.lf-staff.members[1]", `no user "jconwya" in users (did you mean "jconway"?)`},
		"member by email": {
			team(`, "members": ["Thanh.Ha@linuxfoundation.org"]`), "teams.lf-staff.members[0]",
			`"Thanh.Ha@linuxfoundation.org" is the email of users.tha; list the user's key: "tha"`,
		},
		"member nobody like": {
			team(`, "members": ["zzzzzzzz"]`), "teams.lf-staff.members[0]",
			`no user "zzzzzzzz" in users; a member is the key of a user in pytorch-datadog:users (users: amdfaa, atalman, jconway, tha)`,
		},
		"member empty":       {team(`, "members": [""]`), "teams.lf-staff.members[0]", "is empty; list the key of a user in pytorch-datadog:users"},
		"member twice":       {team(`, "members": ["tha", "jconway", "tha"]`), "teams.lf-staff.members[2]", `"tha" is listed twice (also at [0])`},
		"importId not UUID":  {team(`, "importId": "lf-staff"`), "teams.lf-staff.importId", `"lf-staff" is not an id of this type, such as a1b2c3d4-`},
		"importId a number":  {team(`, "importId": 12`), "teams.lf-staff.importId", "must be a string, got the number 12"},
		"same name, by case": {`{"a": {"name": "LF Staff", "description": "d"}, "b": {"name": "lf staff", "description": "d"}}`, "teams.b.name", `"lf staff" is also the name of teams.a; team names must be unique`},
		"same handle": {
			`{"a": {"name": "A", "description": "d", "handle": "staff"}, "b": {"name": "B", "description": "d", "handle": "staff"}}`,
			"teams.b.handle", `handle "staff" is also the handle of teams.a; team handles must be unique`,
		},
		"a handle that is another team's key": {
			`{"a": {"name": "A", "description": "d", "handle": "b"}, "b": {"name": "B", "description": "d"}}`,
			"teams.b", `handle "b" (the key, as handle is not set) is also the handle of teams.a; team handles must be unique`,
		},
		"the key of another team's handle": {
			`{"a": {"name": "A", "description": "d"}, "b": {"name": "B", "description": "d", "handle": "a"}}`,
			"teams.b.handle", `handle "a" is also the handle of teams.a`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, tc.raw, managed)
			require.Equal(t, []string{tc.path}, kit.SortedKeys(problems), "exactly one problem, at %s", tc.path)
			assert.Contains(t, problems[tc.path], tc.contains)
		})
	}
}

func TestDecodeMembersWithNoUsers(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, `{"lf-staff": {"name": "LF Staff", "description": "d", "members": ["tha"]}}`, map[string]users.User{})
	assert.Equal(t, map[string]string{
		"teams.lf-staff.members[0]": `no user "tha" in users; a member is the key of a user in pytorch-datadog:users (users: none)`,
	}, problems)
}

// TestDecodeReportsEveryProblemAtOnce checks that one pass finds all the
// problems of an input, across fields and teams, and keeps the valid teams.
func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{
		"a": {"name": "Staff", "description": "", "handle": "A", "members": ["tha", "nobody", "tha"], "importId": "x"},
		"b": {"name": "staff", "descripton": "d", "members": "jconway"},
		"c": "not a team",
		"Bad_Key": {"name": "Fine", "description": "d"},
		"ok": {"name": "OK", "description": "d", "members": ["amdfaa"]}
	}`, managed)
	want := map[string]string{
		"teams.Bad_Key":       `key "Bad_Key" must be lowercase letters and digits joined by '-'`,
		"teams.a.description": "is empty",
		"teams.a.handle":      `"A" is not a Datadog team handle`,
		"teams.a.members[1]":  `no user "nobody" in users`,
		"teams.a.members[2]":  `"tha" is listed twice (also at [0])`,
		"teams.a.importId":    `"x" is not an id of this type`,
		"teams.b.descripton":  `unknown field (did you mean "description"?)`,
		"teams.b.description": "missing; it is required",
		"teams.b.members":     `write it as a list: ["jconway"]`,
		"teams.b.name":        `"staff" is also the name of teams.a`,
		"teams.c":             `must be a team ({name, description, handle, members}), got the string "not a team"`,
	}
	assert.Equal(t, want, fragments(problems, want), "every problem, each once, at its path")
	assert.Equal(t, []string{"Bad_Key", "a", "b", "ok"}, kit.SortedKeys(got), "only what is not a team at all is dropped")
	assert.Equal(t, teams.Team{Name: "OK", Handle: "ok", Description: "d", Members: []string{"amdfaa"}}, got["ok"])
}

// fragments replaces each message of got by the fragment want expects at
// its path when the message contains it, so that a map comparison shows
// every missing, extra or different problem at once.
func fragments(got, want map[string]string) map[string]string {
	out := map[string]string{}
	for path, msg := range got {
		if f, ok := want[path]; ok && strings.Contains(msg, f) {
			msg = f
		}
		out[path] = msg
	}
	return out
}

func TestDecodeHandleForms(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		handle string
		valid  bool
	}{
		"kebab-case":     {"lf-staff", true},
		"underscore":     {"lf_staff", true},
		"dot":            {"lf.staff", true},
		"digits only":    {"42", true},
		"one letter":     {"x", true},
		"leading hyphen": {"-staff", true},
		"capital":        {"Lf-staff", false},
		"space":          {"lf staff", false},
		"at sign":        {"@lf-staff", false},
		"slash":          {"lf/staff", false},
		"colon":          {"team:lf", false},
		"non-ASCII":      {"lf-staffé", false},
		"tab":            {"lf\tstaff", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			raw := `{"t": {"name": "T", "description": "d", "handle": ` + quote(tc.handle) + `}}`
			got := teams.Decode(p, raw, true, managed)
			problems := problemsByPath(t, p)
			if tc.valid {
				assert.Empty(t, problems)
				assert.Equal(t, tc.handle, got["t"].Handle)
				return
			}
			assert.Equal(t, []string{"teams.t.handle"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["teams.t.handle"], "is not a Datadog team handle")
		})
	}
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`).Replace(s) + `"`
}

// TestDecodeNeverPanics feeds every field every JSON type.
func TestDecodeNeverPanics(t *testing.T) {
	t.Parallel()
	values := []string{`null`, `true`, `0`, `-1.5`, `""`, `"x"`, `[]`, `[null]`, `[1, "tha"]`, `{}`, `{"a": 1}`}
	for _, field := range []string{"name", "description", "handle", "members", "importId", "other"} {
		for _, v := range values {
			raw := `{"t": {"name": "T", "description": "d", "` + field + `": ` + v + `}}`
			assert.NotPanics(t, func() {
				p := &kit.Problems{}
				teams.Decode(p, raw, true, managed)
				teams.Decode(p, raw, true, nil)
			}, raw)
		}
	}
	for _, v := range values {
		assert.NotPanics(t, func() { teams.Decode(&kit.Problems{}, v, true, managed) }, v)
		assert.NotPanics(t, func() { teams.Decode(&kit.Problems{}, `{"t": `+v+`}`, true, managed) }, v)
	}
}
