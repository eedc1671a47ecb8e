package queues

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Row is one row of HUD's queue_times_historical answer: an hour (its
// start, UTC) and a machine type, with the hour's mean of the longest wait
// of that type's queued jobs, in seconds.
type Row struct {
	Bucket      time.Time
	MachineType string
	AvgQueueS   float64
}

// Granularity is the only one Backtest reads.
const Granularity = "hour"

// BacktestReport is how each test would have fared over a history.
type BacktestReport struct {
	// From is the first hour's start, To the last hour's end (RFC 3339,
	// UTC): the period pages per week are counted over.
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Granularity string    `json:"granularity"`
	// Hours in the period; HoursWithoutData of them have no row for any
	// machine type, and count as passing for every test.
	Hours            int            `json:"hours"`
	HoursWithoutData int            `json:"hoursWithoutData"`
	Tests            []TestBacktest `json:"tests"`
	// Notes are for the operator: what the numbers may not show.
	Notes []string `json:"-"`
}

// TestBacktest is one test over the history.
type TestBacktest struct {
	Key            string  `json:"key"`
	Name           string  `json:"-"`
	ThresholdHours float64 `json:"thresholdHours"`
	// MinFailureDuration, in seconds: an episode pages when it lasts at
	// least this long.
	MinFailureDuration int       `json:"minFailureDuration"`
	Episodes           []Episode `json:"episodes"`
	// AlertHours are the hours in which the script failed, in every
	// episode, paging or not; Pages the episodes that page.
	AlertHours   int     `json:"alertHours"`
	Pages        int     `json:"pages"`
	PagesPerWeek float64 `json:"pagesPerWeek"`
	// SuggestedThresholdHours is the lowest threshold, in half hours, at
	// which the test would have paged at most the target's times a week;
	// only with a target.
	SuggestedThresholdHours *float64 `json:"suggestedThresholdHours,omitempty"`
	// MachineTypes are the types of the history in the test's family.
	MachineTypes []string `json:"-"`
}

// Episode is a run of consecutive failing hours.
type Episode struct {
	// Start is the first failing hour's start; End the last one's end.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// MachineTypes are the family's types over the threshold in any of
	// the episode's hours, sorted.
	MachineTypes []string `json:"machineTypes"`
	// Pages is whether it lasts at least the test's minFailureDuration.
	Pages bool `json:"pages"`
}

// Hours is how many hours the episode lasts.
func (e Episode) Hours() int { return int(e.End.Sub(e.Start) / time.Hour) }

// history is a history laid out by hour and machine type.
type history struct {
	from  time.Time
	hours int
	// types are the machine types, sorted; names their JSON strings.
	types []string
	names []string
	// rows[h] are hour h's rows, by machine type.
	rows [][]histRow
}

type histRow struct {
	typ  int
	wait float64
}

func layout(rows []Row) (*history, error) {
	if len(rows) == 0 {
		return nil, errors.New("the history has no rows: nothing to replay")
	}
	// Each type once before sorting: a history has a few hundred types
	// in hundreds of thousands of rows.
	seen := map[string]bool{}
	var types []string
	first, last := rows[0].Bucket.UTC().Truncate(time.Hour), rows[0].Bucket.UTC().Truncate(time.Hour)
	for _, r := range rows {
		b := r.Bucket.UTC().Truncate(time.Hour)
		if b.Before(first) {
			first = b
		}
		if b.After(last) {
			last = b
		}
		if !seen[r.MachineType] {
			seen[r.MachineType] = true
			types = append(types, r.MachineType)
		}
	}
	h := &history{from: first, hours: int(last.Sub(first)/time.Hour) + 1, types: distinct(types)}
	if h.hours > 24*366*5 {
		return nil, fmt.Errorf("the history spans %d hours, from %s to %s; at most five years are replayed", h.hours, first.Format(time.RFC3339), last.Format(time.RFC3339))
	}
	index := make(map[string]int, len(h.types))
	for i, t := range h.types {
		index[t] = i
		name, _ := json.Marshal(t)
		h.names = append(h.names, string(name))
	}
	h.rows = make([][]histRow, h.hours)
	for _, r := range rows {
		if r.MachineType == "" {
			continue
		}
		at := int(r.Bucket.UTC().Truncate(time.Hour).Sub(first) / time.Hour)
		h.rows[at] = append(h.rows[at], histRow{typ: index[r.MachineType], wait: r.AvgQueueS})
	}
	for _, hr := range h.rows {
		slices.SortStableFunc(hr, func(a, b histRow) int { return cmp.Compare(a.typ, b.typ) })
	}
	return h, nil
}

func (h *history) start(hour int) time.Time { return h.from.Add(time.Duration(hour) * time.Hour) }

