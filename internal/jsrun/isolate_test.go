package jsrun

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catastrophic backtracks exponentially on a's followed by anything else;
// the lookahead makes goja use regexp2.
const catastrophic = `^(?=(a+)+$).`

// small is a memory limit that keeps the tests quick.
const small = 32 << 20

func TestRunIsolated(t *testing.T) {
	t.Parallel()
	resp := Response{StatusCode: 200, Body: `{"ok":true}`, Headers: map[string]string{"content-type": "application/json"}}
	tests := map[string]struct {
		code    string
		limits  Limits
		passed  bool
		failure string
		errors  []string
		err     error // compared with errors.Is, or a *MemoryError by type
	}{
		"passes":          {code: `dd.expect(JSON.parse(dd.response.body).ok).to.be.true;`, passed: true},
		"headers":         {code: `dd.expect(dd.response.headers["content-type"]).to.equal("application/json");`, passed: true},
		"fails":           {code: `console.error("why"); dd.expect(dd.response.statusCode).to.equal(500);`, failure: "AssertionError: expected 200 to equal 500", errors: []string{"why"}},
		"loop":            {code: `for (;;) {}`, limits: Limits{Time: 300 * time.Millisecond}, err: ErrTimeout},
		"backtracking":    {code: `/` + catastrophic + `/.test("a".repeat(40) + "!")`, limits: Limits{Time: 300 * time.Millisecond}, err: ErrTimeout},
		"string doubling": {code: `let s = "x"; for (;;) { s = s + s; }`, limits: Limits{Time: 20 * time.Second, Memory: small}, err: &MemoryError{}},
		"huge arrays":     {code: `const a = []; for (;;) { a.push(new Array(1000).fill(1)); }`, limits: Limits{Time: 20 * time.Second, Memory: small}, err: &MemoryError{}},
		"one allocation":  {code: `"x".repeat(2 ** 30);`, limits: Limits{Time: 20 * time.Second, Memory: small}, err: &MemoryError{}},
		"huge throw":      {code: `throw new Error("x".repeat(1 << 20));`, failure: strings.Repeat("x", maxMessage) + "... (1044480 bytes cut)"},
		"garbage is free": {code: `for (let i = 0; i < 200; i++) { let s = "y".repeat(1 << 20); s = null; } dd.expect(1).to.equal(1);`, limits: Limits{Time: 20 * time.Second, Memory: small}, passed: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if tc.limits.Time == 0 {
				tc.limits.Time = 10 * time.Second
			}
			start := time.Now()
			res, err := RunIsolated(context.Background(), tc.code, resp, tc.limits)
			assert.Less(t, time.Since(start), tc.limits.Time+2*time.Second)
			var mem *MemoryError
			switch {
			case tc.err == nil:
				require.NoError(t, err)
			case errors.As(tc.err, &mem):
				require.ErrorAs(t, err, &mem)
				assert.Equal(t, tc.limits.Memory, mem.Limit)
				assert.Equal(t, "the script exceeded its memory limit of 32 MB", err.Error())
				return
			default:
				require.ErrorIs(t, err, tc.err)
				return
			}
			assert.Equal(t, tc.passed, res.Passed)
			assert.Equal(t, tc.failure, res.Failure)
			assert.Equal(t, tc.errors, res.Errors)
		})
	}
}

func TestRunIsolatedSyntaxAndCancel(t *testing.T) {
	t.Parallel()
	_, err := RunIsolated(context.Background(), "return 1;", Response{}, Limits{Time: time.Second})
	assert.ErrorContains(t, err, "return", "a syntax error, before any child")

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err = RunIsolated(ctx, "for (;;) {}", Response{}, Limits{Time: time.Minute})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second, "cancelling stops the child at once")
}

func TestMatchContext(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		pattern, s string
		linear     bool
		want       bool
		err        error
	}{
		"RE2":                {pattern: "20[04]", s: "204", linear: true, want: true},
		"nested, yet linear": {pattern: "(a+)+$", s: strings.Repeat("a", 40) + "!", linear: true, want: false},
		"lookbehind":         {pattern: `(?<=Py)Torch`, s: "PyTorch", want: true},
		"backreference":      {pattern: `(a)\1`, s: "xaax", want: true},
		"catastrophic":       {pattern: catastrophic, s: strings.Repeat("a", 40) + "!", err: ErrTimeout},
		"not ASCII":          {pattern: "é+", s: "café", want: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.linear, Linear(tc.pattern))
			start := time.Now()
			got, err := MatchContext(context.Background(), tc.pattern, tc.s, Limits{Time: 500 * time.Millisecond})
			assert.Less(t, time.Since(start), 2*time.Second)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := MatchContext(context.Background(), "(", "x", Limits{Time: time.Second})
	assert.Error(t, err, "a pattern that does not compile")
}

// FuzzRun runs any script against any body, isolated: whatever it does,
// the run ends within its limits with a result or one of the errors a
// script may cause, and the caller lives on.
func FuzzRun(f *testing.F) {
	for _, seed := range []struct{ code, body string }{
		{`dd.expect(dd.response.statusCode).to.equal(200);`, ""},
		{`const rows = JSON.parse(dd.response.body); dd.expect(rows.length === 0).to.be.true;`, `[]`},
		{`JSON.parse(dd.response.body)`, `{"a":[1,2,{"b":null}]}`},
		{`let s = dd.response.body; for (;;) s += s;`, "x"},
		{`const a = []; for (;;) a.push([a]);`, ""},
		{`/^(?=(a+)+$)./.test(dd.response.body)`, strings.Repeat("a", 30) + "!"},
		{`throw {get message() { throw 1; }}`, ""},
		{`throw {toString() { for (;;) {} }}`, ""},
		{`console.log("x".repeat(1e6)); console.error({}.x);`, ""},
		{`return 1;`, ""},
		{`if (x {`, ""},
	} {
		f.Add(seed.code, seed.body)
	}
	f.Fuzz(func(t *testing.T, code, body string) {
		if len(code) > 4<<10 || len(body) > 64<<10 {
			t.Skip("out of bounds")
		}
		lim := Limits{Time: 500 * time.Millisecond, Memory: small}
		start := time.Now()
		res, err := RunIsolated(context.Background(), code, Response{StatusCode: 200, Body: body}, lim)
		if d := time.Since(start); d > lim.Time+3*time.Second {
			t.Fatalf("took %s", d)
		}
		var mem *MemoryError
		switch {
		case err == nil:
			if !res.Passed && res.Failure == "" && !strings.Contains(code, "throw") {
				t.Logf("failed without a message: %q", code)
			}
		case errors.Is(err, ErrTimeout), errors.As(err, &mem):
		case strings.HasPrefix(err.Error(), "JavaScript runtime"):
			t.Fatalf("the child failed: %v", err)
		default:
			if Compile(code) == nil {
				t.Fatalf("an error for a script that compiles: %v", err)
			}
		}
		if len(res.Failure) > maxMessage+64 {
			t.Fatalf("a failure of %d bytes", len(res.Failure))
		}
	})
}
