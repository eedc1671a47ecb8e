// Package cli is the ddstack command line: one file per subcommand, each
// returning its exit status; only main exits.
package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Exit statuses, one rule for every subcommand.
const (
	ExitOK = 0
	// ExitError: what the command checks failed (check: a test failed;
	// import: refused; diff --exit-code: there are changes).
	ExitError = 1
	// ExitInvalid: a usage error, or a stack (or state, or script) that does
	// not load or validate. An invalid stack exits with it from every
	// subcommand, with one line per problem on stderr and nothing on
	// stdout.
	ExitInvalid = 2
)

const usage = `ddstack: the pytorch-datadog stack, without credentials or the Pulumi CLI

Usage:
  ddstack plan [--stack NAME | --file PATH] [--cwd DIR] [--json]
  ddstack diff [--stack NAME | --file PATH] [--cwd DIR] --base REF [--format text|markdown|json] [--exit-code]
  ddstack diff [--format text|markdown|json] [--exit-code] OLD.yaml NEW.yaml
  ddstack check [--stack NAME | --file PATH] [--grep REGEXP] [--no-retry] [--parallel N]
                [--resolve HOST:PORT:ADDR]... [--cacert FILE] [--json] [NAME ...]
  ddstack import --tfstate FILE [--stack NAME | --file PATH] [--add] [--write]
  ddstack audit [--stack NAME | --file PATH] [--state FILE] [--json | --markdown] [--add] [--write]
  ddstack secrets [--stack NAME | --file PATH]
  ddstack queues coverage [--stack NAME | --file PATH] [--types FILE | --hud [URL] | --history FILE] [--json]
  ddstack queues backtest [--stack NAME | --file PATH] (--history FILE | --hud [URL] [--days N])
                          [--target N] [--plot DIR] [--json]

Commands:
  plan   run the program under Pulumi's mock engine and show what it registers
  diff   show what a stack config change does in Datadog
  check  run the stack's synthetics tests from here, as Datadog would
  import adopt objects a Terraform state manages: set their importIds
  audit  what the live organisation has that the stack does not manage, and adopt it
  secrets the secrets the stack needs that its file does not hold, and their repository secrets
  queues which queue test watches each runner type; how often each would have paged

Run ddstack COMMAND --help for a command's flags.
`

// Run runs ddstack with its arguments (without the program name) and returns
// the exit status.
//
// What a command writes to stdout is held until it ends: a command that
// exits 2 (a usage error, an invalid stack or state) prints nothing there,
// only its errors on stderr. And no character a terminal would act on
// reaches stdout, whatever a stack file, a Terraform state or a server put
// in the output (safeOutput).
func Run(args []string, stdout, stderr io.Writer) int {
	var out bytes.Buffer
	code := dispatch(args, &out, stderr)
	if code != ExitInvalid {
		_, _ = stdout.Write(safeOutput(out.Bytes()))
	}
	return code
}

// safeOutput is what a command wrote, every character a terminal would
// act on escaped (configkit.EscapeOutput). The commands escape what they
// print; this is the last guard.
func safeOutput(out []byte) []byte { return []byte(kit.EscapeOutput(string(out))) }

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitInvalid
	}
	switch args[0] {
	case "plan":
		return runPlan(args[1:], stdout, stderr)
	case "diff":
		return runDiff(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "import":
		return runImport(args[1:], stdout, stderr)
	case "queues":
		return runQueues(args[1:], stdout, stderr)
	case "audit":
		return runAudit(args[1:], stdout, stderr)
	case "secrets":
		return runSecrets(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	default:
		fmt.Fprintf(stderr, "ddstack: unknown command %q\n\n%s", args[0], usage)
		return ExitInvalid
	}
}

// printErrors writes one line per error of a joined error, each as
// "error: ...".
func printErrors(w io.Writer, err error) {
	for _, e := range kit.Leaves(err) {
		for i, line := range strings.Split(strings.TrimRight(e.Error(), "\n"), "\n") {
			line = kit.Escape(line)
			if i == 0 {
				fmt.Fprintf(w, "error: %s\n", line)
			} else {
				fmt.Fprintf(w, "       %s\n", line)
			}
		}
	}
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments (ddstack check 'gha-*' --no-retry), and returns the
// positional ones. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
