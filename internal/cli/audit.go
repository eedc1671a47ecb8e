package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/pytorch-fdn/pytorch-datadog/internal/audit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// DefaultAuditTimeout bounds a whole audit: reading an organisation of
// 20,000 users takes under a minute, and a rate-limited one a few.
const DefaultAuditTimeout = 10 * time.Minute

const auditUsage = `Usage: ddstack audit [--stack NAME | --file PATH] [--cwd DIR] [--state FILE] [--cacert FILE]
                     [--timeout DURATION] [--json | --markdown] [--add] [--write]

Reads the organisation from Datadog (the site of datadog:apiUrl, with
DD_API_KEY and DD_APP_KEY, or the stack's datadog:apiKey and datadog:appKey)
and compares it with the stack, type by type:
  unmanaged  an object Datadog has that no stack entry manages
  unadopted  an entry without importId whose object Datadog has already:
             the next pulumi up would create it again
  missing    an entry whose importId names an object Datadog no longer has
It only reads: it sends no request that changes anything in Datadog.
With --state (the output of pulumi stack export), an entry the Pulumi state
holds is adopted already, importId or not. With --add, the unmanaged objects
the stack's config can express become new entries that adopt them; with
--write, the stack file gets the unadopted entries' importIds (and, with
--add, the new entries), checked and written atomically; without --write it
shows the change.
Exit status: 0 no finding (with --write: none left after the edit), 1 a
finding, 2 on a usage error, a stack that does not validate, or a Datadog
that cannot be read (keys refused, no answer), 130 interrupted.

`

func runAudit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	state := fs.String("state", "", "the Pulumi state, as pulumi stack export writes it (`FILE`): entries it holds are adopted already")
	cacert := fs.String("cacert", "", "also trust the CA certificates in `FILE` (PEM), as curl")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	asMarkdown := fs.Bool("markdown", false, "print the report as markdown, for a job summary")
	add := fs.Bool("add", false, "write each unmanaged object the config can express as a new entry that adopts it")
	write := fs.Bool("write", false, "write the importIds (and with --add the new entries) into the stack file")
	timeout := fs.Duration("timeout", DefaultAuditTimeout, "give up reading Datadog after `DURATION`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), auditUsage)
		fs.PrintDefaults()
	}
	if _, code, ok := parseFlags(fs, args, 0, stdout, stderr); !ok {
		return code
	}
	if *asJSON && *asMarkdown {
		fmt.Fprintln(stderr, "ddstack audit: --json and --markdown exclude each other")
		return ExitInvalid
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "ddstack audit: --timeout must be more than 0")
		return ExitInvalid
	}
	opts := live.Options{}
	if *cacert != "" {
		pool, err := readCACert(sf.path(*cacert))
		if err != nil {
			fmt.Fprintf(stderr, "ddstack audit: --cacert: %v\n", err)
			return ExitInvalid
		}
		opts.RootCAs = pool
	}
	var managed audit.Managed
	if *state != "" {
		data, err := stackfile.ReadFile(sf.path(*state), maxStateBytes)
		if err == nil {
			managed, err = audit.ReadState(data)
			if err != nil {
				err = fmt.Errorf("%s: %w", *state, err)
			}
		}
		if err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
	}
	st, err := sf.load(false)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	keys, err := datadogKeys(st.file)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}

	interrupted, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		// After the first Ctrl-C the audit stops; a second one (while the
		// client decodes an answer, which nothing interrupts) kills it.
		<-interrupted.Done()
		stop()
	}()
	ctx, cancel := context.WithTimeout(interrupted, *timeout)
	defer cancel()
	r, err := live.New(ctx, st.cfg.Datadog.APIURL, keys, opts)
	if err != nil {
		printErrors(stderr, fmt.Errorf("%s: %w", program.KeyAPIURL, err))
		return ExitInvalid
	}
	// ended is the status of a run its context ended: Ctrl-C, or the
	// --timeout.
	ended := func() (int, bool) {
		switch {
		case interrupted.Err() != nil:
			fmt.Fprintln(stderr, "ddstack audit: interrupted")
			return ExitInterrupted, true
		case ctx.Err() != nil:
			fmt.Fprintf(stderr, "error: Datadog at %s was not read within %s (--timeout); nothing written\n", kit.EscapeLine(st.cfg.Datadog.APIURL), *timeout)
			return ExitInvalid, true
		}
		return 0, false
	}
	lists, err := audit.Read(r, st.cfg)
	if code, over := ended(); over {
		return code
	}
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	a := audit.Compare(lists, st.cfg, managed, r.Site, r.Requests())

	edit := stackEdit{set: a.Set, next: "ddstack plan shows them as imports; review the change and open a pull request."}
	if *add {
		edit.adds, edit.cannot = a.Additions(r, st.cfg)
		if code, over := ended(); over {
			return code
		}
		a.Requests = r.Requests()
	}
	// The report on stdout; in --json and --markdown form nothing else
	// goes there, and what the edit does goes to stderr, escaped as
	// stdout is (names come from Datadog).
	var out io.Writer = stdout
	var toStderr strings.Builder
	defer func() { fmt.Fprint(stderr, kit.Escape(toStderr.String())) }()
	switch {
	case *asJSON:
		if err := audit.JSON(stdout, &a.Report); err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
		out = &toStderr
	case *asMarkdown:
		audit.Markdown(stdout, &a.Report, st.file.Name)
		out = &toStderr
	default:
		audit.Text(stdout, &a.Report, st.file.Name+" ("+st.file.Path+")")
	}
	if !*write && !*add {
		return findings(&a.Report)
	}
	edit.describe(out)
	// The edited file, audited again against what was read, must adopt
	// every object the edit meant to, and lose none.
	var again *audit.Audit
	err = edit.apply(st.file, *write, out, func(cfg *program.Config) error {
		again = audit.Compare(lists, cfg, managed, a.Site, a.Requests)
		return checkAdopted(a, again, edit)
	})
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	if *write {
		fmt.Fprintf(out, "After the edit: %s.\n", again.Summary())
		return findings(&again.Report)
	}
	return findings(&a.Report)
}

