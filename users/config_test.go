package users_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

const (
	userID  = "66666666-7777-8888-9999-000000000000"
	roleID  = "11111111-2222-3333-4444-555555555555"
	adminDD = "Datadog Admin Role"
)

// managed are the roles the users of these tests may refer to.
var managed = map[string]roles.Role{
	"limited-read-write": {Name: "Limited Read Write", Permissions: []string{"logs_read_data", "monitors_write"}},
	"readers":            {Name: "Readers", Permissions: []string{"logs_read_data"}},
}

// decode decodes a users section given as JSON against the managed roles
// and returns the users and the problems found, by path (at most one a
// path).
func decode(t *testing.T, raw string, managed map[string]roles.Role) (map[string]users.User, map[string]string) {
	t.Helper()
	p := &kit.Problems{}
	out := users.Decode(p, raw, true, managed)
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

func ptr[T any](v T) *T { return &v }

func TestDecodeValid(t *testing.T) {
	t.Parallel()
	got, problems := decode(t, `{
		"jane-smith": {"email": "jane.smith@example.org", "roles": ["limited-read-write"], "name": "Jane Smith"},
		"john-doe": {"email": "john.doe@example.org", "roles": ["Limited Read Write", "Datadog Read Only Role"], "disabled": true, "sendUserInvitation": false},
		"ops": {"email": "ops@example.org", "roles": ["PyTorch Release Managers", "readers"], "importId": "`+userID+`", "disabled": false, "sendUserInvitation": true}
	}`, managed)
	assert.Empty(t, problems)
	assert.Equal(t, map[string]users.User{
		"jane-smith": {Email: "jane.smith@example.org", Roles: []users.RoleRef{{Managed: "limited-read-write"}}, Name: ptr("Jane Smith")},
		"john-doe": {
			Email: "john.doe@example.org", Roles: []users.RoleRef{{Managed: "limited-read-write"}, {Datadog: "Datadog Read Only Role"}},
			Disabled: true, SendUserInvitation: ptr(false),
		},
		"ops": {
			Email: "ops@example.org", Roles: []users.RoleRef{{Datadog: "PyTorch Release Managers"}, {Managed: "readers"}},
			SendUserInvitation: ptr(true), ImportID: userID,
		},
	}, got, "a managed role is found by key or name; unset name and sendUserInvitation stay nil")
}

func TestDecodeSection(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		raw      string
		present  bool
		contains string
	}{
		"absent":       {present: false, contains: "missing; the stack must manage at least one user"},
		"empty":        {raw: `{}`, present: true, contains: "is empty; the stack must manage at least one user"},
		"a list":       {raw: `[{"email": "j@example.org"}]`, present: true, contains: "must be a map of user key to a user ({email, roles, disabled, name, sendUserInvitation}), got a list"},
		"plain string": {raw: `jane`, present: true, contains: `got the string "jane"`},
		"null":         {raw: `null`, present: true, contains: "got nothing (null)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			assert.Empty(t, users.Decode(p, tc.raw, tc.present, managed))
			problems := problemsByPath(t, p.Err())
			assert.Equal(t, []string{"users"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["users"], tc.contains)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	user := func(body string) string { return `{"jane-smith": ` + body + `}` }
	tests := map[string]struct {
		raw string
		// path is where the problem must be; contains is part of its text.
		path, contains string
	}{
		"key not kebab-case":  {`{"Jane_Smith": {"email": "j@example.org", "roles": ["readers"]}}`, "users.Jane_Smith", "lowercase letters and digits joined by '-'"},
		"user not a map":      {user(`"jane@example.org"`), "users.jane-smith", `must be a user ({email, roles, disabled, name, sendUserInvitation}), got the string "jane@example.org"`},
		"missing email":       {user(`{"roles": ["readers"]}`), "users.jane-smith.email", "missing; it is required"},
		"email not a string":  {user(`{"email": ["j@example.org"], "roles": ["readers"]}`), "users.jane-smith.email", "must be a string, got a list"},
		"missing roles":       {user(`{"email": "j@example.org"}`), "users.jane-smith.roles", "missing; it is required"},
		"empty roles":         {user(`{"email": "j@example.org", "roles": []}`), "users.jane-smith.roles", `is empty; give the user at least one role, for example ["Datadog Read Only Role"]`},
		"roles as a string":   {user(`{"email": "j@example.org", "roles": "admin"}`), "users.jane-smith.roles", `write it as a list: ["admin"]`},
		"role entry a number": {user(`{"email": "j@example.org", "roles": ["readers", 3]}`), "users.jane-smith.roles[1]", "must be a string, got the number 3"},
		"disabled a string":   {user(`{"email": "j@example.org", "roles": ["readers"], "disabled": "yes"}`), "users.jane-smith.disabled", `must be true or false, got the string "yes"`},
		"name a number":       {user(`{"email": "j@example.org", "roles": ["readers"], "name": 1}`), "users.jane-smith.name", "must be a string, got the number 1"},
		"sendUserInvitation a string": {
			user(`{"email": "j@example.org", "roles": ["readers"], "sendUserInvitation": "false"}`),
			"users.jane-smith.sendUserInvitation", `must be true or false, got the string "false"`,
		},
		"role for roles": {
			user(`{"email": "j@example.org", "roles": ["readers"], "role": "x"}`),
			"users.jane-smith.role", `unknown field (did you mean "roles"?); known fields: email, roles, disabled, name, sendUserInvitation, importId`,
		},
		"importId not a UUID": {user(`{"email": "j@example.org", "roles": ["readers"], "importId": "1234"}`), "users.jane-smith.importId", `"1234" is not an id of this type, such as a1b2c3d4-`},
		"importId a number":   {user(`{"email": "j@example.org", "roles": ["readers"], "importId": 1234}`), "users.jane-smith.importId", "must be a string, got the number 1234"},
		"same role by key and name": {
			user(`{"email": "j@example.org", "roles": ["limited-read-write", "Limited Read Write"]}`),
			"users.jane-smith.roles[1]", "names the same role as roles[0] (managed role limited-read-write)",
		},
		"same Datadog role twice": {
			user(`{"email": "j@example.org", "roles": ["Datadog Admin Role", "readers", "Datadog Admin Role"]}`),
			"users.jane-smith.roles[2]", "names the same role as roles[0] (Datadog role Datadog Admin Role)",
		},
		"disabled and invited": {
			user(`{"email": "j@example.org", "roles": ["readers"], "disabled": true, "sendUserInvitation": true}`),
			"users.jane-smith.sendUserInvitation", "a disabled user is never sent an invitation; remove sendUserInvitation, or disabled",
		},
		"duplicate email, other case": {
			`{"a": {"email": "Jane@Example.org", "roles": ["readers"]}, "b": {"email": "jane@example.org", "roles": ["readers"]}}`,
			"users.b.email", `"jane@example.org" is also the email of users.a; each Datadog user has one entry`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, tc.raw, managed)
			require.Contains(t, problems, tc.path, "no problem at %s in %v", tc.path, problems)
			assert.Contains(t, problems[tc.path], tc.contains)
		})
	}
}

func TestDecodeEmail(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		email string
		valid bool
	}{
		"plain":                {"jane.smith@example.org", true},
		"subaddress":           {"jane+datadog@mail.example.co.uk", true},
		"apostrophe":           {"o'brien@example.org", true},
		"capitals":             {"Jane.Smith@Example.org", true},
		"no domain":            {"jane.smith@", false},
		"no local part":        {"@example.org", false},
		"no at":                {"jane.smith.example.org", false},
		"two ats":              {"jane@@example.org", false},
		"with a display name":  {"Jane <jane@example.org>", false},
		"in angle brackets":    {"<jane@example.org>", false},
		"quoted local part":    {`"jane"@example.org`, false},
		"domain without a dot": {"jane@localhost", false},
		"space inside":         {"jane smith@example.org", false},
		"leading space":        {" jane@example.org", false},
		"trailing space":       {"jane@example.org ", false},
		"empty":                {"", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := `{"a": {"email": ` + jsonString(t, tc.email) + `, "roles": ["readers"]}}`
			got, problems := decode(t, raw, managed)
			if tc.valid {
				assert.Empty(t, problems)
				assert.Equal(t, tc.email, got["a"].Email)
				return
			}
			assert.Equal(t, []string{"users.a.email"}, kit.SortedKeys(problems))
			assert.Equal(t, strconv.Quote(tc.email)+" is not an email address; write it bare, as jane.smith@example.org", problems["users.a.email"])
		})
	}
}

