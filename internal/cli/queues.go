package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pytorch-fdn/pytorch-datadog/internal/queueplot"
	"github.com/pytorch-fdn/pytorch-datadog/internal/queues"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
)

const queuesUsage = `Usage:
  ddstack queues coverage [--stack NAME | --file PATH] [--cwd DIR]
                          [--types FILE | --hud [URL] | --history FILE] [--timeout D] [--json]
  ddstack queues backtest [--stack NAME | --file PATH] [--cwd DIR]
                          (--history FILE | --hud [URL] [--days N]) [--target N] [--plot DIR]
                          [--timeout D] [--json]

coverage  which queue test watches each runner type: exit 1 when a type is watched by
          no test or by more than one
backtest  how often each queue test would have failed and paged over HUD's hourly history

Run ddstack queues COMMAND --help for a command's flags.
`

const coverageUsage = `Usage: ddstack queues coverage [--stack NAME | --file PATH] [--cwd DIR]
                               [--types FILE | --hud [URL] | --history FILE] [--timeout D] [--json]

For each runner (machine) type, the stack's queue tests that watch it: each test's
registered script, the same bytes ddstack plan shows, run as ddstack check runs it on
one HUD row of that type, status 200, waiting a day longer than every threshold. The
tests whose script fails watch the type. Types watched by no test, then by more than
one, come first.

The types: --types FILE (one a line, or a HUD JSON array of strings or of objects
with machine_type), --history FILE (the types of a queue_times_historical answer),
or HUD's /api/clickhouse/all_machine_types (the labels of the last 3 days' jobs),
read live: --hud [URL], the default, from https://hud.pytorch.org.
Exit status: 0 every type is watched by exactly one test, 1 a type is watched by no
test or by more than one, 2 a usage error, an invalid stack or bad input.

`

const backtestUsage = `Usage: ddstack queues backtest [--stack NAME | --file PATH] [--cwd DIR]
                               (--history FILE | --hud [URL] [--days N]) [--target N]
                               [--plot DIR] [--timeout D] [--json]

Replays each queue test of the stack over HUD's hourly history
(/api/clickhouse/queue_times_historical, granularity hour: per hour and machine type,
the hour's mean of the longest wait): for each hour, the test's registered script gets
that hour's rows as HUD's queued_jobs_by_label answers them, and its verdict is the
hour's. Consecutive failing hours make an episode; an hour with no row for any type
passes. Each hour stands for Datadog's four 15-minute ticks, all failing or all
passing: an episode of k hours lasts k hours, and pages when that is at least the
test's minFailureDuration (its fast retries fall within the hour).
Per test: its episodes, hours alerting, pages per week, and with --target N the
lowest threshold, in half hours, at which it would have paged at most N times a week.
--plot DIR draws each test's family against its threshold, paging episodes shaded,
as DIR/<test key>.png.
Exit status: 0 replayed, 2 a usage error, an invalid stack or bad input.

`

func runQueues(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, queuesUsage)
		return ExitInvalid
	}
	switch args[0] {
	case "coverage":
		return runCoverage(args[1:], stdout, stderr)
	case "backtest":
		return runBacktest(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, queuesUsage)
		return ExitOK
	default:
		fmt.Fprintf(stderr, "ddstack queues: unknown command %q\n\n%s", args[0], queuesUsage)
		return ExitInvalid
	}
}

// hudFlag is --hud [URL]: given alone, HUD's public address.
type hudFlag struct {
	set bool
	url string
}

func (h *hudFlag) String() string   { return h.url }
func (h *hudFlag) IsBoolFlag() bool { return true }

func (h *hudFlag) Set(v string) error {
	switch v {
	case "true", "":
		h.set, h.url = true, queues.DefaultHUD
	case "false":
		h.set, h.url = false, ""
	default:
		h.set, h.url = true, v
	}
	return nil
}

