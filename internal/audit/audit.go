// Package audit compares the organisation as Datadog has it with the
// stack, type by type from the registry (ddstack audit): the objects of a
// managed type that no entry manages (unmanaged), the entries without
// importId whose object exists already, which the next up would create
// again (unadopted), and the entries whose importId names an object that
// Datadog no longer has (missing). It also turns its findings into edits
// of the stack file: the importIds of unadopted entries, and new entries
// for unmanaged objects.
package audit

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/pytorch-fdn/pytorch-datadog/internal/adopt"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// Finding is one object or entry the audit reports.
type Finding struct {
	// Type is the config section: users, monitors.
	Type string `json:"type"`
	// ID is the Datadog id (what importId takes).
	ID string `json:"id"`
	// Key is the stack entry's key; for an unmanaged object, the key an
	// entry for it would take.
	Key string `json:"key"`
	// Name is the object's email, name or title.
	Name string `json:"name"`
	// Note says what else there is to know: several objects match an
	// entry, the id that the Pulumi state (not the importId) gave.
	Note string `json:"note,omitempty"`
}

// Report is what ddstack audit prints.
type Report struct {
	// Site is the Datadog API address read (datadog:apiUrl).
	Site      string    `json:"site"`
	Unmanaged []Finding `json:"unmanaged"`
	Unadopted []Finding `json:"unadopted"`
	Missing   []Finding `json:"missing"`
	// Requests is how many HTTP requests the audit sent, retries included.
	Requests int `json:"requests"`
	// Notes say what the audit could not see (a type Datadog cannot list).
	Notes []string `json:"-"`
}

// Findings is how many findings there are.
func (r *Report) Findings() int { return len(r.Unmanaged) + len(r.Unadopted) + len(r.Missing) }

// Audit is a report and what its edits of the stack file start from.
type Audit struct {
	Report
	// Set are the importIds to give unadopted entries: those that one
	// Datadog object matches (for several, the entry is reported and left
	// to set by hand).
	Set []adopt.IDEdit
	// unmanaged are the unmanaged objects, in the order reported.
	unmanaged []candidate
}

type candidate struct {
	t       program.Type
	finding Finding
	object  live.Object
}

// Lists are what Datadog has of each type of the registry, in its order.
type Lists []TypeList

// TypeList is what Datadog has of one type; OK is false for a type
// ddstack cannot read.
type TypeList struct {
	List live.List
	OK   bool
}

// Read reads every type the registry can read from Datadog, all at once.
// The error joins every type's that failed, each naming its endpoint; a
// refusal of the keys is told once, as is an interrupt.
func Read(r *live.Reader, cfg *program.Config) (Lists, error) {
	lists := make(Lists, len(program.Types))
	errs := make([]error, len(program.Types))
	var wg sync.WaitGroup
	for i, t := range program.Types {
		wg.Go(func() {
			lists[i].List, lists[i].OK, errs[i] = t.List(r, cfg)
		})
	}
	wg.Wait()
	var failed []error
	for i, err := range errs {
		if err == nil {
			continue
		}
		var refused *live.RefusedError
		if errors.As(err, &refused) {
			return nil, refused
		}
		if err := r.Context().Err(); err != nil {
			return nil, err
		}
		failed = append(failed, fmt.Errorf("%s: %w", program.Types[i].Section, err))
	}
	if err := errors.Join(failed...); err != nil {
		return nil, err
	}
	return lists, nil
}

// Compare compares what Datadog has (Read) with a config. managed are the
// ids the Pulumi state holds (ReadState), or nil when the audit is not
// given the state; site and requests are the report's.
func Compare(lists Lists, cfg *program.Config, managed Managed, site string, requests int) *Audit {
	a := &Audit{Report: Report{
		Site:      site,
		Unmanaged: []Finding{}, Unadopted: []Finding{}, Missing: []Finding{},
		Requests: requests,
	}}
	for i, t := range program.Types {
		if !lists[i].OK {
			a.Notes = append(a.Notes, fmt.Sprintf("%s: not audited: ddstack cannot read them from Datadog", t.Section))
			continue
		}
		a.compare(t, t.Entries(cfg), lists[i].List, managed[t.Section])
	}
	return a
}

