package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

const secretsUsage = `Usage: ddstack secrets [--stack NAME | --file PATH] [--cwd DIR]

Lists the secrets the stack refers to (a webhook header's {secret: NAME}, a
synthetics test's {{ NAME }}) that its stack file does not hold, one a line:
the secret's name under secrets, and the repository secret the workflows set
it from, by the one naming rule (capitals, '_' for '-'):

  incident-io-bearer INCIDENT_IO_BEARER

The workflows' set-up action reads it to set each secret for the run.
Exit status: 0, or 2 on a usage error or an invalid stack.

`

func runSecrets(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("secrets", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), secretsUsage)
		fs.PrintDefaults()
	}
	var sf stackFlags
	sf.register(fs)
	if _, code, ok := parseFlags(fs, args, 0, stdout, stderr); !ok {
		return code
	}
	st, err := sf.load(false)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	var b strings.Builder
	for _, name := range program.MissingSecrets(st.cfg) {
		fmt.Fprintf(&b, "%s %s\n", name, kit.EnvName(name))
	}
	fmt.Fprint(stdout, b.String())
	return ExitOK
}
