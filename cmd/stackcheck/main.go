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
		data, err := readFile(path)
		if err == nil {
			var problems []schema.Problem
			if problems, err = schema.Check(s, data); err == nil {
				for _, p := range problems {
					fmt.Fprintf(stderr, "error: %s: %s\n", file, safetext.Escape(p.String()))
				}
				if len(problems) == 0 {
					fmt.Fprintf(stdout, "%s: valid against the schema (ddstack plan checks the rest)\n", file)
				} else {
					code = 2
				}
				continue
			}
		}
		fmt.Fprintf(stderr, "error: %s: %s\n", file, safetext.Escape(err.Error()))
		code = 2
	}
	return code
}

// maxSize is what ddstack reads of a stack file at most.
const maxSize = 4 << 20

func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file")
	}
	if info.Size() > maxSize {
		return nil, fmt.Errorf("is %d bytes; a stack file is at most %d", info.Size(), maxSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Through a limit: a file may grow after the Stat, and procfs files
	// say they are empty.
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err == nil && len(data) > maxSize {
		err = fmt.Errorf("is more than %d bytes; a stack file is at most that", maxSize)
	}
	return data, err
}
