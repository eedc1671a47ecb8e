package jsrun

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	t.Parallel()
	resp := Response{StatusCode: 200, Body: `{"ok":true}`, Headers: map[string]string{"Content-Type": "application/json"}}
	tests := map[string]struct {
		code    string
		passed  bool
		failure string
	}{
		"equal passes":        {`dd.expect(dd.response.statusCode).to.equal(200);`, true, ""},
		"equal fails":         {`dd.expect(dd.response.statusCode).to.equal(201);`, false, "AssertionError: expected 200 to equal 201"},
		"be.true":             {`dd.expect(JSON.parse(dd.response.body).ok).to.be.true;`, true, ""},
		"be.false fails":      {`dd.expect(1 > 0).to.be.false;`, false, "AssertionError: expected true to be false"},
		"not":                 {`dd.expect(dd.response.body).to.not.equal("");`, true, ""},
		"not fails":           {`dd.expect(3).not.to.equal(3);`, false, "AssertionError: expected 3 not to equal 3"},
		"message":             {`dd.expect(false, "queue too long").to.be.true;`, false, "AssertionError: queue too long: expected false to be true"},
		"strict, not loose":   {`dd.expect("200").to.equal(200);`, false, `AssertionError: expected "200" to equal 200`},
		"eql":                 {`dd.expect({a: [1]}).to.eql({a: [1]});`, true, ""},
		"headers, lowercased": {`dd.expect(dd.response.headers["content-type"]).to.equal("application/json");`, true, ""},
		"a thrown Error":      {`throw new Error("HUD is down");`, false, "HUD is down"},
		"a thrown string":     {`throw "bad";`, false, "bad"},
		"a TypeError":         {`let o; o.x;`, false, "TypeError: Cannot read property 'x' of undefined"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := Run(tc.code, resp, time.Second)
			require.NoError(t, err)
			assert.Equal(t, tc.passed, res.Passed)
			assert.Equal(t, tc.failure, res.Failure)
		})
	}
}

func TestConsole(t *testing.T) {
	t.Parallel()
	res, err := Run(`console.log("a", 1); console.error("b"); console.error({x: 2}.x);`, Response{}, time.Second)
	require.NoError(t, err)
	assert.Equal(t, []string{"a 1"}, res.Logs)
	assert.Equal(t, []string{"b", "2"}, res.Errors)
}

func TestScriptErrors(t *testing.T) {
	t.Parallel()
	_, err := Run("return 1;", Response{}, time.Second)
	assert.ErrorContains(t, err, "return", "a top-level return is a syntax error, as in Datadog")
	assert.Error(t, Compile("if (x {"))
	assert.NoError(t, Compile("const f = () => { return 1; }; f();"), "a return inside a function is fine")

	start := time.Now()
	_, err = Run("for (;;) {}", Response{}, 100*time.Millisecond)
	assert.ErrorIs(t, err, ErrTimeout)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestCompileRegExp(t *testing.T) {
	t.Parallel()
	assert.NoError(t, CompileRegExp(`^lf\.`))
	assert.NoError(t, CompileRegExp(`(?<=a)b`), "lookbehind: JavaScript, not RE2")
	assert.Error(t, CompileRegExp(`(unclosed`))
}

func TestMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"20[04]", "204", true},
		{"20[04]", "201", false},
		{"(200|302)", "302", true},
		{"^200$", "2000", false},
		{"PyTorch", "Welcome to PyTorch Forums", true},
		{`(?<=Py)Torch`, "PyTorch", true},
		{"pytorch", "PyTorch", false},
	} {
		got, err := Match(tc.pattern, tc.s)
		require.NoError(t, err, tc.pattern)
		assert.Equal(t, tc.want, got, "%s on %s", tc.pattern, tc.s)
	}
	_, err := Match("(", "x")
	assert.Error(t, err)
}

func TestPrepare(t *testing.T) {
	t.Parallel()
	// A top-level const, as a queue check declares its params: each run has
	// a runtime of its own, so running the script again does not clash.
	s, err := Prepare(`const limit = 3; dd.expect(JSON.parse(dd.response.body).n <= limit, "too many").to.be.true;`)
	require.NoError(t, err)
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			res, err := s.Run(Response{StatusCode: 200, Body: fmt.Sprintf(`{"n": %d}`, i)}, time.Second)
			assert.NoError(t, err)
			assert.Equal(t, i <= 3, res.Passed, "n = %d", i)
		}()
	}
	for range 8 {
		<-done
	}
	_, err = Prepare("if (x {")
	assert.Error(t, err)
}

// BenchmarkScriptRun: a script shaped as a queue check (parse 200 rows,
// test each against a regular expression made for the row).
func BenchmarkScriptRun(b *testing.B) {
	var rows []string
	for i := range 200 {
		rows = append(rows, fmt.Sprintf(`{"count":1,"avg_queue_s":%d,"machine_type":"linux.type.%d","time":"2026-08-21T15:00:00Z"}`, i*100, i))
	}
	body := "[" + strings.Join(rows, ",") + "]"
	code := `const params = {"exclude": ["^lf\\.", "^linux.aws.h100"]};
const rows = JSON.parse(dd.response.body).filter((r) => !params.exclude.some((p) => new RegExp(p).test(r.machine_type)) && r.avg_queue_s > 100000);
dd.expect(rows.length === 0).to.be.true;`
	s, err := Prepare(code)
	require.NoError(b, err)
	for b.Loop() {
		res, err := s.Run(Response{StatusCode: 200, Body: body}, time.Second)
		if err != nil || !res.Passed {
			b.Fatal(err, res.Failure)
		}
	}
}

func BenchmarkScriptRunEmpty(b *testing.B) {
	s, err := Prepare(`const params = {"x": 1}; const rows = JSON.parse(dd.response.body); dd.expect(rows.length === 0).to.be.true;`)
	require.NoError(b, err)
	for b.Loop() {
		if _, err := s.Run(Response{StatusCode: 200, Body: "[]"}, time.Second); err != nil {
			b.Fatal(err)
		}
	}
}