// optionalValue joins "--name VALUE" into "--name=VALUE" for a flag whose
// value may be left out (--hud [URL]): the commands that take it take no
// arguments, so a word after it is its value.
func optionalValue(args []string, name string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == "-"+name || a == "--"+name) && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// queueFlags are the flags both commands share.
type queueFlags struct {
	sf      stackFlags
	hud     hudFlag
	history string
	timeout time.Duration
	asJSON  bool
	fs      *flag.FlagSet
}

func (q *queueFlags) register(fs *flag.FlagSet) {
	q.fs = fs
	q.sf.register(fs)
	fs.Var(&q.hud, "hud", "read from HUD at `URL` (default "+queues.DefaultHUD+" when given alone)")
	fs.StringVar(&q.history, "history", "", "read HUD's hourly history from `FILE`: a queue_times_historical answer, a JSON array of {granularity_bucket, machine_type, avg_queue_s}")
	fs.DurationVar(&q.timeout, "timeout", queues.DefaultTimeout, "give up on a request to HUD after `D`")
	fs.BoolVar(&q.asJSON, "json", false, "print the result as JSON")
}

func (q *queueFlags) client(stderr io.Writer) *queues.HUD {
	return &queues.HUD{Base: q.hud.url, Timeout: q.timeout, Progress: stderr}
}

// tests loads the stack and returns its queue tests.
func (q *queueFlags) tests(stderr io.Writer) ([]queues.Test, bool) {
	st, err := q.sf.load(false)
	if err != nil {
		printErrors(stderr, err)
		return nil, false
	}
	tests := queues.FromConfig(st.cfg.Synthetics)
	if len(tests) == 0 {
		printErrors(stderr, fmt.Errorf("stack %s (%s) has no queue test (a synthetics test of kind queue)", st.file.Name, st.file.Path))
		return nil, false
	}
	return tests, true
}

// readHistory reads --history.
func (q *queueFlags) readHistory() ([]queues.Row, error) {
	data, err := stackfile.ReadFile(q.sf.path(q.history), maxStateBytes)
	if err != nil {
		return nil, fmt.Errorf("--history: %w", err)
	}
	rows, err := queues.ParseHistory(data)
	if err != nil {
		return nil, fmt.Errorf("--history %s: %w", q.history, err)
	}
	return rows, nil
}