// jsonString encodes s as a JSON string, for a config value.
func jsonString(t *testing.T, s string) string {
	t.Helper()
	data, err := json.Marshal(s)
	require.NoError(t, err)
	return string(data)
}

func TestDecodeDuplicateEmails(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, `{
		"c": {"email": "JANE@example.org", "roles": ["readers"]},
		"a": {"email": "jane@example.org", "roles": ["readers"]},
		"b": {"email": "Jane@Example.Org", "roles": ["readers"]},
		"d": {"email": "john@example.org", "roles": ["readers"]}
	}`, managed)
	assert.Equal(t, []string{"users.b.email", "users.c.email"}, kit.SortedKeys(problems),
		"emails are compared without case; the later keys are reported")
	assert.Contains(t, problems["users.b.email"], `"Jane@Example.Org" is also the email of users.a`)
	assert.Contains(t, problems["users.c.email"], `"JANE@example.org" is also the email of users.`)
}

func TestDecodeRoleReferences(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		ref     string
		managed map[string]roles.Role
		want    users.RoleRef
		problem string // the message at users.a.roles[0], "" for none
	}{
		"managed role by key":                 {ref: "limited-read-write", managed: managed, want: users.RoleRef{Managed: "limited-read-write"}},
		"managed role by name":                {ref: "Limited Read Write", managed: managed, want: users.RoleRef{Managed: "limited-read-write"}},
		"one-word managed key":                {ref: "readers", managed: managed, want: users.RoleRef{Managed: "readers"}},
		"one-word managed name":               {ref: "Readers", managed: managed, want: users.RoleRef{Managed: "readers"}},
		"Datadog Admin Role":                  {ref: "Datadog Admin Role", managed: managed, want: users.RoleRef{Datadog: "Datadog Admin Role"}},
		"Datadog Read Only Role":              {ref: "Datadog Read Only Role", managed: managed, want: users.RoleRef{Datadog: "Datadog Read Only Role"}},
		"Datadog Standard Role":               {ref: "Datadog Standard Role", managed: managed, want: users.RoleRef{Datadog: "Datadog Standard Role"}},
		"built-in with no managed":            {ref: "Datadog Admin Role", managed: nil, want: users.RoleRef{Datadog: "Datadog Admin Role"}},
		"custom Datadog role":                 {ref: "PyTorch Release Managers", managed: managed, want: users.RoleRef{Datadog: "PyTorch Release Managers"}},
		"one-word Datadog role":               {ref: "Billing", managed: managed, want: users.RoleRef{Datadog: "Billing"}},
		"misspelt managed name":               {ref: "Limted Read Write", managed: managed, problem: `no managed role or Datadog role named "Limted Read Write" (did you mean "Limited Read Write"?)`},
		"managed name in lower case":          {ref: "limited read write", managed: managed, problem: `(did you mean "Limited Read Write"?)`},
		"misspelt managed key":                {ref: "limited-read-wrte", managed: managed, problem: `(did you mean "limited-read-write"?)`},
		"built-in in lower case":              {ref: "datadog admin role", managed: managed, problem: `no managed role or Datadog role named "datadog admin role" (did you mean "Datadog Admin Role"?)`},
		"misspelt built-in":                   {ref: "Datadog Read-Only Role", managed: managed, problem: `(did you mean "Datadog Read Only Role"?)`},
		"misspelt built-in, no managed roles": {ref: "Datadog Admin Rol", managed: nil, problem: `(did you mean "Datadog Admin Role"?)`},
		"bare lowercase word": {
			ref: "admin", managed: managed,
			problem: `no managed role with key "admin"; managed roles: limited-read-write, readers; a Datadog role is named by its exact display name, such as "Datadog Read Only Role"`,
		},
		"bare key with digits":            {ref: "ops-2", managed: managed, problem: `no managed role with key "ops-2"; managed roles: limited-read-write, readers`},
		"bare lowercase word, no managed": {ref: "admin", managed: nil, problem: `no managed role with key "admin"; managed roles: none;`},
		"empty":                           {ref: "", managed: managed, problem: `is empty; name a role managed here (its key or name) or an existing Datadog role such as "Datadog Read Only Role"`},
		"only spaces":                     {ref: "   ", managed: managed, problem: "is empty"},
		"leading space":                   {ref: " Readers", managed: managed, problem: `" Readers" has leading or trailing spaces`},
		"trailing space":                  {ref: "Datadog Admin Role ", managed: managed, problem: `"Datadog Admin Role " has leading or trailing spaces`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, `{"a": {"email": "a@example.org", "roles": [`+jsonString(t, tc.ref)+`]}}`, tc.managed)
			if tc.problem == "" {
				assert.Empty(t, problems)
				assert.Equal(t, []users.RoleRef{tc.want}, got["a"].Roles)
				return
			}
			assert.Equal(t, []string{"users.a.roles[0]"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["users.a.roles[0]"], tc.problem)
			assert.Empty(t, got["a"].Roles, "an entry naming no role yields no reference")
		})
	}
}

