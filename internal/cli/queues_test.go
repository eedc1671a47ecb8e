package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queuesStack is the fixture stack of the queues tests: six queue tests
// shaped like production's, with a known gap (linux.aws.h100.4) and a known
// overlap (lf.linux.dgx.b200). Never Pulumi.prod.yaml.
var queuesStack = []string{"--cwd", repoRoot, "--file", "testdata/hud/Pulumi.queues.yaml"}

func runQueuesCmd(args ...string) (int, string, string) {
	return run(append(append([]string{"queues"}, args[:1]...), append(append([]string{}, queuesStack...), args[1:]...)...)...)
}

func hudFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata/hud", name))
	require.NoError(t, err)
	return data
}

// fakeHUD serves HUD's two endpoints from the fixtures, and records the
// parameters it is asked.
func fakeHUD(t *testing.T) (*httptest.Server, *[]string) {
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path+" "+r.URL.Query().Get("parameters"))
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/clickhouse/all_machine_types":
			w.Write(hudFixture(t, "types-strings.json"))
		case "/api/clickhouse/queue_times_historical":
			w.Write(hudFixture(t, "history.json"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &asked
}

type coverageDoc struct {
	Types []struct {
		MachineType string   `json:"machineType"`
		Tests       []string `json:"tests"`
	} `json:"types"`
	Unwatched []string `json:"unwatched"`
	Multiple  []string `json:"multiple"`
}

func TestQueuesCoverage(t *testing.T) {
	t.Parallel()
	srv, _ := fakeHUD(t)
	sources := map[string][]string{
		"a types file, one a line":     {"--types", "testdata/hud/types.txt"},
		"a types file, HUD's objects":  {"--types", "testdata/hud/types.json"},
		"a types file, HUD's strings":  {"--types", "testdata/hud/types-strings.json"},
		"a history file":               {"--history", "testdata/hud/history.json"},
		"HUD live, --hud URL":          {"--hud", srv.URL},
		"HUD live, --hud=URL":          {"--hud=" + srv.URL},
		"HUD live, --hud URL at first": {"--json", "--hud", srv.URL, "--timeout", "5s"},
	}
	for name, args := range sources {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runQueuesCmd(append([]string{"coverage", "--json"}, args...)...)
			assert.Equal(t, ExitError, code, "a type unwatched, one watched twice: %s", stderr)
			var doc coverageDoc
			require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
			assert.Equal(t, []string{"linux.aws.h100.4"}, doc.Unwatched)
			assert.Equal(t, []string{"lf.linux.dgx.b200"}, doc.Multiple)
			require.Len(t, doc.Types, 10)
			assert.Equal(t, "linux.aws.h100.4", doc.Types[0].MachineType, "problems first")
			assert.Equal(t, []string{}, doc.Types[0].Tests)
			assert.Equal(t, "lf.linux.dgx.b200", doc.Types[1].MachineType)
			assert.Equal(t, []string{"gha-queue-lf", "gha-queue-nvidia"}, doc.Types[1].Tests)
			assert.Equal(t, "lf.linux.12xlarge.memory.ephemeral", doc.Types[2].MachineType, "then by name")
			assert.Equal(t, []string{"gha-queue-lf-memory"}, doc.Types[2].Tests)
			if strings.HasPrefix(name, "HUD live") {
				assert.Contains(t, stderr, "fetching machine types from "+srv.URL+"/api/clickhouse/all_machine_types?parameters=%7B%7D")
			}
		})
	}

	code, stdout, stderr := runQueuesCmd("coverage", "--types", "testdata/hud/types.txt")
	assert.Equal(t, ExitError, code, stderr)
	lines := strings.Split(stdout, "\n")
	assert.Equal(t, "10 machine types, 6 queue tests: 1 watched by no test, 1 by more than one", lines[0])
	assert.Regexp(t, `^STATUS +MACHINE TYPE +WATCHED BY$`, lines[2])
	assert.Regexp(t, `^UNWATCHED +linux.aws.h100.4 +-$`, lines[3])
	assert.Regexp(t, `^WATCHED 2 TIMES +lf.linux.dgx.b200 +gha-queue-lf, gha-queue-nvidia$`, lines[4])
	assert.Regexp(t, `^ok +linux.s390x +gha-queue-ibm$`, lines[11])

	dir := t.TempDir()
	good := filepath.Join(dir, "types.txt")
	require.NoError(t, os.WriteFile(good, []byte("linux.s390x\nlinux.2xlarge\n"), 0o644))
	code, stdout, stderr = runQueuesCmd("coverage", "--types", good, "--json")
	assert.Equal(t, ExitOK, code, "every type watched once: %s", stderr)
	assert.Contains(t, stdout, `"unwatched": [],`, "empty lists are []")
	assert.Contains(t, stdout, `"multiple": []`)
	code, stdout, _ = runQueuesCmd("coverage", "--types", good)
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, stdout, "2 machine types, 6 queue tests: 0 watched by no test, 0 by more than one")
	assert.Contains(t, stdout, "Watching none of these types: gha-queue-lf, gha-queue-lf-memory, gha-queue-meta-h100, gha-queue-nvidia")
}

