package queues

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

func at(hour int) time.Time {
	return time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(hour) * time.Hour)
}

func fixtureHistory(t *testing.T) []Row {
	t.Helper()
	rows, err := ParseHistory(readFixture(t, "history.json"))
	require.NoError(t, err)
	return rows
}

// TestBacktestFixture replays testdata/hud/history.json: 2026-08-01, 24
// hours, 10 and 11 without any row, 13 with one type only; each family's
// excursions are in the comments of the fixture's generator, and here.
func TestBacktestFixture(t *testing.T) {
	t.Parallel()
	r, err := Backtest(fixtureTests(t), fixtureHistory(t), nil)
	require.NoError(t, err)
	assert.Equal(t, at(0), r.From)
	assert.Equal(t, at(24), r.To)
	assert.Equal(t, "hour", r.Granularity)
	assert.Equal(t, 24, r.Hours)
	assert.Equal(t, 2, r.HoursWithoutData)
	assert.Equal(t, []string{"2 hours of 24 have no row for any machine type; they count as passing for every test"}, r.Notes,
		"the scripts' verdicts agree with their family and threshold")

	ep := func(from, to int, pages bool, types ...string) Episode {
		return Episode{Start: at(from), End: at(to), MachineTypes: types, Pages: pages}
	}
	want := map[string]struct {
		episodes   []Episode
		alertHours int
		pages      int
	}{
		// Over 8h at 02-04, 09 and 12: the hours without data (10, 11)
		// split 09 from 12.
		"gha-queue-ibm": {[]Episode{ep(2, 5, true, "linux.s390x"), ep(9, 10, true, "linux.s390x"), ep(12, 13, true, "linux.s390x")}, 5, 3},
		// lf.linux.12xlarge.memory.ephemeral waits 14h all day: excluded.
		"gha-queue-lf":        {[]Episode{ep(5, 7, true, "lf.linux.2xlarge", "lf.linux.dgx.b200")}, 2, 1},
		"gha-queue-lf-memory": {[]Episode{ep(20, 21, true, "lf.linux.12xlarge.memory.ephemeral")}, 1, 1},
		// One hour over 8h at 08 does not page (minFailureDuration 2h);
		// three at 21-23 do.
		"gha-queue-meta": {[]Episode{ep(8, 9, false, "linux.2xlarge"), ep(21, 24, true, "windows.4xlarge")}, 4, 1},
		// linux.aws.h100.4 waits 28h all day, and no test watches it.
		"gha-queue-meta-h100": {[]Episode{}, 0, 0},
		// Exactly at the threshold (28800 s at 18) passes.
		"gha-queue-nvidia": {[]Episode{ep(14, 18, true, "linux.dgx.b200")}, 4, 1},
	}
	require.Len(t, r.Tests, len(want))
	for _, tb := range r.Tests {
		w, ok := want[tb.Key]
		require.True(t, ok, tb.Key)
		assert.Equal(t, w.episodes, tb.Episodes, tb.Key)
		assert.Equal(t, w.alertHours, tb.AlertHours, tb.Key)
		assert.Equal(t, w.pages, tb.Pages, tb.Key)
		assert.Equal(t, float64(w.pages)*7, tb.PagesPerWeek, "%s: the period is a seventh of a week", tb.Key)
		assert.Nil(t, tb.SuggestedThresholdHours, "no target, no suggestion")
	}
	assert.Equal(t, 8.0, r.Tests[0].ThresholdHours)
	assert.Equal(t, []string{"linux.s390x"}, r.Tests[0].MachineTypes)
	assert.Equal(t, []string{"lf.linux.2xlarge", "lf.linux.dgx.b200"}, r.Tests[1].MachineTypes)
}

func TestSuggestedThreshold(t *testing.T) {
	t.Parallel()
	tests := map[float64]map[string]float64{
		// A page a week over a seventh of a week: one page at most.
		7: {"gha-queue-ibm": 8.5, "gha-queue-lf": 2, "gha-queue-lf-memory": 14, "gha-queue-meta": 1, "gha-queue-meta-h100": 1.5, "gha-queue-nvidia": 3.5},
		// Never: above every excursion, except meta's single hours,
		// which never page.
		0: {"gha-queue-ibm": 9, "gha-queue-lf": 3.5, "gha-queue-lf-memory": 17, "gha-queue-meta": 11.5, "gha-queue-meta-h100": 1.5, "gha-queue-nvidia": 10},
		// Any number: the lowest step.
		1000: {"gha-queue-ibm": 0.5, "gha-queue-lf": 0.5, "gha-queue-lf-memory": 0.5, "gha-queue-meta": 0.5, "gha-queue-meta-h100": 0.5, "gha-queue-nvidia": 0.5},
	}
	for target, want := range tests {
		t.Run(fmt.Sprint(target), func(t *testing.T) {
			t.Parallel()
			r, err := Backtest(fixtureTests(t), fixtureHistory(t), &target)
			require.NoError(t, err)
			for _, tb := range r.Tests {
				require.NotNil(t, tb.SuggestedThresholdHours, tb.Key)
				assert.Equal(t, want[tb.Key], *tb.SuggestedThresholdHours, tb.Key)
			}
		})
	}
	bad := -1.0
	_, err := Backtest(fixtureTests(t), fixtureHistory(t), &bad)
	assert.ErrorContains(t, err, "the target must be 0 or more")
}

