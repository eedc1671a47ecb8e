package check

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// gzipBomb is 200 MB of zeros, gzipped: about 200 KB on the wire.
var gzipBomb = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 200 {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	return buf.Bytes()
})

// catastrophic backtracks exponentially on a subject of a's that ends in
// something else: the lookahead makes goja use regexp2, not Go's regexp.
const catastrophic = `^(?=(a+)+$).`

// raw answers every connection with the given bytes, whatever the request.
func raw(t *testing.T, answer string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				_, _ = c.Read(buf)
				_, _ = c.Write([]byte(answer))
			}()
		}
	}()
	return "http://" + l.Addr().String()
}

func hostile(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", to)
			w.WriteHeader(http.StatusFound)
		}
	}
	mux.HandleFunc("/loop", redirect("/loop"))
	mux.HandleFunc("/to-ftp", redirect("ftp://ftp.example.test/file"))
	mux.HandleFunc("/to-file", redirect("file:///etc/passwd"))
	mux.HandleFunc("/to-js", redirect("javascript:alert(1)"))
	mux.HandleFunc("/big-header", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("b", 64<<10))
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, _ *http.Request) {
		block := bytes.Repeat([]byte("A"), 1<<20)
		for range maxBody>>20 + 5 {
			if _, err := w.Write(block); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/exactly-50mb", func(w http.ResponseWriter, _ *http.Request) {
		block := bytes.Repeat([]byte("A"), 1<<20)
		for range maxBody >> 20 {
			if _, err := w.Write(block); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gzipBomb())
	})
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := fmt.Fprint(w, "x"); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/aaa", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, strings.Repeat("a", 30)+"!")
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"ok":true}`) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestHostileEndpoints(t *testing.T) {
	t.Parallel()
	srv := hostile(t)
	badChunks := raw(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
	twoLengths := raw(t, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde")
	status200 := Assertion{Type: "statusCode", Operator: "is", Target: "200"}
	contains := func(s string) Assertion { return Assertion{Type: "body", Operator: "contains", Target: s} }
	tests := map[string]struct {
		url     string
		follow  bool
		timeout time.Duration
		a       Assertion
		// failure starts the one failure; "" for a pass.
		failure string
		// also is in that failure.
		also string
		// note is in the result's notes.
		note string
	}{
		"redirect loop":          {url: srv.URL + "/loop", follow: true, a: status200, failure: "TOO_MANY_REDIRECTS: ", also: "stopped after 10 redirects"},
		"redirect to ftp:":       {url: srv.URL + "/to-ftp", follow: true, a: status200, failure: "INVALID_REQUEST: ", also: `"ftp://ftp.example.test/file", which is not an http or https URL`},
		"redirect to file:":      {url: srv.URL + "/to-file", follow: true, a: status200, failure: "INVALID_REQUEST: ", also: "file:///etc/passwd"},
		"redirect to javascript": {url: srv.URL + "/to-js", follow: true, a: status200, failure: "INVALID_REQUEST: ", also: "javascript:alert(1)"},
		"redirect not followed":  {url: srv.URL + "/to-js", a: Assertion{Type: "statusCode", Operator: "is", Target: "302"}},
		"bad chunked encoding":   {url: badChunks, a: status200, failure: "MALFORMED_RESPONSE: ", also: "chunk"},
		"two content lengths":    {url: twoLengths, a: status200, failure: "HEADERS_INCOMPATIBLE_CONTENT_LENGTH: "},
		"oversized header":       {url: srv.URL + "/big-header", a: status200, failure: "HEADER_TOO_LARGE: ", also: "over 16 KB"},
		"body over 50 MB passes": {url: srv.URL + "/huge", a: contains("AAAA"), note: "over 50 MB: assertions saw its first 50 MB"},
		"body over 50 MB fails":  {url: srv.URL + "/huge", a: contains("zzz"), failure: `body contains "zzz": got a body of 52428800 bytes`, also: "(the body was cut at 50 MB)", note: "over 50 MB"},
		"body of exactly 50 MB":  {url: srv.URL + "/exactly-50mb", a: contains("zzz"), failure: `body contains "zzz": got a body of 52428800 bytes`},
		"gzip bomb":              {url: srv.URL + "/bomb", a: contains("zzz"), failure: `body contains "zzz": got a body of 52428800 bytes`, also: "cut at 50 MB", note: "over 50 MB"},
		"drip":                   {url: srv.URL + "/drip", timeout: 500 * time.Millisecond, a: status200, failure: "TIMEOUT: "},
		"catastrophic matches":   {url: srv.URL + "/aaa", timeout: time.Second, a: Assertion{Type: "body", Operator: "matches", Target: catastrophic}, failure: `body matches "^(?=(a+)+$).": TIMEOUT`},
		"catastrophic doesNotMatch": {url: srv.URL + "/aaa", timeout: time.Second, a: Assertion{Type: "body", Operator: "doesNotMatch", Target: catastrophic},
			failure: `body doesNotMatch "^(?=(a+)+$).": TIMEOUT`},
		"backtracking pattern that is fine": {url: srv.URL + "/aaa", a: Assertion{Type: "body", Operator: "matches", Target: `(?<=a)!`}},
		"catastrophic in a script": {url: srv.URL + "/aaa", timeout: time.Second, a: Assertion{Type: "javascript", Code: `dd.expect(/` + catastrophic + `/.test(dd.response.body)).to.be.false;`},
			failure: "javascript assertion: TIMEOUT: the script ran past the test's timeout"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			start := time.Now()
			res := runOne(t, Test{Key: "k", URL: tc.url, FollowRedirects: tc.follow, Timeout: timeout, Assertions: []Assertion{tc.a}}, Options{})
			assert.Less(t, time.Since(start), timeout+3*time.Second, "bounded by its timeout")
			assert.Empty(t, res.ScriptError)
			if tc.note != "" {
				require.Len(t, res.Notes, 1)
				assert.Contains(t, res.Notes[0], tc.note)
			} else {
				assert.Empty(t, res.Notes)
			}
			if tc.failure == "" {
				assert.True(t, res.Passed, "%v", res.Failures)
				return
			}
			assert.False(t, res.Passed)
			require.Len(t, res.Failures, 1)
			assert.True(t, strings.HasPrefix(res.Failures[0], tc.failure), "%q does not start with %q", res.Failures[0], tc.failure)
			assert.Contains(t, res.Failures[0], tc.also)
		})
	}
}

// TestRunawayScriptsFailAlone: scripts that grow without end, next to a
// good test, fail with their memory limit; the good test's result stays.
func TestRunawayScriptsFailAlone(t *testing.T) {
	t.Parallel()
	srv := hostile(t)
	js := func(key, code string) Test {
		return Test{Key: key, Method: "GET", URL: srv.URL + "/ok", Timeout: 20 * time.Second,
			Assertions: []Assertion{{Type: "javascript", Code: code}}}
	}
	tests := []Test{
		js("doubling", `let s = "x"; for (;;) { s = s + s; }`),
		js("good", `dd.expect(JSON.parse(dd.response.body).ok).to.be.true;`),
		js("arrays", `const a = []; for (;;) { a.push(new Array(1000).fill(dd.response.body)); }`),
		js("one-allocation", `"x".repeat(2 ** 31);`),
		js("failing", `console.error("not ok"); dd.expect(dd.response.statusCode).to.equal(500);`),
	}
	start := time.Now()
	res := Run(context.Background(), tests, Options{})
	t.Logf("%s", time.Since(start))
	want := fmt.Sprintf("javascript assertion: the script exceeded its memory limit of %d MB", scriptMemory>>20)
	for _, i := range []int{0, 2, 3} {
		assert.False(t, res[i].Passed, res[i].Key)
		assert.Empty(t, res[i].ScriptError, "a runaway script fails its test; it is no script error")
		assert.Equal(t, []string{want}, res[i].Failures, res[i].Key)
	}
	assert.True(t, res[1].Passed, "the good test's result survives: %v", res[1].Failures)
	assert.False(t, res[4].Passed)
	assert.Equal(t, []string{"not ok"}, res[4].Console)
	assert.Equal(t, []string{"javascript assertion: AssertionError: expected 200 to equal 500"}, res[4].Failures)
}

// TestInterruptDuringAScript: cancelling the run (Ctrl-C) while a script
// loops stops it at once, not at the test's timeout.
func TestInterruptDuringAScript(t *testing.T) {
	t.Parallel()
	srv := hostile(t)
	for name, code := range map[string]string{
		"a loop":               `for (;;) {}`,
		"a regular expression": `/` + catastrophic + `/.test("a".repeat(40) + "!");`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tests := []Test{
				{Key: "loop", Method: "GET", URL: srv.URL + "/ok", Timeout: 60 * time.Second, Assertions: []Assertion{{Type: "javascript", Code: code}}},
				{Key: "body", Method: "GET", URL: srv.URL + "/aaa", Timeout: 60 * time.Second, Assertions: []Assertion{{Type: "body", Operator: "matches", Target: catastrophic}}},
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(time.Second, cancel)
			start := time.Now()
			res := Run(ctx, tests, Options{})
			assert.Less(t, time.Since(start), 3*time.Second, "prompt")
			for _, r := range res {
				assert.True(t, r.Cancelled, r.Key)
				assert.False(t, r.Passed, r.Key)
				assert.Empty(t, r.ScriptError, r.Key)
			}
		})
	}
}

// TestManyTestsShareTheMemoryBound: more requests than the base pool holds
// at once still all run, a few at a time, and none times out waiting: the
// clock stops while a test waits for memory.
func TestManyTestsShareTheMemoryBound(t *testing.T) {
	t.Parallel()
	srv := hostile(t)
	var tests []Test
	for i := range 6 {
		path := "/huge"
		if i%2 == 1 {
			path = "/bomb"
		}
		tests = append(tests, Test{Key: fmt.Sprint(i), Method: "GET", URL: srv.URL + path, Timeout: 20 * time.Second,
			Assertions: []Assertion{{Type: "body", Operator: "contains", Target: "A"}}})
	}
	for i := range 2 * basePool / baseCost {
		tests = append(tests, Test{Key: fmt.Sprint("ok", i), Method: "GET", URL: srv.URL + "/ok", Timeout: 20 * time.Second,
			Assertions: []Assertion{{Type: "body", Operator: "contains", Target: "ok"}}})
	}
	res := Run(context.Background(), tests, Options{Parallel: 1000})
	for i, r := range res {
		if i < 6 {
			assert.Len(t, r.Notes, 1, r.Key)
			if i%2 == 1 {
				assert.False(t, r.Passed, "zeros contain no A")
			} else {
				assert.True(t, r.Passed, "%s: %v", r.Key, r.Failures)
			}
			continue
		}
		assert.True(t, r.Passed, "%s: %v", r.Key, r.Failures)
	}
}

// An error is named by what went wrong, never by the URL's text: a path
// that holds "chunk" or "malformed HTTP" is no malformed response.
func TestErrorsAreNamedByTheErrorNotTheURL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	for _, path := range []string{"/api/chunked-upload", "/malformed HTTP response", "/response headers exceeded"} {
		res := runOne(t, Test{URL: srv.URL + path, Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}}, Options{})
		require.Len(t, res.Failures, 1, path)
		assert.True(t, strings.HasPrefix(res.Failures[0], "SSL: DEPTH_ZERO_SELF_SIGNED_CERT"), "%s: %s", path, res.Failures[0])
	}
}

func TestRedactorHidesEveryFormOfASecret(t *testing.T) {
	t.Parallel()
	const v = `tok/abc+def/ghi==&x<y>"`
	redact := kit.Redactor([]string{v, "short"})
	for _, shown := range []string{
		v,
		`tok\/abc+def\/ghi==&x<y>\"`,
		`tok/abc+def/ghi==&amp;x&lt;y&gt;&#34;`,
		"tok%2Fabc%2Bdef%2Fghi%3D%3D%26x%3Cy%3E%22",
		`tok/abc+def/ghi==&x<y>\"`,
	} {
		got := redact("you sent " + shown + " and short")
		assert.Equal(t, "you sent [secret] and [secret]", got, shown)
	}
	assert.Equal(t, "nothing", kit.Redactor(nil)("nothing"))
}
