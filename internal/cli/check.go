package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/pytorch-fdn/pytorch-datadog/internal/check"
	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/synthetics"
)

// ExitInterrupted is the status after Ctrl-C, as shells report SIGINT.
const ExitInterrupted = 130

const checkUsage = `Usage: ddstack check [--stack NAME | --file PATH] [--cwd DIR] [--grep REGEXP] [--no-retry]
                     [--parallel N] [--resolve HOST:PORT:ADDR]... [--cacert FILE] [--json] [NAME ...]

Runs the stack's synthetics tests from this machine, as Datadog would: each test's
request, redirects followed only when it says so, its timeout (60 s when unset) and
its retries (the last attempt decides), then every assertion with Datadog's
semantics. The tests are the very values the program registers, from the same config.
NAME selects tests by key, with shell globs (gha-queue-*); --grep by display name.
Exit status: 0 all passed, 1 a test failed, 2 a config, usage or script error,
130 interrupted.

`

// resolveFlag collects --resolve HOST:PORT:ADDR, as curl takes it.
type resolveFlag map[string]string

func (r resolveFlag) String() string { return fmt.Sprint(map[string]string(r)) }

func (r resolveFlag) Set(v string) error {
	host, rest, ok1 := strings.Cut(v, ":")
	port, addr, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || host == "" || port == "" || addr == "" {
		return fmt.Errorf("%q is not HOST:PORT:ADDR", v)
	}
	r[host+":"+port] = strings.Trim(addr, "[]")
	return nil
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	grep := fs.String("grep", "", "run only the tests whose display name matches `REGEXP`")
	noRetry := fs.Bool("no-retry", false, "run each test once, without its retries")
	parallel := fs.Int("parallel", check.DefaultParallel, "run at most `N` tests at once")
	resolve := resolveFlag{}
	fs.Var(resolve, "resolve", "send a test's connections for HOST:PORT to ADDR, keeping the Host header and TLS name (as curl); repeatable")
	cacert := fs.String("cacert", "", "also trust the CA certificates in `FILE` (PEM), as curl")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), checkUsage)
		fs.PrintDefaults()
	}
	names, code, ok := parseFlags(fs, args, -1, stdout, stderr)
	if !ok {
		return code
	}
	var nameRE *regexp.Regexp
	if *grep != "" {
		re, err := regexp.Compile(*grep)
		if err != nil {
			fmt.Fprintf(stderr, "ddstack check: --grep: %v\n", err)
			return ExitInvalid
		}
		nameRE = re
	}
	if *parallel < 1 {
		fmt.Fprintln(stderr, "ddstack check: --parallel must be at least 1")
		return ExitInvalid
	}
	opts := check.Options{Parallel: *parallel, NoRetry: *noRetry, Resolve: resolve}
	if *cacert != "" {
		pool, err := readCACert(sf.path(*cacert))
		if err != nil {
			fmt.Fprintf(stderr, "ddstack check: --cacert: %v\n", err)
			return ExitInvalid
		}
		opts.RootCAs = pool
	}

	st, err := sf.load(false)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	selected, err := selectTests(check.FromConfig(st.cfg.Synthetics), names, nameRE)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	chosen := map[string]synthetics.Test{}
	for _, t := range selected {
		chosen[t.Key] = st.cfg.Synthetics[t.Key]
	}
	configured, values, skipped := withSecrets(st.file, chosen)
	tests := check.FromConfig(configured)
	for i := range tests {
		for _, name := range configured[tests[i].Key].Secrets {
			tests[i].Secrets = append(tests[i].Secrets, values[name])
		}
	}
	for _, line := range skipped {
		fmt.Fprintln(stderr, line)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		// After the first Ctrl-C the run stops and reports what finished;
		// a second one kills the program as usual.
		<-ctx.Done()
		stop()
	}()
	progress := newProgress(stderr, len(tests))
	opts.Done = progress.done
	opts.Retrying = progress.retrying
	start := time.Now()
	results := check.Run(ctx, tests, opts)
	wall := time.Since(start)
	progress.clear()

	if *asJSON {
		writeCheckJSON(stdout, results, wall)
	} else {
		writeCheckText(stdout, results, wall)
	}
	status := checkStatus(ctx, results)
	if len(skipped) > 0 && status == ExitOK {
		status = ExitError
	}
	return status
}

