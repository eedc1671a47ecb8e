// Command gen writes, from the program's declarations, the stack file's
// JSON Schema (schema/stack.schema.json) and the configuration reference
// (docs/configuration.md); go generate ./internal/schema runs it.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pytorch-fdn/pytorch-datadog/internal/atomicfile"
	"github.com/pytorch-fdn/pytorch-datadog/internal/schema"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	// go generate runs in the package's directory, internal/schema.
	root := filepath.Join("..", "..")
	data, err := schema.JSON()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(root, "schema", "stack.schema.json"), data, 0o644); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(root, "docs", "configuration.md"), []byte(schema.Reference()), 0o644)
}