func TestQueuesErrors(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	downURL := down.URL
	down.Close()
	serve := func(status int, contentType string, body []byte, delay time.Duration) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			w.Write(body)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	page := hudFixture(t, "bot-page.html")
	html := serve(http.StatusOK, "text/html", page, 0)
	blocked := serve(http.StatusForbidden, "text/html", page, 0)
	shape := serve(http.StatusOK, "application/json", hudFixture(t, "history-no-wait.json"), 0)
	slow := serve(http.StatusOK, "application/json", []byte("[]"), 10*time.Second)
	noQueues := stackDir(t, header+`  pytorch-datadog:users:
    jane: {email: jane@example.org, roles: [Datadog Admin Role]}
`)

	tests := map[string]struct {
		args []string
		want string
	}{
		"no command":                  {[]string{"queues"}, "Usage:"},
		"an unknown command":          {[]string{"queues", "cover"}, `ddstack queues: unknown command "cover"`},
		"an argument":                 {append([]string{"queues", "coverage", "x"}, queuesStack...), `unexpected argument "x"`},
		"two sources":                 {append([]string{"queues", "coverage", "--types", "a", "--hud"}, queuesStack...), "give one of --types, --hud and --history"},
		"no types file":               {append([]string{"queues", "coverage", "--types", "testdata/hud/nope.txt"}, queuesStack...), "error: --types: open"},
		"an HTML types file":          {append([]string{"queues", "coverage", "--types", "testdata/hud/bot-page.html"}, queuesStack...), `error: --types testdata/hud/bot-page.html: it is HTML, not a list of machine types (page title "Just a moment...")`},
		"HUD down":                    {append([]string{"queues", "coverage", "--hud", downURL}, queuesStack...), "connection refused; is HUD down, or --hud wrong?"},
		"HUD's bot protection":        {append([]string{"queues", "coverage", "--hud", html}, queuesStack...), "with an HTML page, not JSON: a bot-protection or error page?"},
		"HUD refuses":                 {append([]string{"queues", "backtest", "--hud", blocked}, queuesStack...), `HUD answered 403 Forbidden for ` + blocked + `/api/clickhouse/queue_times_historical?parameters=%7B%22granularity%22%3A%22hour%22`},
		"HUD's JSON of another shape": {append([]string{"queues", "backtest", "--hud", shape}, queuesStack...), "row 1 has no avg_queue_s"},
		"HUD slow":                    {append([]string{"queues", "backtest", "--hud", slow, "--timeout", "200ms"}, queuesStack...), "within 200ms (--timeout)"},
		"a history of another shape":  {append([]string{"queues", "backtest", "--history", "testdata/hud/history-no-wait.json"}, queuesStack...), "error: --history testdata/hud/history-no-wait.json: row 1 has no avg_queue_s (rows are {granularity_bucket, machine_type, avg_queue_s})"},
		"a history that is an error":  {append([]string{"queues", "coverage", "--history", "testdata/hud/history-error.json"}, queuesStack...), "it is an error, not a list of rows: Query queue_times_historical failed"},
		"a cut history":               {append([]string{"queues", "backtest", "--history", "testdata/hud/history-truncated.json"}, queuesStack...), "it is not JSON"},
		"no history":                  {append([]string{"queues", "backtest"}, queuesStack...), "give the history: --history FILE, or --hud [URL]"},
		"two histories":               {append([]string{"queues", "backtest", "--hud", "--history", "x"}, queuesStack...), "give one of --history and --hud"},
		"--days without --hud":        {append([]string{"queues", "backtest", "--history", "x", "--days", "3"}, queuesStack...), "--days is for --hud"},
		"no days":                     {append([]string{"queues", "backtest", "--hud", "--days", "0"}, queuesStack...), "--days must be 1 to 366"},
		"a negative target":           {append([]string{"queues", "backtest", "--history", "x", "--target", "-1"}, queuesStack...), "--target must be 0 or more"},
		"no queue test":               {[]string{"queues", "coverage", "--cwd", noQueues, "--types", filepath.Join(repoRoot, "testdata/hud/types.txt")}, "has no queue test"},
		"an invalid stack":            {[]string{"queues", "backtest", "--cwd", stackDir(t, header+"  pytorch-datadog:users: {}\n"), "--history", "x"}, "error: "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			code, stdout, stderr := run(tc.args...)
			assert.Equal(t, ExitInvalid, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Less(t, time.Since(start), 5*time.Second)
		})
	}

	code, stdout, _ := run("queues", "backtest", "--help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, stdout, "Usage: ddstack queues backtest")
	code, stdout, _ = run("--help")
	assert.Equal(t, ExitOK, code)
	assert.Contains(t, stdout, "ddstack queues coverage")
}

type backtestDoc struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Granularity string `json:"granularity"`
	Tests       []struct {
		Key            string  `json:"key"`
		ThresholdHours float64 `json:"thresholdHours"`
		Episodes       []struct {
			Start        string   `json:"start"`
			End          string   `json:"end"`
			MachineTypes []string `json:"machineTypes"`
		} `json:"episodes"`
		AlertHours              int      `json:"alertHours"`
		PagesPerWeek            float64  `json:"pagesPerWeek"`
		SuggestedThresholdHours *float64 `json:"suggestedThresholdHours"`
	} `json:"tests"`
}

