package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/audit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// The audit tests set DD_API_KEY and DD_APP_KEY, as an operator does:
// they are not parallel (t.Setenv), and run before the parallel tests.

// auditedOrg is PyTorch's organisation in the fake Datadog (seeded from
// the production Terraform state), and a project directory whose stack is
// the production fixture adopted from that state (ddstack import --write),
// its datadog:apiUrl the fake's. The fake's keys are in the environment.
func auditedOrg(t *testing.T) (f *ddfake.Fake, dir, cacert string) {
	t.Helper()
	f = ddfake.Production(t, program.TerraformTypes())
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "tfstate", "production.show.json"))
	require.NoError(t, err)

	stack, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "stacks", "Pulumi.org.yaml"))
	require.NoError(t, err)
	text := strings.Replace(string(stack), "datadog:apiUrl: https://api.us3.datadoghq.com/", "datadog:apiUrl: "+f.URL, 1)
	require.NotEqual(t, string(stack), text)
	dir = stackDir(t, text)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "state.json"), data, 0o644))
	code, _, stderr := run("import", "--cwd", dir, "--tfstate", "state.json", "--write")
	require.Equal(t, ExitOK, code, stderr)

	t.Setenv("DD_API_KEY", f.APIKey)
	t.Setenv("DD_APP_KEY", f.AppKey)
	t.Setenv("DATADOG_API_KEY", "")
	t.Setenv("DATADOG_APP_KEY", "")
	return f, dir, f.CertFile(t)
}

// onlyReads checks the audit's rule: nothing but reads reached Datadog.
func onlyReads(t *testing.T, f *ddfake.Fake) {
	t.Helper()
	require.NotEmpty(t, f.Requests())
	for _, r := range f.Requests() {
		assert.Equal(t, "GET", r.Method, r.Path)
	}
}

func auditJSON(t *testing.T, stdout string) audit.Report {
	t.Helper()
	var r audit.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	return r
}

func TestAuditOfTheAdoptedOrganisationFindsNothing(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	code, stdout, stderr := run("audit", "--cwd", dir, "--cacert", cacert)
	require.Equal(t, ExitOK, code, stderr)
	assert.Regexp(t, `^Datadog at https://127\.0\.0\.1:\d+/ against stack prod \(.*Pulumi\.prod\.yaml\): no finding \(\d+ requests\)\n`, stdout)
	assert.Contains(t, stdout, "note: webhooks: ", "it says what it cannot list")
	onlyReads(t, f)
}

// changeOrg makes the organisation drift from the stack in every way the
// audit reports: made in the UI, SSO-provisioned, cloned, deleted; and
// drops an importId from the stack.
func changeOrg(t *testing.T, f *ddfake.Fake, dir string) {
	t.Helper()
	f.Lock()
	defer f.Unlock()
	readOnly := ""
	for _, r := range f.Roles {
		if r.Attributes.GetName() == "Datadog Read Only Role" {
			readOnly = r.GetId()
		}
	}
	require.NotEmpty(t, readOnly)
	user := func(id, email, status string, service bool) datadogV2.User {
		u := datadogV2.User{Id: &id, Type: datadogV2.USERSTYPE_USERS.Ptr(), Attributes: &datadogV2.UserAttributes{
			Email: &email, Status: &status, ServiceAccount: &service, Disabled: datadog.PtrBool(status == "Disabled"),
		}, Relationships: &datadogV2.UserResponseRelationships{Roles: &datadogV2.RelationshipToRoles{Data: []datadogV2.RelationshipToRoleData{
			{Id: &readOnly, Type: datadogV2.ROLESTYPE_ROLES.Ptr()},
		}}}}
		return u
	}
	f.Users = append(f.Users,
		user("aaaaaaaa-0000-4000-8000-000000000001", "sso.person@meta.com", "Active", false),
		user("aaaaaaaa-0000-4000-8000-000000000002", "left@amd.com", "Disabled", false),
		user("aaaaaaaa-0000-4000-8000-000000000003", "ci-bot@example.org", "Active", true),
	)
	// Two monitors made in the UI: one the config can express, one whose
	// name holds an escape sequence (shown escaped, never written).
	for _, m := range []string{
		`{"id": 99001, "name": "Runner load high", "type": "query alert",
		  "query": "avg(last_5m):avg:system.load.1{host:runner-1} > 4",
		  "message": "The runner is overloaded.\n\n@slack-pytorch-infra-alerts",
		  "options": {"thresholds": {"critical": 4}, "include_tags": true}}`,
		`{"id": 99003, "name": "Evil \u001b[2J", "type": "query alert", "query": "avg(last_5m):x{*} > 1",
		  "message": "x", "options": {"thresholds": {"critical": 1}}}`,
	} {
		var mon datadogV1.Monitor
		require.NoError(t, json.Unmarshal([]byte(m), &mon))
		f.Monitors = append(f.Monitors, mon)
	}
	// The 499 monitor was deleted in the UI; the stack still adopts it.
	f.Monitors = slices.DeleteFunc(f.Monitors, func(m datadogV1.Monitor) bool { return m.GetId() == 16401004 })

	// The stack's pytorch-hud test, cloned by hand under another name.
	var clone datadogV1.SyntheticsTestDetailsWithoutSteps
	require.NoError(t, json.Unmarshal([]byte(`{"public_id": "clo-ned-001", "name": "hud.pytorch.org Check (clone)", "type": "api", "subtype": "http",
		"status": "live", "locations": ["aws:us-west-2"], "tags": ["env:project", "project:pytorch", "service:hud"], "monitor_id": 99002,
		"message": "The PyTorch HUD at hud.pytorch.org is down or broken.\n\n{{{synthetics.attributes.result.failure.message}}}\n\n@slack-pytorch-infra-alerts",
		"config": {"request": {"method": "GET", "url": "https://hud.pytorch.org"}, "assertions": [
			{"type": "statusCode", "operator": "is", "target": 200},
			{"type": "body", "operator": "contains", "target": "pytorch/pytorch"}]},
		"options": {"tick_every": 300, "retry": {"count": 3, "interval": 300000}, "min_location_failed": 1}}`), &clone))
	f.Tests = append(f.Tests, clone)

	// The stack forgets one importId: the next up would create jconway
	// twice.
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	re := regexp.MustCompile(`(?m)^(    jconway:\n)      importId: "[^"]+"\n`)
	require.Regexp(t, re, string(data))
	require.NoError(t, os.WriteFile(path, re.ReplaceAll(data, []byte("$1")), 0o644))
}

