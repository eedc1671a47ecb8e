package check

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/testcert"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

func runOne(t *testing.T, test Test, opts Options) Result {
	t.Helper()
	if test.Timeout == 0 {
		test.Timeout = 5 * time.Second
	}
	if test.Method == "" && test.Subtype != "ssl" {
		test.Method = "GET"
	}
	res := Run(context.Background(), []Test{test}, opts)
	require.Len(t, res, 1)
	return res[0]
}

func site(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Server", "nginx")
		w.Header().Set("X-Items", "74001")
		fmt.Fprint(w, "<html><title>PyTorch</title>Install PyTorch today</html>")
	})
	mux.HandleFunc("/docs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx")
		http.Redirect(w, r, "/docs/stable/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/docs/stable/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "PyTorch documentation")
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/teapot", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAssertions(t *testing.T) {
	t.Parallel()
	srv := site(t)
	a := func(typ, op, target string) Assertion { return Assertion{Type: typ, Operator: op, Target: target} }
	h := func(prop, op, target string) Assertion {
		return Assertion{Type: "header", Property: prop, Operator: op, Target: target}
	}
	tests := map[string]struct {
		path    string
		a       Assertion
		failure string // "" for a pass
	}{
		"statusCode is":                  {"/", a("statusCode", "is", "200"), ""},
		"statusCode is, failing":         {"/teapot", a("statusCode", "is", "200"), "statusCode is 200: got 418"},
		"statusCode isNot":               {"/", a("statusCode", "isNot", "500"), ""},
		"statusCode isNot, failing":      {"/", a("statusCode", "isNot", "200"), "statusCode isNot 200: got 200"},
		"statusCode matches":             {"/", a("statusCode", "matches", "20[04]"), ""},
		"statusCode matches, failing":    {"/teapot", a("statusCode", "matches", "^2"), "statusCode matches ^2: got 418"},
		"statusCode doesNotMatch":        {"/", a("statusCode", "doesNotMatch", "^5"), ""},
		"body contains":                  {"/", a("body", "contains", "Install PyTorch"), ""},
		"body contains, failing":         {"/", a("body", "contains", "Get Started"), `body contains "Get Started": got a body of 56 bytes: "<html><title>PyTorch</title>Install PyTorch today</html>"`},
		"body doesNotContain":            {"/", a("body", "doesNotContain", "Error"), ""},
		"body doesNotContain, failing":   {"/", a("body", "doesNotContain", "PyTorch"), `body doesNotContain "PyTorch": got a body of 56 bytes`},
		"body is":                        {"/docs/stable/", a("body", "is", "PyTorch documentation"), ""},
		"body is, failing":               {"/docs/stable/", a("body", "is", "PyTorch"), `body is "PyTorch": got a body of 21 bytes: "PyTorch documentation"`},
		"body isNot":                     {"/docs/stable/", a("body", "isNot", "PyTorch"), ""},
		"body matches, JS regex":         {"/", a("body", "matches", `(?<=Install )PyTorch`), ""},
		"body matches, failing":          {"/", a("body", "matches", `^Install`), `body matches "^Install"`},
		"body doesNotMatch":              {"/", a("body", "doesNotMatch", `5\d\d`), ""},
		"header is, any case":            {"/", h("server", "is", "nginx"), ""},
		"header is, failing":             {"/", h("server", "is", "apache"), `header server is "apache": got "nginx"`},
		"header contains":                {"/", h("content-type", "contains", "text/html"), ""},
		"header missing":                 {"/", h("location", "is", "https://docs.pytorch.org/docs"), "header location is \"https://docs.pytorch.org/docs\": the response has no location header"},
		"header doesNotExist":            {"/", h("x-cache", "doesNotExist", ""), ""},
		"header doesNotExist, failing":   {"/", h("server", "doesNotExist", ""), `header server doesNotExist "": got "nginx"`},
		"header moreThan":                {"/", h("x-items", "moreThan", "74000"), ""},
		"header moreThan, failing":       {"/", h("x-items", "lessThanOrEqual", "74000"), `header x-items lessThanOrEqual "74000": got "74001"`},
		"responseTime lessThan":          {"/", a("responseTime", "lessThan", "2000"), ""},
		"responseTime moreThan, failing": {"/", a("responseTime", "moreThan", "60000"), "responseTime moreThan 60000 ms: took"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := runOne(t, Test{Key: "k", URL: srv.URL + tc.path, Assertions: []Assertion{tc.a}}, Options{})
			if tc.failure == "" {
				assert.True(t, res.Passed, "%v", res.Failures)
				return
			}
			assert.False(t, res.Passed)
			require.Len(t, res.Failures, 1)
			assert.Contains(t, res.Failures[0], tc.failure)
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	srv := site(t)
	status := Assertion{Type: "statusCode", Operator: "is", Target: "301"}
	location := Assertion{Type: "header", Property: "location", Operator: "is", Target: "/docs/stable/"}
	res := runOne(t, Test{URL: srv.URL + "/docs", Assertions: []Assertion{status, location}}, Options{})
	assert.True(t, res.Passed, "not followed unless the test says so: %v", res.Failures)

	followed := runOne(t, Test{URL: srv.URL + "/docs", FollowRedirects: true, Assertions: []Assertion{
		{Type: "statusCode", Operator: "is", Target: "200"}, {Type: "body", Operator: "contains", Target: "PyTorch documentation"},
	}}, Options{})
	assert.True(t, followed.Passed, "%v", followed.Failures)

	loop := runOne(t, Test{URL: srv.URL + "/loop", FollowRedirects: true, Assertions: []Assertion{status}}, Options{})
	assert.False(t, loop.Passed)
	assert.Contains(t, loop.Failures[0], "stopped after 10 redirects")
}

func TestCompressedBodies(t *testing.T) {
	t.Parallel()
	const text = "PyTorch Forums: compressed"
	encoders := map[string]func([]byte) []byte{
		"gzip": func(b []byte) []byte {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			_, _ = w.Write(b)
			_ = w.Close()
			return buf.Bytes()
		},
		"deflate": func(b []byte) []byte {
			var buf bytes.Buffer
			w := zlib.NewWriter(&buf)
			_, _ = w.Write(b)
			_ = w.Close()
			return buf.Bytes()
		},
		"br": func(b []byte) []byte {
			var buf bytes.Buffer
			w := brotli.NewWriter(&buf)
			_, _ = w.Write(b)
			_ = w.Close()
			return buf.Bytes()
		},
	}
	for enc, compress := range encoders {
		t.Run(enc, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				assert.Contains(t, r.Header.Get("Accept-Encoding"), enc)
				w.Header().Set("Content-Encoding", enc)
				_, _ = w.Write(compress([]byte(text)))
			}))
			defer srv.Close()
			res := runOne(t, Test{URL: srv.URL, Assertions: []Assertion{{Type: "body", Operator: "is", Target: text}}}, Options{})
			assert.True(t, res.Passed, "%v", res.Failures)
		})
	}
}