func TestQueuesBacktest(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runQueuesCmd("backtest", "--history", "testdata/hud/history.json", "--json")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stderr, "note: 2 hours of 24 have no row for any machine type; they count as passing for every test")
	assert.NotContains(t, stdout, "suggestedThresholdHours", "only with --target")
	var doc backtestDoc
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, "2026-08-01T00:00:00Z", doc.From)
	assert.Equal(t, "2026-08-02T00:00:00Z", doc.To)
	assert.Equal(t, "hour", doc.Granularity)
	require.Len(t, doc.Tests, 6)
	ibm := doc.Tests[0]
	assert.Equal(t, "gha-queue-ibm", ibm.Key)
	assert.Equal(t, 8.0, ibm.ThresholdHours)
	require.Len(t, ibm.Episodes, 3)
	assert.Equal(t, "2026-08-01T02:00:00Z", ibm.Episodes[0].Start)
	assert.Equal(t, "2026-08-01T05:00:00Z", ibm.Episodes[0].End)
	assert.Equal(t, []string{"linux.s390x"}, ibm.Episodes[0].MachineTypes)
	assert.Equal(t, 5, ibm.AlertHours)
	assert.InDelta(t, 21, ibm.PagesPerWeek, 1e-9)
	meta := doc.Tests[3]
	assert.Equal(t, "gha-queue-meta", meta.Key)
	assert.Len(t, meta.Episodes, 2)
	assert.InDelta(t, 7, meta.PagesPerWeek, 1e-9, "its one-hour episode does not page")
	assert.Equal(t, []struct {
		Start        string   `json:"start"`
		End          string   `json:"end"`
		MachineTypes []string `json:"machineTypes"`
	}{}, doc.Tests[4].Episodes, "meta-h100: none, as []")
	assert.Contains(t, stdout, `"episodes": []`)

	code, stdout, stderr = runQueuesCmd("backtest", "--history", "testdata/hud/history.json", "--json", "--target", "7")
	require.Equal(t, ExitOK, code, stderr)
	doc = backtestDoc{}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	want := map[string]float64{"gha-queue-ibm": 8.5, "gha-queue-lf": 2, "gha-queue-lf-memory": 14, "gha-queue-meta": 1, "gha-queue-meta-h100": 1.5, "gha-queue-nvidia": 3.5}
	for _, tb := range doc.Tests {
		require.NotNil(t, tb.SuggestedThresholdHours, tb.Key)
		assert.Equal(t, want[tb.Key], *tb.SuggestedThresholdHours, tb.Key)
	}

	code, stdout, stderr = runQueuesCmd("backtest", "--history", "testdata/hud/history.json", "--target", "7")
	require.Equal(t, ExitOK, code, stderr)
	for _, line := range []string{
		"Replayed 24 hours of HUD's hourly history, 2026-08-01 00:00 to 2026-08-02 00:00 UTC (2 without data, counted as passing)",
		"gha-queue-ibm  GHA Runner Queue Check - IBM Runners",
		"  threshold 8h; runs every 15 min, 3 fast retries 1 min apart; pages after failing 30 min (minFailureDuration)",
		"  its family in this history: linux.s390x",
		"  3 episodes (3 paging), 5 hours alerting, 21.00 pages per week",
		"  suggested threshold for at most 7 pages per week: 8.5h (above the configured 8h)",
		"    2026-08-01 02:00 to 2026-08-01 05:00    3h  pages    linux.s390x",
		"    2026-08-01 08:00 to 2026-08-01 09:00    1h  no page  linux.2xlarge",
		"  its family in this history: linux.2xlarge, linux.4xlarge, windows.4xlarge",
		"  0 episodes (0 paging), 0 hours alerting, 0.00 pages per week",
	} {
		assert.Contains(t, stdout, line+"\n")
	}
}

