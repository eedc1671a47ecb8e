package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// stackFlags are the flags that choose a stack, shared by the commands that
// read one.
type stackFlags struct {
	stack, file, cwd string
	fs               *flag.FlagSet
}

func (f *stackFlags) register(fs *flag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.stack, "stack", "prod", "stack `NAME`: reads Pulumi.NAME.yaml")
	fs.StringVar(&f.file, "file", "", "read this stack file (`PATH`) instead of Pulumi.<stack>.yaml; the stack is named after it unless --stack is given")
	fs.StringVar(&f.cwd, "cwd", ".", "run in `DIR`, the project directory holding Pulumi.yaml; relative paths are taken from it")
}

// path resolves a path given on the command line against --cwd.
func (f *stackFlags) path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(f.cwd, p)
}

// name is the stack's name: --stack, or with --file and no --stack the
// file's (Pulumi.staging.yaml is staging).
func (f *stackFlags) name(file string) string {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == "stack" })
	if file != "" && !set {
		return stackfile.StackName(file)
	}
	return f.stack
}

func (f *stackFlags) load(fingerprints bool) (*loaded, error) {
	return load(f.cwd, f.name(f.file), f.path(f.file), fingerprints)
}

// loaded is a stack as every subcommand starts from it: read from its
// files, its config decoded and validated once, and the program run with
// that config under the mock engine (which also resolves the lookups, such
// as permission names).
type loaded struct {
	file *stackfile.Stack
	cfg  *program.Config
	plan *plan.Plan
}

// load reads, decodes and plans a stack; the error lists every problem.
// With fingerprints, the plan shows secrets as fingerprints of their
// ciphertext (what ddstack diff compares).
func load(cwd, stack, file string, fingerprints bool) (*loaded, error) {
	s, err := stackfile.Load(cwd, stack, file)
	if err != nil {
		return nil, err
	}
	cfg, err := plan.Load(s)
	if err != nil {
		return nil, err
	}
	p, err := plan.Build(s.Name, cfg, fingerprints)
	if err != nil {
		return nil, err
	}
	return &loaded{file: s, cfg: cfg, plan: p}, nil
}

// parseFlags parses a subcommand's flags, which may stand before, between
// or after its positional arguments, and returns those arguments; want is
// how many it takes (-1: any number). When parsing ends the command (help,
// or a usage error), ok is false and code is the exit status.
func parseFlags(fs *flag.FlagSet, args []string, want int, stdout, stderr io.Writer) (positional []string, code int, ok bool) {
	// Asked for, the usage goes to stdout once (flag's parser would
	// print it on its output first).
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, ExitOK, false
		}
	}
	fs.SetOutput(stderr)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, ExitOK, false
		}
		return nil, ExitInvalid, false
	}
	if want >= 0 && len(positional) != want {
		if want == 0 {
			fmt.Fprintf(stderr, "ddstack %s: unexpected argument %q\n", fs.Name(), positional[0])
		} else {
			fmt.Fprintf(stderr, "ddstack %s: takes %d arguments, got %d\n", fs.Name(), want, len(positional))
		}
		fs.Usage()
		return nil, ExitInvalid, false
	}
	return positional, 0, true
}

func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	fingerprints := fs.Bool("secret-fingerprints", false, "with --json, show secrets of the stack file as a fingerprint of their ciphertext (what ddstack diff compares), never their value")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ddstack plan [--stack NAME | --file PATH] [--cwd DIR] [--json]\n\n"+
			"Runs the program under Pulumi's mock engine with the stack's config and shows what it\n"+
			"registers in Datadog and what it looks up. Needs no credentials, network or Pulumi CLI.\n"+
			"Exit status: 0 valid, 2 on a usage error or an invalid stack (every error on stderr).\n\n")
		fs.PrintDefaults()
	}
	if _, code, ok := parseFlags(fs, args, 0, stdout, stderr); !ok {
		return code
	}

	st, err := sf.load(*fingerprints && *asJSON)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	p := st.plan
	for _, n := range p.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			printErrors(stderr, err)
			return ExitError
		}
		return ExitOK
	}
	writeTable(stdout, st.file.Path, p)
	return ExitOK
}