func TestTimeoutAndNetworkErrors(t *testing.T) {
	t.Parallel()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	}))
	defer hang.Close()
	start := time.Now()
	res := runOne(t, Test{URL: hang.URL, Timeout: 500 * time.Millisecond, Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}}, Options{})
	assert.Less(t, time.Since(start), 3*time.Second, "a hanging server costs no more than the timeout")
	require.Len(t, res.Failures, 1)
	assert.True(t, strings.HasPrefix(res.Failures[0], "TIMEOUT: "), res.Failures[0])

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	require.NoError(t, l.Close())
	res = runOne(t, Test{URL: "http://" + closed + "/", Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}}, Options{})
	assert.True(t, strings.HasPrefix(res.Failures[0], "CONNREFUSED: "), res.Failures[0])

	res = runOne(t, Test{URL: "http://no-such-host.invalid/", Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}}, Options{})
	assert.True(t, strings.HasPrefix(res.Failures[0], "DNS: "), res.Failures[0])
}

func TestRetriesUntilTheLastAttempt(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	test := Test{URL: srv.URL, RetryCount: 2, RetryInterval: 50 * time.Millisecond, Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}}

	start := time.Now()
	var retried []int
	res := runOne(t, test, Options{Retrying: func(_ Test, failed Result, wait time.Duration) {
		retried = append(retried, failed.Attempts)
		assert.Equal(t, 50*time.Millisecond, wait)
	}})
	assert.True(t, res.Passed, "the last attempt decides: %v", res.Failures)
	assert.Equal(t, 3, res.Attempts)
	assert.Equal(t, []int{1, 2}, retried, "each retry is announced")
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond, "attempts are the interval apart")

	calls.Store(0)
	res = runOne(t, test, Options{NoRetry: true})
	assert.False(t, res.Passed)
	assert.Equal(t, 1, res.Attempts)
	assert.Equal(t, []string{"statusCode is 200: got 502"}, res.Failures)

	calls.Store(-10)
	res = runOne(t, test, Options{})
	assert.False(t, res.Passed, "failing on every attempt")
	assert.Equal(t, 3, res.Attempts)
}

