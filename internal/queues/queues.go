// Package queues answers two questions about a stack's queue tests with the
// very scripts it registers, run as Datadog and ddstack check run them:
// which test watches each runner type (Coverage), and how often each test
// would have failed and paged over HUD's hourly history (Backtest).
package queues

import (
	"cmp"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pytorch-fdn/pytorch-datadog/internal/jsrun"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// Test is a queue test as the stack registers it.
type Test struct {
	// Key is the test's config key (gha-queue-ibm), Name its display name.
	Key, Name string
	// Code is the script registered: the same bytes ddstack plan shows.
	Code string
	// ThresholdSeconds is the family's threshold, from the test's queue
	// parameters: a wait above it fails the script.
	ThresholdSeconds int
	// MinFailureDuration, in seconds, is how long the test must fail before
	// Datadog alerts.
	MinFailureDuration int
	// TickEvery, RetryCount and RetryIntervalMs are the test's schedule and
	// fast retries, shown in the report.
	TickEvery, RetryCount, RetryIntervalMs int
}

// ThresholdHours is the threshold in hours.
func (t Test) ThresholdHours() float64 { return float64(t.ThresholdSeconds) / 3600 }

// FromConfig returns the stack's queue tests, sorted by key.
func FromConfig(tests map[string]synthetics.Test) []Test {
	var out []Test
	for key, t := range tests {
		if t.Kind != synthetics.Queue || t.QueueCheck == nil || len(t.Assertions) == 0 {
			continue
		}
		out = append(out, Test{
			Key: key, Name: t.Name, Code: t.Assertions[0].Code,
			ThresholdSeconds:   t.QueueCheck.ThresholdSeconds,
			MinFailureDuration: t.MinFailureDuration,
			TickEvery:          t.TickEvery, RetryCount: t.RetryCount, RetryIntervalMs: t.RetryIntervalMs,
		})
	}
	slices.SortFunc(out, func(a, b Test) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// scriptLimit bounds one run of a script, as ddstack check does: a body of
// months of machine types is still parsed in milliseconds.
const scriptLimit = 10 * time.Second

// runner holds the tests' scripts, each compiled once.
type runner struct {
	tests    []Test
	compiled []*jsrun.Script
}

// prepare compiles the tests' scripts once; each run is then exactly as
// ddstack check runs them, in a runtime of its own.
func prepare(tests []Test) (*runner, error) {
	s := &runner{tests: tests}
	for _, t := range tests {
		c, err := jsrun.Prepare(t.Code)
		if err != nil {
			return nil, fmt.Errorf("%s: the script does not compile: %w", t.Key, err)
		}
		s.compiled = append(s.compiled, c)
	}
	return s, nil
}

// passes runs test i's script on a HUD answer of status 200 with body, and
// returns its verdict.
func (s *runner) passes(i int, body string) (bool, error) {
	res, err := s.compiled[i].Run(jsrun.Response{
		StatusCode: 200, Body: body,
		Headers: map[string]string{"content-type": "application/json; charset=utf-8"},
	}, scriptLimit)
	if err != nil {
		return false, fmt.Errorf("%s: the script cannot run: %w", s.tests[i].Key, err)
	}
	return res.Passed, nil
}

// hudRow is a row of HUD's queued_jobs_by_label answer (synthetics.md §4).
type hudRow struct {
	MachineType string
	AvgQueueS   float64
	Time        time.Time
}

// body renders rows as HUD's queued_jobs_by_label answers them: a JSON
// array of {count, avg_queue_s, machine_type, time}, each count 1 (a
// history row stands for the hour's longest waiting job).
func body(rows []hudRow) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"count":1,"avg_queue_s":`)
		b.WriteString(strconv.FormatFloat(r.AvgQueueS, 'f', -1, 64))
		b.WriteString(`,"machine_type":`)
		name, _ := json.Marshal(r.MachineType)
		b.Write(name)
		b.WriteString(`,"time":"`)
		b.WriteString(r.Time.UTC().Format(time.RFC3339))
		b.WriteString(`"}`)
	}
	b.WriteByte(']')
	return b.String()
}

// parallel calls f(0) ... f(n-1) from at most GOMAXPROCS goroutines, and
// returns the first error; after an error, the calls not yet started are
// skipped.
func parallel(n int, f func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var (
		next   atomic.Int64
		failed atomic.Bool
		once   sync.Once
		first  error
		wg     sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return first
}

// coverageTime is the time of the rows coverage gives the scripts; they do
// not read it.
var coverageTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// membership returns, for each type, the indexes of the tests that watch
// it: the tests whose script fails on one row of that type waiting a day
// longer than every test's threshold.
func (s *runner) membership(types []string) ([][]int, error) {
	wait := 0
	for _, t := range s.tests {
		wait = max(wait, t.ThresholdSeconds)
	}
	wait += 24 * 3600
	failing := make([]bool, len(types)*len(s.tests))
	err := parallel(len(failing), func(k int) error {
		ty, i := k/len(s.tests), k%len(s.tests)
		ok, err := s.passes(i, body([]hudRow{{MachineType: types[ty], AvgQueueS: float64(wait), Time: coverageTime}}))
		failing[k] = !ok
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([][]int, len(types))
	for ty := range types {
		for i := range s.tests {
			if failing[ty*len(s.tests)+i] {
				out[ty] = append(out[ty], i)
			}
		}
	}
	return out, nil
}

// CoverageReport says which tests watch each machine type.
type CoverageReport struct {
	// Types are every machine type: the unwatched first, then those
	// watched by more than one test, then the rest, each group by name.
	Types []TypeCoverage `json:"types"`
	// Unwatched are the types no test watches; Multiple those that more
	// than one test watches. Both sorted by name.
	Unwatched []string `json:"unwatched"`
	Multiple  []string `json:"multiple"`
}

// TypeCoverage is one machine type and the keys of the tests watching it.
type TypeCoverage struct {
	MachineType string   `json:"machineType"`
	Tests       []string `json:"tests"`
}

// OK is whether every type is watched by exactly one test.
func (r *CoverageReport) OK() bool { return len(r.Unwatched) == 0 && len(r.Multiple) == 0 }

// Coverage runs each test's script on one HUD row of each machine type,
// status 200, waiting a day longer than every threshold: the tests whose
// script fails watch that type. Empty and repeated types are dropped.
func Coverage(tests []Test, types []string) (*CoverageReport, error) {
	s, err := prepare(tests)
	if err != nil {
		return nil, err
	}
	types = distinct(types)
	members, err := s.membership(types)
	if err != nil {
		return nil, err
	}
	r := &CoverageReport{Types: []TypeCoverage{}, Unwatched: []string{}, Multiple: []string{}}
	for ty, name := range types {
		c := TypeCoverage{MachineType: name, Tests: []string{}}
		for _, i := range members[ty] {
			c.Tests = append(c.Tests, tests[i].Key)
		}
		slices.Sort(c.Tests)
		switch len(c.Tests) {
		case 0:
			r.Unwatched = append(r.Unwatched, name)
		case 1:
		default:
			r.Multiple = append(r.Multiple, name)
		}
		r.Types = append(r.Types, c)
	}
	rank := func(c TypeCoverage) int {
		switch len(c.Tests) {
		case 0:
			return 0
		case 1:
			return 2
		default:
			return 1
		}
	}
	slices.SortFunc(r.Types, func(a, b TypeCoverage) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.MachineType, b.MachineType))
	})
	return r, nil
}

// distinct returns the non-empty types, each once, sorted.
func distinct(types []string) []string {
	out := make([]string, 0, len(types))
	for _, t := range types {
		if t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
