package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The two stack files differ by one added user (alex-new), one removed user
// (john-doe), a changed threshold (ali-dead-letter-queue's critical) and a
// changed secret (datadog:apiKey).
var (
	oldStack = filepath.Join("testdata", "diff", "Pulumi.old.yaml")
	newStack = filepath.Join("testdata", "diff", "Pulumi.new.yaml")
)

// ciphertexts are the secure: values of the two files; neither, nor any
// fingerprint of them, may appear in any output.
var ciphertexts = []string{"b2xkLWNpcGhlcnRleHQtb2YtdGhlLWtleQ", "bmV3LWNpcGhlcnRleHQtb2YtdGhlLWtleQ", "[secret:"}

func TestDiffFiles(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "markdown", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run("diff", "--cwd", repoRoot, "--stack", "prod", "--format", format,
				filepath.Join("internal/cli", oldStack), filepath.Join("internal/cli", newStack))
			require.Equal(t, ExitOK, code, stderr)
			golden(t, "diff/diff."+format, stdout)
			for _, c := range ciphertexts {
				assert.NotContains(t, stdout, c, "a secret never shows, nor its ciphertext")
			}
		})
	}

	code, stdout, stderr := run("diff", "--cwd", repoRoot, "--json",
		filepath.Join("internal/cli", oldStack), filepath.Join("internal/cli", newStack))
	require.Equal(t, ExitOK, code, stderr)
	var res struct {
		Added, Removed []struct{ Type, Name string }
		Changed        []struct {
			Type, Name string
			Properties []struct {
				Path     string
				Old, New any
				Secret   bool
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	require.Len(t, res.Added, 1)
	assert.Equal(t, "alex-new", res.Added[0].Name)
	require.Len(t, res.Removed, 1)
	assert.Equal(t, "john-doe", res.Removed[0].Name)
	require.Len(t, res.Changed, 2)
	provider, monitor := res.Changed[0], res.Changed[1]
	assert.Equal(t, "datadog", provider.Name)
	require.Len(t, provider.Properties, 1)
	assert.Equal(t, "apiKey", provider.Properties[0].Path)
	assert.True(t, provider.Properties[0].Secret)
	assert.Equal(t, "[secret]", provider.Properties[0].Old)
	assert.Equal(t, "ali-dead-letter-queue", monitor.Name)
	var paths []string
	for _, p := range monitor.Properties {
		paths = append(paths, p.Path)
	}
	assert.Equal(t, []string{"monitorThresholds.critical", "query"}, paths)
	assert.Equal(t, "5000", monitor.Properties[0].Old)
	assert.Equal(t, "6000", monitor.Properties[0].New)
}

func TestDiffExitCode(t *testing.T) {
	t.Parallel()
	old, cur := filepath.Join("internal/cli", oldStack), filepath.Join("internal/cli", newStack)
	code, _, _ := run("diff", "--cwd", repoRoot, "--exit-code", old, cur)
	assert.Equal(t, ExitError, code, "--exit-code: 1 when there are changes")

	code, stdout, stderr := run("diff", "--cwd", repoRoot, "--exit-code", old, old)
	assert.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "no changes (26 unchanged)")

	code, stdout, _ = run("diff", "--cwd", repoRoot, "--format", "markdown", old, old)
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, stdout, "No changes to Datadog")

	for name, args := range map[string][]string{
		"no sides":          {"diff"},
		"one file":          {"diff", old},
		"base and files":    {"diff", "--base", "HEAD", old, cur},
		"unknown format":    {"diff", "--format", "html", old, cur},
		"missing file":      {"diff", "--cwd", repoRoot, old, "nope.yaml"},
		"invalid new stack": {"diff", "--cwd", repoRoot, old, "internal/cli/testdata/diff/Pulumi.invalid.yaml"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, _ := run(args...)
			assert.Equal(t, ExitInvalid, code, "2 on errors")
			assert.Empty(t, stdout)
		})
	}
}

// TestDiffBase runs diff --base against a real git history: a repository
// made of this project's files, one commit, then a change to its stack.
func TestDiffBase(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the base's program")
	}
	dir := t.TempDir()
	files, err := exec.Command("git", "-C", repoRoot, "ls-files", "--cached", "--others", "--exclude-standard").Output()
	require.NoError(t, err)
	for _, f := range strings.Fields(string(files)) {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), data, 0o644))
	}
	gitIn := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.org"}, args...)...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	gitIn("init", "-q", "-b", "main")
	gitIn("add", "-A")
	gitIn("commit", "-q", "-m", "base")

	stack := filepath.Join(dir, fullStack)
	data, err := os.ReadFile(stack)
	require.NoError(t, err)
	changed := strings.Replace(string(data), "    jane-smith:\n", "    kai-new:\n      email: kai.new@example.org\n      roles: [limited-read-write]\n    jane-smith:\n", 1)
	require.NotEqual(t, string(data), changed)
	require.NoError(t, os.WriteFile(stack, []byte(changed), 0o644))

	code, stdout, stderr := run("diff", "--cwd", dir, "--base", "main", "--file", fullStack, "--stack", "prod")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "Stack prod against main: 1 to add, 0 to change, 0 to remove")
	assert.Contains(t, stdout, "+ user kai-new")

	code, _, stderr = run("diff", "--cwd", dir, "--base", "no-such-branch")
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, stderr, "no such commit")
}

