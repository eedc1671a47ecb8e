package configkit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/texttheater/golang-levenshtein/levenshtein"
)

func TestClosest(t *testing.T) {
	t.Parallel()
	builtin := []string{"Datadog Admin Role", "Datadog Read Only Role", "Datadog Standard Role"}
	tests := map[string]struct {
		s          string
		candidates []string
		max        int
		want       []string
	}{
		"one edit":                          {"emial", []string{"email", "roles", "disabled"}, 3, []string{"email"}},
		"equal but for case":                {"datadog admin role", builtin, 1, []string{"Datadog Admin Role"}},
		"the exact name is no suggestion":   {"users", []string{"users", "user"}, 3, []string{"user"}},
		"a prefix of the other":             {"status", []string{"statusCode", "body"}, 3, []string{"statusCode"}},
		"the other a prefix":                {"intervalMs", []string{"interval", "count"}, 3, []string{"interval"}},
		"a two-letter prefix is not enough": {"st", []string{"status"}, 3, []string{}},
		"two edits on a short word":         {"rols", []string{"roles", "users"}, 3, []string{"roles"}},
		"three edits on a short word":       {"abcdef", []string{"abcxyz"}, 3, []string{}},
		// The allowance is a third of the length: nine letters allow three.
		"three edits on a long word": {"abcdefghi", []string{"abcdefxyz"}, 3, []string{"abcdefxyz"}},
		"four edits on a long word":  {"abcdefghi", []string{"abcdewxyz"}, 3, []string{}},
		"closest first, ties by name": {
			"monitor", []string{"monitored", "monitors", "minotaur", "monitor_"}, 3,
			[]string{"monitor_", "monitors", "monitored"},
		},
		"at most max":                       {"monitor", []string{"monitored", "monitors", "monitor_"}, 2, []string{"monitor_", "monitors"}},
		"nothing close":                     {"synthetics", []string{"users", "roles"}, 3, []string{}},
		"no candidates":                     {"users", nil, 3, []string{}},
		"unicode counts letters, not bytes": {"rôlés", []string{"roles"}, 1, []string{"roles"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, Closest(tc.s, tc.candidates, tc.max))
		})
	}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	fields := []string{"email", "roles", "disabled", "name", "sendUserInvitation"}
	assert.Equal(t, ` (did you mean "email"?)`, DidYouMean("emial", fields))
	assert.Equal(t, ` (did you mean "monitors"?)`, DidYouMean("monitor", []string{"monitored", "monitors"}), "only the closest is named")
	assert.Equal(t, "", DidYouMean("permissions", fields))
	assert.Equal(t, "", DidYouMean("email", []string{"email"}), "a name is not its own suggestion")
}

