package cli

import (
	"bytes"
	"fmt"
	"io"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/pytorch-fdn/pytorch-datadog/internal/adopt"
	"github.com/pytorch-fdn/pytorch-datadog/internal/atomicfile"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// stackEdit is what ddstack import and audit change in the stack file:
// importIds to set and entries to add, which adopt objects that exist; and
// what they could not add, with why.
type stackEdit struct {
	set    []adopt.IDEdit
	adds   []adopt.Addition
	cannot []string
	// next says what to do after the edit is written.
	next string
}

// describe lists the entries to add and those that cannot be.
func (e stackEdit) describe(w io.Writer) {
	if len(e.adds) > 0 {
		fmt.Fprintf(w, "\nTo add to the config, adopted with their importIds (%d):\n", len(e.adds))
		for _, a := range e.adds {
			fmt.Fprintf(w, "  %s.%s <- %s (id %v)\n", a.Section, a.Key, a.Source, a.Entry["importId"])
		}
	}
	if len(e.cannot) > 0 {
		fmt.Fprintf(w, "\nNot added (add them by hand) (%d):\n", len(e.cannot))
		for _, c := range e.cannot {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
}

// apply makes the edit in memory, has check verify the edited file's
// config (the file must load and validate first), and then writes it, or
// with write false shows the change as a diff. Written beside the file,
// synced and renamed over it, a full disk or a kill part way leaves the
// file as it was; an edit that check refuses is never written. The error
// names the stack file.
func (e stackEdit) apply(s *stackfile.Stack, write bool, w io.Writer, check func(*program.Config) error) error {
	before, err := stackfile.ReadFile(s.Path, stackfile.MaxSize)
	if err != nil {
		return err
	}
	if !bytes.Equal(before, s.Source) {
		// The edit was made against what was read then; another edit since
		// (a rebase, the user's editor) would get it in the wrong places.
		return fmt.Errorf("%s: changed since ddstack read it; nothing written: run the command again", s.Path)
	}
	after, err := adopt.Write(before, e.set)
	if err == nil {
		after, err = adopt.Add(after, e.adds)
	}
	if err == nil {
		var cfg *program.Config
		if cfg, err = loadEdited(s, after); err == nil {
			err = check(cfg)
		}
	}
	if err != nil {
		return inFile(s.Path, err)
	}
	switch {
	case len(e.set)+len(e.adds) == 0:
		fmt.Fprintf(w, "\nNo importId to set; %s is unchanged.\n", s.Path)
	case write:
		if err := atomicfile.WriteFile(s.Path, after, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nSet %d importIds and added %d entries in %s. Next: %s\n", len(e.set), len(e.adds), s.Path, e.next)
	default:
		text, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(string(before)), B: difflib.SplitLines(string(after)),
			FromFile: s.Path, ToFile: s.Path + " (with --write)", Context: 2,
		})
		fmt.Fprintf(w, "\nWould set %d importIds and add %d entries (run again with --write):\n\n%s", len(e.set), len(e.adds), text)
	}
	return nil
}

// loadEdited reads an edited stack file from memory, and decodes and
// validates it as ddstack plan would; each problem says the edit made it
// (the file on disk is valid) and names the stack file.
func loadEdited(s *stackfile.Stack, after []byte) (*program.Config, error) {
	edited, err := stackfile.LoadData(s.Dir, s.Name, s.Path, after)
	if err != nil {
		return nil, invalidEdit(s.Path, err)
	}
	cfg, err := plan.Load(edited)
	if err != nil {
		return nil, invalidEdit(s.Path, err)
	}
	return cfg, nil
}

// invalidEdit says, for each problem of the edited file, that the edit
// made it: the file as it is on disk is valid. Each names the stack file.
func invalidEdit(path string, err error) error {
	return inFileSaying(path, "the edited file does not validate: ", err)
}
