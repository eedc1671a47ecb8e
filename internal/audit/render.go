package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Marker starts the markdown output, so that a workflow can find it.
const Marker = "<!-- ddstack-audit -->"

// kinds are the three kinds of finding, in the order reported, each with
// what it means and what to do about it (docs/operating.md, "Findings of the
// audit").
func (r *Report) kinds() []struct {
	title, fix string
	list       []Finding
} {
	return []struct {
		title, fix string
		list       []Finding
	}{
		{"Unmanaged: in Datadog, and no stack entry manages it",
			"bring each into the stack with ddstack audit --add, or delete it in Datadog", r.Unmanaged},
		{"Unadopted: a stack entry without importId whose object Datadog has already",
			"the next pulumi up would create it again: ddstack audit --write sets its importId", r.Unadopted},
		{"Missing: the entry's id names an object Datadog no longer has",
			"it was deleted in Datadog: remove the entry if that was wanted, else drop its importId (if it has one) and the next up creates it anew", r.Missing},
	}
}

// Summary is the report in one line.
func (r *Report) Summary() string {
	if r.Findings() == 0 {
		return fmt.Sprintf("no finding (%d requests)", r.Requests)
	}
	return fmt.Sprintf("%d unmanaged, %d unadopted, %d missing (%d requests)", len(r.Unmanaged), len(r.Unadopted), len(r.Missing), r.Requests)
}

// Text writes the report for a terminal; every text from Datadog or the
// stack is escaped (a name may hold an escape sequence).
func Text(w io.Writer, r *Report, stack string) {
	fmt.Fprintf(w, "Datadog at %s against stack %s: %s\n", kit.EscapeLine(r.Site), kit.EscapeLine(stack), r.Summary())
	for _, k := range r.kinds() {
		if len(k.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d); %s:\n", k.title, len(k.list), k.fix)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range k.list {
			line := fmt.Sprintf("  %s.%s\t%s\tid %s", kit.EscapeLine(f.Type), kit.EscapeLine(f.Key), kit.EscapeLine(fmt.Sprintf("%q", f.Name)), kit.EscapeLine(f.ID))
			if f.Note != "" {
				line += "\t(" + kit.EscapeLine(f.Note) + ")"
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note: %s\n", kit.EscapeLine(n))
		}
	}
}

// Markdown writes the report for a job summary.
func Markdown(w io.Writer, r *Report, stack string) {
	fmt.Fprintln(w, Marker)
	fmt.Fprintf(w, "### `ddstack audit`: Datadog at %s against stack %s\n\n", code(r.Site), code(stack))
	if r.Findings() == 0 {
		fmt.Fprintf(w, "Everything Datadog has of the managed types is managed by the stack (%d requests).\n", r.Requests)
	} else {
		fmt.Fprintf(w, "**%d unmanaged, %d unadopted, %d missing** (%d requests)\n", len(r.Unmanaged), len(r.Unadopted), len(r.Missing), r.Requests)
	}
	for _, k := range r.kinds() {
		if len(k.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n#### %s (%d)\n\n%s.\n\n", k.title, len(k.list), strings.ToUpper(k.fix[:1])+k.fix[1:])
		fmt.Fprintln(w, "| type | key | name | id | note |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, f := range k.list {
			note := ""
			if f.Note != "" {
				note = code(f.Note)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", code(f.Type), code(f.Key), code(f.Name), code(f.ID), note)
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range r.Notes {
			fmt.Fprintf(w, "- %s\n", code(n))
		}
	}
}

// code writes a text from Datadog or the stack as a markdown code span in
// a table: it cannot end the span, the cell or the line, and shows
// markup (a link, HTML) as text rather than rendering it.
func code(s string) string {
	s = strings.Join(strings.Fields(kit.EscapeLine(s)), " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// JSON writes the report as one JSON object: site, unmanaged, unadopted,
// missing, requests.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
