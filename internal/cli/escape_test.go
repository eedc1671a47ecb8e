package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// escapeStack is a valid stack whose monitor's tags (free text the
// validation does not restrict) hold an escape sequence, a C1 control and
// a bidi override; tag is the tag as the text output must show it.
const escapeStack = `config:
  datadog:apiUrl: https://api.us3.datadoghq.com/
  pytorch-datadog:users:
    jane:
      email: jane@example.org
      roles: [Datadog Read Only Role]
  pytorch-datadog:monitors:
    m:
      name: M
      kind: metric
      query: avg(last_5m):x{}
      critical: 1
      message: m
      tags: ["team:%s"]
`

const (
	rawTag     = `a\e]0;pwned\a\e[2J\u009b1m\u202eb`
	escapedTag = `team:a\x1b]0;pwned\x07\x1b[2J\u009b1m\u202eb`
)

func writeStack(t *testing.T, dir, name, tag string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(escapeStack, tag)), 0o644))
	return path
}

// TestPlanTextEscapes: ddstack plan shows, and never sends, what a
// stack's text holds.
func TestPlanTextEscapes(t *testing.T) {
	t.Parallel()
	file := writeStack(t, t.TempDir(), "Pulumi.esc.yaml", rawTag)
	code, stdout, stderr := run("plan", "--cwd", repoRoot, "--file", file)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, escapedTag)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		assert.NotContains(t, stdout, bad)
	}
}

// TestDiffTextEscapes: so does ddstack diff's text output, whose new side
// is a pull request's.
func TestDiffTextEscapes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := writeStack(t, dir, "Pulumi.old.yaml", "plain")
	cur := writeStack(t, dir, "Pulumi.new.yaml", rawTag)
	code, stdout, stderr := run("diff", "--cwd", repoRoot, "--stack", "esc", old, cur)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, escapedTag)
	assert.Contains(t, stdout, "\n", "lines are kept")
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		assert.NotContains(t, stdout, bad)
	}
}
