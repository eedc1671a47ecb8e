package check

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
)

// DefaultParallel is how many tests run at once unless told: they wait on
// the network, not the CPU, so a whole suite can run together.
const DefaultParallel = 32

// maxBody is the most of a body read; Datadog truncates large bodies too.
const maxBody = 50 << 20

// Options tune a run.
type Options struct {
	// Parallel bounds the tests running at once; 0 is DefaultParallel.
	Parallel int
	// NoRetry runs each test once, ignoring its retries.
	NoRetry bool
	// Resolve sends connections for "host:port" to another address, as
	// curl --resolve: the Host header and the TLS server name stay.
	Resolve map[string]string
	// RootCAs verify servers; nil is the system's pool.
	RootCAs *x509.CertPool
	// Now is the clock certificate expiry is measured with; nil is
	// time.Now.
	Now func() time.Time
	// Done, when set, is called as each test finishes.
	Done func(Result)
	// Retrying, when set, is called when a failed attempt is to be retried,
	// before the wait.
	Retrying func(t Test, failed Result, wait time.Duration)
}

// Result is one test's verdict: that of its last attempt.
type Result struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Passed bool   `json:"passed"`
	// Attempts made: 1 plus the retries used.
	Attempts int `json:"attempts"`
	// Duration of the deciding attempt.
	Duration time.Duration `json:"-"`
	// Failures are the failed assertions, or the request's error as
	// Datadog names it (TIMEOUT, CONNREFUSED, DNS, SSL, ...).
	Failures []string `json:"failures,omitempty"`
	// Console is what a JavaScript assertion wrote with console.error.
	Console []string `json:"console,omitempty"`
	// ScriptError is set when a script could not run at all.
	ScriptError string `json:"scriptError,omitempty"`
	// Cancelled is set for a test stopped or never started by an
	// interrupt.
	Cancelled bool `json:"cancelled,omitempty"`
}

// Run runs the tests, at most Parallel at once, and returns their results
// in the tests' order. Cancelling ctx stops the tests under way; those are
// reported as cancelled.
func Run(ctx context.Context, tests []Test, opts Options) []Result {
	parallel := opts.Parallel
	if parallel <= 0 {
		parallel = DefaultParallel
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	results := make([]Result, len(tests))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, t := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = Result{Key: t.Key, Name: t.Name, Cancelled: true}
				if opts.Done != nil {
					opts.Done(results[i])
				}
				return
			}
			defer func() { <-sem }()
			results[i] = runTest(ctx, t, opts)
			if opts.Done != nil {
				opts.Done(results[i])
			}
		}()
	}
	wg.Wait()
	return results
}

// runTest makes up to 1+RetryCount attempts, RetryInterval apart; the last
// attempt decides.
func runTest(ctx context.Context, t Test, opts Options) Result {
	retries := t.RetryCount
	if opts.NoRetry {
		retries = 0
	}
	var res Result
	for i := 0; ; i++ {
		res = attempt(ctx, t, opts)
		res.Attempts = i + 1
		if res.Passed || res.ScriptError != "" || i >= retries || ctx.Err() != nil {
			break
		}
		if opts.Retrying != nil {
			opts.Retrying(t, res, t.RetryInterval)
		}
		select {
		case <-time.After(t.RetryInterval):
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil && !res.Passed {
		res.Cancelled = true
	}
	return res
}

func attempt(parent context.Context, t Test, opts Options) Result {
	res := Result{Key: t.Key, Name: t.Name}
	ctx, cancel := context.WithTimeout(parent, t.Timeout)
	defer cancel()
	start := time.Now()
	var (
		r   response
		err error
	)
	if t.Subtype == "ssl" {
		r, err = fetchCertificate(ctx, t, opts)
	} else {
		r, err = fetch(ctx, t, opts)
	}
	res.Duration = time.Since(start)
	if err != nil {
		res.Failures = []string{networkError(parent, err)}
		return res
	}
	remaining := t.Timeout - time.Since(start)
	if remaining < time.Second {
		remaining = time.Second
	}
	for _, a := range t.Assertions {
		o := evaluate(a, r, opts.Now(), remaining)
		res.Console = append(res.Console, o.console...)
		switch {
		case o.err != nil:
			res.ScriptError = o.err.Error()
			res.Failures = append(res.Failures, o.err.Error())
		case !o.ok:
			res.Failures = append(res.Failures, o.message)
		}
	}
	res.Passed = len(res.Failures) == 0
	return res
}

// dialer connects as the test would, but for the addresses --resolve sends
// elsewhere.
func dialer(resolve map[string]string) func(ctx context.Context, network, address string) (net.Conn, error) {
	d := &net.Dialer{}
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		if addr, ok := resolve[address]; ok {
			_, port, _ := net.SplitHostPort(address)
			address = net.JoinHostPort(addr, port)
		}
		return d.DialContext(ctx, network, address)
	}
}

func fetch(ctx context.Context, t Test, opts Options) (response, error) {
	var body io.Reader
	if t.Body != "" {
		body = strings.NewReader(t.Body)
	}
	req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, body)
	if err != nil {
		return response{}, &invalidRequest{err}
	}
	for k, v := range t.Headers {
		req.Header.Set(k, v)
	}
	if req.Header.Get("Accept-Encoding") == "" {
		// Datadog accepts these and decompresses them before assertions.
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	}
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:              nil,
			DialContext:        dialer(opts.Resolve),
			TLSClientConfig:    &tls.Config{RootCAs: opts.RootCAs},
			DisableCompression: true,
		},
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if !t.FollowRedirects {
				return http.ErrUseLastResponse
			}
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return nil
		},
	}
	defer client.CloseIdleConnections()
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return response{}, err
	}
	elapsed := time.Since(start)
	text, err := decode(resp.Header.Get("Content-Encoding"), raw)
	if err != nil {
		return response{}, &malformed{err}
	}
	return response{status: resp.StatusCode, headers: resp.Header, body: text, elapsed: elapsed}, nil
}