// certs makes a CA and, signed by it, a certificate for host that expires
// after the given time.
func certs(t *testing.T, host string, expiresIn time.Duration) (*x509.CertPool, tls.Certificate) {
	ca := testcert.New(t, host, expiresIn)
	return ca.Pool, ca.Leaf
}

func tlsServer(t *testing.T, cert tls.Certificate) (port int) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "PyTorch Forums") }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, p, _ := net.SplitHostPort(srv.Listener.Addr().String())
	port, _ = strconv.Atoi(p)
	return port
}

func TestSSLCertificateExpiry(t *testing.T) {
	t.Parallel()
	const host = "discuss.example.test"
	moreThan14 := []Assertion{{Type: "certificate", Operator: "isInMoreThan", Target: "14"}}
	for name, tc := range map[string]struct {
		expiresIn time.Duration
		passed    bool
		failure   string
	}{
		"expires in 30 days": {30 * 24 * time.Hour, true, ""},
		"expires in 5 days":  {5 * 24 * time.Hour, false, "certificate isInMoreThan 14 days: expires in 5.0 days"},
		"expired":            {-24 * time.Hour, false, "SSL: CERT_HAS_EXPIRED"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool, cert := certs(t, host, tc.expiresIn)
			port := tlsServer(t, cert)
			opts := Options{RootCAs: pool, Resolve: map[string]string{host + ":" + strconv.Itoa(port): "127.0.0.1"}}
			res := runOne(t, Test{Key: "cert", Subtype: "ssl", Host: host, Port: port, Assertions: moreThan14}, opts)
			assert.Equal(t, tc.passed, res.Passed, "%v", res.Failures)
			if !tc.passed {
				require.Len(t, res.Failures, 1)
				assert.Contains(t, res.Failures[0], tc.failure)
			}
		})
	}

	pool, cert := certs(t, host, 30*24*time.Hour)
	port := tlsServer(t, cert)
	resolve := map[string]string{host + ":" + strconv.Itoa(port): "127.0.0.1"}
	res := runOne(t, Test{Subtype: "ssl", Host: host, Port: port, Assertions: []Assertion{{Type: "certificate", Operator: "isInLessThan", Target: "14"}}},
		Options{RootCAs: pool, Resolve: resolve})
	assert.False(t, res.Passed)
	assert.Contains(t, res.Failures[0], "isInLessThan 14 days: expires in 30.0 days")

	res = runOne(t, Test{Subtype: "ssl", Host: host, Port: port, Assertions: moreThan14}, Options{Resolve: resolve})
	assert.Contains(t, res.Failures[0], "SSL: UNABLE_TO_VERIFY_LEAF_SIGNATURE", "a CA not trusted fails before any assertion")

	https := runOne(t, Test{URL: fmt.Sprintf("https://%s:%d/", host, port), Assertions: []Assertion{{Type: "body", Operator: "contains", Target: "Forums"}}},
		Options{RootCAs: pool, Resolve: resolve})
	assert.True(t, https.Passed, "--resolve keeps the TLS name and Host: %v", https.Failures)
}