// findings is the exit status of a report: 1 when it has a finding.
func findings(r *audit.Report) int {
	if r.Findings() > 0 {
		return ExitError
	}
	return ExitOK
}

// checkAdopted checks an audit of the edited file (again) against the
// audit that made the edit: each object the edit gave an entry to is
// neither unmanaged nor unadopted any more, and nothing became missing.
func checkAdopted(before, again *audit.Audit, edit stackEdit) error {
	ids := map[string]bool{}
	for _, e := range edit.set {
		ids[e.Section+"\x00"+e.ID] = true
	}
	for _, ad := range edit.adds {
		ids[ad.Section+"\x00"+fmt.Sprint(ad.Entry["importId"])] = true
	}
	for _, f := range slices.Concat(again.Unmanaged, again.Unadopted) {
		if ids[f.Type+"\x00"+f.ID] {
			return fmt.Errorf("the edit did not adopt %s %s (%s); nothing written", f.Type, f.ID, f.Name)
		}
	}
	if len(again.Missing) > len(before.Missing) {
		return errors.New("the edit made an entry name an object Datadog does not have; nothing written")
	}
	return nil
}

// datadogKeys are the keys the audit sends, found where the program's
// provider finds them: the stack's secret config datadog:apiKey and
// datadog:appKey (decrypted with the stack's passphrase), or else the
// environment (DD_API_KEY, DD_APP_KEY, or DATADOG_API_KEY,
// DATADOG_APP_KEY). No message holds a key.
func datadogKeys(s *stackfile.Stack) (live.Credentials, error) {
	var c live.Credentials
	var errs []error
	for _, k := range []struct {
		key, what string
		envs      []string
		out       *string
	}{
		{program.KeyAPIKey, "an API key", []string{"DD_API_KEY", "DATADOG_API_KEY"}, &c.APIKey},
		{program.KeyAppKey, "an application key", []string{"DD_APP_KEY", "DATADOG_APP_KEY"}, &c.AppKey},
	} {
		fromEnv := ""
		for _, env := range k.envs {
			if v := os.Getenv(env); v != "" && fromEnv == "" {
				fromEnv = v
			}
		}
		if _, inStack := s.Ciphertexts[k.key]; inStack {
			v, err := s.Decrypt(k.key)
			switch {
			case err == nil:
				*k.out = v
			case fromEnv != "":
				*k.out = fromEnv
			default:
				errs = append(errs, fmt.Errorf("%s: %v; or export %s", k.key, err, k.envs[0]))
			}
			continue
		}
		if fromEnv == "" {
			errs = append(errs, fmt.Errorf("%s: not set: export %s (%s of the organisation at %s), or set it with pulumi config set --secret %s",
				k.key, k.envs[0], k.what, program.KeyAPIURL, k.key))
		}
		*k.out = fromEnv
	}
	for _, k := range []struct{ name, value string }{{program.KeyAPIKey + " (or DD_API_KEY)", c.APIKey}, {program.KeyAppKey + " (or DD_APP_KEY)", c.AppKey}} {
		r, at, unsafe := kit.FirstUnsafe(k.value, false)
		space := strings.IndexAny(k.value, " \t")
		if unsafe || space >= 0 {
			// Never the key: where, and what.
			what := kit.RuneName(r)
			if !unsafe {
				what, at = "a space", space
			}
			errs = append(errs, fmt.Errorf("%s: holds %s at byte %d, which no Datadog key has (a line ending from a file saved on Windows?): set the key again", k.name, what, at))
		}
	}
	return c, errors.Join(errs...)
}