// fakeOldDdstack is the cmd/ddstack of an older commit: its plan knows only
// the flags given (the flag package's own message and usage on any other),
// and it knows no other command. It prints an empty plan, or fails as an
// invalid stack when fail is set.
func fakeOldDdstack(flags []string, fail bool) string {
	var b strings.Builder
	b.WriteString(`package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "plan" {
		fmt.Fprintf(os.Stderr, "ddstack: unknown command %q\n\nUsage:\n  ddstack plan [--stack NAME | --file PATH] [--json]\n", os.Args[1])
		os.Exit(2)
	}
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: ddstack plan [--stack NAME | --file PATH] [--cwd DIR] [--json]")
		fs.PrintDefaults()
	}
`)
	for _, f := range flags {
		if f == "json" || f == "secret-fingerprints" {
			fmt.Fprintf(&b, "\tfs.Bool(%q, false, \"\")\n", f)
		} else {
			fmt.Fprintf(&b, "\tfs.String(%q, \"\", \"\")\n", f)
		}
	}
	fmt.Fprintf(&b, `	if err := fs.Parse(os.Args[2:]); err != nil {
		os.Exit(2)
	}
	if %v {
		fmt.Fprintln(os.Stderr, "error: users.jane: roles[0]: no managed role named \"x\"")
		os.Exit(2)
	}
	fmt.Println(`+"`"+`{"stack": "prod", "resources": [], "invokes": []}`+"`"+`)
}
`, fail)
	return b.String()
}

// diff --base runs the base commit's own ddstack. One that predates a flag
// or command diff needs is said so in one line, without its usage text; a
// stack that does not plan at the base shows the base's own errors.
func TestDiffBaseOlderDdstack(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the base's ddstack")
	}
	all := []string{"json", "secret-fingerprints", "stack", "file"}
	tests := map[string]struct {
		main    string // cmd/ddstack/main.go at the base; "" for the real command lines
		want    []string
		notWant []string
	}{
		"no --secret-fingerprints": {
			main:    fakeOldDdstack([]string{"json", "stack", "file"}, false),
			want:    []string{"'s ddstack does not support --secret-fingerprints (it predates it); pick a newer --base"},
			notWant: []string{"Usage", "flag provided but not defined"},
		},
		"no --file": {
			main:    fakeOldDdstack([]string{"json", "secret-fingerprints", "stack"}, false),
			want:    []string{"'s ddstack does not support --file (it predates it)"},
			notWant: []string{"Usage"},
		},
		"no plan command": {
			main:    strings.Replace(fakeOldDdstack(all, false), `os.Args[1] != "plan"`, "true", 1),
			want:    []string{"'s ddstack has no plan command (it predates it); pick a newer --base"},
			notWant: []string{"Usage"},
		},
		"a stack that does not plan": {
			main: fakeOldDdstack(all, true),
			want: []string{"the stack at main does not plan", `users.jane: roles[0]: no managed role named "x"`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files := map[string]string{
				"go.mod":                "module example.org/old\n\ngo 1.22\n",
				"cmd/ddstack/main.go":   tc.main,
				"Pulumi.yaml":           "name: pytorch-datadog\nruntime: go\n",
				"Pulumi.prod.yaml":      "config: {}\n",
				"internal/placeholder":  "",
				"cmd/ddstack/README.md": "the ddstack of an older commit\n",
			}
			for f, content := range files {
				require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644))
			}
			gitIn := func(args ...string) string {
				t.Helper()
				out, err := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.org"}, args...)...).CombinedOutput()
				require.NoError(t, err, string(out))
				return strings.TrimSpace(string(out))
			}
			gitIn("init", "-q", "-b", "main")
			gitIn("add", "-A")
			gitIn("commit", "-q", "-m", "old")
			commit := gitIn("rev-parse", "HEAD")

			code, stdout, stderr := run("diff", "--cwd", dir, "--base", "main")
			assert.Equal(t, ExitInvalid, code, stderr)
			assert.Empty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, stderr, w)
			}
			if len(tc.notWant) > 0 {
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %s", stderr)
				assert.True(t, strings.HasPrefix(stderr, "error: --base main: the base commit "+commit[:12]+"'s ddstack "), stderr)
			}
		})
	}
}
