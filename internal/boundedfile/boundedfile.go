// Package boundedfile reads the files ddstack and stackcheck are given,
// within a bound; it imports neither SDK, so that stackcheck builds in
// seconds.
package boundedfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// Read reads a file ddstack or stackcheck is given (a stack file, a
// Terraform state, a CA bundle, a history): a regular file of at most max bytes. A FIFO (whose
// opening waits for a writer), a device (/dev/zero never ends) or a larger
// file is refused rather than read until memory runs out or forever.
func Read(path string, max int64) ([]byte, error) {
	// Stat first: opening a FIFO waits for a writer.
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, errors.Unwrap(err))
	} else if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: is not a regular file (%s); give a file", path, info.Mode().Type())
	}
	tooLarge := fmt.Errorf("%s: is more than %d bytes; at most that is read", path, max)
	if info.Size() > max {
		return nil, tooLarge
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Room for the whole file at once, as os.ReadFile makes: growing a
	// buffer by doubling took a fifth of a second for a 54 MB history.
	// The limit still holds if the file grows meanwhile.
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + 512)
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	data := buf.Bytes()
	if int64(len(data)) > max {
		return nil, tooLarge
	}
	return data, nil
}
