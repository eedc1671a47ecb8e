// Package adopt matches the objects of a Terraform state with those of the
// stack config, and writes their ids into the stack file as importIds,
// keeping its comments, key order and formatting: only importId lines are
// added.
package adopt

import (
	"fmt"
	"strings"

	"github.com/pytorch-fdn/pytorch-datadog/internal/tfstate"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// Match pairs a config object with the state object it adopts.
type Match struct {
	// Section and Key name the config object: users.jane-smith.
	Section, Key string
	Object       tfstate.Object
	// Current is the importId the config has already, if any.
	Current string
}

// Pending is a config object no state object matches: it will be created.
type Pending struct {
	Section, Key string
	// On is what it was matched on: an email or a name.
	On string
}

// Ambiguity is a config object that several state objects match.
type Ambiguity struct {
	Section, Key string
	Objects      []tfstate.Object
}

// Report is the outcome of matching.
type Report struct {
	// Set are the matches whose importId is to be written.
	Set []Match
	// Already are the matches whose importId is already the state's id.
	Already []Match
	// Conflicts are the matches whose importId is set to another id: it is
	// never changed, as that would replace the resource.
	Conflicts []Match
	// Ambiguous are refused: one name, several state objects.
	Ambiguous []Ambiguity
	// Unmanaged are the state's objects no config object matches: Pulumi
	// will not manage them.
	Unmanaged []tfstate.Object
	// Created are the config's objects no state object matches.
	Created []Pending
}

// Refused says whether the report holds a match ddstack import will not
// make; then nothing is written.
func (r *Report) Refused() bool { return len(r.Ambiguous)+len(r.Conflicts) > 0 }

// Compare matches each config entry of every type of the registry with
// the state's objects of that type's Terraform type, on the attribute the
// registry names (users by email, case-insensitively; the others by name).
func Compare(cfg *program.Config, objects []tfstate.Object) *Report {
	r := &Report{}
	used := map[string]bool{}
	for _, t := range program.Types {
		for _, e := range t.Entries(cfg) {
			r.match(t, e, objects, used)
		}
	}
	for _, o := range objects {
		if !used[o.Address] {
			r.Unmanaged = append(r.Unmanaged, o)
		}
	}
	return r
}

func (r *Report) match(t program.Type, e program.Entry, objects []tfstate.Object, used map[string]bool) {
	var found []tfstate.Object
	for _, o := range objects {
		if o.Type == t.Terraform && t.Match(o.Key) == t.Match(e.On) {
			found = append(found, o)
			used[o.Address] = true
		}
	}
	switch {
	case len(found) == 0:
		r.Created = append(r.Created, Pending{Section: t.Section, Key: e.Key, On: e.On})
	case len(found) > 1:
		r.Ambiguous = append(r.Ambiguous, Ambiguity{Section: t.Section, Key: e.Key, Objects: found})
	default:
		m := Match{Section: t.Section, Key: e.Key, Object: found[0], Current: e.ImportID}
		switch e.ImportID {
		case "":
			r.Set = append(r.Set, m)
		case found[0].ID:
			r.Already = append(r.Already, m)
		default:
			r.Conflicts = append(r.Conflicts, m)
		}
	}
}

// Describe writes the report for a person.
func (r *Report) Describe(b *strings.Builder) {
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		fmt.Fprintf(b, "\n%s (%d):\n", title, n)
		return true
	}
	if section("To adopt: importId to set", len(r.Set)) {
		for _, m := range r.Set {
			fmt.Fprintf(b, "  %s.%s <- %s (id %s)\n", m.Section, m.Key, m.Object.Address, m.Object.ID)
		}
	}
	if section("Already adopted: importId set to the state's id", len(r.Already)) {
		for _, m := range r.Already {
			fmt.Fprintf(b, "  %s.%s = %s (id %s)\n", m.Section, m.Key, m.Object.Address, m.Object.ID)
		}
	}
	if section("In the config, not in the state: will be created", len(r.Created)) {
		for _, p := range r.Created {
			fmt.Fprintf(b, "  %s.%s (%q)\n", p.Section, p.Key, p.On)
		}
	}
	if section("In the state, not in the config: left unmanaged by Pulumi", len(r.Unmanaged)) {
		for _, o := range r.Unmanaged {
			fmt.Fprintf(b, "  %s (%q, id %s)\n", o.Address, o.Key, o.ID)
		}
	}
	if section("Refused, ambiguous: several state objects match", len(r.Ambiguous)) {
		for _, a := range r.Ambiguous {
			var addrs []string
			for _, o := range a.Objects {
				addrs = append(addrs, fmt.Sprintf("%s (id %s)", o.Address, o.ID))
			}
			fmt.Fprintf(b, "  %s.%s matches %s; set %s.%s.importId by hand to the one to adopt\n",
				a.Section, a.Key, strings.Join(addrs, " and "), a.Section, a.Key)
		}
	}
	if section("Refused, conflicting: importId already set to another id (changing it would replace the resource)", len(r.Conflicts)) {
		for _, m := range r.Conflicts {
			fmt.Fprintf(b, "  %s.%s.importId is %q, but %s has id %q\n", m.Section, m.Key, m.Current, m.Object.Address, m.Object.ID)
		}
	}
}
