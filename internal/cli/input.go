package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Input files are bounded: a file given by mistake (/dev/zero, a FIFO, a
// log of gigabytes) is refused rather than read until memory runs out or
// forever.
const (
	maxStateBytes  = 256 << 20 // a Terraform state, HUD history
	maxCACertBytes = 4 << 20   // a PEM bundle
	maxTypesBytes  = 64 << 20  // a list of machine types
)

// readInput reads a regular file of at most max bytes.
func readInput(path string, max int64) ([]byte, error) {
	// Stat first: opening a FIFO waits for a writer.
	if info, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, errors.Unwrap(err))
	} else if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: is not a regular file (%s); give a file", path, info.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: is not a regular file (%s); give a file", path, info.Mode().Type())
	}
	if info.Size() > max {
		return nil, fmt.Errorf("%s: is %d bytes; at most %d are read", path, info.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: is over %d bytes; at most that is read", path, max)
	}
	return data, nil
}
