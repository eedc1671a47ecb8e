package configkit

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSuggestRunes is the longest name, in letters, that is compared for a
// suggestion: a longer name is suggested nothing, and never suggested. Real
// keys, fields and role names are far shorter, and it bounds the work a
// hostile stack file can cause (a did-you-mean on each of thousands of long
// unknown names): at most maxSuggestRunes steps per candidate, each a few
// word operations, as a name fits one 64-bit word of the distance below.
const maxSuggestRunes = 64

// Closest returns up to max candidates close to s, closest first: those
// equal but for case, within an edit distance that grows with the length of
// s (a third of it, at least 2), or one a prefix of the other. Names longer
// than 64 letters are compared with nothing.
func Closest(s string, candidates []string, max int) []string {
	return closest(s, candidates, max, nil)
}

// closest is Closest, adding to *work (when not nil) the steps of the edit
// distances it computes: a test bounds it.
func closest(s string, candidates []string, max int, work *int) []string {
	out := []string{}
	if max <= 0 || len(s) > maxSuggestRunes*utf8.UTFMax {
		return out
	}
	type scored struct {
		name string
		d    int
	}
	limit := len(s) / 3
	if limit < 2 {
		limit = 2
	}
	lowerS := strings.ToLower(s)
	ls := []rune(lowerS)
	if len(ls) > maxSuggestRunes {
		return out
	}
	pat := newPattern(ls)
	var found []scored
	var buf [maxSuggestRunes]rune
	for _, c := range candidates {
		if c == s || len(c) > maxSuggestRunes*utf8.UTFMax {
			continue
		}
		lc, lowerLen, ok := lowerRunes(c, buf[:0])
		if !ok {
			continue
		}
		// A prefix of at least three letters is close too: "status" for
		// "statusCode". The distance is then the difference in length.
		short, long := ls, lc
		if len(short) > len(long) {
			short, long = long, short
		}
		prefix := min(len(lowerS), lowerLen) >= 3 && slices.Equal(short, long[:len(short)])
		var d int
		switch {
		case prefix:
			d = len(long) - len(short)
		case abs(len(ls)-len(lc)) > limit:
			continue // the distance is at least the difference in length
		default:
			d = pat.distance(lc)
			if work != nil {
				*work += len(lc)
			}
			if d > limit {
				continue
			}
		}
		// Keep the max closest, closest first, ties by name: candidates
		// may be many and max is small.
		i := sort.Search(len(found), func(i int) bool {
			return d < found[i].d || d == found[i].d && c < found[i].name
		})
		if i < max {
			found = slices.Insert(found, i, scored{c, d})
			found = found[:min(len(found), max)]
		}
	}
	for _, f := range found {
		out = append(out, f.name)
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

// lowerRunes appends the letters of s in lower case to buf, as
// strings.ToLower would write them, and returns them with their length in
// bytes; ok is false when s has more than maxSuggestRunes letters.
func lowerRunes(s string, buf []rune) (lower []rune, bytes int, ok bool) {
	for _, r := range s {
		if len(buf) == maxSuggestRunes {
			return nil, 0, false
		}
		r = unicode.ToLower(r)
		buf = append(buf, r)
		bytes += utf8.RuneLen(r)
	}
	return buf, bytes, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// pattern holds, for each letter of a name of at most 64 letters, the bit
// mask of the positions where it occurs: the table of Myers's bit-parallel
// edit distance.
type pattern struct {
	n     int
	ascii [utf8.RuneSelf]uint64
	other map[rune]uint64
}

func newPattern(p []rune) *pattern {
	pat := &pattern{n: len(p)}
	for i, r := range p {
		if r < utf8.RuneSelf {
			pat.ascii[r] |= 1 << i
			continue
		}
		if pat.other == nil {
			pat.other = map[rune]uint64{}
		}
		pat.other[r] |= 1 << i
	}
	return pat
}

func (p *pattern) eq(r rune) uint64 {
	if r >= 0 && r < utf8.RuneSelf {
		return p.ascii[r]
	}
	return p.other[r]
}

// distance is the Levenshtein edit distance between the pattern and t,
// every edit costing 1, in one step per letter of t (Myers 1999, as Hyyrö
// states it for the distance between two whole strings). Column j of the
// dynamic-programming table is kept as two bit vectors of its vertical
// differences, +1 (pv) and -1 (mv); score is its last cell.
func (p *pattern) distance(t []rune) int {
	if p.n == 0 {
		return len(t)
	}
	last := uint64(1) << (p.n - 1)
	pv, mv := ^uint64(0), uint64(0)
	score := p.n
	for _, r := range t {
		eq := p.eq(r)
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&last != 0 {
			score++
		} else if mh&last != 0 {
			score--
		}
		// The top row is 0, 1, 2, …: each column starts one higher.
		ph = ph<<1 | 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
	}
	return score
}
