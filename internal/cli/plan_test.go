package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// repoRoot is the project directory, holding Pulumi.yaml and the stacks.
const repoRoot = "../.."

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/cli -update to create it")
	assert.Equal(t, string(want), got, "%s differs; if the change is intended, run go test ./internal/cli -update", path)
}

// fullStack is a fixture: the production stack as it was when ddstack's
// goldens were made. Behaviour is tested on it, so that editing
// Pulumi.prod.yaml never fails a test.
const fullStack = "testdata/stacks/Pulumi.full.yaml"

func TestPlanFixture(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := run("plan", "--cwd", repoRoot, "--file", fullStack, "--stack", "prod")
	require.Equal(t, ExitOK, code, stderr)
	assert.Empty(t, stderr)
	golden(t, "plan-full.txt", stdout)
	assert.Contains(t, stdout, "Stack prod (../../"+fullStack+"): 26 resources, 2 lookups")
	assert.Contains(t, stdout, "getPermissions  includeRestricted=false")

	code, stdout, stderr = run("plan", "--cwd", repoRoot, "--file", fullStack, "--stack", "prod", "--json")
	require.Equal(t, ExitOK, code, stderr)
	golden(t, "plan-full.json", stdout)

	var doc struct {
		Stack     string
		Resources []struct {
			Type, Name, Provider, Version string
			Inputs                        map[string]any
			DependsOn                     []string
		}
		Invokes []struct {
			Token string
			Args  map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, "prod", doc.Stack)

	roles, users, kinds := 0, map[string][]any{}, map[string]int{}
	for _, r := range doc.Resources {
		assert.Equal(t, "4.68.0", r.Version, r.Name)
		kinds[r.Type]++
		switch r.Type {
		case "datadog:index/role:Role":
			roles++
			assert.Equal(t, "limited-read-write", r.Name)
			assert.Equal(t, "Limited Read Write", r.Inputs["name"])
			assert.Len(t, r.Inputs["permissions"], 13)
		case "datadog:index/user:User":
			users[r.Name] = r.Inputs["roles"].([]any)
		}
	}
	assert.Equal(t, 1, roles)
	assert.Equal(t, 4, kinds["datadog:index/monitor:Monitor"], "the ALI/GitHub monitors and the 499 log alert")
	assert.Equal(t, 17, kinds["datadog:index/syntheticsTest:SyntheticsTest"], "9 HTTP, 1 SSL and 7 queue tests")
	assert.Equal(t, map[string][]any{
		"infra-admin": {"<datadog-role:Datadog Admin Role>"},
		"jane-smith":  {"<role:limited-read-write>"},
		"john-doe":    {"<role:limited-read-write>"},
	}, users)
	require.Len(t, doc.Invokes, 2, "one getPermissions and one getRole per distinct Datadog role")
	assert.Equal(t, "datadog:index/getPermissions:getPermissions", doc.Invokes[0].Token)
	assert.Equal(t, "datadog:index/getRole:getRole", doc.Invokes[1].Token)
	assert.Equal(t, map[string]any{"filter": "Datadog Admin Role"}, doc.Invokes[1].Args)
}

// The README's first command works on the production stack, whatever it
// holds: it plans, with the provider first and nothing but notes on stderr.
func TestPlanProd(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := run("plan", "--cwd", repoRoot, "--json")
	require.Equal(t, ExitOK, code, stderr)
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if line != "" {
			assert.True(t, strings.HasPrefix(line, "note: "), "only notes on stderr: %q", line)
		}
	}
	var doc struct {
		Stack     string
		Resources []struct{ Type string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, "prod", doc.Stack)
	require.NotEmpty(t, doc.Resources)
	assert.Equal(t, "pulumi:providers:datadog", doc.Resources[0].Type)
}

// stackDir makes a project directory with the real Pulumi.yaml and the
// given stack file as Pulumi.prod.yaml.
func stackDir(t *testing.T, stackYAML string) string {
	t.Helper()
	dir := t.TempDir()
	project, err := os.ReadFile(filepath.Join(repoRoot, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.prod.yaml"), []byte(stackYAML), 0o644))
	return dir
}

const header = `config:
  pulumi:disable-default-providers: [datadog]
  datadog:apiUrl: https://api.us3.datadoghq.com/
`

func TestPlanRejectsMistakes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		stack string
		// want are the starts of lines stderr must have, one per mistake.
		want []string
	}{
		"several mistakes at once": {
			header + `  pytorch-datadog:roles:
    readers:
      name: Readers
      permissions: [logs_read_data, incidents_write]
  pytorch-datadog:users:
    jane:
      email: jane@example
      role: [readers]
    john:
      email: JANE@example.org
      roles: Readers
      disabled: "yes"
    amy:
      email: jane@example.org
      roles: [Raeders]
`,
			[]string{
				"error: users.amy.roles[0]: no managed role or Datadog role named \"Raeders\" (did you mean \"Readers\"?)",
				"error: users.jane.email: \"jane@example\" is not an email address",
				"error: users.jane.role: unknown field (did you mean \"roles\"?)",
				"error: users.jane.roles: missing",
				"error: users.john.disabled: must be true or false, got the string \"yes\"",
				"error: users.john.email: \"JANE@example.org\" is also the email of users.amy",
				"error: users.john.roles: must be a list of role names, got the string \"Readers\"",
			},
		},
		"unknown permission, found only by the lookup": {
			header + `  pytorch-datadog:roles:
    readers:
      name: Readers
      permissions: [logs_read_data, incidents_write]
  pytorch-datadog:users:
    jane:
      email: jane@example.org
      roles: [readers]
`,
			[]string{`error: roles.readers.permissions[1]: Datadog has no permission named "incidents_write" (closest: incident_write`},
		},
		"missing users and apiUrl": {
			"config:\n  pytorch-datadog:roles: {}\n",
			[]string{"error: datadog:apiUrl: missing", "error: users: missing"},
		},
		"typo in a config key": {
			header + "  pytorch-datadog:user:\n    jane: {email: jane@example.org, roles: [Datadog Admin Role]}\n",
			[]string{`error: user: unknown config key (did you mean "users"?)`, "error: users: missing"},
		},
		"key in plaintext": {
			header + "  datadog:appKey: abcdef0123456789\n  pytorch-datadog:users:\n    jane: {email: jane@example.org, roles: [Datadog Admin Role]}\n",
			[]string{"error: datadog:appKey: is set in plaintext"},
		},
		"alerting mistakes": {
			header + `  pytorch-datadog:users:
    jane: {email: jane@example.org, roles: [Datadog Admin Role]}
  pytorch-datadog:channels:
    infra-slack: "@slack-infra"
  pytorch-datadog:monitors:
    dlq:
      name: DLQ
      kind: metric
      query: sum(last_5m):max:x{}.as_count()
      critical: 1000
      warning: 5000
      message: Check the logs.
      notify: [infra-slak]
  pytorch-datadog:synthetics:
    site:
      name: Site
      url: htps//pytorch.org
      message: Down.
      assertions:
        - {type: body, operator: contain, target: PyTorch}
`,
			[]string{
				"error: monitors.dlq.notify[0]: no channel \"infra-slak\" in channels (did you mean \"infra-slack\"?)",
				"error: monitors.dlq.warning: must be below critical (1000)",
				"error: synthetics.site.url: \"htps//pytorch.org\" has no scheme; write it as http:// or https://, such as https://pytorch.org",
				"error: synthetics.site.assertions[0].operator: \"contain\" is not one of",
			},
		},
		"empty users section": {
			header + "  pytorch-datadog:users:\n",
			[]string{"error: users: must be a map of user key to a user ({email, roles, disabled, name, sendUserInvitation}), got nothing: add an entry under it, or remove the key"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := stackDir(t, tc.stack)
			code, stdout, stderr := run("plan", "--cwd", dir)
			assert.Equal(t, ExitInvalid, code)
			assert.Empty(t, stdout, "nothing on stdout when the stack is invalid")
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			for _, w := range tc.want {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, w)
				}
				assert.True(t, found, "stderr has no line starting %q:\n%s", w, stderr)
			}
			if name == "several mistakes at once" {
				assert.Len(t, lines, len(tc.want), "one line per mistake:\n%s", stderr)
			}
			assert.NotContains(t, stderr, "abcdef0123456789", "a key is never echoed")
			assert.NotContains(t, stderr, "panic")
		})
	}
}

