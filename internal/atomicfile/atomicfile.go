// Package atomicfile replaces a file's content so that the file is never
// lost: the new content is written to a temporary file beside it, synced,
// and renamed over it. A full disk, an error or a kill part way leaves the
// file as it was, and no temporary file behind when the failure is an error.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFile replaces the content of the file at path with data, or creates
// it with perm when it does not exist. An existing file keeps its
// permission bits (and, when the process may set them, its owner and
// group). When path is a symbolic link, the file it points to is replaced
// and the link kept. On any error the file is unchanged, and the error
// names path, never the temporary file.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return writeFile(path, data, perm, nil)
}

// writeFile is WriteFile; wrap, when not nil, wraps the writer of the
// temporary file, so that a test can make the write fail part way.
func writeFile(path string, data []byte, perm fs.FileMode, wrap func(io.Writer) io.Writer) error {
	target, info, err := resolve(path)
	if err != nil {
		return err
	}
	mode := perm.Perm()
	if info != nil {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file; not written", path)
		}
		mode = info.Mode().Perm()
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fail(path, "cannot create a temporary file beside it", err)
	}
	written := false
	defer func() {
		if !written {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	var w io.Writer = tmp
	if wrap != nil {
		w = wrap(tmp)
	}
	if n, err := w.Write(data); err != nil || n < len(data) {
		if err == nil {
			err = io.ErrShortWrite
		}
		return fail(path, "", err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(path, "", err)
	}
	if info != nil {
		keepOwner(tmp, info)
	}
	if err := tmp.Sync(); err != nil {
		return fail(path, "", err)
	}
	if err := tmp.Close(); err != nil {
		return fail(path, "", err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fail(path, "", err)
	}
	written = true
	// The rename is durable once the directory is synced.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s: written, but syncing its directory failed: %w", path, bare(err))
	}
	return nil
}

// resolve follows path's symbolic links to the file to replace, and
// returns its mode; info is nil when the file does not exist yet.
func resolve(path string) (string, fs.FileInfo, error) {
	l, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil, nil
	case err != nil:
		return "", nil, err
	case l.Mode()&fs.ModeSymlink == 0:
		return path, l, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s is a symbolic link that does not resolve (%w); not written", path, bare(err))
	}
	info, err := os.Stat(target)
	if err != nil {
		return "", nil, err
	}
	return target, info, nil
}

// fail reports a failed write: the file at path is unchanged.
func fail(path, what string, err error) error {
	if what == "" {
		what = "cannot write it"
	}
	return fmt.Errorf("%s: %s: %w; the file is unchanged", path, what, bare(err))
}

// bare strips the temporary file's name from an os error: the user's file
// is what a message names.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