func (q *queueFlags) isSet(name string) bool {
	set := false
	q.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runCoverage(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("queues coverage", flag.ContinueOnError)
	var q queueFlags
	q.register(fs)
	typesFile := fs.String("types", "", "read the machine types from `FILE`: one a line, or a HUD JSON array of strings or of {machine_type}")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), coverageUsage)
		fs.PrintDefaults()
	}
	if _, code, ok := parseFlags(fs, optionalValue(args, "hud"), 0, stdout, stderr); !ok {
		return code
	}
	sources := 0
	for _, set := range []bool{*typesFile != "", q.hud.set, q.history != ""} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		fmt.Fprintln(stderr, "ddstack queues coverage: give one of --types, --hud and --history")
		return ExitInvalid
	}
	tests, ok := q.tests(stderr)
	if !ok {
		return ExitInvalid
	}

	var types []string
	switch {
	case *typesFile != "":
		data, err := stackfile.ReadFile(q.sf.path(*typesFile), maxTypesBytes)
		if err == nil {
			types, err = queues.ParseTypes(data)
			if err != nil {
				err = fmt.Errorf("--types %s: %w", *typesFile, err)
			}
		} else {
			err = fmt.Errorf("--types: %w", err)
		}
		if err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
	case q.history != "":
		rows, err := q.readHistory()
		if err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
		for _, r := range rows {
			types = append(types, r.MachineType)
		}
	default:
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		var err error
		if types, err = q.client(stderr).MachineTypes(ctx); err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
	}

	report, err := queues.Coverage(tests, types)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	if len(report.Types) == 0 {
		printErrors(stderr, errors.New("no machine type to check: the list is empty"))
		return ExitInvalid
	}
	if q.asJSON {
		writeJSON(stdout, report)
	} else {
		writeCoverageText(stdout, tests, report)
	}
	if !report.OK() {
		return ExitError
	}
	return ExitOK
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func writeCoverageText(w io.Writer, tests []queues.Test, r *queues.CoverageReport) {
	fmt.Fprintf(w, "%s, %s: %d watched by no test, %d by more than one\n\n",
		plural(len(r.Types), "machine type", "machine types"), plural(len(tests), "queue test", "queue tests"),
		len(r.Unwatched), len(r.Multiple))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tMACHINE TYPE\tWATCHED BY")
	watching := map[string]int{}
	for _, c := range r.Types {
		status := "ok"
		switch len(c.Tests) {
		case 0:
			status = "UNWATCHED"
		case 1:
		default:
			status = fmt.Sprintf("WATCHED %d TIMES", len(c.Tests))
		}
		by := strings.Join(c.Tests, ", ")
		if by == "" {
			by = "-"
		}
		for _, k := range c.Tests {
			watching[k]++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", status, c.MachineType, by)
	}
	tw.Flush()
	var idle []string
	for _, t := range tests {
		if watching[t.Key] == 0 {
			idle = append(idle, t.Key)
		}
	}
	if len(idle) > 0 {
		fmt.Fprintf(w, "\nWatching none of these types: %s\n", strings.Join(idle, ", "))
	}
}

func runBacktest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("queues backtest", flag.ContinueOnError)
	var q queueFlags
	q.register(fs)
	days := fs.Int("days", 30, "with --hud, replay the last `N` days")
	target := fs.Float64("target", 0, "suggest for each test the lowest threshold, in half hours, at which it would have paged at most `N` times a week")
	plotDir := fs.String("plot", "", "draw each test's family against its threshold, its episodes shaded, as `DIR`/<test key>.png")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), backtestUsage)
		fs.PrintDefaults()
	}
	if _, code, ok := parseFlags(fs, optionalValue(args, "hud"), 0, stdout, stderr); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ddstack queues backtest: "+format+"\n", a...)
		return ExitInvalid
	}
	switch {
	case q.hud.set && q.history != "":
		return usageErr("give one of --history and --hud")
	case !q.hud.set && q.history == "":
		return usageErr("give the history: --history FILE, or --hud [URL] to read HUD's last --days")
	case q.isSet("days") && !q.hud.set:
		return usageErr("--days is for --hud; a --history file's period is its own")
	case *days < 1 || *days > 366:
		return usageErr("--days must be 1 to 366, got %d", *days)
	case q.isSet("target") && (*target < 0 || *target != *target):
		return usageErr("--target must be 0 or more pages per week, got %g", *target)
	}
	var targetPtr *float64
	if q.isSet("target") {
		targetPtr = target
	}
	tests, ok := q.tests(stderr)
	if !ok {
		return ExitInvalid
	}

	var rows []queues.Row
	var err error
	if q.history != "" {
		rows, err = q.readHistory()
	} else {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		to := time.Now().UTC().Truncate(time.Hour)
		rows, err = q.client(stderr).History(ctx, to.Add(-time.Duration(*days)*24*time.Hour), to)
	}
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	report, err := queues.Backtest(tests, rows, targetPtr)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	for _, n := range report.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	if *plotDir != "" {
		if err := plot(q.sf.path(*plotDir), report, rows, stderr); err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
	}
	if q.asJSON {
		writeJSON(stdout, report)
	} else {
		writeBacktestText(stdout, tests, report, targetPtr)
	}
	return ExitOK
}

// plot draws one picture per test into dir.
func plot(dir string, r *queues.BacktestReport, rows []queues.Row, stderr io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	points := map[string][]queueplot.Point{}
	for _, row := range rows {
		points[row.MachineType] = append(points[row.MachineType], queueplot.Point{Time: row.Bucket.UTC().Truncate(time.Hour), Hours: row.AvgQueueS / 3600})
	}
	for _, ps := range points {
		slices.SortStableFunc(ps, func(a, b queueplot.Point) int { return a.Time.Compare(b.Time) })
	}
	for _, t := range r.Tests {
		var series []queueplot.Series
		for _, ty := range t.MachineTypes {
			series = append(series, queueplot.Series{MachineType: ty, Points: points[ty]})
		}
		var episodes []queueplot.Episode
		for _, e := range t.Episodes {
			episodes = append(episodes, queueplot.Episode{Start: e.Start, End: e.End, Pages: e.Pages})
		}
		title := t.Key
		if t.Name != "" {
			title = t.Name + " (" + t.Key + ")"
		}
		path := filepath.Join(dir, t.Key+".png")
		if err := queueplot.Write(path, title, series, t.ThresholdHours, episodes); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", path)
	}
	return nil
}

