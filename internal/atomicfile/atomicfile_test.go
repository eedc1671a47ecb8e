package atomicfile

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	original = []byte("config:\n  pytorch-datadog:users:\n    jane-smith:\n      email: jane@example.org\n")
	edited   = append(bytes.Clone(original), []byte("      importId: \"u-1\"\n")...)
)

// failingWriter accepts limit bytes, as a disk that fills up, then fails.
type failingWriter struct {
	w     io.Writer
	limit int
	err   error
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) <= f.limit {
		f.limit -= len(p)
		return f.w.Write(p)
	}
	n, _ := f.w.Write(p[:f.limit])
	f.limit = 0
	return n, f.err
}

// shortWriter writes less than asked and says nothing.
type shortWriter struct{ w io.Writer }

func (s shortWriter) Write(p []byte) (int, error) { return s.w.Write(p[:len(p)/2]) }

// entries lists a directory's names: a temporary file left behind shows.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// A write that fails part way leaves the file byte for byte as it was, and
// no temporary file; the error names the file, not the temporary one.
func TestWriteFailingPartWay(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		wrap func(io.Writer) io.Writer
		is   error
	}{
		"disk full at once": {func(w io.Writer) io.Writer { return &failingWriter{w, 0, syscall.ENOSPC} }, syscall.ENOSPC},
		"disk full mid-entry": {
			func(w io.Writer) io.Writer { return &failingWriter{w, len(original) / 2, syscall.ENOSPC} }, syscall.ENOSPC,
		},
		"disk full on the last byte": {
			func(w io.Writer) io.Writer { return &failingWriter{w, len(edited) - 1, syscall.ENOSPC} }, syscall.ENOSPC,
		},
		"an I/O error":                {func(w io.Writer) io.Writer { return &failingWriter{w, 10, syscall.EIO} }, syscall.EIO},
		"a short write without error": {func(w io.Writer) io.Writer { return shortWriter{w} }, io.ErrShortWrite},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "Pulumi.prod.yaml")
			require.NoError(t, os.WriteFile(path, original, 0o640))

			err := writeFile(path, edited, 0o644, tc.wrap)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.is)
			assert.True(t, strings.HasPrefix(err.Error(), path+": "), "the error names the file: %v", err)
			assert.Contains(t, err.Error(), "the file is unchanged")
			assert.NotContains(t, err.Error(), ".tmp", "the error never names the temporary file")

			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, original, got, "the file is byte-identical")
			assert.Equal(t, []string{"Pulumi.prod.yaml"}, entries(t, dir), "no temporary file is left")
			info, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, fs.FileMode(0o640), info.Mode().Perm())
		})
	}
}

// Until the rename, the file is the old one whole: a kill at any point of
// the write leaves it as it was (at worst a temporary file beside it).
func TestWriteKeepsTheFileWholeUntilTheRename(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	require.NoError(t, os.WriteFile(path, original, 0o644))
	checks := 0
	err := writeFile(path, edited, 0o644, func(w io.Writer) io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			total := 0
			for _, b := range p { // one byte at a time, the file checked at each
				n, err := w.Write([]byte{b})
				total += n
				if err != nil {
					return total, err
				}
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				require.Equal(t, original, got, "the file while %d bytes are written", total)
				checks++
			}
			return total, nil
		})
	})
	require.NoError(t, err)
	assert.Equal(t, len(edited), checks)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, edited, got)
	assert.Equal(t, []string{"Pulumi.prod.yaml"}, entries(t, dir))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// The new content keeps the file's permissions; a new file gets perm.
func TestWriteKeepsPermissions(t *testing.T) {
	t.Parallel()
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o644, 0o755} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "Pulumi.prod.yaml")
			require.NoError(t, os.WriteFile(path, original, 0o600))
			require.NoError(t, os.Chmod(path, mode)) // whatever the umask
			require.NoError(t, WriteFile(path, edited, 0o644))
			info, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, mode, info.Mode().Perm())
			got, _ := os.ReadFile(path)
			assert.Equal(t, edited, got)
		})
	}
	t.Run("a new file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		path := filepath.Join(dir, "new.yaml")
		require.NoError(t, WriteFile(path, edited, 0o600))
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o600), info.Mode().Perm())
		assert.Equal(t, []string{"new.yaml"}, entries(t, dir))
	})
}