// The bit-parallel distance is the Levenshtein distance: checked against a
// plain dynamic-programming implementation on edge cases and random names of
// every length up to 64 letters, over small alphabets so that many letters
// repeat.
func TestDistance(t *testing.T) {
	t.Parallel()
	x64 := strings.Repeat("x", 64)
	pairs := [][2]string{
		{"", ""}, {"a", ""}, {"", "abc"}, {"a", "a"}, {"a", "b"}, {"ab", "ba"},
		{"kitten", "sitting"}, {"rôlés", "roles"}, {"ééé", "e"}, {"日本語", "日本"},
		{x64, x64}, {x64, ""}, {x64, "y" + x64[1:]}, {x64, x64[:63]}, {x64, strings.Repeat("xy", 32)},
		{"a" + strings.Repeat("b", 63), strings.Repeat("b", 63) + "a"},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, alphabet := range []string{"ab", "abc", "abcdefghijklmnopqrstuvwxyz", "aéб日"} {
		letters := []rune(alphabet)
		word := func() string {
			r := make([]rune, rng.IntN(maxSuggestRunes+1))
			for i := range r {
				r[i] = letters[rng.IntN(len(letters))]
			}
			return string(r)
		}
		for range 500 {
			pairs = append(pairs, [2]string{word(), word()})
		}
	}
	for _, p := range pairs {
		a, b := []rune(p[0]), []rune(p[1])
		want := levenshtein.DistanceForStrings(a, b, levenshtein.DefaultOptionsWithSub)
		require.Equal(t, want, newPattern(a).distance(b), "distance(%q, %q)", p[0], p[1])
	}
}

// Names longer than 64 letters are neither suggested anything nor
// suggested; up to 64, the rules are those of short names.
func TestClosestLongNames(t *testing.T) {
	t.Parallel()
	name64 := strings.Repeat("abcdefgh", 8)
	name65 := name64 + "i"
	tests := map[string]struct {
		s          string
		candidates []string
		want       []string
	}{
		"64 letters, one edit":               {name64[:63] + "z", []string{name64}, []string{name64}},
		"64 letters, a prefix":               {name64[:10], []string{name64}, []string{name64}},
		"64 accented letters, one edit":      {strings.Repeat("é", 63) + "e", []string{strings.Repeat("é", 64)}, []string{strings.Repeat("é", 64)}},
		"65 letters suggest nothing":         {name65, []string{name64, name65[:64] + "j"}, []string{}},
		"65 letters are never suggested":     {name64[:10], []string{name65}, []string{}},
		"65 accented letters are not either": {strings.Repeat("é", 64) + "e", []string{strings.Repeat("é", 65)}, []string{}},
		"a long name among short ones":       {"emial", []string{strings.Repeat("email", 100), "email"}, []string{"email"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, Closest(tc.s, tc.candidates, 3))
		})
	}
}

// A hostile stack file of some 200 KB of long names costs a bounded number
// of distance steps, at most 64 per candidate, whatever the lengths: the
// unbounded distance took minutes (its work grows with the product of the
// two lengths). The bound is on work, not time, so that it holds on a slow
// machine.
func TestClosestWorkIsBounded(t *testing.T) {
	t.Parallel()
	near := func(count, n int) []string { // names differing only in their last letters
		out := make([]string, count)
		for i := range out {
			suffix := fmt.Sprintf("%06d", i)
			out[i] = strings.Repeat("a", n-len(suffix)) + suffix
		}
		return out
	}
	tests := map[string]struct {
		s          string
		candidates []string
		maxWork    int
		want       []string
	}{
		"a 200 KB name":                 {strings.Repeat("sendUserInvitation", 200_000/18), []string{"email", "sendUserInvitation"}, 0, []string{}},
		"200 names of 1 KB":             {strings.Repeat("a", 1000) + "x", near(200, 1000), 0, []string{}},
		"3000 names of 64 letters":      {strings.Repeat("a", 58) + "00001x", near(3000, 64), 3000 * 64, []string{strings.Repeat("a", 58) + "000010"}},
		"3000 names of 64 multibyte":    {strings.Repeat("é", 58) + "00001x", near(3000, 64), 3000 * 64, []string{}},
		"a short name, long candidates": {"abc", near(1000, 64), 0, []string{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			work := 0
			got := closest(tc.s, tc.candidates, 1, &work)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, work, tc.maxWork, "distance steps")
		})
	}
}

// BenchmarkDidYouMean: a typo among a user's fields, and hostile long names.
func BenchmarkDidYouMean(b *testing.B) {
	fields := []string{"email", "roles", "disabled", "name", "sendUserInvitation", "importId", "handle", "description", "members"}
	long := func(n int, seed string) string { return strings.Repeat(seed, n/len(seed)+1)[:n] }
	many := func(count, n int) []string {
		out := make([]string, count)
		for i := range out {
			out[i] = long(n-6, "abcdefghij") + fmt.Sprintf("%06d", i)
		}
		return out
	}
	for _, bc := range []struct {
		name       string
		s          string
		candidates []string
	}{
		{"typo", "sendUserInvitaton", fields},
		{"100KB name, short candidates", long(100_000, "sendUserInvitation"), fields},
		{"1KB names, 200 candidates", long(1000, "abcdefghij") + "x", many(200, 1000)},
		{"64-rune names, 3000 candidates", long(58, "abcdefghij") + "zzzzzz", many(3000, 64)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				DidYouMean(bc.s, bc.candidates)
			}
		})
	}
}
