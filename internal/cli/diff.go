package cli

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/diff"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
)

const diffUsage = `Usage: ddstack diff [--stack NAME | --file PATH] [--cwd DIR] --base REF [--format text|markdown|json] [--exit-code]
       ddstack diff [--cwd DIR] [--format ...] [--exit-code] OLD.yaml NEW.yaml

Shows what a stack config change does in Datadog: the resources added, removed
and changed, and the properties that differ. Each side is the program run under
Pulumi's mock engine, as ddstack plan runs it; no credentials, network or Pulumi
CLI. With --base, the old side is the stack file and the program at git REF
(for example origin/main) and the new side the working tree; with two files,
both run the working tree's program. Secrets show only as [secret] changed.
Exit status: 0 (with --exit-code: 0 no changes, 1 changes), 2 on errors.

`

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	base := fs.String("base", "", "git `REF` whose stack file and program are the old side")
	format := fs.String("format", "text", "output `FORMAT`: text, markdown (a pull request comment) or json")
	asJSON := fs.Bool("json", false, "the same as --format json")
	exitCode := fs.Bool("exit-code", false, "exit 1 when there are changes, as git diff --exit-code")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), diffUsage)
		fs.PrintDefaults()
	}
	files, code, ok := parseFlags(fs, args, -1, stdout, stderr)
	if !ok {
		return code
	}
	if *asJSON {
		*format = "json"
	}
	switch {
	case *format != "text" && *format != "markdown" && *format != "json":
		fmt.Fprintf(stderr, "ddstack diff: --format is text, markdown or json, not %q\n", *format)
		return ExitInvalid
	case *base == "" && len(files) != 2, *base != "" && len(files) != 0:
		fmt.Fprintln(stderr, "ddstack diff: give --base REF, or two stack files")
		fs.Usage()
		return ExitInvalid
	}

	var (
		oldPlan, newPlan *plan.Plan
		baseName         string
		err              error
	)
	if *base != "" {
		baseName = *base
		name := sf.name(sf.file)
		if oldPlan, err = planAtRef(sf, name, *base); err == nil {
			newPlan, err = planOf(sf.cwd, name, sf.path(sf.file))
		}
	} else {
		// Both files are one stack, named by --stack or after the new
		// file, so that its resources' URNs compare equal.
		baseName = files[0]
		name := sf.name(files[1])
		if oldPlan, err = planOf(sf.cwd, name, sf.path(files[0])); err == nil {
			newPlan, err = planOf(sf.cwd, name, sf.path(files[1]))
		}
	}
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}

	res := diff.Compare(oldPlan, newPlan, baseName)
	switch *format {
	case "markdown":
		diff.Markdown(stdout, res)
	case "json":
		if err := diff.JSON(stdout, res); err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
	default:
		// Printed escaped (kit.Escape, keeping its lines and tabs): the
		// new side is a pull request's, and its text must not reach the
		// reviewer's terminal as escape sequences or bidi overrides.
		var buf bytes.Buffer
		diff.Text(&buf, res)
		io.WriteString(stdout, kit.Escape(buf.String()))
	}
	if *exitCode && res.HasChanges() {
		return ExitError
	}
	return ExitOK
}

// planOf builds the plan of a stack in the working tree, secrets
// fingerprinted.
func planOf(cwd, stack, file string) (*plan.Plan, error) {
	st, err := load(cwd, stack, file, true)
	if err != nil {
		return nil, inFile(file, err)
	}
	return st.plan, nil
}