func TestAuditFindings(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	changeOrg(t, f, dir)

	code, stdout, stderr := run("audit", "--cwd", dir, "--cacert", cacert, "--json")
	require.Equal(t, ExitError, code, stderr)
	r := auditJSON(t, stdout)
	assert.Equal(t, f.URL, r.Site)
	assert.Equal(t, []audit.Finding{
		{Type: "users", ID: "aaaaaaaa-0000-4000-8000-000000000001", Key: "sso-person", Name: "sso.person@meta.com"},
		{Type: "monitors", ID: "99001", Key: "runner-load-high", Name: "Runner load high"},
		{Type: "monitors", ID: "99003", Key: "evil-2j", Name: "Evil \x1b[2J"},
		{Type: "synthetics", ID: "clo-ned-001", Key: "hud-pytorch-org-check-clone", Name: "hud.pytorch.org Check (clone)"},
	}, r.Unmanaged, "not the disabled user, not the service account")
	require.Len(t, r.Unadopted, 1)
	assert.Equal(t, audit.Finding{Type: "users", ID: "103697d5-08a7-dc5a-8aef-69bf04235c93", Key: "jconway", Name: "jconway@linuxfoundation.org"}, r.Unadopted[0])
	require.Len(t, r.Missing, 1)
	assert.Equal(t, "monitors", r.Missing[0].Type)
	assert.Equal(t, "16401004", r.Missing[0].ID)
	assert.Equal(t, len(f.Requests()), r.Requests)
	assert.NotContains(t, stdout, "\x1b", "escaped on stdout, JSON too")

	code, stdout, _ = run("audit", "--cwd", dir, "--cacert", cacert)
	require.Equal(t, ExitError, code)
	assert.Contains(t, stdout, "4 unmanaged, 1 unadopted, 1 missing")
	assert.Contains(t, stdout, `"Evil \x1b[2J"`)
	assert.Contains(t, stdout, "ddstack audit --write sets its importId")

	code, stdout, _ = run("audit", "--cwd", dir, "--cacert", cacert, "--markdown")
	require.Equal(t, ExitError, code)
	assert.True(t, strings.HasPrefix(stdout, audit.Marker+"\n"), stdout)
	assert.Contains(t, stdout, "| `monitors` | `runner-load-high` |")
	onlyReads(t, f)
}

