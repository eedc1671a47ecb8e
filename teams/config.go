package teams

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// Section is the config key of the teams: `pytorch-datadog:teams`.
const Section = "teams"

// ImportID is the form of a team's import id: its UUID (the `id` of a
// Terraform `datadog_team`).
var ImportID = kit.UUID

// Team is a Datadog team managed here, and the users who are its members.
type Team struct {
	// Name is the team's display name. Required, unique (case-insensitive).
	Name string
	// Handle is the team's identifier (`@lf-staff` in Datadog). Default: the
	// config key, as production's handles equal their keys. Unique.
	Handle string
	// Description is the team's description (markdown). Required: the
	// provider requires it.
	Description string
	// Members are the config keys of the users (`pytorch-datadog:users`) who
	// are plain members of the team, in config order. Default none.
	Members []string
	// ImportID adopts an existing Datadog team (its UUID).
	ImportID string
}

// MaxHandle is the longest handle Datadog accepts.
const MaxHandle = 195

// handlePattern is the form of a handle Datadog accepts. Why check it here:
// the provider sends any handle as it is and only the Teams API refuses one
// with capitals, spaces or other signs, or longer than MaxHandle
// characters, in the middle of a deployment; the config is the place to
// learn it.
var handlePattern = regexp.MustCompile(`^[a-z0-9_.\-]+$`)

// notes are what the reference says of the section beyond its fields.
//
//go:embed notes.md
var notes string

// Spec declares the teams section: the decoder, the stack file's JSON
// Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Notes: notes,
	Title: "Teams", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "Datadog teams by key; the key is the team's logical name, and its handle unless `handle` says otherwise. Members are users managed here, by key.",
	Values: &kit.Spec{Title: "a team", Kind: kit.Object, Fields: []*kit.Spec{
		{Name: "name", Kind: kit.String, Required: true, Pattern: kit.OneLinePattern, PatternDoc: kit.OneLineDoc,
			Doc: "The team's display name. Unique (case-insensitive)."},
		{Name: "description", Kind: kit.String, Required: true, Pattern: `\S`, PatternDoc: "not empty",
			Doc: "Who the team is, in a sentence (Datadog requires one)."},
		{Name: "handle", Kind: kit.String, Pattern: handlePattern.String(), PatternDoc: "lowercase letters, digits, '_', '.' and '-'", DefaultDoc: "the key",
			Doc: "The team's handle, as Datadog shows and mentions it (@amd-staff). Unique; at most " + fmt.Sprint(MaxHandle) + " characters."},
		{Name: "members", Kind: kit.List, Unique: true, Default: []any{},
			Items: &kit.Spec{Kind: kit.String, Pattern: kit.KeyPattern, PatternDoc: "a user's key"},
			Doc:   "The team's members: keys of users managed here, each once. Each membership is a resource of its own; members added in the Datadog UI are left alone."},
		ImportID.Spec("the team's UUID"),
	}},
}

// Decode decodes and validates the teams section against the users the
// stack manages (members are their keys), reporting every problem to p. An
// absent section is no teams.
func Decode(p *kit.Problems, raw string, present bool, managed map[string]users.User) map[string]Team {
	out := map[string]Team{}
	byName := map[string]string{}
	byHandle := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "team key to "+Spec.Values.Describe()) {
		key, path := e.Key, e.Path
		// Why the key: production's handles equal their keys, and a key
		// has the form of a handle already.
		t := Team{Handle: key, Members: []string{}}
		handleSet, handleOK := false, false
		valid := p.Object(path, e.Value, Spec.Values, []kit.Field{
			{Name: "name", Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Name) {
					checkName(p, fp, t.Name)
				}
			}},
			{Name: "description", Decode: func(fp string, v any) {
				if p.String(fp, v, &t.Description) && p.Printable(fp, t.Description, true) && strings.TrimSpace(t.Description) == "" {
					p.Add(fp, "is empty; say in a sentence who the team is (Datadog requires a description)")
				}
			}},
			{Name: "handle", Decode: func(fp string, v any) {
				handleSet = true
				if p.String(fp, v, &t.Handle) {
					handleOK = checkHandle(p, fp, t.Handle)
				}
			}},
			{Name: "members", Decode: func(fp string, v any) { t.Members = decodeMembers(p, fp, v, managed) }},
			ImportID.Field(p, &t.ImportID),
		})
		if !valid {
			continue
		}
		if !handleSet {
			// A key that is not a config key is reported already; one
			// that is has the handle's form, but may be too long.
			handleOK = kit.IsKey(key)
			if handleOK && len(key) > MaxHandle {
				p.Add(path, "key is %d characters long, and its handle defaults to it; Datadog accepts handles of at most %d: set a shorter handle", len(key), MaxHandle)
				handleOK = false
			}
		}
		if t.Name != "" {
			folded := strings.ToLower(t.Name)
			if other, dup := byName[folded]; dup {
				p.Add(path+".name", "%q is also the name of teams.%s; team names must be unique", t.Name, other)
			}
			byName[folded] = key
		}
		if handleOK {
			if other, dup := byHandle[t.Handle]; dup {
				hp, how := path+".handle", ""
				if !handleSet {
					hp, how = path, " (the key, as handle is not set)"
				}
				p.Add(hp, "handle %q%s is also the handle of teams.%s; team handles must be unique", t.Handle, how, other)
			}
			byHandle[t.Handle] = key
		}
		out[key] = t
	}
	return out
}