// planAtRef builds the plan of the stack as it was at a git ref, with the
// program as it was then: it extracts the ref's tree and runs its ddstack
// plan. A stack file that does not exist at the ref is an empty stack.
func planAtRef(sf stackFlags, stack, ref string) (*plan.Plan, error) {
	top, err := git(sf.cwd, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--base needs a git checkout: %w", err)
	}
	commit, err := git(sf.cwd, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("--base %s: no such commit (for a pull request's base, fetch it first: git fetch origin main)", ref)
	}
	prefix, err := git(sf.cwd, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "ddstack-base-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := extract(top, ref, tmp); err != nil {
		return nil, fmt.Errorf("--base %s: %w", ref, err)
	}

	projectDir := filepath.Join(tmp, prefix)
	stackPath := filepath.Join(projectDir, "Pulumi."+stack+".yaml")
	if sf.file != "" {
		abs, err := filepath.Abs(sf.path(sf.file))
		if err != nil {
			return nil, err
		}
		realTop, err := filepath.EvalSymlinks(top)
		if err != nil {
			return nil, err
		}
		if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
			abs = filepath.Join(dir, filepath.Base(abs))
		}
		rel, err := filepath.Rel(realTop, abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			return nil, fmt.Errorf("--file %s is not in the git checkout, so it has no version at %s", sf.file, ref)
		}
		stackPath = filepath.Join(tmp, rel)
	}
	if _, err := os.Stat(stackPath); errors.Is(err, os.ErrNotExist) {
		return nil, nil // the stack is new: everything is added
	}
	if _, err := os.Stat(filepath.Join(projectDir, "cmd", "ddstack")); err != nil {
		return nil, fmt.Errorf("--base %s has no cmd/ddstack, so its program cannot be planned; diff against a later commit", ref)
	}

	cmd := exec.Command("go", "run", "./cmd/ddstack", "plan", "--json", "--secret-fingerprints", "--stack", stack, "--file", stackPath)
	cmd.Dir = projectDir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if uerr := baseUsageError(ref, commit, errb.String()); uerr != nil {
			return nil, uerr
		}
		return nil, fmt.Errorf("the stack at %s does not plan (%v):\n%s", ref, err, strings.TrimSpace(errb.String()))
	}
	var p plan.Plan
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		return nil, fmt.Errorf("the plan at %s: %w", ref, err)
	}
	return &p, nil
}

var (
	undefinedFlag  = regexp.MustCompile(`(?m)^flag provided but not defined: -+([^\s=]+)`)
	unknownCommand = regexp.MustCompile(`(?m)^ddstack: unknown command "([^"]*)"`)
)

// baseUsageError says, in one line, that the base commit's ddstack is too
// old for the command line diff runs it with, when its stderr shows it
// rejected it (an unknown flag or command, then its usage text): its usage
// says nothing useful here. It is nil for any other failure.
func baseUsageError(ref, commit, stderr string) error {
	short := commit
	if len(short) > 12 {
		short = short[:12]
	}
	at := fmt.Sprintf("--base %s: the base commit %s's ddstack", ref, short)
	if m := undefinedFlag.FindStringSubmatch(stderr); m != nil {
		return fmt.Errorf("%s does not support --%s (it predates it); pick a newer --base", at, m[1])
	}
	if m := unknownCommand.FindStringSubmatch(stderr); m != nil {
		return fmt.Errorf("%s has no %s command (it predates it); pick a newer --base", at, m[1])
	}
	return nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// extract writes the tree of ref into dir, from git archive.
func extract(top, ref, dir string) error {
	cmd := exec.Command("git", "-C", top, "archive", "--format=tar", ref)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	tr := tar.NewReader(pipe)
	var extractErr error
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			extractErr = err
			break
		}
		target := filepath.Join(dir, filepath.Clean("/"+h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			extractErr = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			extractErr = writeFile(target, tr, os.FileMode(h.Mode).Perm())
		}
		if extractErr != nil {
			break
		}
	}
	_, _ = io.Copy(io.Discard, pipe)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive: %v %s", err, strings.TrimSpace(errb.String()))
	}
	return extractErr
}

func writeFile(path string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// inFile prefixes each problem of a joined error with the file it is in,
// so that a diff of two stacks says which one is invalid.
func inFile(file string, err error) error { return inFileSaying(file, "", err) }

// inFileSaying is inFile with a note after the file's name ("the edited
// file does not validate: ") on each problem that did not name it.
func inFileSaying(file, note string, err error) error {
	var out []error
	for _, e := range kit.Leaves(err) {
		if !strings.HasPrefix(e.Error(), file) {
			e = fmt.Errorf("%s: %s%w", file, note, e)
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}
