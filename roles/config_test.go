package roles_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

const (
	roleID  = "11111111-2222-3333-4444-555555555555"
	otherID = "66666666-7777-8888-9999-000000000000"
)

// decode decodes a roles section given as JSON and returns the roles and
// the problems found, by path (at most one a path).
func decode(t *testing.T, raw string) (map[string]roles.Role, map[string]string) {
	t.Helper()
	p := &kit.Problems{}
	out := roles.Decode(p, raw, true)
	return out, problemsByPath(t, p.Err())
}

func problemsByPath(t *testing.T, err error) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err == nil {
		return out
	}
	leaves := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		leaves = j.Unwrap()
	}
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
	got, problems := decode(t, `{
		"limited-read-write": {"name": "Limited Read Write", "permissions": ["logs_read_data", "monitors_write"]},
		"dashboards-only": {"name": "Dashboards Only", "permissions": ["dashboards_read"], "defaultPermissionsOptOut": true, "importId": "`+roleID+`"},
		"explicit-default": {"name": "Explicit", "permissions": ["logs_read_data"], "defaultPermissionsOptOut": false}
	}`)
	assert.Empty(t, problems)
	assert.Equal(t, map[string]roles.Role{
		"limited-read-write": {Name: "Limited Read Write", Permissions: []string{"logs_read_data", "monitors_write"}},
		"dashboards-only":    {Name: "Dashboards Only", Permissions: []string{"dashboards_read"}, DefaultPermissionsOptOut: true, ImportID: roleID},
		"explicit-default":   {Name: "Explicit", Permissions: []string{"logs_read_data"}},
	}, got, "permissions keep their order; the opt-out defaults to false")
}

func TestDecodeAbsentOrEmpty(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	assert.Equal(t, map[string]roles.Role{}, roles.Decode(p, "", false), "no roles section: no roles")
	assert.Equal(t, map[string]roles.Role{}, roles.Decode(p, `{}`, true))
	assert.NoError(t, p.Err(), "roles are optional")
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	role := func(body string) string { return `{"r": ` + body + `}` }
	tests := map[string]struct {
		raw string
		// path is where the problem must be; contains is part of its text.
		path, contains string
	}{
		"section a plain string":  {`readers`, "roles", `must be a map of role key to a role ({name, permissions, defaultPermissionsOptOut}), got the string "readers"`},
		"section a list":          {`[{"name": "R"}]`, "roles", "got a list"},
		"section null":            {`null`, "roles", "got nothing (null)"},
		"key not kebab-case":      {`{"Read_Only": {"name": "R", "permissions": ["logs_read_data"]}}`, "roles.Read_Only", "lowercase letters and digits joined by '-'"},
		"role not a map":          {role(`"Readers"`), "roles.r", `must be a role ({name, permissions, defaultPermissionsOptOut}), got the string "Readers"`},
		"missing name":            {role(`{"permissions": ["logs_read_data"]}`), "roles.r.name", "missing; it is required"},
		"missing permissions":     {role(`{"name": "R"}`), "roles.r.permissions", "missing; it is required"},
		"empty name":              {role(`{"name": "", "permissions": ["logs_read_data"]}`), "roles.r.name", "is empty; give the role its display name"},
		"name only spaces":        {role(`{"name": "  ", "permissions": ["logs_read_data"]}`), "roles.r.name", "is empty"},
		"name with spaces around": {role(`{"name": " Readers", "permissions": ["logs_read_data"]}`), "roles.r.name", `" Readers" has leading or trailing spaces`},
		"name a number":           {role(`{"name": 7, "permissions": ["logs_read_data"]}`), "roles.r.name", "must be a string, got the number 7"},
		"permissions a string":    {role(`{"name": "R", "permissions": "logs_read_data"}`), "roles.r.permissions", `write it as a list: ["logs_read_data"]`},
		"permission not a string": {role(`{"name": "R", "permissions": ["logs_read_data", 3]}`), "roles.r.permissions[1]", "must be a string, got the number 3"},
		"empty permissions":       {role(`{"name": "R", "permissions": []}`), "roles.r.permissions", "is empty; list the permission names the role grants"},
		"duplicate permission":    {role(`{"name": "R", "permissions": ["logs_read_data", "monitors_write", "logs_read_data"]}`), "roles.r.permissions[2]", `"logs_read_data" is listed twice (also at [0])`},
		"opt-out not a boolean":   {role(`{"name": "R", "permissions": ["logs_read_data"], "defaultPermissionsOptOut": "no"}`), "roles.r.defaultPermissionsOptOut", `must be true or false, got the string "no"`},
		"unknown field":           {role(`{"name": "R", "permissions": ["logs_read_data"], "permission": ["x"]}`), "roles.r.permission", `unknown field (did you mean "permissions"?); known fields: name, permissions, defaultPermissionsOptOut, importId`},
		"opt-out misspelt":        {role(`{"name": "R", "permissions": ["logs_read_data"], "defaultPermissionOptOut": true}`), "roles.r.defaultPermissionOptOut", `(did you mean "defaultPermissionsOptOut"?)`},
		"duplicate names, other case": {
			`{"a": {"name": "Readers", "permissions": ["logs_read_data"]}, "b": {"name": "readers", "permissions": ["logs_read_data"]}}`,
			"roles.b.name", `"readers" is also the name of roles.a; role names must be unique`,
		},
		"named like a built-in role": {role(`{"name": "Datadog Admin Role", "permissions": ["logs_read_data"]}`), "roles.r.name", `"Datadog Admin Role" is the name of a role Datadog manages`},
		"named like a built-in role, other case": {
			role(`{"name": "datadog read only role", "permissions": ["logs_read_data"]}`),
			"roles.r.name", `refer to "Datadog Read Only Role" from users without defining it`,
		},
		"importId not a UUID": {role(`{"name": "R", "permissions": ["logs_read_data"], "importId": "1234"}`), "roles.r.importId", `"1234" is not an id of this type, such as a1b2c3d4-`},
		"importId a number":   {role(`{"name": "R", "permissions": ["logs_read_data"], "importId": 1234}`), "roles.r.importId", "must be a string, got the number 1234"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, tc.raw)
			require.Contains(t, problems, tc.path, "no problem at %s in %v", tc.path, problems)
			assert.Contains(t, problems[tc.path], tc.contains)
		})
	}
}

func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, `{
		"a": {"name": "", "permissions": "logs_read_data"},
		"b": {"name": "Readers", "permissions": ["x", "x"], "defaultPermissionsOptOut": 1, "importId": "nope"},
		"c": {"name": "readers", "permisions": ["logs_read_data"]},
		"D": {"name": "Datadog Standard Role", "permissions": ["logs_read_data"]},
		"e": ["not", "a", "role"]
	}`)
	assert.Equal(t, []string{
		"roles.D",
		"roles.D.name",
		"roles.a.name",
		"roles.a.permissions",
		"roles.b.defaultPermissionsOptOut",
		"roles.b.importId",
		"roles.b.permissions[1]",
		"roles.c.name",
		"roles.c.permisions",
		"roles.c.permissions",
		"roles.e",
	}, kit.SortedKeys(problems))
}

func TestDecodeSkipsOnlyWhatIsNotARole(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{"a": {"name": "A", "permissions": ["logs_read_data"]}, "b": "B", "c": null}`)
	assert.Len(t, problems, 2)
	assert.Equal(t, map[string]roles.Role{"a": {Name: "A", Permissions: []string{"logs_read_data"}}}, got,
		"entries that are not objects yield no role; the valid ones are kept, so that users resolve references to them without spurious problems")
}