// decode decompresses a body by its Content-Encoding.
func decode(encoding string, raw []byte) (string, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return string(raw), nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return "", fmt.Errorf("gzip body: %w", err)
		}
		r = zr
	case "deflate":
		// HTTP's deflate is zlib-wrapped, but some servers send it raw.
		if zr, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(raw))
		}
	case "br":
		r = brotli.NewReader(bytes.NewReader(raw))
	default:
		return "", fmt.Errorf("unknown Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(io.LimitReader(r, maxBody))
	if err != nil {
		return "", fmt.Errorf("%s body: %w", encoding, err)
	}
	return string(out), nil
}

func fetchCertificate(ctx context.Context, t Test, opts Options) (response, error) {
	address := net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
	start := time.Now()
	raw, err := dialer(opts.Resolve)(ctx, "tcp", address)
	if err != nil {
		return response{}, err
	}
	defer raw.Close()
	conn := tls.Client(raw, &tls.Config{ServerName: t.Host, RootCAs: opts.RootCAs})
	if err := conn.HandshakeContext(ctx); err != nil {
		return response{}, err
	}
	certs := conn.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return response{}, errors.New("the server sent no certificate")
	}
	return response{cert: certs[0], elapsed: time.Since(start)}, nil
}

type invalidRequest struct{ err error }

func (e *invalidRequest) Error() string { return e.err.Error() }

type malformed struct{ err error }

func (e *malformed) Error() string { return e.err.Error() }

// networkError names a request's failure as Datadog does.
func networkError(parent context.Context, err error) string {
	var (
		dnsErr     *net.DNSError
		invalidErr x509.CertificateInvalidError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
		invalid    *invalidRequest
		bad        *malformed
	)
	name := "ERROR"
	switch {
	case parent.Err() != nil:
		name = "CANCELLED"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		name = "TIMEOUT"
	case errors.As(err, &dnsErr):
		name = "DNS"
	case errors.Is(err, syscall.ECONNREFUSED):
		name = "CONNREFUSED"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		name = "CONNRESET"
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.Expired:
		name = "SSL: CERT_HAS_EXPIRED"
	case errors.As(err, &unknownCA):
		name = "SSL: UNABLE_TO_VERIFY_LEAF_SIGNATURE"
		if c := unknownCA.Cert; c != nil && bytes.Equal(c.RawIssuer, c.RawSubject) {
			name = "SSL: DEPTH_ZERO_SELF_SIGNED_CERT"
		}
	case errors.As(err, &hostErr):
		name = "SSL: ERR_TLS_CERT_ALTNAME_INVALID"
	case errors.As(err, &verifyErr), errors.As(err, &recordErr), errors.As(err, &alertErr), errors.As(err, &invalidErr):
		name = "SSL"
	case errors.As(err, &invalid):
		name = "INVALID_REQUEST"
	case errors.As(err, &bad), strings.Contains(err.Error(), "malformed HTTP"):
		name = "MALFORMED_RESPONSE"
	}
	return name + ": " + err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