// maxEpisodes is how many episodes a test's text report lists; --json
// lists them all.
const maxEpisodes = 20

func hours(h float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", h), ".0") + "h"
}

func writeBacktestText(w io.Writer, tests []queues.Test, r *queues.BacktestReport, target *float64) {
	const stamp = "2006-01-02 15:04"
	fmt.Fprintf(w, "Replayed %s of HUD's hourly history, %s to %s UTC", plural(r.Hours, "hour", "hours"), r.From.Format(stamp), r.To.Format(stamp))
	if r.HoursWithoutData > 0 {
		fmt.Fprintf(w, " (%d without data, counted as passing)", r.HoursWithoutData)
	}
	fmt.Fprintln(w)
	byKey := map[string]queues.Test{}
	for _, t := range tests {
		byKey[t.Key] = t
	}
	for _, t := range r.Tests {
		cfg := byKey[t.Key]
		fmt.Fprintf(w, "\n%s  %s\n", t.Key, t.Name)
		fmt.Fprintf(w, "  threshold %s; runs every %s, %d fast retries %s apart; pages after failing %s (minFailureDuration)\n",
			hours(t.ThresholdHours), seconds(cfg.TickEvery), cfg.RetryCount, seconds(cfg.RetryIntervalMs/1000), seconds(t.MinFailureDuration))
		fmt.Fprintf(w, "  its family in this history: %s\n", familySummary(t.MachineTypes))
		paging := 0
		for _, e := range t.Episodes {
			if e.Pages {
				paging++
			}
		}
		fmt.Fprintf(w, "  %s (%d paging), %s alerting, %.2f pages per week\n",
			plural(len(t.Episodes), "episode", "episodes"), paging, plural(t.AlertHours, "hour", "hours"), t.PagesPerWeek)
		if t.SuggestedThresholdHours != nil {
			verdict := "lower than"
			switch {
			case *t.SuggestedThresholdHours > t.ThresholdHours:
				verdict = "above"
			case *t.SuggestedThresholdHours == t.ThresholdHours:
				verdict = "the same as"
			}
			fmt.Fprintf(w, "  suggested threshold for at most %g pages per week: %s (%s the configured %s)\n",
				*target, hours(*t.SuggestedThresholdHours), verdict, hours(t.ThresholdHours))
		}
		for i, e := range t.Episodes {
			if i == maxEpisodes {
				fmt.Fprintf(w, "    ... %d more episodes (--json lists them)\n", len(t.Episodes)-maxEpisodes)
				break
			}
			pages := "no page"
			if e.Pages {
				pages = "pages"
			}
			fmt.Fprintf(w, "    %s to %s  %4s  %-7s  %s\n", e.Start.Format(stamp), e.End.Format(stamp), fmt.Sprintf("%dh", e.Hours()), pages, strings.Join(e.MachineTypes, ", "))
		}
	}
}

// seconds shows a duration given in seconds: 30 min, 1 h, 45 s.
func seconds(s int) string {
	switch {
	case s >= 3600 && s%3600 == 0:
		return fmt.Sprintf("%d h", s/3600)
	case s >= 60 && s%60 == 0:
		return fmt.Sprintf("%d min", s/60)
	default:
		return fmt.Sprintf("%d s", s)
	}
}

// familySummary names a family's types, the first few of many.
func familySummary(types []string) string {
	switch {
	case len(types) == 0:
		return "no machine type"
	case len(types) <= 4:
		return strings.Join(types, ", ")
	default:
		return fmt.Sprintf("%d machine types (%s, ...)", len(types), strings.Join(types[:3], ", "))
	}
}