func TestRoleRefString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "managed role readers", users.RoleRef{Managed: "readers"}.String())
	assert.Equal(t, "Datadog role Datadog Admin Role", users.RoleRef{Datadog: adminDD}.String())
}

func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, `{
		"a": {"email": "not-an-email", "roles": ["admin", "Readers", "readers"], "disabled": "yes"},
		"b": {"emial": "b@example.org", "roles": ["Limted Read Write"], "importId": "x"},
		"c": {"email": "c@localhost", "roles": "readers", "name": false},
		"D": {"email": "d@example.org", "roles": []},
		"e": "e@example.org"
	}`, managed)
	assert.Equal(t, []string{
		"users.D",
		"users.D.roles",
		"users.a.disabled",
		"users.a.email",
		"users.a.roles[0]",
		"users.a.roles[2]",
		"users.b.email",
		"users.b.emial",
		"users.b.importId",
		"users.b.roles[0]",
		"users.c.email",
		"users.c.name",
		"users.c.roles",
		"users.e",
	}, kit.SortedKeys(problems))
}

// TestDecodeInvitation: sendUserInvitation true contradicts disabled, the
// only such combination; the rest decode as written.
func TestDecodeInvitation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fields  string
		problem bool
		want    *bool
	}{
		"disabled, invited":               {`"disabled": true, "sendUserInvitation": true`, true, nil},
		"disabled, not invited":           {`"disabled": true, "sendUserInvitation": false`, false, ptr(false)},
		"disabled, invitation unset":      {`"disabled": true`, false, nil},
		"enabled, invited":                {`"disabled": false, "sendUserInvitation": true`, false, ptr(true)},
		"enabled by default, invited":     {`"sendUserInvitation": true`, false, ptr(true)},
		"enabled, invitation unset":       {`"disabled": false`, false, nil},
		"enabled by default, not invited": {`"sendUserInvitation": false`, false, ptr(false)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, `{"a": {"email": "a@example.org", "roles": ["readers"], `+tc.fields+`}}`, managed)
			if tc.problem {
				assert.Equal(t, []string{"users.a.sendUserInvitation"}, kit.SortedKeys(problems))
				return
			}
			assert.Empty(t, problems)
			assert.Equal(t, tc.want, got["a"].SendUserInvitation, "decoded as written; Invite decides what is sent")
		})
	}
}

func TestInvite(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		user users.User
		want *bool
	}{
		"enabled, unset: the provider's default":   {users.User{}, nil},
		"enabled, invited":                         {users.User{SendUserInvitation: ptr(true)}, ptr(true)},
		"enabled, not invited":                     {users.User{SendUserInvitation: ptr(false)}, ptr(false)},
		"disabled, unset: never invited":           {users.User{Disabled: true}, ptr(false)},
		"disabled, not invited":                    {users.User{Disabled: true, SendUserInvitation: ptr(false)}, ptr(false)},
		"disabled and invited (Decode rejects it)": {users.User{Disabled: true, SendUserInvitation: ptr(true)}, ptr(false)},
		"disabled, adopted":                        {users.User{Disabled: true, ImportID: userID}, ptr(false)},
		"enabled, adopted":                         {users.User{ImportID: userID}, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, users.Invite(tc.user))
		})
	}
}
