package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/pytorch-fdn/pytorch-datadog/internal/adopt"
	"github.com/pytorch-fdn/pytorch-datadog/internal/atomicfile"
	"github.com/pytorch-fdn/pytorch-datadog/internal/audit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/internal/plan"
	"github.com/pytorch-fdn/pytorch-datadog/internal/stackfile"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

const auditUsage = `Usage: ddstack audit [--stack NAME | --file PATH] [--cwd DIR] [--state FILE] [--cacert FILE]
                     [--json | --markdown] [--add] [--write]

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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := live.New(ctx, st.cfg.Datadog.APIURL, keys, opts)
	if err != nil {
		printErrors(stderr, fmt.Errorf("%s: %w", program.KeyAPIURL, err))
		return ExitInvalid
	}
	lists, err := audit.Read(r, st.cfg)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "ddstack audit: interrupted")
		return ExitInterrupted
	}
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	a := audit.Compare(lists, st.cfg, managed, r.Site, r.Requests())

	var adds []adopt.Addition
	var cannot []string
	if *add {
		adds, cannot = a.Additions(r, st.cfg)
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "ddstack audit: interrupted")
			return ExitInterrupted
		}
		a.Requests = r.Requests()
	}
	// The report on stdout; in --json and --markdown form nothing else
	// goes there, and what the edit did goes to stderr.
	edits := stdout
	switch {
	case *asJSON:
		if err := audit.JSON(stdout, &a.Report); err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
		edits = stderr
	case *asMarkdown:
		audit.Markdown(stdout, &a.Report, st.file.Name)
		edits = stderr
	default:
		audit.Text(stdout, &a.Report, st.file.Name+" ("+st.file.Path+")")
	}
	status := func(rep *audit.Report) int {
		if rep.Findings() > 0 {
			return ExitError
		}
		return ExitOK
	}
	if !*write && !*add {
		return status(&a.Report)
	}

	if len(adds) > 0 {
		fmt.Fprintf(edits, "\nTo add to the config, adopted with their importIds (%d):\n", len(adds))
		for _, ad := range adds {
			fmt.Fprintf(edits, "  %s.%s <- %s\n", ad.Section, ad.Key, ad.Source)
		}
	}
	if len(cannot) > 0 {
		fmt.Fprintf(edits, "\nNot added (add them by hand) (%d):\n", len(cannot))
		for _, c := range cannot {
			fmt.Fprintf(edits, "  %s\n", c)
		}
	}
	s := st.file
	before, err := stackfile.ReadFile(s.Path, stackfile.MaxSize)
	if err != nil {
		printErrors(stderr, err)
		return ExitInvalid
	}
	after, err := adopt.Write(before, a.Set)
	if err == nil {
		after, err = adopt.Add(after, adds)
	}
	var again *audit.Audit
	if err == nil {
		again, err = auditEdit(s, after, lists, managed, a)
	}
	if err != nil {
		printErrors(stderr, inFile(s.Path, err))
		return ExitInvalid
	}
	switch {
	case len(a.Set) == 0 && len(adds) == 0:
		fmt.Fprintf(edits, "\nNothing to write; %s is unchanged.\n", s.Path)
		return status(&a.Report)
	case *write:
		if err := atomicfile.WriteFile(s.Path, after, 0o644); err != nil {
			printErrors(stderr, err)
			return ExitInvalid
		}
		fmt.Fprintf(edits, "\nSet %d importIds and added %d entries in %s; %s after the edit. Next: ddstack plan shows them as imports; review and commit.\n",
			len(a.Set), len(adds), s.Path, again.Summary())
		return status(&again.Report)
	default:
		text, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(string(before)), B: difflib.SplitLines(string(after)),
			FromFile: s.Path, ToFile: s.Path + " (with --write)", Context: 2,
		})
		fmt.Fprintf(edits, "\nWould set %d importIds and add %d entries (run again with --write):\n\n%s", len(a.Set), len(adds), text)
		return status(&a.Report)
	}
}

// auditEdit reads the edited stack file back from memory, validates it as
// ddstack plan would, and audits it against what was read: every importId
// set must now adopt its object and every entry added manage its own, so
// that a file the edit got wrong is never written. It returns that audit
// of the edited file.
func auditEdit(s *stackfile.Stack, after []byte, lists audit.Lists, managed audit.Managed, before *audit.Audit) (*audit.Audit, error) {
	edited, err := stackfile.LoadData(s.Dir, s.Name, s.Path, after)
	if err != nil {
		return nil, invalidEdit(s.Path, err)
	}
	cfg, err := plan.Load(edited)
	if err != nil {
		return nil, invalidEdit(s.Path, err)
	}
	again := audit.Compare(lists, cfg, managed, before.Site, before.Requests)
	if len(again.Set) > 0 || len(again.Unmanaged) > len(before.Unmanaged) {
		return nil, errors.New("the edit did not adopt every object as found; nothing written")
	}
	return again, nil
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
	return c, errors.Join(errs...)
}