// TestSuggestEdges: the suggestion's search on its own.
func TestSuggestEdges(t *testing.T) {
	t.Parallel()
	inf := math.Inf(-1)
	tt := Test{MinFailureDuration: 3600}
	assert.Equal(t, 0.5, suggest(tt, []float64{inf, inf}, 0), "no data: nothing ever fails")
	// Three hours, a week of 168: a page is 56 a week. Two episodes at
	// 1h merge at a lower threshold into one.
	waits := []float64{4000, 3000, 4000}
	assert.Equal(t, 0.5, suggest(tt, waits, 56), "one long episode at 0.5h")
	assert.Equal(t, 1.5, suggest(tt, waits, 0), "above every wait")
	assert.Equal(t, 1.5, suggest(tt, waits, 55.9))
	// The lowest threshold that meets the target, though a higher one
	// does not: 1h splits the episode in two.
	assert.Equal(t, 0.5, suggest(tt, waits, 100))
	long := Test{MinFailureDuration: 7200}
	assert.Equal(t, 1.0, suggest(long, waits, 0), "at 1h two single hours fail, and neither pages")
}

func TestPages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mfd, hours int
		want       bool
	}{{0, 1, true}, {1800, 1, true}, {3600, 1, true}, {3601, 1, false}, {3601, 2, true}, {7200, 1, false}, {7200, 2, true}} {
		assert.Equal(t, tc.want, pages(Test{MinFailureDuration: tc.mfd}, tc.hours), "%d s, %d h", tc.mfd, tc.hours)
	}
}

// TestFamilyRowsOnly: giving each script only its family's rows, with
// regular expressions compiled once a run, changes no verdict: the same
// report as every row of each hour, run exactly as ddstack check runs
// the script.
func TestFamilyRowsOnly(t *testing.T) {
	t.Parallel()
	target := 2.0
	histories := map[string]struct {
		tests []Test
		rows  []Row
	}{
		"fixture":         {fixtureTests(t), fixtureHistory(t)},
		"production-like": {prodLike(), benchHistory(benchTypes(40), 4)},
	}
	for name, h := range histories {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fast, err := Backtest(h.tests, h.rows, &target)
			require.NoError(t, err)
			plain, err := backtest(h.tests, h.rows, &target, false)
			require.NoError(t, err)
			assert.Equal(t, plain, fast)
		})
	}
}

// TestScriptDecides: the episodes are the script's verdicts, whatever the
// test's declared threshold; a disagreement with the Go rule the
// suggestion uses is in the notes.
func TestScriptDecides(t *testing.T) {
	t.Parallel()
	code := scripts.QueueCheck(scripts.Queue{Match: scripts.Equals, Value: "a", ThresholdSeconds: 7200, Label: "a"})
	tests := []Test{{Key: "t", Code: code, ThresholdSeconds: 3600}}
	rows := []Row{{at(0), "a", 5000}, {at(1), "a", 8000}, {at(2), "b", 1}}
	r, err := Backtest(tests, rows, nil)
	require.NoError(t, err)
	require.Len(t, r.Tests[0].Episodes, 1)
	assert.Equal(t, at(1), r.Tests[0].Episodes[0].Start, "the script's threshold (2h), not the declared one")
	assert.Equal(t, []string{`t: in 1 hour the script's verdict differs from "a type of its family waits longer than 1h"; its episodes are the script's, its suggested threshold is that rule's`}, r.Notes)
}

func TestBacktestEdges(t *testing.T) {
	t.Parallel()
	tests := fixtureTests(t)
	_, err := Backtest(tests, nil, nil)
	assert.ErrorContains(t, err, "the history has no rows")

	// One hour, buckets within it truncated; an hour's rows of one type
	// both reach the script.
	r, err := Backtest(tests, []Row{
		{at(0).Add(20 * time.Minute), "linux.s390x", 100},
		{at(0), "linux.s390x", 30000},
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, at(0), r.From)
	assert.Equal(t, at(1), r.To)
	assert.Equal(t, 1, r.Hours)
	assert.Equal(t, []Episode{{at(0), at(1), []string{"linux.s390x"}, true}}, r.Tests[0].Episodes)
	assert.InDelta(t, 168.0, r.Tests[0].PagesPerWeek, 1e-9, "one page in one hour")
	assert.Empty(t, r.Notes)

	_, err = Backtest(tests, []Row{{at(0), "a", 1}, {at(0).AddDate(6, 0, 0), "a", 1}}, nil)
	assert.ErrorContains(t, err, "at most five years")
}