// selectTests keeps the tests whose key matches a pattern (all when none is
// given) and whose name matches nameRE. A pattern that matches nothing is
// an error: a typo should not pass as "nothing to run".
func selectTests(all []check.Test, patterns []string, nameRE *regexp.Regexp) ([]check.Test, error) {
	var keys []string
	for _, t := range all {
		keys = append(keys, t.Key)
	}
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("%q is not a name or glob: %v", p, err)
		}
		matched := false
		for _, k := range keys {
			if ok, _ := path.Match(p, k); ok {
				matched = true
			}
		}
		if !matched {
			return nil, fmt.Errorf("no synthetics test matches %q; tests: %s", p, strings.Join(keys, ", "))
		}
	}
	var out []check.Test
	for _, t := range all {
		keep := len(patterns) == 0
		for _, p := range patterns {
			if ok, _ := path.Match(p, t.Key); ok {
				keep = true
			}
		}
		if keep && (nameRE == nil || nameRE.MatchString(t.Name)) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no synthetics test is selected")
	}
	return out, nil
}

// checkStatus is the exit status: interrupted (130) first, whatever the
// tests stopped by the interrupt reported, then a script error (2), then a
// failed test (1).
func checkStatus(ctx context.Context, results []check.Result) int {
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	status := ExitOK
	for _, r := range results {
		switch {
		case r.ScriptError != "":
			return ExitInvalid
		case !r.Passed:
			status = ExitError
		}
	}
	return status
}

func mark(r check.Result) string {
	switch {
	case r.Cancelled:
		return "-"
	case r.ScriptError != "":
		return "!"
	case r.Passed:
		return "✓"
	default:
		return "✗"
	}
}

func writeCheckText(w io.Writer, results []check.Result, wall time.Duration) {
	passed, failed, cancelled := 0, 0, 0
	for _, r := range results {
		switch {
		case r.Cancelled:
			cancelled++
			fmt.Fprintf(w, "%s %s  %s  (not finished: interrupted)\n", mark(r), r.Key, kit.EscapeLine(r.Name))
			continue
		case r.Passed:
			passed++
		default:
			failed++
		}
		attempts := ""
		if r.Attempts > 1 {
			attempts = fmt.Sprintf(", %d attempts", r.Attempts)
		}
		fmt.Fprintf(w, "%s %s  %s  %s%s\n", mark(r), r.Key, kit.EscapeLine(r.Name), duration(r.Duration), attempts)
		// What a server or a script sent is shown, never acted on by the
		// terminal.
		for _, f := range r.Failures {
			fmt.Fprintf(w, "    %s\n", kit.EscapeLine(f))
		}
		for _, n := range r.Notes {
			fmt.Fprintf(w, "    note: %s\n", kit.EscapeLine(n))
		}
		if !r.Passed {
			for _, c := range r.Console {
				fmt.Fprintf(w, "    console.error: %s\n", kit.EscapeLine(c))
			}
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed", passed, failed)
	if cancelled > 0 {
		fmt.Fprintf(w, ", %d interrupted", cancelled)
	}
	fmt.Fprintf(w, " in %s\n", duration(wall))
}

// duration shows a time as milliseconds under a second, else as seconds.
func duration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func writeCheckJSON(w io.Writer, results []check.Result, wall time.Duration) {
	type result struct {
		check.Result
		DurationMs int64 `json:"durationMs"`
	}
	doc := struct {
		Tests  []result `json:"tests"`
		Passed int      `json:"passed"`
		Failed int      `json:"failed"`
		WallMs int64    `json:"wallMs"`
	}{Tests: []result{}, WallMs: wall.Milliseconds()}
	for _, r := range results {
		doc.Tests = append(doc.Tests, result{r, r.Duration.Milliseconds()})
		if r.Passed {
			doc.Passed++
		} else {
			doc.Failed++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(doc)
}

// progress shows "[done/total] running: ..." on a terminal while tests run,
// and nothing when the output is not a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	total int
	n     int
}

func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), total: total}
}

func (p *progress) done(r check.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s %s", p.n, p.total, mark(r), r.Key)
	}
}

// retrying says, on any output, that a test waits to retry: with Datadog's
// intervals (5 minutes by default here) a failing run is otherwise silent.
func (p *progress) retrying(t check.Test, failed check.Result, wait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
	why := "failed"
	if len(failed.Failures) > 0 {
		why = failed.Failures[0]
	}
	fmt.Fprintf(p.w, "%s: attempt %d of %d failed (%s); retrying in %s as the test says (--no-retry to skip)\n",
		t.Key, failed.Attempts, t.RetryCount+1, kit.EscapeLine(why), wait)
}

func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