// With the Pulumi state, an entry that the stack created, or whose
// importId was dropped after adoption, is managed already.
func TestAuditWithThePulumiState(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	changeOrg(t, f, dir)
	export := `{"version": 3, "deployment": {"resources": [
		{"urn": "urn:pulumi:prod::pytorch-datadog::datadog:index/user:User::jconway", "type": "datadog:index/user:User", "id": "103697d5-08a7-dc5a-8aef-69bf04235c93"}]}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prod-state.json"), []byte(export), 0o600))
	code, stdout, stderr := run("audit", "--cwd", dir, "--cacert", cacert, "--json", "--state", "prod-state.json")
	require.Equal(t, ExitError, code, stderr)
	r := auditJSON(t, stdout)
	assert.Empty(t, r.Unadopted)
	assert.Len(t, r.Unmanaged, 4)
}

// --add writes each unmanaged object as an entry that adopts it and
// --write the unadopted entries' importIds: the edited file validates, a
// second audit finds nothing unmanaged or unadopted, and ddstack plan
// shows imports, no creates.
func TestAuditWriteAndAddRoundTrip(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	changeOrg(t, f, dir)
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	code, stdout, stderr := run("audit", "--cwd", dir, "--cacert", cacert, "--add")
	require.Equal(t, ExitError, code, stderr)
	assert.Contains(t, stdout, "Would set 1 importIds and add 3 entries (run again with --write)")
	assert.Regexp(t, `Not added \(add them by hand\) \(1\):\n  monitors "Evil \\x1b\[2J" \(id 99003\): .*holds the control character U\+001B`, stdout)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "nothing written without --write")

	code, stdout, stderr = run("audit", "--cwd", dir, "--cacert", cacert, "--add", "--write")
	assert.Equal(t, ExitError, code, "the missing monitor and the evil one remain: %s %s", stdout, stderr)
	assert.Contains(t, stdout, "Set 1 importIds and added 3 entries")
	after, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Regexp(t, `\n    # Added by ddstack audit --add from Datadog\.\n    runner-load-high:\n`, string(after))
	assert.NotContains(t, string(after), "99003")

	code, stdout, stderr = run("audit", "--cwd", dir, "--cacert", cacert, "--json")
	require.Equal(t, ExitError, code, stderr)
	r := auditJSON(t, stdout)
	require.Len(t, r.Unmanaged, 1, "only what --add cannot write")
	assert.Equal(t, "99003", r.Unmanaged[0].ID)
	assert.Empty(t, r.Unadopted)
	assert.Len(t, r.Missing, 1)

	ids := importIDs(t, dir)
	assert.Equal(t, "99001", ids["datadog:index/monitor:Monitor::runner-load-high"])
	assert.Equal(t, "aaaaaaaa-0000-4000-8000-000000000001", ids["datadog:index/user:User::sso-person"])
	assert.Equal(t, "clo-ned-001", ids["datadog:index/syntheticsTest:SyntheticsTest::hud-pytorch-org-check-clone"])
	assert.Equal(t, "103697d5-08a7-dc5a-8aef-69bf04235c93", ids["datadog:index/user:User::jconway"])
	code, stdout, stderr = run("plan", "--cwd", dir)
	require.Equal(t, ExitOK, code, stderr)
	assert.Regexp(t, `\n\d+ to adopt from Datadog \(import\), 0 to create\n`, stdout)
	onlyReads(t, f)
}

func TestAuditExitStatus(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	for name, tc := range map[string]struct {
		args   []string
		env    map[string]string
		stack  func(string) string
		code   int
		stderr string
	}{
		"a usage error": {args: []string{"--json", "--markdown"}, code: ExitInvalid, stderr: "--json and --markdown exclude each other"},
		"an argument":   {args: []string{"extra"}, code: ExitInvalid, stderr: `unexpected argument "extra"`},
		"an invalid stack": {stack: func(s string) string { return strings.Replace(s, "email: atalman@meta.com", "email: atalman", 1) },
			code: ExitInvalid, stderr: "error: users.atalman.email:"},
		"no keys": {env: map[string]string{"DD_API_KEY": "", "DD_APP_KEY": ""}, code: ExitInvalid,
			stderr: "error: datadog:apiKey: not set: export DD_API_KEY"},
		"a key Datadog refuses": {env: map[string]string{"DD_APP_KEY": "wrong-application-key-1234"}, code: ExitInvalid,
			stderr: "DD_API_KEY and DD_APP_KEY (or datadog:apiKey and datadog:appKey) must be an API key and an application key"},
		"an untrusted certificate": {args: []string{"--cacert", ""}, code: ExitInvalid, stderr: "certificate"},
		"a key with a line ending": {env: map[string]string{"DD_APP_KEY": "fake-app-key\r"}, code: ExitInvalid,
			stderr: "error: datadog:appKey (or DD_APP_KEY): holds U+000D CARRIAGE RETURN at byte 12, which no Datadog key has"},
		"a timeout":  {args: []string{"--timeout", "1ms"}, code: ExitInvalid, stderr: "was not read within 1ms (--timeout); nothing written"},
		"no timeout": {args: []string{"--timeout", "0s"}, code: ExitInvalid, stderr: "--timeout must be more than 0"},
	} {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			path := filepath.Join(dir, "Pulumi.prod.yaml")
			if tc.stack != nil {
				data, err := os.ReadFile(path)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(path, []byte(tc.stack(string(data))), 0o644))
				defer os.WriteFile(path, data, 0o644)
			}
			args := append([]string{"audit", "--cwd", dir, "--cacert", cacert}, tc.args...)
			code, stdout, stderr := run(args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.stderr)
			assert.Empty(t, stdout, "exit 2 prints nothing on stdout")
			for _, key := range []string{f.APIKey, f.AppKey, "wrong-application-key-1234", "\r"} {
				assert.NotContains(t, stderr, key, "never a key")
			}
			if tc.code == ExitInvalid && tc.env["DD_APP_KEY"] != "" {
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %s", stderr)
			}
		})
	}
	onlyReads(t, f)
}

