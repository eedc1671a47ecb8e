package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddmock"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// Marker starts the markdown output, so that a workflow can find the pull
// request comment it posted before and update it instead of adding another.
const Marker = "<!-- ddstack-diff -->"

// shortLine is the longest value shown inline as "old → new"; longer and
// multi-line values are shown as a unified diff.
const shortLine = 80

// lines renders a value as text lines: a string line by line, a list one
// item a line, anything else as compact JSON.
func lines(v any) []string {
	switch x := v.(type) {
	case nil:
		return []string{"(none)"}
	case string:
		if x == ddmock.Secret {
			return []string{x}
		}
		if strings.Contains(x, "\n") || len(x) > shortLine {
			return strings.Split(strings.TrimRight(x, "\n"), "\n")
		}
		return []string{compact(x)}
	case []any:
		if len(x) == 0 {
			return []string{"[]"}
		}
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
				continue
			}
			out = append(out, compact(e))
		}
		return out
	default:
		return []string{compact(v)}
	}
}

func compact(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // a reviewer reads <team:amd-staff>, not \u003c
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// change renders one property change: inline when both sides are one short
// line, as -old/+new when one long line, else as a unified diff of their
// lines.
func change(p Property) (inline string, unified []string) {
	if p.Secret {
		return "[secret] changed", nil
	}
	o, n := lines(p.Old), lines(p.New)
	if len(o) == 1 && len(n) == 1 {
		if len(o[0]) <= shortLine && len(n[0]) <= shortLine {
			return o[0] + " → " + n[0], nil
		}
		return "", []string{"-" + o[0], "+" + n[0]}
	}
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: withNewlines(o), B: withNewlines(n), FromFile: "old", ToFile: "new", Context: 2})
	if err != nil || text == "" {
		return compact(p.Old) + " → " + compact(p.New), nil
	}
	return "", strings.Split(strings.TrimRight(text, "\n"), "\n")
}

func withNewlines(in []string) []string {
	out := make([]string, len(in))
	for i, l := range in {
		out[i] = l + "\n"
	}
	return out
}

// inputLines renders an added or removed resource's inputs, one a line,
// long values cut to their first line.
func inputLines(in map[string]any) []string {
	out := make([]string, 0, len(in))
	for _, k := range slices.Sorted(maps.Keys(in)) {
		ls := lines(in[k])
		v := strings.Join(ls, ", ")
		if _, isStr := in[k].(string); isStr && len(ls) > 1 {
			v = fmt.Sprintf("%s ... (%d lines)", ls[0], len(ls))
		}
		if len(v) > 200 {
			v = v[:200] + " ..."
		}
		out = append(out, k+" = "+v)
	}
	return out
}

// Text writes the result for a terminal.
func Text(w io.Writer, r *Result) {
	fmt.Fprintf(w, "Stack %s against %s: %s\n", r.Stack, r.Base, r.Summary())
	for _, res := range r.Added {
		fmt.Fprintf(w, "\n+ %s %s\n", program.ShortType(res.Type), res.Name)
		for _, l := range inputLines(res.Inputs) {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	for _, res := range r.Changed {
		fmt.Fprintf(w, "\n~ %s %s\n", program.ShortType(res.Type), res.Name)
		for _, p := range res.Properties {
			inline, unified := change(p)
			if unified == nil {
				fmt.Fprintf(w, "    %s: %s\n", p.Path, inline)
				continue
			}
			fmt.Fprintf(w, "    %s:\n", p.Path)
			for _, l := range unified {
				fmt.Fprintf(w, "      %s\n", l)
			}
		}
	}
	for _, res := range r.Removed {
		fmt.Fprintf(w, "\n- %s %s\n", program.ShortType(res.Type), res.Name)
	}
}

// Markdown writes the result as a pull request comment: a summary table,
// then one collapsible section a resource.
func Markdown(w io.Writer, r *Result) {
	fmt.Fprintln(w, Marker)
	fmt.Fprintf(w, "### `ddstack diff`: stack `%s` against `%s`\n\n", r.Stack, r.Base)
	if !r.HasChanges() {
		fmt.Fprintf(w, "No changes to Datadog (%d resources unchanged).\n", r.Unchanged)
		return
	}
	fmt.Fprintf(w, "**%d to add, %d to change, %d to remove** (%d unchanged)\n\n", len(r.Added), len(r.Changed), len(r.Removed), r.Unchanged)
	fmt.Fprintln(w, "| | type | name |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, group := range []struct {
		what string
		list []Resource
	}{{"add", r.Added}, {"change", r.Changed}, {"remove", r.Removed}} {
		for _, res := range group.list {
			fmt.Fprintf(w, "| %s | %s | `%s` |\n", group.what, program.ShortType(res.Type), res.Name)
		}
	}
	for _, res := range r.Added {
		details(w, "add", res, "", inputLines(res.Inputs))
	}
	for _, res := range r.Changed {
		var body []string
		for _, p := range res.Properties {
			inline, unified := change(p)
			if unified == nil {
				body = append(body, "# "+p.Path+": "+inline)
				continue
			}
			body = append(body, "# "+p.Path)
			for _, l := range unified {
				if strings.HasPrefix(l, "---") || strings.HasPrefix(l, "+++") {
					continue
				}
				body = append(body, l)
			}
		}
		details(w, "change", res, "diff", body)
	}
	for _, res := range r.Removed {
		details(w, "remove", res, "", inputLines(res.Inputs))
	}
}

func details(w io.Writer, what string, res Resource, lang string, body []string) {
	fmt.Fprintf(w, "\n<details><summary>%s %s <code>%s</code></summary>\n\n", what, program.ShortType(res.Type), res.Name)
	fence := "```"
	for _, l := range body {
		for strings.Contains(l, fence) {
			fence += "`"
		}
	}
	fmt.Fprintf(w, "%s%s\n%s\n%s\n\n</details>\n", fence, lang, strings.Join(body, "\n"), fence)
}

// JSON writes the result as indented JSON.
func JSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
