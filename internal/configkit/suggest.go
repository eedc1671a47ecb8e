package configkit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/texttheater/golang-levenshtein/levenshtein"
)

// Closest returns up to max candidates close to s, closest first: those
// equal but for case, within an edit distance that grows with the length of
// s (a third of it, at least 2), or one a prefix of the other.
func Closest(s string, candidates []string, max int) []string {
	type scored struct {
		name string
		d    int
	}
	limit := len(s) / 3
	if limit < 2 {
		limit = 2
	}
	ls := strings.ToLower(s)
	var found []scored
	for _, c := range candidates {
		if c == s {
			continue
		}
		lc := strings.ToLower(c)
		d := distance(ls, lc)
		// A prefix of at least three letters is close too: "status" for
		// "statusCode".
		prefix := min(len(ls), len(lc)) >= 3 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc))
		if d <= limit || prefix {
			found = append(found, scored{c, d})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].name < found[j].name
	})
	out := []string{}
	for i := 0; i < len(found) && i < max; i++ {
		out = append(out, found[i].name)
	}
	return out
}

// DidYouMean renders the closest candidate as ` (did you mean "x"?)`, or
// nothing when none is close.
func DidYouMean(s string, candidates []string) string {
	c := Closest(s, candidates, 1)
	if len(c) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", c[0])
}

// distance is the Levenshtein edit distance between a and b, every edit
// costing 1.
func distance(a, b string) int {
	return levenshtein.DistanceForStrings([]rune(a), []rune(b), levenshtein.DefaultOptionsWithSub)
}
