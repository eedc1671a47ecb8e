package queues

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

// fixtures are testdata/hud: a fixture stack, type lists, a history and
// malformed answers.
const fixtures = "../../testdata/hud"

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	require.NoError(t, err)
	return data
}

// fixtureTests are the queue tests of testdata/hud/Pulumi.queues.yaml, as
// the program decodes and renders them.
func fixtureTests(t *testing.T) []Test {
	t.Helper()
	s, err := stackfile.Load("../..", "queues", filepath.Join(fixtures, "Pulumi.queues.yaml"))
	require.NoError(t, err)
	cfg, err := plan.Load(s)
	require.NoError(t, err)
	tests := FromConfig(cfg.Synthetics)
	require.Len(t, tests, 6, "the www test is not a queue test")
	return tests
}

func fixtureTypes() []string {
	return []string{"linux.2xlarge", "linux.4xlarge", "windows.4xlarge", "lf.linux.2xlarge", "lf.linux.12xlarge.memory.ephemeral",
		"linux.dgx.b200", "lf.linux.dgx.b200", "linux.s390x", "linux.aws.h100", "linux.aws.h100.4"}
}

func TestFromConfig(t *testing.T) {
	t.Parallel()
	tests := fixtureTests(t)
	var keys []string
	for _, tt := range tests {
		keys = append(keys, tt.Key)
	}
	assert.Equal(t, []string{"gha-queue-ibm", "gha-queue-lf", "gha-queue-lf-memory", "gha-queue-meta", "gha-queue-meta-h100", "gha-queue-nvidia"}, keys)
	ibm := tests[0]
	assert.Equal(t, "GHA Runner Queue Check - IBM Runners", ibm.Name)
	assert.Equal(t, 28800, ibm.ThresholdSeconds)
	assert.Equal(t, 1800, ibm.MinFailureDuration)
	assert.Equal(t, scripts.QueueCheck(scripts.Queue{Match: scripts.Contains, Value: ".s390x", ThresholdSeconds: 28800, Label: "containing .s390x"}), ibm.Code,
		"the script is the one registered")
}

func TestCoverage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		tests     []Test
		types     []string
		want      []TypeCoverage
		unwatched []string
		multiple  []string
	}{
		"the fixture stack: a gap and an overlap first": {
			tests: fixtureTests(t),
			types: append(fixtureTypes(), "", "linux.2xlarge"),
			want: []TypeCoverage{
				{"linux.aws.h100.4", []string{}},
				{"lf.linux.dgx.b200", []string{"gha-queue-lf", "gha-queue-nvidia"}},
				{"lf.linux.12xlarge.memory.ephemeral", []string{"gha-queue-lf-memory"}},
				{"lf.linux.2xlarge", []string{"gha-queue-lf"}},
				{"linux.2xlarge", []string{"gha-queue-meta"}},
				{"linux.4xlarge", []string{"gha-queue-meta"}},
				{"linux.aws.h100", []string{"gha-queue-meta-h100"}},
				{"linux.dgx.b200", []string{"gha-queue-nvidia"}},
				{"linux.s390x", []string{"gha-queue-ibm"}},
				{"windows.4xlarge", []string{"gha-queue-meta"}},
			},
			unwatched: []string{"linux.aws.h100.4"},
			multiple:  []string{"lf.linux.dgx.b200"},
		},
		// The finding, on production's families as of the
		// production-parity change (built here, not read from the stack).
		"production's families": {
			tests: prodLike(),
			types: []string{"linux.aws.h100", "linux.aws.h100.4", "linux.aws.h100.8", "lf.linux.dgx.b200", "lf.linux.dgx.h100",
				"linux.dgx.b200", "linux.rocm.gpu.mi300.2", "linux.idc.xpu", "linux.s390x", "lf.linux.12xlarge.memory.ephemeral", "linux.2xlarge"},
			want: []TypeCoverage{
				{"linux.aws.h100.4", []string{}},
				{"linux.aws.h100.8", []string{}},
				{"lf.linux.dgx.b200", []string{"gha-queue-lf", "gha-queue-nvidia"}},
				{"lf.linux.dgx.h100", []string{"gha-queue-lf", "gha-queue-nvidia"}},
				{"lf.linux.12xlarge.memory.ephemeral", []string{"gha-queue-lf-memory"}},
				{"linux.2xlarge", []string{"gha-queue-meta"}},
				{"linux.aws.h100", []string{"gha-queue-meta-h100"}},
				{"linux.dgx.b200", []string{"gha-queue-nvidia"}},
				{"linux.idc.xpu", []string{"gha-queue-intel"}},
				{"linux.rocm.gpu.mi300.2", []string{"gha-queue-amd"}},
				{"linux.s390x", []string{"gha-queue-ibm"}},
			},
			unwatched: []string{"linux.aws.h100.4", "linux.aws.h100.8"},
			multiple:  []string{"lf.linux.dgx.b200", "lf.linux.dgx.h100"},
		},
		"every type watched once": {
			tests:     fixtureTests(t),
			types:     []string{"linux.s390x", "linux.2xlarge"},
			want:      []TypeCoverage{{"linux.2xlarge", []string{"gha-queue-meta"}}, {"linux.s390x", []string{"gha-queue-ibm"}}},
			unwatched: []string{},
			multiple:  []string{},
		},
		"no types": {tests: fixtureTests(t), want: []TypeCoverage{}, unwatched: []string{}, multiple: []string{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := Coverage(tc.tests, tc.types)
			require.NoError(t, err)
			assert.Equal(t, tc.want, r.Types)
			assert.Equal(t, tc.unwatched, r.Unwatched)
			assert.Equal(t, tc.multiple, r.Multiple)
			assert.Equal(t, len(tc.unwatched)+len(tc.multiple) == 0, r.OK())
		})
	}
}

func TestCoverageScriptErrors(t *testing.T) {
	t.Parallel()
	_, err := Coverage([]Test{{Key: "broken", Code: "if (x {"}}, []string{"a"})
	assert.ErrorContains(t, err, "broken: the script does not compile")
	_, err = Coverage([]Test{{Key: "thrower", Code: "null.x;"}}, []string{"a"})
	assert.NoError(t, err, "a script that throws fails: the type is watched")
}

func TestBody(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 8, 21, 15, 0, 0, 0, time.UTC)
	got := body([]hudRow{{"linux.s390x", 30000.5, at}, {`we"ird`, 1, at}})
	assert.Equal(t, `[{"count":1,"avg_queue_s":30000.5,"machine_type":"linux.s390x","time":"2026-08-21T15:00:00Z"},`+
		`{"count":1,"avg_queue_s":1,"machine_type":"we\"ird","time":"2026-08-21T15:00:00Z"}]`, got)
	res, err := jsrun.Run(scripts.QueueCheck(scripts.Queue{Match: scripts.Contains, Value: ".s390x", ThresholdSeconds: 28800, Label: "x"}),
		jsrun.Response{StatusCode: 200, Body: got}, time.Second)
	require.NoError(t, err)
	assert.False(t, res.Passed, "the queue check reads the rows")
	assert.Equal(t, []string{"High queue detected for machine types x: linux.s390x (8.3h)"}, res.Errors)
}