func TestPlanSecretsAndNotes(t *testing.T) {
	t.Parallel()
	dir := stackDir(t, header+`  datadog:apiKey:
    secure: v1:c2VjcmV0Y2lwaGVydGV4dA==
  pytorch-datadog:users:
    jane:
      email: jane@example.org
      roles: [PyTorch Release Managers]
`)
	code, stdout, stderr := run("plan", "--cwd", dir, "--json")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, `"apiKey": "[secret]"`)
	assert.NotContains(t, stdout, "c2VjcmV0Y2lwaGVydGV4dA")
	assert.Contains(t, stderr, `note: Datadog role "PyTorch Release Managers" is not managed here`)
}

func TestUsage(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{
		"no command":      {},
		"unknown command": {"apply"},
		"unknown flag":    {"plan", "--stak", "prod"},
		"extra argument":  {"plan", "prod"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(args...)
			assert.Equal(t, ExitInvalid, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "Usage")
		})
	}
	code, stdout, _ := run("plan", "--help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, stdout, "Exit status")

	code, _, stderr := run("plan", "--cwd", t.TempDir())
	assert.Equal(t, ExitInvalid, code, "a directory without Pulumi.yaml")
	assert.Contains(t, stderr, "Pulumi.yaml")
}

// An invalid stack exits the same way from every subcommand that reads a
// stack: ExitInvalid, one "error: " line per problem on stderr, nothing on
// stdout.
func TestInvalidStackExitsTheSameEverywhere(t *testing.T) {
	t.Parallel()
	dir := stackDir(t, header+`  pytorch-datadog:users:
    jane: {email: jane@example, roles: [Datadog Admin Role]}
  pytorch-datadog:monitor: {}
`)
	valid := filepath.Join(dir, "Pulumi.valid.yaml")
	require.NoError(t, os.WriteFile(valid, []byte(header+"  pytorch-datadog:users:\n    jane: {email: jane@example.org, roles: [Datadog Admin Role]}\n"), 0o644))
	state := filepath.Join(dir, "state.json")
	require.NoError(t, os.WriteFile(state, []byte(`{"format_version": "1.0", "values": {"root_module": {}}}`), 0o644))
	for name, args := range map[string][]string{
		"plan":          {"plan", "--cwd", dir},
		"plan --json":   {"plan", "--cwd", dir, "--json"},
		"diff files":    {"diff", "--cwd", dir, "Pulumi.valid.yaml", "Pulumi.prod.yaml"},
		"diff reversed": {"diff", "--cwd", dir, "Pulumi.prod.yaml", "Pulumi.valid.yaml"},
		"check":         {"check", "--cwd", dir, "--no-retry"},
		"import":        {"import", "--cwd", dir, "--tfstate", "state.json"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(args...)
			assert.Equal(t, ExitInvalid, code, stderr)
			assert.Empty(t, stdout)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			require.Len(t, lines, 2, "one line per problem:\n%s", stderr)
			for _, l := range lines {
				assert.True(t, strings.HasPrefix(l, "error: "), l)
			}
			assert.Contains(t, stderr, "users.jane.email")
			assert.Contains(t, stderr, `monitor: unknown config key (did you mean "monitors"?)`)
		})
	}
}