// body is hour's rows of the types in family, as queued_jobs_by_label
// answers them (see body in queues.go).
func (h *history) body(hour int, family []bool, b *strings.Builder) string {
	b.Reset()
	b.WriteByte('[')
	stamp := `,"time":"` + h.start(hour).Format(time.RFC3339) + `"}`
	n := 0
	for _, r := range h.rows[hour] {
		if !family[r.typ] {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.WriteString(`{"count":1,"avg_queue_s":`)
		b.WriteString(strconv.FormatFloat(r.wait, 'f', -1, 64))
		b.WriteString(`,"machine_type":`)
		b.WriteString(h.names[r.typ])
		b.WriteString(stamp)
	}
	b.WriteByte(']')
	return b.String()
}

// Backtest replays each test over an hourly history: for each hour, the
// test's script gets that hour's rows as HUD's queued_jobs_by_label
// answers them (count 1, avg_queue_s, machine_type, time the hour's start),
// status 200, and its verdict is the hour's. Consecutive failing hours
// make an episode; an hour with no row for any type counts as passing.
// Each hour stands for Datadog's four 15-minute ticks, all failing or all
// passing, so an episode of k hours lasts k×3600 s and pages when that is
// at least the test's minFailureDuration (the fast retries, minutes apart,
// fall within the hour).
//
// Each script gets only the rows of the machine types of its family, found
// as Coverage finds them: a row of another type cannot change a queue
// check's verdict (the script filters rows by family before comparing),
// and TestFamilyRowsOnly checks it on every hour of a fixture.
//
// With a target (pages per week), each test's suggested threshold is the
// lowest in half hours at which it would have paged at most that often,
// computed from each hour's longest wait over the family's types: the
// script's rule, checked against the script's own verdicts at the
// configured threshold (a difference is in the report's notes).
func Backtest(tests []Test, rows []Row, target *float64) (*BacktestReport, error) {
	if target != nil && (*target < 0 || math.IsNaN(*target)) {
		return nil, fmt.Errorf("the target must be 0 or more pages per week, got %g", *target)
	}
	return backtest(tests, rows, target, true)
}

// backtest is Backtest; with fast false, each script gets every row of
// the hour and runs exactly as ddstack check runs it (the tests compare).
func backtest(tests []Test, rows []Row, target *float64, fast bool) (*BacktestReport, error) {
	s, err := prepare(tests)
	if err != nil {
		return nil, err
	}
	h, err := layout(rows)
	if err != nil {
		return nil, err
	}
	members, err := s.membership(h.types)
	if err != nil {
		return nil, err
	}
	// family[i] are test i's types; sent[i] those whose rows its script
	// gets: its family's, or every type without fast.
	family, sent := make([][]bool, len(tests)), make([][]bool, len(tests))
	all := make([]bool, len(h.types))
	for ty := range all {
		all[ty] = true
	}
	for i := range tests {
		family[i] = make([]bool, len(h.types))
		sent[i] = family[i]
		if !fast {
			sent[i] = all
		}
	}
	for ty, ms := range members {
		for _, i := range ms {
			family[i][ty] = true
		}
	}

	// One run per test and hour with rows of its family, and one per test
	// for the hours with data but none of its family: their bodies are all
	// "[]". Bodies are built in the workers: no two hours' are the same, as
	// each row holds its hour.
	const noData = -1 // no row of any type: passing
	type job struct{ test, hour int }
	var jobs []job
	jobOf := make([][]int, len(tests)) // [test][hour]: a job, or noData
	emptyJob := make([]int, len(tests))
	for i := range tests {
		jobOf[i] = make([]int, h.hours)
		emptyJob[i] = -1
		for hour := range h.hours {
			switch {
			case len(h.rows[hour]) == 0:
				jobOf[i][hour] = noData
			case !slices.ContainsFunc(h.rows[hour], func(r histRow) bool { return sent[i][r.typ] }):
				if emptyJob[i] < 0 {
					emptyJob[i] = len(jobs)
					jobs = append(jobs, job{i, -1})
				}
				jobOf[i][hour] = emptyJob[i]
			default:
				jobOf[i][hour] = len(jobs)
				jobs = append(jobs, job{i, hour})
			}
		}
	}
	// Each run allocates a runtime for a moment: collecting less often
	// saves a sixth of the time for a few hundred MB at most. A GOGC set
	// by the user stays.
	if old := debug.SetGCPercent(400); old != 100 {
		debug.SetGCPercent(old)
	} else {
		defer debug.SetGCPercent(old)
	}
	passed := make([]bool, len(jobs))
	if err := parallel(len(jobs), func(k int) error {
		text := "[]"
		if j := jobs[k]; j.hour >= 0 {
			var b strings.Builder
			text = h.body(j.hour, sent[j.test], &b)
		}
		ok, err := s.passes(jobs[k].test, text)
		passed[k] = ok
		return err
	}); err != nil {
		return nil, err
	}

	r := &BacktestReport{
		From: h.from, To: h.start(h.hours), Granularity: Granularity, Hours: h.hours,
		Tests: []TestBacktest{},
	}
	for hour := range h.hours {
		if len(h.rows[hour]) == 0 {
			r.HoursWithoutData++
		}
	}
	if r.HoursWithoutData > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%s of %d have no row for any machine type; they count as passing for every test", count(r.HoursWithoutData, "hour", "hours"), h.hours))
	}
	for i, t := range tests {
		failing := make([]bool, h.hours)
		for hour, k := range jobOf[i] {
			failing[hour] = k >= 0 && !passed[k]
		}
		// The longest wait of the family's types in each hour, -Inf
		// without one.
		longest := make([]float64, h.hours)
		for hour, hr := range h.rows {
			longest[hour] = math.Inf(-1)
			for _, row := range hr {
				if family[i][row.typ] {
					longest[hour] = max(longest[hour], row.wait)
				}
			}
		}
		tb := TestBacktest{
			Key: t.Key, Name: t.Name, ThresholdHours: t.ThresholdHours(),
			MinFailureDuration: t.MinFailureDuration, Episodes: []Episode{}, MachineTypes: []string{},
		}
		for ty, in := range family[i] {
			if in {
				tb.MachineTypes = append(tb.MachineTypes, h.types[ty])
			}
		}
		mismatch := 0
		for hour := range h.hours {
			if failing[hour] != (longest[hour] > float64(t.ThresholdSeconds)) {
				mismatch++
			}
		}
		if mismatch > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: in %s the script's verdict differs from \"a type of its family waits longer than %gh\"; its episodes are the script's, its suggested threshold is that rule's", t.Key, count(mismatch, "hour", "hours"), t.ThresholdHours()))
		}
		for _, run := range runs(failing) {
			e := Episode{Start: h.start(run[0]), End: h.start(run[1]), MachineTypes: []string{}, Pages: pages(t, run[1]-run[0])}
			over := map[string]bool{}
			for hour := run[0]; hour < run[1]; hour++ {
				for _, row := range h.rows[hour] {
					if family[i][row.typ] && row.wait > float64(t.ThresholdSeconds) && !over[h.types[row.typ]] {
						over[h.types[row.typ]] = true
						e.MachineTypes = append(e.MachineTypes, h.types[row.typ])
					}
				}
			}
			slices.Sort(e.MachineTypes)
			tb.AlertHours += run[1] - run[0]
			if e.Pages {
				tb.Pages++
			}
			tb.Episodes = append(tb.Episodes, e)
		}
		tb.PagesPerWeek = perWeek(tb.Pages, h.hours)
		if target != nil {
			s := suggest(t, longest, *target)
			tb.SuggestedThresholdHours = &s
		}
		r.Tests = append(r.Tests, tb)
	}
	return r, nil
}