func TestSelfSignedIsNamedAsDatadogDoes(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	res := runOne(t, Test{URL: srv.URL, Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}}, Options{})
	require.Len(t, res.Failures, 1)
	assert.True(t, strings.HasPrefix(res.Failures[0], "SSL: "), res.Failures[0])
}

func TestQueueScriptAgainstALocalHUD(t *testing.T) {
	t.Parallel()
	rows := `[{"count":2,"avg_queue_s":9000,"machine_type":"linux.s390x","time":"2026-08-21T15:30:02Z"},` +
		`{"count":1,"avg_queue_s":400,"machine_type":"linux.2xlarge","time":"2026-08-21T15:30:02Z"}]`
	hud := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/api/clickhouse/queued_jobs_by_label", r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, rows)
	}))
	defer hud.Close()
	code := func(hours int) string {
		return scripts.QueueCheck(scripts.Queue{Match: scripts.Contains, Value: ".s390x", ThresholdSeconds: hours * 3600, Label: "containing .s390x"})
	}
	url := hud.URL + "/api/clickhouse/queued_jobs_by_label?parameters=%7B%7D"

	res := runOne(t, Test{URL: url, Assertions: []Assertion{{Type: "javascript", Code: code(2)}}}, Options{})
	assert.False(t, res.Passed)
	assert.Equal(t, []string{"High queue detected for machine types containing .s390x: linux.s390x (2.5h)"}, res.Console)
	assert.Contains(t, res.Failures[0], "javascript assertion: AssertionError: High queue detected")

	res = runOne(t, Test{URL: url, Assertions: []Assertion{{Type: "javascript", Code: code(3)}}}, Options{})
	assert.True(t, res.Passed, "%v", res.Failures)

	res = runOne(t, Test{URL: url, Assertions: []Assertion{{Type: "javascript", Code: "return;"}}}, Options{})
	assert.NotEmpty(t, res.ScriptError, "a top-level return cannot run, as in Datadog")
}

func TestCancelReportsWhatFinished(t *testing.T) {
	t.Parallel()
	fast := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer fast.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	ok := []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}}
	tests := []Test{
		{Key: "fast", Method: "GET", URL: fast.URL, Timeout: 5 * time.Second, Assertions: ok},
		{Key: "slow", Method: "GET", URL: slow.URL, Timeout: 20 * time.Second, Assertions: ok},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := Run(ctx, tests, Options{})
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.True(t, res[0].Passed)
	assert.True(t, res[1].Cancelled)
	assert.True(t, strings.HasPrefix(res[1].Failures[0], "CANCELLED"), res[1].Failures)
}

// BenchmarkRun20 runs 20 tests against 20 local servers that each answer
// after 200 ms, and reports the wall time of the whole run against the
// slowest single test's.
func BenchmarkRun20(b *testing.B) {
	var tests []Test
	for i := range 20 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			time.Sleep(200 * time.Millisecond)
			fmt.Fprint(w, "ok")
		}))
		defer srv.Close()
		tests = append(tests, Test{Key: fmt.Sprintf("t%02d", i), Method: "GET", URL: srv.URL, Timeout: 5 * time.Second,
			Assertions: []Assertion{{Type: "statusCode", Operator: "is", Target: "200"}, {Type: "body", Operator: "is", Target: "ok"}}})
	}
	var wall, slowest time.Duration
	for b.Loop() {
		start := time.Now()
		res := Run(context.Background(), tests, Options{})
		wall = time.Since(start)
		slowest = 0
		for _, r := range res {
			if !r.Passed {
				b.Fatalf("%s: %v", r.Key, r.Failures)
			}
			slowest = max(slowest, r.Duration)
		}
	}
	b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
	b.ReportMetric(float64(slowest.Milliseconds()), "slowest-test-ms")
	b.ReportMetric(float64(wall)/float64(slowest), "wall/slowest")
}
