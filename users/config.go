package users

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// Section is the config key of the users: `pytorch-datadog:users`.
const Section = "users"

// ImportID is the form of a user's import id: its UUID.
var ImportID = kit.UUID

// User is a Datadog user managed here.
type User struct {
	// Email is the login address. Required, unique (case-insensitive).
	Email string
	// Roles are the user's roles, resolved from the config's role entries.
	Roles []RoleRef
	// Disabled keeps the user but blocks the login. Default false.
	Disabled bool
	// Name is the display name; unset leaves it to Datadog.
	Name *string
	// SendUserInvitation; unset leaves the provider's default (send one),
	// except for a disabled entry, which is never invited (Invite).
	SendUserInvitation *bool
	// ImportID adopts an existing Datadog user (its UUID).
	ImportID string
}

// RoleRef is one entry of a user's roles: a role managed here (by its config
// key) or a role that exists in Datadog (by its exact name).
type RoleRef struct {
	// Managed is the config key of a role managed here, or "".
	Managed string
	// Datadog is the exact name of a role that exists in Datadog, or "".
	Datadog string
}

func (r RoleRef) String() string {
	if r.Managed != "" {
		return "managed role " + r.Managed
	}
	return "Datadog role " + r.Datadog
}

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the users section: the decoder, the stack file's JSON
// Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Notes: notes,
	Title: "Users", Kind: kit.Map, KeyPattern: kit.KeyPattern, Required: true,
	Doc: "Datadog users by key; the key is the user's logical name (your handle: jane-smith). At least one user.",
	Values: &kit.Spec{Title: "a user", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "email", Kind: kit.String, Required: true, Pattern: emailPattern, PatternDoc: "a bare address, jane.smith@example.org",
			Doc: "The login address, bare (`jane.smith@example.org`), its part before the @ in ASCII. Unique, without case; an address that looks like another entry's is an error."},
		{Name: "roles", Kind: kit.List, Unique: true, Required: true, MinItems: 1,
			Items: &kit.Spec{Kind: kit.String, Pattern: kit.OneLinePattern, PatternDoc: "a role's key or name"},
			Doc:   "At least one role, each once: a managed role's key or name (`limited-read-write`), or an existing Datadog role's exact name (`Datadog Read Only Role`). Each distinct Datadog role name is looked up once per run."},
		{Name: "disabled", Kind: kit.Bool, Default: false,
			Doc: "Keeps the user but blocks the login. A disabled entry is never sent an invitation."},
		{Name: "name", Kind: kit.String, Pattern: kit.OneLinePattern, PatternDoc: kit.OneLineDoc, DefaultDoc: "left to Datadog",
			Doc: "The display name."},
		{Name: "sendUserInvitation", Kind: kit.Bool, DefaultDoc: "the provider's (send one); false when disabled",
			Doc: "Whether Datadog emails an invitation when the user is created. `true` with `disabled: true` is an error."},
		ImportID.Spec("the user's UUID"),
	}},
}

// emailPattern is what the schema can say of an address (checkEmail says
// the rest): one @, no spaces, a dot in the domain.
const emailPattern = `^[^@\s]+@[^@\s]+\.[^@\s]+$`

// Decode decodes and validates the users section against the managed
// roles, reporting every problem to p. The stack must manage at least one
// user.
func Decode(p *kit.Problems, raw string, present bool, managed map[string]roles.Role) map[string]User {
	out := map[string]User{}
	if !present {
		p.Add(Section, "missing; the stack must manage at least one user (pulumi config set --path 'users.jane-smith.email' jane.smith@example.org)")
		return out
	}
	before := p.Len()
	entries := p.Entries(Section, raw, present, "user key to "+Spec.Values.Describe())
	if len(entries) == 0 && p.Len() == before {
		p.Add(Section, "is empty; the stack must manage at least one user")
		return out
	}
	refs := newResolver(managed)
	emails := emailIndex{}
	for _, e := range entries {
		key, path := e.Key, e.Path
		var u User
		var roleNames []string
		lookup := "" // the email's lookup form, when it is valid
		rolesOK := false
		valid := p.Object(path, e.Value, Spec.Values, []kit.Field{
			{Name: "email", Decode: func(fp string, v any) {
				if p.String(fp, v, &u.Email) {
					lookup = checkEmail(p, fp, u.Email)
				}
			}},
			{Name: "roles", Decode: func(fp string, v any) {
				rolesOK = p.StringList(fp, v, "role names", &roleNames)
			}},
			{Name: "disabled", Decode: func(fp string, v any) { p.Bool(fp, v, &u.Disabled) }},
			{Name: "name", Decode: func(fp string, v any) {
				if p.OptString(fp, v, &u.Name); u.Name != nil {
					checkName(p, fp, *u.Name)
				}
			}},
			{Name: "sendUserInvitation", Decode: func(fp string, v any) { p.OptBool(fp, v, &u.SendUserInvitation) }},
			ImportID.Field(p, &u.ImportID),
		})
		if !valid {
			continue
		}
		if u.Disabled && u.SendUserInvitation != nil && *u.SendUserInvitation {
			p.Add(path+".sendUserInvitation", "a disabled user is never sent an invitation; remove sendUserInvitation, or disabled")
		}
		if rolesOK {
			if len(roleNames) == 0 {
				p.Add(path+".roles", "is empty; give the user at least one role, for example [\"Datadog Read Only Role\"]")
			}
			seen := map[RoleRef]int{}
			for i, name := range roleNames {
				rp := fmt.Sprintf("%s.roles[%d]", path, i)
				ref, err := refs.resolve(name)
				if err != "" {
					p.Add(rp, "%s", err)
					continue
				}
				if j, dup := seen[ref]; dup {
					p.Add(rp, "names the same role as roles[%d] (%s)", j, ref)
					continue
				}
				seen[ref] = i
				u.Roles = append(u.Roles, ref)
			}
		}
		if lookup != "" {
			emails.check(p, path+".email", key, u.Email, lookup)
		}
		out[key] = u
	}
	return out
}