// The production-like fixture plans every type, each of its count, and
// notes the secret the stack file does not hold.
func TestPlanOrgFixture(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := run("plan", "--cwd", repoRoot, "--file", "testdata/stacks/Pulumi.org.yaml", "--stack", "prod", "--json")
	require.Equal(t, ExitOK, code, stderr)
	golden(t, "plan-org.json", stdout)
	assert.Equal(t, "note: secrets.incident-io-bearer is not in the stack file, so ddstack shows what uses it as [secret]; pulumi preview and up need it: pulumi config set --secret --path 'secrets.incident-io-bearer' (the workflows set it from the repository secret INCIDENT_IO_BEARER)\n", stderr)
	var doc struct {
		Resources []struct {
			Type   string
			Name   string
			Inputs map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	kinds := map[string]int{}
	for _, r := range doc.Resources {
		kinds[r.Type]++
		if r.Type == "datadog:index/webhook:Webhook" {
			assert.Equal(t, "[secret]", r.Inputs["customHeaders"], "the bearer is a secret")
		}
	}
	assert.Equal(t, map[string]int{
		"pulumi:providers:datadog":                          1,
		"datadog:index/role:Role":                           1,
		"datadog:index/user:User":                           6,
		"datadog:index/team:Team":                           5,
		"datadog:slack/channel:Channel":                     1,
		"datadog:index/webhook:Webhook":                     1,
		"datadog:index/monitor:Monitor":                     4,
		"datadog:index/syntheticsTest:SyntheticsTest":       18,
		"datadog:index/dashboard:Dashboard":                 1,
		"datadog:aws/integrationAccount:IntegrationAccount": 1,
	}, kinds)
}