func TestQueuesBacktestHUD(t *testing.T) {
	t.Parallel()
	srv, asked := fakeHUD(t)
	code, stdout, stderr := runQueuesCmd("backtest", "--hud", srv.URL, "--days", "2", "--json")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, `"granularity": "hour"`)
	require.Len(t, *asked, 1)
	path, params, _ := strings.Cut((*asked)[0], " ")
	assert.Equal(t, "/api/clickhouse/queue_times_historical", path)
	var p struct{ Granularity, StartTime, StopTime string }
	require.NoError(t, json.Unmarshal([]byte(params), &p))
	assert.Equal(t, "hour", p.Granularity)
	start, err := time.Parse("2006-01-02T15:04:05.000", p.StartTime)
	require.NoError(t, err)
	stop, err := time.Parse("2006-01-02T15:04:05.000", p.StopTime)
	require.NoError(t, err)
	assert.Equal(t, 48*time.Hour, stop.Sub(start), "--days 2")
	assert.Equal(t, stop.Truncate(time.Hour), stop, "whole hours")
	assert.WithinDuration(t, time.Now().UTC(), stop, time.Hour)
	assert.Contains(t, stderr, "fetching history from "+srv.URL)
	assert.Contains(t, stderr, "(211 rows)")
}

func TestQueuesPlot(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "plots")
	code, _, stderr := runQueuesCmd("backtest", "--history", "testdata/hud/history.json", "--plot", dir)
	require.Equal(t, ExitOK, code, stderr)
	for _, key := range []string{"gha-queue-ibm", "gha-queue-lf", "gha-queue-lf-memory", "gha-queue-meta", "gha-queue-meta-h100", "gha-queue-nvidia"} {
		data, err := os.ReadFile(filepath.Join(dir, key+".png"))
		require.NoError(t, err, key)
		assert.True(t, bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")), "%s is a PNG", key)
		assert.Contains(t, stderr, fmt.Sprintf("wrote %s\n", filepath.Join(dir, key+".png")))
	}
}

func TestOptionalValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want []string }{
		{[]string{"--hud"}, []string{"--hud"}},
		{[]string{"--hud", "--json"}, []string{"--hud", "--json"}},
		{[]string{"--hud", "http://x"}, []string{"--hud=http://x"}},
		{[]string{"-hud", "http://x", "--json"}, []string{"-hud=http://x", "--json"}},
		{[]string{"--hud=http://x"}, []string{"--hud=http://x"}},
		{[]string{"--", "--hud", "x"}, []string{"--", "--hud", "x"}},
	} {
		assert.Equal(t, tc.want, optionalValue(tc.in, "hud"), "%q", tc.in)
	}
}