// writeTable prints the plan for a reviewer: one block a resource, one row a
// property, lists one item a row.
func writeTable(w io.Writer, path string, p *plan.Plan) {
	adopted := 0
	for _, r := range p.Resources {
		if r.ImportID != nil {
			adopted++
		}
	}
	// Every text from the config or the program is printed escaped (see
	// kit.EscapeLine): a pull request's stack file could otherwise send its
	// reviewer's terminal escape sequences, or reorder what it shows with
	// bidirectional overrides.
	fmt.Fprintf(w, "Stack %s (%s): %d resources, %d lookups\n", kit.EscapeLine(p.Stack), kit.EscapeLine(path), len(p.Resources), len(p.Invokes))
	if adopted > 0 {
		fmt.Fprintf(w, "%d to adopt from Datadog (import), %d to create\n", adopted, len(p.Resources)-adopted-1)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tPROPERTY\tVALUE")
	for _, r := range p.Resources {
		label := program.ShortType(r.Type) + " " + r.Name
		if r.ImportID != nil {
			label += " (import " + *r.ImportID + ")"
		}
		keys := slices.Sorted(maps.Keys(r.Inputs))
		if len(keys) == 0 {
			fmt.Fprintf(tw, "%s\t\t\n", kit.EscapeLine(label))
		}
		for _, k := range keys {
			for i, line := range valueLines(r.Inputs[k]) {
				switch i {
				case 0:
					fmt.Fprintf(tw, "%s\t%s\t%s\n", kit.EscapeLine(label), kit.EscapeLine(k), kit.EscapeLine(line))
				default:
					fmt.Fprintf(tw, "\t\t%s\n", kit.EscapeLine(line))
				}
			}
			label = ""
		}
	}
	tw.Flush()
	if len(p.Invokes) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOOKUP\tARGUMENTS")
	for _, inv := range p.Invokes {
		fmt.Fprintf(tw, "%s\t%s\n", kit.EscapeLine(program.ShortType(inv.Token)), kit.EscapeLine(strings.Join(valueLines(inv.Args), ", ")))
	}
	tw.Flush()
}

// maxLines is how many lines of a long string (a message, a script) the
// table shows; --json shows all of it.
const maxLines = 12

// valueLines renders a plain value as one or more lines: lists one item a
// line, a long string line by line, objects as key=value pairs with nested
// keys dotted, an object with only an id as its id.
func valueLines(v any) []string {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return []string{"[]"}
		}
		var out []string
		for _, e := range x {
			out = append(out, strings.Join(valueLines(e), " | "))
		}
		return out
	case map[string]any:
		if id, ok := x["id"]; ok && len(x) == 1 {
			return valueLines(id)
		}
		return []string{strings.Join(pairs("", x), " ")}
	case nil:
		return []string{"null"}
	case string:
		lines := strings.Split(strings.TrimRight(x, "\n"), "\n")
		if len(lines) > maxLines {
			more := len(lines) - maxLines
			lines = append(lines[:maxLines], fmt.Sprintf("... (%d more lines; --json shows them)", more))
		}
		return lines
	default:
		return []string{fmt.Sprint(x)}
	}
}

// pairs renders an object's fields as key=value, nested keys dotted.
func pairs(prefix string, m map[string]any) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if inner, ok := m[k].(map[string]any); ok {
			out = append(out, pairs(prefix+k+".", inner)...)
			continue
		}
		if text, ok := m[k].(string); ok && strings.Contains(text, "\n") {
			// A script or message inside an object: its first line, which for
			// a queue check holds its parameters.
			first, _, _ := strings.Cut(text, "\n")
			out = append(out, fmt.Sprintf("%s%s=%s ... (%d lines)", prefix, k, first, strings.Count(text, "\n")+1))
			continue
		}
		out = append(out, prefix+k+"="+strings.Join(valueLines(m[k]), " / "))
	}
	return out
}
