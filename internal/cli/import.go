package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pytorch-fdn/pytorch-datadog/internal/adopt"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/internal/tfstate"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

const importUsage = `Usage: ddstack import --tfstate FILE [--stack NAME | --file PATH] [--cwd DIR] [--add] [--write]

Matches the Datadog objects of a Terraform/OpenTofu state (the JSON of
tofu show -json, or a terraform.tfstate) with the stack config, each type on
the attributes the registry names: users by email (case-insensitive), teams by
handle, the Slack channel by account and channel, the AWS account by its id, the
others by name or title. It reports the matches, the state's objects that Pulumi
would leave unmanaged, and the config's objects that would be created. With
--add, the state's objects that have no counterpart in the config become new
entries of the stack file, with their importIds. With --write it sets the
importIds (and adds the entries) in the stack file, adding only those lines;
without, it shows the change it would make.
It refuses a name that several state objects share, and never changes an importId
already set to another id.
Exit status: 0 done, 1 refused (ambiguous or conflicting; nothing written),
2 on a usage, config or state error.

`

func runImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	state := fs.String("tfstate", "", "the Terraform state `FILE` (show -json output or terraform.tfstate)")
	write := fs.Bool("write", false, "set the importIds in the stack file")
	add := fs.Bool("add", false, "write the state's objects that have no counterpart in the config as new entries")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	if _, code, ok := parseFlags(fs, args, 0, stdout, stderr); !ok {
		return code
	}
	if *state == "" {
		fmt.Fprintln(stderr, "ddstack import: --tfstate is required")
		fs.Usage()
		return ExitInvalid
	}

	st, err := sf.load(false)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	s, cfg := st.file, st.cfg
	data, err := stackfile.ReadFile(sf.path(*state), maxStateBytes)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	objects, err := tfstate.Read(data, program.TerraformTypes())
	if err != nil {
		printErrors(stderr, fmt.Errorf("%s: %w", *state, err))
		return ExitInvalid
	}

	report := adopt.Compare(cfg, objects)
	var adds []adopt.Addition
	var cannot []string
	if *add {
		adds, cannot = additions(cfg, report.Unmanaged, tfstate.RoleNames(data))
	}
	edit := stackEdit{set: adopt.Edits(report.Set), adds: adds, cannot: cannot,
		next: `pulumi preview must show only imports (docs/migrating.md, "Adopting the Terraform-managed organisation").`}
	var b strings.Builder
	fmt.Fprintf(&b, "Terraform state %s: %d Datadog objects; stack %s (%s)\n", *state, len(objects), s.Name, s.Path)
	report.Describe(&b)
	edit.describe(&b)
	fmt.Fprint(stdout, b.String())
	if report.Refused() {
		fmt.Fprintf(stderr, "error: refused: resolve the ambiguous or conflicting objects above; %s is unchanged\n", s.Path)
		return ExitError
	}
	// The edited file, matched with the state again, must have every
	// importId set and none conflicting.
	err = edit.apply(s, *write, stdout, func(cfg *program.Config) error {
		if again := adopt.Compare(cfg, objects); len(again.Set) > 0 || again.Refused() {
			return errors.New("the edit did not set every importId as matched; nothing written")
		}
		return nil
	})
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	return ExitOK
}

// additions turns the state's unmanaged objects into new config entries,
// each keyed uniquely in its section; those the registry cannot write as
// config, or whose attributes do not convert, are listed instead.
func additions(cfg *program.Config, unmanaged []tfstate.Object, roleNames map[string]string) ([]adopt.Addition, []string) {
	var adds []adopt.Addition
	var cannot []string
	used := map[string]map[string]bool{}
	for _, t := range program.Types {
		used[t.Section] = map[string]bool{}
		for _, e := range t.Entries(cfg) {
			used[t.Section][e.Key] = true
		}
	}
	for _, o := range unmanaged {
		for _, t := range program.Types {
			if t.Terraform != o.Type {
				continue
			}
			key, entry, ok, err := t.FromTerraform(o.Attrs, roleNames)
			switch {
			case !ok:
				cannot = append(cannot, fmt.Sprintf("%s: ddstack cannot write %s as config yet; write the entry by hand with importId %q", o.Address, t.Section, o.ID))
				continue
			case err != nil:
				cannot = append(cannot, fmt.Sprintf("%s: %v", o.Address, err))
				continue
			}
			unique := adopt.UniqueKey(used[t.Section], key)
			used[t.Section][unique] = true
			adds = append(adds, adopt.Addition{Section: t.Section, Key: unique, Entry: entry, Spec: t.EntrySpec(), By: "ddstack import --add", Source: o.Address})
		}
	}
	return adds, cannot
}