// Datadog lets two monitors share a name; the stack does not. --add writes
// the first and lists the other, and a clone of an adopted monitor under
// its name, with why, instead of refusing the whole edit.
func TestAuditAddListsWhatSharesAName(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	f.Lock()
	for _, m := range []string{
		`{"id": 99001, "name": "Runner load high", "type": "query alert", "query": "avg(last_5m):avg:system.load.1{host:runner-1} > 4",
		  "message": "Overloaded.", "options": {"thresholds": {"critical": 4}}}`,
		`{"id": 99004, "name": "Runner load high", "type": "query alert", "query": "avg(last_5m):avg:system.load.1{host:runner-2} > 4",
		  "message": "Overloaded.", "options": {"thresholds": {"critical": 4}}}`,
		`{"id": 99005, "name": "ALI ValidationException Detected", "type": "query alert", "query": "avg(last_5m):x{*} > 1",
		  "message": "A copy.", "options": {"thresholds": {"critical": 1}}}`,
	} {
		var mon datadogV1.Monitor
		require.NoError(t, json.Unmarshal([]byte(m), &mon))
		f.Monitors = append(f.Monitors, mon)
	}
	f.Unlock()
	code, stdout, stderr := run("audit", "--cwd", dir, "--cacert", cacert, "--add", "--write")
	require.Equal(t, ExitError, code, stderr)
	assert.Contains(t, stdout, `monitors "Runner load high" (id 99004): monitors.runner-load-high has the same name, and the stack's are unique: rename one of the two in Datadog`)
	assert.Contains(t, stdout, `monitors "ALI ValidationException Detected" (id 99005): monitors.ali-validation-exception has the same name`)
	assert.Contains(t, stdout, "Set 0 importIds and added 1 entries")
	code, stdout, stderr = run("audit", "--cwd", dir, "--cacert", cacert, "--json")
	require.Equal(t, ExitError, code, stderr)
	var ids []string
	for _, u := range auditJSON(t, stdout).Unmanaged {
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []string{"99004", "99005"}, ids)
}

// Ctrl-C ends an audit waiting on Datadog at once, with 130.
func TestAuditInterrupted(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	f.Fault("/api/v2/users", ddfake.Fault{Hang: true})
	done := make(chan int)
	var stdout string
	go func() {
		var code int
		code, stdout, _ = run("audit", "--cwd", dir, "--cacert", cacert)
		done <- code
	}()
	require.Eventually(t, func() bool {
		for _, r := range f.Requests() {
			if r.Path == "/api/v2/users" {
				return true
			}
		}
		return false
	}, 30*time.Second, 10*time.Millisecond, "the audit reached Datadog, its interrupt handler set")
	start := time.Now()
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	select {
	case code := <-done:
		assert.Equal(t, ExitInterrupted, code)
		assert.Less(t, time.Since(start), 2*time.Second)
		assert.Empty(t, stdout)
	case <-time.After(10 * time.Second):
		t.Fatal("the audit went on after Ctrl-C")
	}
}

// What --add --write says goes to stderr in --json form, escaped as
// stdout is; and an edit made to the stack file while Datadog was read
// is never overwritten.
func TestAuditEditsAreSafe(t *testing.T) {
	f, dir, cacert := auditedOrg(t)
	changeOrg(t, f, dir)
	code, stdout, stderr := run("audit", "--cwd", dir, "--cacert", cacert, "--json", "--add")
	require.Equal(t, ExitError, code, stderr)
	auditJSON(t, stdout)
	assert.Contains(t, stderr, `monitors "Evil \x1b[2J" (id 99003)`)
	assert.NotContains(t, stderr, "\x1b")

	// Users are answered late; meanwhile the stack file is edited.
	path := filepath.Join(dir, "Pulumi.prod.yaml")
	f.Latency = 300 * time.Millisecond
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, _, stderr = run("audit", "--cwd", dir, "--cacert", cacert, "--write")
	}()
	time.Sleep(100 * time.Millisecond)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	edited := strings.Replace(string(data), "email: atalman@meta.com", "email: someone.else@meta.com", 1)
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o644))
	<-done
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, stderr, "changed since ddstack read it; nothing written: run the command again")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, edited, string(after))
}
