// Command stackcheck checks stack files against the stack file's JSON
// Schema (schema/stack.schema.json): every value's kind, form and bounds,
// unknown keys and fields, required ones, the rules between fields. It
// builds in seconds, as it compiles neither the Pulumi nor the Datadog SDK;
// ddstack plan checks the rest (roles and channels that exist, names given
// twice) and shows what the stack registers.
//
//	go run ./cmd/stackcheck [FILE ...]    (default Pulumi.prod.yaml)
//
// Exit status: 0 valid, 2 a problem (one line each on stderr).
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pytorch-fdn/pytorch-datadog/internal/boundedfile"
	"github.com/pytorch-fdn/pytorch-datadog/internal/safetext"
	"github.com/pytorch-fdn/pytorch-datadog/schema"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprintln(stdout, "usage: go run ./cmd/stackcheck [FILE ...]   (default Pulumi.prod.yaml)\nChecks stack files against schema/stack.schema.json; ddstack plan checks the rest.\nExit status: 0 valid, 2 a problem.")
		return 0
	}
	if len(args) == 0 {
		args = []string{"Pulumi.prod.yaml"}
	}
	s, err := schema.Compile()
	if err != nil {
		fmt.Fprintln(stderr, "stackcheck:", err)
		return 2
	}
	code := 0
	for _, path := range args {
		file := safetext.Escape(path)
		data, err := boundedfile.Read(path, schema.MaxFileSize)
		if err != nil {
			// The reader's message names the file.
			fmt.Fprintf(stderr, "error: %s\n", safetext.Escape(err.Error()))
			code = 2
			continue
		}
		problems, err := schema.Check(s, data)
		if err != nil {
			fmt.Fprintf(stderr, "error: %s: %s\n", file, safetext.Escape(err.Error()))
			code = 2
			continue
		}
		for _, p := range problems {
			fmt.Fprintf(stderr, "error: %s: %s\n", file, safetext.Escape(p.String()))
		}
		if len(problems) > 0 {
			code = 2
			continue
		}
		fmt.Fprintf(stdout, "%s: valid against the schema (ddstack plan checks the rest)\n", file)
	}
	return code
}