// checkName checks a user's display name: set, it is one line of
// printable text without spaces around it.
func checkName(p *kit.Problems, path, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		p.Add(path, "is empty; write the user's display name (name: Jane Smith), or remove name to leave it to Datadog")
	case !p.Printable(path, name, false):
	case strings.TrimSpace(name) != name:
		p.Add(path, "%q has leading or trailing spaces", name)
	}
}

// emailIndex finds two entries with one address: the same address written
// twice (in another case, or with its domain in Unicode and in punycode),
// or one address that looks like another.
type emailIndex map[string]seenEmail

type seenEmail struct{ key, email, lookup string }

// check records a user's address (in its lookup form) and reports it at
// path when an earlier entry has the same address or one that looks the
// same.
func (idx emailIndex) check(p *kit.Problems, path, key, email, lookup string) {
	if other, dup := idx["="+lookup]; dup {
		how := ""
		if other.email != email {
			how = fmt.Sprintf(" (users.%s.email is %q: addresses compare without case, and a domain in Unicode and in punycode is one domain)", other.key, other.email)
		}
		p.Add(path, "%q is also the email of users.%s; each Datadog user has one entry%s", email, other.key, how)
		return
	}
	idx["="+lookup] = seenEmail{key, email, lookup}
	sk := skeleton(lookup)
	if other, dup := idx["~"+sk]; dup {
		p.Add(path, "%q looks the same as %q, the email of users.%s, but is another address: it has letters of another script that look like Latin ones; retype the address", email, other.email, other.key)
		return
	}
	idx["~"+sk] = seenEmail{key, email, lookup}
}

// resolver turns an entry of a user's roles into a RoleRef: a managed role by
// its key or its name, a built-in Datadog role by its exact name, or another
// role that exists in Datadog by a name that cannot be a typo of any of
// those.
type resolver struct {
	byKey  map[string]string // key -> key
	byName map[string]string // name -> key
	known  []string          // every key, managed name and built-in name
}

func newResolver(managed map[string]roles.Role) *resolver {
	r := &resolver{byKey: map[string]string{}, byName: map[string]string{}}
	for _, key := range kit.SortedKeys(managed) {
		r.byKey[key] = key
		r.known = append(r.known, key)
		if name := managed[key].Name; name != "" {
			r.byName[name] = key
			r.known = append(r.known, name)
		}
	}
	r.known = append(r.known, roles.BuiltinRoles...)
	return r
}

// resolve returns the reference, or a message saying why the entry names no
// role.
func (r *resolver) resolve(name string) (RoleRef, string) {
	switch {
	case strings.TrimSpace(name) == "":
		return RoleRef{}, "is empty; name a role managed here (its key or name) or an existing Datadog role such as \"Datadog Read Only Role\""
	case strings.TrimSpace(name) != name:
		return RoleRef{}, fmt.Sprintf("%q has leading or trailing spaces", name)
	}
	if key, ok := r.byKey[name]; ok {
		return RoleRef{Managed: key}, ""
	}
	if key, ok := r.byName[name]; ok {
		return RoleRef{Managed: key}, ""
	}
	if slices.Contains(roles.BuiltinRoles, name) {
		return RoleRef{Datadog: name}, ""
	}
	if close := kit.Closest(name, r.known, 1); len(close) > 0 {
		return RoleRef{}, fmt.Sprintf("no managed role or Datadog role named %q (did you mean %q?)", name, close[0])
	}
	if kit.IsKey(name) {
		// Datadog role names are display names ("Datadog Read Only Role");
		// a bare lowercase word is almost always a mistyped or missing key.
		return RoleRef{}, fmt.Sprintf("no managed role with key %q; managed roles: %s; a Datadog role is named by its exact display name, such as %q",
			name, r.managedList(), roles.BuiltinRoles[1])
	}
	return RoleRef{Datadog: name}, ""
}

func (r *resolver) managedList() string {
	if len(r.byKey) == 0 {
		return "none"
	}
	return strings.Join(kit.SortedKeys(r.byKey), ", ")
}

// Invite is the sendUserInvitation the user is registered with: false for a
// disabled entry, because the provider cannot create a user disabled: it
// creates an enabled account and disables it on the next update, and an
// invitation sent in between would reach someone who should have no
// access. Otherwise the entry's own setting, or unset (the provider's
// default: send one). An entry with importId is adopted, never created, so
// it is never invited either way.
func Invite(u User) *bool {
	if u.Disabled {
		no := false
		return &no
	}
	return u.SendUserInvitation
}