// runs returns the runs of true in failing, as [start, end) hour indexes.
func runs(failing []bool) [][2]int {
	var out [][2]int
	for h := 0; h < len(failing); {
		if !failing[h] {
			h++
			continue
		}
		start := h
		for h < len(failing) && failing[h] {
			h++
		}
		out = append(out, [2]int{start, h})
	}
	return out
}

// pages is whether an episode of k hours pages: each hour stands for four
// 15-minute ticks, so it lasts k×3600 s.
func pages(t Test, k int) bool { return k*3600 >= t.MinFailureDuration }

// perWeek is pages over hours, a week: pages×168/hours, so that a whole
// number stays whole.
func perWeek(pages, hours int) float64 { return float64(pages) * 168 / float64(hours) }

// suggest returns the lowest threshold, in half hours from a half hour up,
// at which the hours whose longest wait is above it (one a slot of longest)
// would have paged at most target times a week. Above the longest wait
// nothing fails, so the search ends.
func suggest(t Test, longest []float64, target float64) float64 {
	top := 0.0
	for _, w := range longest {
		top = max(top, w)
	}
	failing := make([]bool, len(longest))
	for step := 1; ; step++ {
		hours := float64(step) / 2
		threshold := float64(int(hours * 3600))
		for h, w := range longest {
			failing[h] = w > threshold
		}
		n := 0
		for _, run := range runs(failing) {
			if pages(t, run[1]-run[0]) {
				n++
			}
		}
		if perWeek(n, len(longest)) <= target || threshold >= top {
			return hours
		}
	}
}

// count is "1 hour", "2 hours".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
