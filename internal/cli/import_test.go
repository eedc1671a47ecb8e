package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
)

// importDir makes a project directory with the real Pulumi.yaml, the
// fixture stack file (the production stack plus a user in flow style) and
// the state fixtures.
func importDir(t *testing.T, edit func(string) string) string {
	t.Helper()
	stack, err := os.ReadFile(filepath.Join("testdata", "import", "Pulumi.prod.yaml"))
	require.NoError(t, err)
	text := string(stack)
	if edit != nil {
		text = edit(text)
	}
	dir := stackDir(t, text)
	states, err := filepath.Glob(filepath.Join("testdata", "import", "*.*s*"))
	require.NoError(t, err)
	for _, f := range states {
		if strings.HasSuffix(f, ".yaml") {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644))
	}
	return dir
}

// importIDs returns, from ddstack plan --json, the import id of every
// resource that has one.
func importIDs(t *testing.T, dir string) map[string]string {
	t.Helper()
	code, stdout, stderr := run("plan", "--cwd", dir, "--json")
	require.Equal(t, ExitOK, code, stderr)
	var doc struct {
		Resources []struct {
			Type, Name string
			ImportID   *string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	out := map[string]string{}
	for _, r := range doc.Resources {
		if r.ImportID != nil {
			out[r.Type+"::"+r.Name] = *r.ImportID
		}
	}
	return out
}

var importLine = regexp.MustCompile(`^\s*importId: "[^"]+"$`)

// onlyImportIDsAdded checks that after differs from before only by added
// importId lines, or an importId put at the start of a flow mapping.
func onlyImportIDsAdded(t *testing.T, before, after string) int {
	t.Helper()
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	added, i := 0, 0
	for _, line := range a {
		if i < len(b) && line == b[i] {
			i++
			continue
		}
		stripped := regexp.MustCompile(`\{importId: "[^"]+", `).ReplaceAllString(line, "{")
		if i < len(b) && stripped == b[i] && stripped != line {
			i++
			added++
			continue
		}
		require.Regexp(t, importLine, line, "a line the write changed that is not an importId")
		added++
	}
	assert.Equal(t, len(b), i, "every line of the file is kept")
	return added
}

func TestImportFullMatch(t *testing.T) {
	t.Parallel()
	for _, state := range []string{"full.show.json", "full.tfstate", "modules.show.json", "modules.tfstate"} {
		t.Run(state, func(t *testing.T) {
			t.Parallel()
			dir := importDir(t, nil)
			path := filepath.Join(dir, "Pulumi.prod.yaml")
			before, err := os.ReadFile(path)
			require.NoError(t, err)

			code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", state, "--write")
			require.Equal(t, ExitOK, code, stderr)
			assert.Contains(t, stdout, "To adopt: importId to set (26)")
			assert.NotContains(t, stdout, "will be created")
			assert.NotContains(t, stdout, "left unmanaged")
			if strings.HasPrefix(state, "modules") {
				assert.Contains(t, stdout, `<- module.datadog.datadog_user.users["jsmith"]`, "objects in modules are found")
			}
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, 26, onlyImportIDsAdded(t, string(before), string(after)))
			golden(t, "import/Pulumi.prod.written.yaml", string(after))

			ids := importIDs(t, dir)
			assert.Len(t, ids, 26, "every resource but the provider is adopted")
			assert.Regexp(t, `^[0-9a-f-]{36}$`, ids["datadog:index/user:User::jane-smith"], "matched by email whatever its case")
			assert.Regexp(t, `^[0-9]+$`, ids["datadog:index/monitor:Monitor::ali-dead-letter-queue"])
			assert.Regexp(t, `^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$`, ids["datadog:index/syntheticsTest:SyntheticsTest::pytorch-org"])

			code, stdout, _ = run("import", "--cwd", dir, "--tfstate", state, "--write")
			assert.Equal(t, ExitOK, code, "running it again changes nothing")
			assert.Contains(t, stdout, "Already adopted: importId set to the state's id (26)")
			again, _ := os.ReadFile(path)
			assert.Equal(t, string(after), string(again))
		})
	}
}

func TestImportPartialMatch(t *testing.T) {
	t.Parallel()
	dir := importDir(t, nil)
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	before, _ := os.ReadFile(path)

	code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", "partial.show.json")
	require.Equal(t, ExitOK, code, stderr)
	unchanged, _ := os.ReadFile(path)
	assert.Equal(t, string(before), string(unchanged), "without --write, nothing is written")
	assert.Contains(t, stdout, "To adopt: importId to set (17)")
	assert.Contains(t, stdout, "In the config, not in the state: will be created (9):\n  users.john-doe (\"john.doe@example.org\")\n")
	assert.Contains(t, stdout, "  synthetics.pytorch-hud (\"hud.pytorch.org Check\")\n")
	assert.Contains(t, stdout, "In the state, not in the config: left unmanaged by Pulumi (3):\n"+
		"  datadog_monitor.all_queues_anomaly (")
	assert.Contains(t, stdout, `  datadog_synthetics_test.pytorch-gha-runners-queue-check-lf-memory ("GHA Runner Queue Check - LF Memory Runners"`)
	assert.Contains(t, stdout, `  datadog_user.users["rgrigar"] ("rgrigar@example.org"`)
	assert.Contains(t, stdout, "Would set 17 importIds and add 0 entries (run again with --write):")
	assert.Contains(t, stdout, "\n+      importId: \"")

	code, _, stderr = run("import", "--cwd", dir, "--tfstate", "partial.tfstate", "--write")
	require.Equal(t, ExitOK, code, stderr)
	ids := importIDs(t, dir)
	assert.Len(t, ids, 17, "the import id is on exactly the matched resources")
	assert.NotContains(t, ids, "datadog:index/user:User::john-doe")
	assert.NotContains(t, ids, "datadog:index/syntheticsTest:SyntheticsTest::gha-queue-lf")
	assert.Contains(t, ids, "datadog:index/user:User::kai-flow", "a flow-style entry gets its importId too")
}

func TestImportRefusesAmbiguity(t *testing.T) {
	t.Parallel()
	dir := importDir(t, nil)
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	before, _ := os.ReadFile(path)
	code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", "ambiguous.show.json", "--write")
	assert.Equal(t, ExitError, code)
	assert.Contains(t, stdout, "Refused, ambiguous: several state objects match (1):\n  monitors.ali-dead-letter-queue matches datadog_monitor.ci_retry_deadletter (id ")
	assert.Contains(t, stdout, "and datadog_monitor.ci_retry_deadletter_copy (id ")
	assert.Contains(t, stderr, "refused")
	after, _ := os.ReadFile(path)
	assert.Equal(t, string(before), string(after), "nothing written when refused")
}

func TestImportNeverChangesAnImportID(t *testing.T) {
	t.Parallel()
	const other = "00000000-0000-0000-0000-000000000000"
	dir := importDir(t, func(s string) string {
		return strings.Replace(s, "    jane-smith:\n", "    jane-smith:\n      importId: \""+other+"\"\n", 1)
	})
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	before, _ := os.ReadFile(path)
	code, stdout, _ := run("import", "--cwd", dir, "--tfstate", "full.tfstate", "--write")
	assert.Equal(t, ExitError, code)
	assert.Regexp(t, `users.jane-smith.importId is "`+other+`", but datadog_user.users\["jsmith"\] has id "[0-9a-f-]+"`, stdout)
	after, _ := os.ReadFile(path)
	assert.Equal(t, string(before), string(after))
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	dir := importDir(t, nil)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "v3.tfstate"), []byte(`{"version": 3, "modules": []}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "junk.json"), []byte(`not json`), 0o644))
	for name, args := range map[string][]string{
		"no state":       {"import", "--cwd", dir},
		"missing state":  {"import", "--cwd", dir, "--tfstate", "nope.json"},
		"old format":     {"import", "--cwd", dir, "--tfstate", "v3.tfstate"},
		"not JSON":       {"import", "--cwd", dir, "--tfstate", "junk.json"},
		"invalid config": {"import", "--cwd", stackDir(t, header+"  pytorch-datadog:users: {}\n"), "--tfstate", filepath.Join(dir, "full.tfstate")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := run(args...)
			assert.Equal(t, ExitInvalid, code, stderr)
			assert.NotEmpty(t, stderr)
		})
	}
}

// orgDir makes a project directory holding the production-like fixture
// stack (every type, no importIds), edited, and the Terraform state of the
// same 38 objects.
func orgDir(t *testing.T, edit func(string) string) string {
	t.Helper()
	stack, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "stacks", "Pulumi.org.yaml"))
	require.NoError(t, err)
	text := string(stack)
	if edit != nil {
		text = edit(text)
	}
	dir := stackDir(t, text)
	state, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "tfstate", "production.show.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "production.show.json"), state, 0o644))
	return dir
}

// planCounts is how many resources a stack's plan adopts and creates.
func planCounts(t *testing.T, dir string) (imports, creates int) {
	t.Helper()
	code, stdout, stderr := run("plan", "--cwd", dir, "--json")
	require.Equal(t, ExitOK, code, stderr)
	var doc struct {
		Resources []struct {
			Type     string
			ImportID *string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	for _, r := range doc.Resources {
		switch {
		case r.Type == "pulumi:providers:datadog":
		case r.ImportID != nil:
			imports++
		default:
			creates++
		}
	}
	return imports, creates
}

// Every object of the organisation is matched, of every type, on the
// attributes the registry names: --write then plans 38 imports and no
// create.
func TestImportAdoptsTheWholeOrganisation(t *testing.T) {
	t.Parallel()
	dir := orgDir(t, nil)
	imports, creates := planCounts(t, dir)
	require.Equal(t, 0, imports)
	require.Equal(t, 38, creates, "the fixture holds the 38 objects of production")

	code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", "production.show.json", "--write")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "38 Datadog objects")
	assert.Contains(t, stdout, "To adopt: importId to set (38)")
	assert.NotContains(t, stdout, "will be created")
	assert.NotContains(t, stdout, "left unmanaged")
	for _, want := range []string{
		`teams.lf-staff <- datadog_team.teams["lf-staff"]`,
		"slackChannels.pytorch-infra-alerts <- datadog_integration_slack_channel.pytorch-infra-alerts (id PyTorch:#pytorch-infra-alerts)",
		"webhooks.lf-incident-io <- datadog_webhook.lf-incident-io (id lf-incident-io)",
		"dashboards.status <- datadog_dashboard.status_dashboard (id q7x-2kd-9pa)",
		"awsAccounts.pytorch <- datadog_integration_aws_account.pytorch",
		"users.tha <- datadog_user.users[\"tha\"]",
	} {
		assert.Contains(t, stdout, want)
	}
	imports, creates = planCounts(t, dir)
	assert.Equal(t, 38, imports)
	assert.Equal(t, 0, creates)
}

// --add writes the state's objects that the config lacks as new entries,
// with their importIds: a section that exists gets them at its top, one
// that does not is added; users' role ids are named from the state.
func TestImportAddsWhatTheConfigLacks(t *testing.T) {
	t.Parallel()
	dir := orgDir(t, func(s string) string {
		i, j := strings.Index(s, "  # One team per member organisation."), strings.Index(s, "  # Where alerts go.")
		s = s[:i] + s[j:]
		i, j = strings.Index(s, "    tha:\n"), strings.Index(s, "  # Where alerts go.")
		return s[:i] + s[j:]
	})
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	before, _ := os.ReadFile(path)

	code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", "production.show.json")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "In the state, not in the config: left unmanaged by Pulumi (6)")

	code, stdout, stderr = run("import", "--cwd", dir, "--tfstate", "production.show.json", "--add")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "To add to the config, adopted with their importIds (6):")
	assert.Contains(t, stdout, `users.thanh-ha <- datadog_user.users["tha"]`)
	assert.Contains(t, stdout, "Would set 32 importIds and add 6 entries")
	unchanged, _ := os.ReadFile(path)
	assert.Equal(t, string(before), string(unchanged), "without --write, nothing is written")

	code, _, stderr = run("import", "--cwd", dir, "--tfstate", "production.show.json", "--add", "--write")
	require.Equal(t, ExitOK, code, stderr)
	after, _ := os.ReadFile(path)
	assert.Contains(t, string(after), "  pytorch-datadog:teams:\n    # Added by ddstack import --add from datadog_team.teams[\"amd-staff\"].\n    amd-staff:\n")
	assert.Contains(t, string(after), "    thanh-ha:\n      email: thanh.ha@linuxfoundation.org\n")
	assert.Contains(t, string(after), "        - Datadog Admin Role\n", "the user's role id is named from the state's data source")
	imports, creates := planCounts(t, dir)
	assert.Equal(t, 38, imports)
	assert.Equal(t, 0, creates)

	code, stdout, stderr = run("import", "--cwd", dir, "--tfstate", "production.show.json", "--add")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "Already adopted: importId set to the state's id (38)")
	assert.Contains(t, stdout, "No importId to set")
}

// A state object that ddstack cannot write as config is listed, not
// added, and nothing else is refused.
func TestImportAddListsWhatItCannotWrite(t *testing.T) {
	t.Parallel()
	dir := orgDir(t, func(s string) string {
		i := strings.Index(s, "    download-whl-499-spike:\n")
		j := strings.Index(s, "  # Synthetics API tests.")
		return s[:i] + s[j:]
	})
	code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", "production.show.json", "--add", "--write")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "Not added (add them by hand) (1):\n  datadog_monitor.download_pytorch_whl_499_spike: ddstack cannot write monitors as config yet")
	imports, creates := planCounts(t, dir)
	assert.Equal(t, 37, imports)
	assert.Equal(t, 0, creates)
}

// --write replaces the stack file whole, beside it and renamed: the file
// keeps its permissions, a symbolic link stays a link to the file it
// names, and no temporary file is left.
func TestImportWriteReplacesTheFileSafely(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mode    os.FileMode
		symlink bool
	}{
		"owner only":    {mode: 0o600},
		"group-read":    {mode: 0o640},
		"a link to it":  {mode: 0o644, symlink: true},
		"a private one": {mode: 0o600, symlink: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := importDir(t, nil)
			path := filepath.Join(dir, "Pulumi.prod.yaml")
			real := path
			if tc.symlink {
				// The stack file lives elsewhere, linked into the project.
				real = filepath.Join(t.TempDir(), "stacks", "prod.yaml")
				require.NoError(t, os.MkdirAll(filepath.Dir(real), 0o755))
				require.NoError(t, os.Rename(path, real))
				require.NoError(t, os.Symlink(real, path))
			}
			require.NoError(t, os.Chmod(real, tc.mode))
			listing := func(d string) []string {
				es, err := os.ReadDir(d)
				require.NoError(t, err)
				var names []string
				for _, e := range es {
					names = append(names, e.Name())
				}
				return names
			}
			filesBefore, realBefore := listing(dir), listing(filepath.Dir(real))

			code, stdout, stderr := run("import", "--cwd", dir, "--tfstate", "full.tfstate", "--write")
			require.Equal(t, ExitOK, code, stderr)
			assert.Contains(t, stdout, "Set 26 importIds")

			info, err := os.Lstat(path)
			require.NoError(t, err)
			if tc.symlink {
				assert.Equal(t, os.ModeSymlink, info.Mode().Type(), "the link is kept")
				info, err = os.Stat(real)
				require.NoError(t, err)
			}
			assert.Equal(t, tc.mode, info.Mode().Perm(), "the permissions are kept")
			written, err := os.ReadFile(real)
			require.NoError(t, err)
			assert.Equal(t, 26, strings.Count(string(written), "importId:"))
			assert.Equal(t, filesBefore, listing(dir), "no temporary file left")
			assert.Equal(t, realBefore, listing(filepath.Dir(real)), "no temporary file left")
		})
	}
}

// An edit that would make the stack invalid is not written, and its
// errors name the stack file, never a temporary file.
func TestImportInvalidEditNamesTheStackFile(t *testing.T) {
	t.Parallel()
	// The Slack channel is only a plain channel in the config, under the
	// key --add would give it: both is an error.
	dir := orgDir(t, func(s string) string {
		i, j := strings.Index(s, "  pytorch-datadog:slackChannels:\n"), strings.Index(s, "  pytorch-datadog:webhooks:\n")
		s = s[:i] + s[j:]
		return strings.Replace(s, "  pytorch-datadog:channels:\n", "  pytorch-datadog:channels:\n    pytorch-infra-alerts: \"@slack-PyTorch-pytorch-infra-alerts\"\n", 1)
	})
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	code, _, stderr := run("import", "--cwd", dir, "--tfstate", "production.show.json", "--add", "--write")
	assert.Equal(t, ExitInvalid, code, stderr)
	assert.Contains(t, stderr, "error: "+path+": the edited file does not validate: ")
	assert.Contains(t, stderr, "pytorch-infra-alerts")
	assert.NotContains(t, stderr, os.TempDir()+"/ddstack", "no temporary file is named")
	assert.NotContains(t, stderr, "ddstack-import")
	assert.NotContains(t, stderr, ".tmp")
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(line, "error: ") {
			assert.True(t, strings.HasPrefix(line, "error: "+path+": "), "each problem names the stack file: %s", line)
		}
	}
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "nothing written")
}

// The edit is checked from memory: when it is what makes the file too big
// to load, the error names the stack file, not a temporary copy.
func TestImportEditTooBigNamesTheStackFile(t *testing.T) {
	t.Parallel()
	dir := importDir(t, nil)
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	pad := stackfile.MaxSize - len(data) - 100 // valid, until 26 importIds are added
	data = append(data, "\n# "+strings.Repeat("x", pad-3)+"\n"...)
	require.NoError(t, os.WriteFile(path, data, 0o644))

	code, _, stderr := run("import", "--cwd", dir, "--tfstate", "full.tfstate", "--write")
	assert.Equal(t, ExitInvalid, code, stderr)
	assert.Contains(t, stderr, "error: "+path+": is ")
	assert.NotContains(t, stderr, "ddstack-import")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, data, after, "nothing written")
}