// compare matches one type's entries with what Datadog has of it, in two
// passes. First the entries with an id: the id the Pulumi state holds for
// the entry (what Pulumi manages, whatever its importId says), or else its
// importId. Such an entry manages that object only, and is missing when
// Datadog has no object of that id. Then the entries without one: each
// manages what matches it on the type's match value among the objects no
// id claimed, and each such object makes it unadopted. Every other object
// is unmanaged, unless it is quiet.
func (a *Audit) compare(t program.Type, entries []program.Entry, l live.List, state map[string]string) {
	byID := map[string]bool{}
	for _, o := range l.Objects {
		byID[o.ID] = true
	}
	claimed := map[string]bool{}
	keys := map[string]bool{}
	var unidentified []program.Entry
	for _, e := range entries {
		keys[e.Key] = true
		id, note := e.ImportID, "its importId"
		if held := state[e.Key]; held != "" {
			id, note = held, "its id in the Pulumi state"
			if e.ImportID != "" && e.ImportID != held {
				note += fmt.Sprintf(" (its importId, %s, is another: drop it)", e.ImportID)
			}
		}
		switch {
		case id == "":
			unidentified = append(unidentified, e)
		case byID[id]:
			claimed[id] = true
		case l.Covers != nil && !l.Covers(id):
			// A type Datadog cannot list was read for some ids only: this
			// one's absence says nothing.
		default:
			a.Missing = append(a.Missing, Finding{Type: t.Section, ID: id, Key: e.Key, Name: e.On,
				Note: note + " names an object Datadog does not have"})
		}
	}
	byOn := map[string][]live.Object{}
	for _, o := range l.Objects {
		if !claimed[o.ID] {
			byOn[t.Match(o.On)] = append(byOn[t.Match(o.On)], o)
		}
	}
	for _, e := range unidentified {
		found := byOn[t.Match(e.On)]
		for _, o := range found {
			claimed[o.ID] = true
			f := Finding{Type: t.Section, ID: o.ID, Key: e.Key, Name: o.Name}
			if len(found) > 1 {
				f.Note = fmt.Sprintf("%d objects in Datadog match it; set importId by hand to the one to adopt", len(found))
			}
			a.Unadopted = append(a.Unadopted, f)
		}
		if len(found) == 1 {
			a.Set = append(a.Set, adopt.IDEdit{Section: t.Section, Key: e.Key, ID: found[0].ID})
		}
	}
	if l.Partial != "" {
		a.Notes = append(a.Notes, t.Section+": "+l.Partial)
	}
	for _, o := range l.Objects {
		if claimed[o.ID] || o.Quiet {
			continue
		}
		// The entry is written under this key: a conversion that leaves out
		// what equals the key (a team's handle) must see it.
		o.Key = adopt.UniqueKey(keys, o.Key)
		keys[o.Key] = true
		f := Finding{Type: t.Section, ID: o.ID, Key: o.Key, Name: o.Name}
		a.Unmanaged = append(a.Unmanaged, f)
		a.unmanaged = append(a.unmanaged, candidate{t: t, finding: f, object: o})
	}
}

// Additions are the unmanaged objects as new stack entries that adopt them
// (ddstack audit --add), each by its type's conversion; those that cannot
// be written as config are listed instead, each with why. An object whose
// match value (a name, a title) an entry or an earlier addition has is one
// of them: the stack's are unique, and Datadog's need not be.
func (a *Audit) Additions(r *live.Reader, cfg *program.Config) (adds []adopt.Addition, cannot []string) {
	taken := map[string]map[string]string{} // section -> match value -> key
	for _, t := range program.Types {
		taken[t.Section] = map[string]string{}
		for _, e := range t.Entries(cfg) {
			taken[t.Section][t.Match(e.On)] = e.Key
		}
	}
	for _, c := range a.unmanaged {
		label := fmt.Sprintf("%s %q (id %s)", c.t.Section, c.finding.Name, c.finding.ID)
		on := c.t.Match(c.object.On)
		if other, dup := taken[c.t.Section][on]; dup {
			what := strings.ReplaceAll(strings.Join(c.t.MatchOn, " and "), "_", " ")
			cannot = append(cannot, fmt.Sprintf("%s: %s.%s has the same %s, and the stack's are unique: rename one of the two in Datadog, then audit again",
				label, c.t.Section, other, what))
			continue
		}
		entry, ok, err := c.t.FromAPI(r, c.object, cfg.Channels)
		switch {
		case !ok:
			cannot = append(cannot, fmt.Sprintf("%s: ddstack cannot write %s as config; write the entry by hand with importId %q", label, c.t.Section, c.finding.ID))
			continue
		case err != nil:
			cannot = append(cannot, fmt.Sprintf("%s: %v", label, err))
			continue
		}
		taken[c.t.Section][on] = c.finding.Key
		adds = append(adds, adopt.Addition{
			Section: c.t.Section, Key: c.finding.Key, Entry: entry, Spec: c.t.EntrySpec(),
			By: "ddstack audit --add", Source: "Datadog",
		})
	}
	return adds, cannot
}
