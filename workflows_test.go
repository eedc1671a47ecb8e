package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

type step struct {
	ID              string            `yaml:"id"`
	If              string            `yaml:"if"`
	ContinueOnError string            `yaml:"continue-on-error"`
	Uses            string            `yaml:"uses"`
	Run             string            `yaml:"run"`
	With            map[string]string `yaml:"with"`
}

type job struct {
	If          string `yaml:"if"`
	Environment string `yaml:"environment"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Steps []step `yaml:"steps"`
}

type workflow struct {
	Jobs map[string]job `yaml:"jobs"`
}

func readYAML(t *testing.T, path string, out any) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, out))
}

// moduleVersion reads a required module's version from go.mod.
func moduleVersion(t *testing.T, module string) string {
	t.Helper()
	data, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	m := regexp.MustCompile(regexp.QuoteMeta(module) + ` v(\S+)`).FindSubmatch(data)
	require.NotNil(t, m, module)
	return string(m[1])
}

// pulumiSteps returns the steps that run a Pulumi command.
func pulumiSteps(j job) []step {
	var out []step
	for _, s := range j.Steps {
		if regexp.MustCompile(`^pulumi/actions@`).MatchString(s.Uses) && s.With["command"] != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestWorkflowsPinPulumiAtTheSDKsVersions(t *testing.T) {
	t.Parallel()
	cli := moduleVersion(t, "github.com/pulumi/pulumi/sdk/v3")
	plugin := moduleVersion(t, "github.com/pulumi/pulumi-datadog/sdk/v4")

	var setup struct {
		Runs struct{ Steps []step } `yaml:"runs"`
	}
	readYAML(t, ".github/actions/pulumi/action.yml", &setup)
	installs, plugins := 0, 0
	for _, s := range setup.Runs.Steps {
		if s.With["pulumi-version"] != "" {
			installs++
			assert.Equal(t, cli, s.With["pulumi-version"], "the CLI at the SDK's version")
		}
		if m := regexp.MustCompile(`pulumi plugin install resource datadog (\S+)`).FindStringSubmatch(s.Run); m != nil {
			plugins++
			assert.Equal(t, plugin, m[1], "the plugin at the generated SDK's version")
		}
	}
	assert.Equal(t, 1, installs)
	assert.Equal(t, 1, plugins)

	files, err := filepath.Glob(".github/workflows/*.yml")
	require.NoError(t, err)
	commands := 0
	for _, f := range files {
		var wf workflow
		readYAML(t, f, &wf)
		for name, j := range wf.Jobs {
			steps := pulumiSteps(j)
			if len(steps) == 0 {
				continue
			}
			usesSetup := false
			for _, s := range j.Steps {
				usesSetup = usesSetup || s.Uses == "./.github/actions/pulumi"
			}
			assert.True(t, usesSetup, "%s %s sets up Pulumi in the one place", f, name)
			for _, s := range steps {
				commands++
				assert.Equal(t, cli, s.With["pulumi-version"], "%s %s", f, name)
				assert.Equal(t, "prod", s.With["stack-name"], "%s %s", f, name)
			}
		}
	}
	assert.Equal(t, 6, commands, "preview on pull requests; on main up, then refresh and up (with a repair when that refresh fails); preview for drift")
}

func TestApplyNeverRunsTwiceAtOnce(t *testing.T) {
	t.Parallel()
	var wf workflow
	readYAML(t, ".github/workflows/apply.yml", &wf)
	up := wf.Jobs["up"]
	assert.Equal(t, "prod", up.Environment, "behind the prod environment")
	assert.Equal(t, "pulumi-prod", up.Concurrency.Group)
	assert.False(t, up.Concurrency.CancelInProgress, "an apply is never cancelled half-way")
	steps := pulumiSteps(up)
	require.Len(t, steps, 4)
	for _, s := range steps {
		assert.Equal(t, "up", s.With["command"])
	}
	assert.Empty(t, steps[0].With["refresh"], "the change first, without refresh: an imported AWS account cannot be refreshed before an up")
	assert.Equal(t, "true", steps[1].With["refresh"], "then refresh and up, which restores drift")
	assert.Equal(t, "restore", steps[1].ID)
	assert.Equal(t, "true", steps[1].ContinueOnError)
	for _, s := range steps[2:] {
		assert.Equal(t, "steps.restore.outcome == 'failure'", s.If, "the repair runs only when the refresh failed")
	}
	assert.Empty(t, steps[2].With["refresh"], "the repair: an up without refresh")
	assert.Equal(t, "true", steps[3].With["refresh"], "then the refresh again, which fails the job if it fails")
	assert.Empty(t, steps[3].ContinueOnError)
}

// Every job that runs Pulumi hands the repository's secrets to the set-up
// action, which sets each secret the stack needs by the one naming rule,
// so previews and ups have them.
func TestPulumiJobsGetTheStacksSecrets(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"apply.yml", "drift.yml", "pull-request.yml"} {
		var wf workflow
		readYAML(t, ".github/workflows/"+f, &wf)
		for name, j := range wf.Jobs {
			if len(pulumiSteps(j)) == 0 {
				continue
			}
			found := false
			for _, s := range j.Steps {
				if s.Uses == "./.github/actions/pulumi" {
					found = true
					assert.Equal(t, "${{ toJSON(secrets) }}", s.With["secrets"], "%s %s", f, name)
				}
			}
			assert.True(t, found, "%s %s", f, name)
		}
	}
	var setup struct {
		Runs struct{ Steps []step } `yaml:"runs"`
	}
	readYAML(t, ".github/actions/pulumi/action.yml", &setup)
	found := false
	for _, s := range setup.Runs.Steps {
		if strings.Contains(s.Run, "ddstack secrets") {
			found = true
			assert.Contains(t, s.Run, `pulumi config set --stack prod --secret --path "secrets.$name"`, "set as secret config")
			assert.NotContains(t, s.Run, "${{", "the values come through the environment, not the command line")
			assert.Regexp(t, `\| pulumi config set`, s.Run, "through stdin")
		}
	}
	assert.True(t, found)
}

func TestDriftFailsOnChangesAndWritesNoState(t *testing.T) {
	t.Parallel()
	var wf workflow
	readYAML(t, ".github/workflows/drift.yml", &wf)
	drift := wf.Jobs["drift"]
	assert.Equal(t, "pulumi-prod", drift.Concurrency.Group, "never while an apply runs")
	steps := pulumiSteps(drift)
	require.Len(t, steps, 1)
	assert.Equal(t, "preview", steps[0].With["command"], "a preview writes no state")
	assert.Equal(t, "true", steps[0].With["refresh"])
	assert.Equal(t, "true", steps[0].With["expect-no-changes"], "changes fail the job")
}

func TestPullRequestsGetADiffEvenFromForks(t *testing.T) {
	t.Parallel()
	var wf workflow
	readYAML(t, ".github/workflows/pull-request.yml", &wf)
	d := wf.Jobs["diff"]
	assert.Empty(t, d.If, "the diff job runs for every pull request")
	found := false
	for _, s := range d.Steps {
		found = found || regexp.MustCompile(`ddstack diff --base "origin/\$BASE_REF" --format markdown`).MatchString(s.Run)
	}
	assert.True(t, found)
	assert.Contains(t, wf.Jobs["preview"].If, "github.event.pull_request.head.repo.full_name == github.repository",
		"pulumi preview needs secrets, which forks do not get")
}

// The drift job also audits the organisation: with the Pulumi state, in
// markdown into the job summary, whether or not the preview found drift,
// and its exit status fails the job.
func TestDriftAuditsTheLiveOrganisation(t *testing.T) {
	t.Parallel()
	var wf workflow
	readYAML(t, ".github/workflows/drift.yml", &wf)
	var audit *step
	for i, s := range wf.Jobs["drift"].Steps {
		if strings.Contains(s.Run, `ddstack" audit`) {
			audit = &wf.Jobs["drift"].Steps[i]
		}
	}
	require.NotNil(t, audit, "the drift job runs ddstack audit")
	assert.Equal(t, "${{ !cancelled() }}", audit.If, "after a preview that found drift too")
	assert.Empty(t, audit.ContinueOnError, "a finding fails the job")
	assert.Regexp(t, `pulumi stack export --stack prod --file "(\$RUNNER_TEMP/[^"]+)"`, audit.Run)
	assert.Regexp(t, `"\$RUNNER_TEMP/ddstack" audit --state "\$RUNNER_TEMP/prod-state.json" --markdown`, audit.Run)
	assert.NotContains(t, audit.Run, "go run ./cmd/ddstack audit", "built: go run makes every failing status 1, and the step tells 1 from 2")
	assert.Contains(t, audit.Run, `>> "$GITHUB_STEP_SUMMARY"`)
	assert.Contains(t, audit.Run, `exit "$status"`, "the audit's status is the step's")
}