func checkName(p *kit.Problems, path, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		p.Add(path, "is empty; give the team its display name in Datadog, such as \"LF Staff\"")
	case !p.Printable(path, name, false):
	case strings.TrimSpace(name) != name:
		p.Add(path, "%q has leading or trailing spaces", name)
	}
}

// checkHandle reports a handle Datadog would refuse, and says whether it is
// valid.
func checkHandle(p *kit.Problems, path, handle string) bool {
	switch {
	case handle == "":
		p.Add(path, "is empty; leave handle out to use the team's key")
	case !handlePattern.MatchString(handle):
		msg := fmt.Sprintf("%q is not a Datadog team handle: lowercase letters, digits, '-', '_' and '.' only", handle)
		if s := suggestHandle(handle); s != "" {
			msg += fmt.Sprintf(" (such as %q)", s)
		}
		p.Add(path, "%s", msg)
	case len(handle) > MaxHandle:
		p.Add(path, "is %d characters long; Datadog accepts handles of at most %d", len(handle), MaxHandle)
	default:
		return true
	}
	return false
}

// suggestHandle turns a display name into a handle: lowercase, every run of
// other characters a single '-'.
func suggestHandle(s string) string {
	out := collapse(s, func(r rune) bool { return r < 128 && handlePattern.MatchString(string(r)) })
	if len(out) > MaxHandle {
		return ""
	}
	return out
}

// collapse lowercases s, keeps the characters keep accepts and turns every
// run of others between them into a single '-'.
func collapse(s string, keep func(rune) bool) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if !keep(r) {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
		dash = false
	}
	return b.String()
}

// decodeMembers decodes a team's members: user keys, each of a user the
// stack manages, none twice.
func decodeMembers(p *kit.Problems, path string, v any, managed map[string]users.User) []string {
	var keys []string
	if !p.StringList(path, v, "user keys", &keys) {
		return []string{}
	}
	known := kit.SortedKeys(managed)
	out := []string{}
	seen := map[string]int{}
	for i, k := range keys {
		ip := fmt.Sprintf("%s[%d]", path, i)
		if _, ok := managed[k]; !ok {
			p.Add(ip, "%s", unknownUser(k, known, managed))
			continue
		}
		if j, dup := seen[k]; dup {
			p.Add(ip, "%q is listed twice (also at [%d])", k, j)
			continue
		}
		seen[k] = i
		out = append(out, k)
	}
	return out
}

// unknownUser says why k names no managed user, and which key was meant.
func unknownUser(k string, known []string, managed map[string]users.User) string {
	if strings.TrimSpace(k) == "" {
		return "is empty; list the key of a user in pytorch-datadog:users"
	}
	for _, key := range known {
		if strings.EqualFold(managed[key].Email, k) {
			return fmt.Sprintf("%q is the email of users.%s; list the user's key: %q", k, key, key)
		}
	}
	if dym := kit.DidYouMean(k, known); dym != "" {
		return fmt.Sprintf("no user %q in users%s", k, dym)
	}
	list := "none"
	if len(known) > 0 {
		list = strings.Join(known, ", ")
	}
	return fmt.Sprintf("no user %q in users; a member is the key of a user in pytorch-datadog:users (users: %s)", k, list)
}
