package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSafeOutput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"plain text":         {"a\tb\nc → d\n", "a\tb\nc → d\n"},
		"escape sequence":    {"x\x1b[2Jy", `x\u001b[2Jy`},
		"carriage return":    {"ok\rFAIL", `ok\u000dFAIL`},
		"bidi override":      {"a\u202eb", `a\u202eb`},
		"C1 control":         {"a\u009b31m", `a\u009b31m`},
		"invalid byte":       {"a\x9bb", `a\ufffdb`},
		"JSON stays JSON":    {`{"s": "` + "\x07" + `"}`, `{"s": "\u0007"}`},
		"zero-width joiner":  {"👩\u200d💻", "👩\u200d💻"},
		"zero-width space":   {"a\u200bb", `a\u200bb`},
		"already escaped":    {`\x1b`, `\x1b`},
		"nothing to protect": {"", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, string(safeOutput([]byte(tc.in))))
		})
	}
}

// A command that exits 2 prints nothing on stdout, even what it had
// written before it found the problem.
func TestInvalidInputPrintsNothingOnStdout(t *testing.T) {
	t.Parallel()
	stack := stackDir(t, header+users)
	state := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(state, []byte(`{"values": {"root_module": {"resources": {}}}}`), 0o644))
	code, stdout, stderr := run("import", "--cwd", stack, "--tfstate", state)
	assert.Equal(t, ExitInvalid, code, stderr)
	assert.Empty(t, stdout)
	assert.NotEmpty(t, stderr)
}

// Files given on the command line are read only when they are regular
// files of a bounded size: /dev/zero or a FIFO would never end.
func TestInputFilesAreBounded(t *testing.T) {
	t.Parallel()
	stack := stackDir(t, header+users)
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for _, args := range [][]string{
		{"import", "--cwd", stack, "--tfstate", "/dev/zero"},
		{"import", "--cwd", stack, "--tfstate", fifo},
		{"check", "--cwd", stack, "--cacert", "/dev/zero"},
		{"plan", "--cwd", stack, "--file", fifo},
		{"plan", "--cwd", stack, "--file", "/dev/zero"},
	} {
		code, stdout, stderr := run(args...)
		assert.Equal(t, ExitInvalid, code, "%v: %s", args, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "is not a regular file", args)
	}
}