// A stack file that is a symbolic link (to a checkout elsewhere, say) is
// written through: the file it points to gets the content, and the link
// stays a link.
func TestWriteThroughSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	require.NoError(t, os.Mkdir(real, 0o755))
	target := filepath.Join(real, "Pulumi.prod.yaml")
	require.NoError(t, os.WriteFile(target, original, 0o640))
	link := filepath.Join(dir, "Pulumi.prod.yaml")
	require.NoError(t, os.Symlink(filepath.Join("real", "Pulumi.prod.yaml"), link))
	chain := filepath.Join(dir, "chain.yaml")
	require.NoError(t, os.Symlink("Pulumi.prod.yaml", chain))

	require.NoError(t, WriteFile(chain, edited, 0o644))
	for _, l := range []string{link, chain} {
		info, err := os.Lstat(l)
		require.NoError(t, err)
		assert.Equal(t, fs.ModeSymlink, info.Mode().Type(), "%s is still a link", l)
	}
	got, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, edited, got)
	info, _ := os.Stat(target)
	assert.Equal(t, fs.FileMode(0o640), info.Mode().Perm())
	assert.Equal(t, []string{"Pulumi.prod.yaml"}, entries(t, real))

	// A failed write through a link leaves the target whole too.
	err = writeFile(link, original, 0o644, func(w io.Writer) io.Writer { return &failingWriter{w, 3, syscall.ENOSPC} })
	require.ErrorIs(t, err, syscall.ENOSPC)
	assert.True(t, strings.HasPrefix(err.Error(), link+": "), err.Error())
	got, _ = os.ReadFile(target)
	assert.Equal(t, edited, got)
	assert.Equal(t, []string{"Pulumi.prod.yaml"}, entries(t, real))
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling.yaml")
	require.NoError(t, os.Symlink("nowhere.yaml", dangling))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	tests := map[string]struct {
		path, want string
	}{
		"a dangling link":       {dangling, "is a symbolic link that does not resolve"},
		"a directory":           {sub, "is not a regular file"},
		"a missing directory":   {filepath.Join(dir, "nope", "x.yaml"), "cannot create a temporary file beside it"},
		"a file as a directory": {filepath.Join(dangling, "x.yaml"), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := WriteFile(tc.path, edited, 0o644)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), ".tmp")
		})
	}
	assert.ElementsMatch(t, []string{"dangling.yaml", "sub"}, entries(t, dir), "nothing created")
	assert.Empty(t, entries(t, sub))
}

// TestWriteOnAFullDisk fills a real small filesystem, when one is given
// (as root: mount -t tmpfs -o size=64k tmpfs /mnt/small;
// ATOMICFILE_SMALL_FS=/mnt/small go test ./internal/atomicfile): the write
// fails with ENOSPC and the file is whole.
func TestWriteOnAFullDisk(t *testing.T) {
	root := os.Getenv("ATOMICFILE_SMALL_FS")
	if root == "" {
		t.Skip("ATOMICFILE_SMALL_FS names no small filesystem to fill")
	}
	dir, err := os.MkdirTemp(root, "atomicfile-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	require.NoError(t, os.WriteFile(path, original, 0o644))
	filler, err := os.Create(filepath.Join(dir, "filler"))
	require.NoError(t, err)
	block := make([]byte, 512)
	for {
		if _, err := filler.Write(block); err != nil {
			require.ErrorIs(t, err, syscall.ENOSPC)
			break
		}
	}
	require.NoError(t, filler.Close())

	big := bytes.Repeat(edited, 1000)
	err = WriteFile(path, big, 0o644)
	require.ErrorIs(t, err, syscall.ENOSPC)
	assert.True(t, strings.HasPrefix(err.Error(), path+": "), err.Error())
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, original, got)
	assert.ElementsMatch(t, []string{"Pulumi.prod.yaml", "filler"}, entries(t, dir))
}
