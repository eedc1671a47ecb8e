package check

import (
	"bufio"
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
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/semaphore"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// DefaultParallel is how many tests run at once unless told: they wait on
// the network, not the CPU, so a whole suite can run together.
const DefaultParallel = 32

// maxBody is the most of a body read, after decompression; Datadog
// truncates large bodies too. A body cut there is noted on the result.
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
	// Notes say what the verdict may hide: a body cut at 50 MB.
	Notes []string `json:"notes,omitempty"`
}

// Run runs the tests, at most Parallel at once, and returns their results
// in the tests' order. Cancelling ctx stops the tests under way; those are
// reported as cancelled. However many run at once, the run holds at most
// MemoryBound bytes (see memory.go).
func Run(ctx context.Context, tests []Test, opts Options) []Result {
	parallel := opts.Parallel
	if parallel <= 0 {
		parallel = DefaultParallel
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// The collector keeps this process under its share; the children that
	// run scripts cap themselves.
	prev := debug.SetMemoryLimit(-1)
	if limit := int64(MemoryBound - scriptSlots*scriptShare); prev > limit {
		debug.SetMemoryLimit(limit)
		defer debug.SetMemoryLimit(prev)
	}
	b := newBudget()
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
			results[i] = runTest(ctx, t, opts, b)
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
func runTest(ctx context.Context, t Test, opts Options, b *budget) Result {
	retries := t.RetryCount
	if opts.NoRetry {
		retries = 0
	}
	var res Result
	for i := 0; ; i++ {
		res = attempt(ctx, t, opts, b)
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

func attempt(parent context.Context, t Test, opts Options, b *budget) Result {
	res := attemptOnce(parent, t, opts, b)
	if len(t.Secrets) > 0 {
		redact := kit.Redactor(t.Secrets)
		for _, list := range [][]string{res.Failures, res.Console, res.Notes} {
			for i := range list {
				list[i] = redact(list[i])
			}
		}
		res.ScriptError = redact(res.ScriptError)
	}
	return res
}

func attemptOnce(parent context.Context, t Test, opts Options, b *budget) Result {
	res := Result{Key: t.Key, Name: t.Name}
	// Every request in flight holds its base share, waited for before its
	// clock starts.
	if err := b.base.Acquire(parent, baseCost); err != nil {
		res.Failures = []string{"CANCELLED: " + err.Error()}
		return res
	}
	defer b.base.Release(baseCost)
	clk := newClock(parent, t.Timeout)
	defer clk.stop()
	start := time.Now()
	var (
		r   response
		err error
	)
	if t.Subtype == "ssl" {
		r, err = fetchCertificate(clk.ctx, t, opts)
	} else {
		var release func()
		r, release, err = fetch(clk, t, opts, b)
		defer release()
	}
	res.Duration = time.Since(start) - clk.waitedFor()
	if err != nil {
		res.Failures = []string{networkError(parent, clk, err)}
		return res
	}
	if r.cut {
		res.Notes = append(res.Notes, fmt.Sprintf("the body is over %d MB: assertions saw its first %d MB, as Datadog keeps no more", maxBody>>20, maxBody>>20))
	}
	env := assertEnv{ctx: parent, clock: clk, budget: b, now: opts.Now(), redact: kit.Redactor(t.Secrets)}
	for _, a := range t.Assertions {
		o := evaluate(env, a, r)
		res.Console = append(res.Console, o.console...)
		switch {
		case o.cancelled:
			res.Failures = append(res.Failures, "CANCELLED: "+describe(a))
			return res
		case o.err != nil:
			res.ScriptError = o.err.Error()
			res.Failures = append(res.Failures, o.err.Error())
		case !o.ok:
			msg := o.message
			if r.cut && (a.Type == "body" || a.Type == "javascript") {
				msg += fmt.Sprintf(" (the body was cut at %d MB)", maxBody>>20)
			}
			res.Failures = append(res.Failures, msg)
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

// tooManyRedirects and badRedirect stop a redirect Datadog would not
// follow.
type tooManyRedirects struct{ n int }

func (e *tooManyRedirects) Error() string { return fmt.Sprintf("stopped after %d redirects", e.n) }

type badRedirect struct{ url *url.URL }

func (e *badRedirect) Error() string {
	return fmt.Sprintf("a redirect to %s, which is not an http or https URL", excerpt(e.url.String()))
}

// fetch makes the request and reads the response. release gives back the
// memory the body holds; call it once done with the response.
func fetch(clk *clock, t Test, opts Options, b *budget) (response, func(), error) {
	nothing := func() {}
	var body io.Reader
	if t.Body != "" {
		body = strings.NewReader(t.Body)
	}
	req, err := http.NewRequestWithContext(clk.ctx, t.Method, t.URL, body)
	if err != nil {
		return response{}, nothing, &invalidRequest{err}
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
			Proxy:                  nil,
			DialContext:            dialer(opts.Resolve),
			TLSClientConfig:        &tls.Config{RootCAs: opts.RootCAs},
			DisableCompression:     true,
			MaxResponseHeaderBytes: maxHeaderBytes,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !t.FollowRedirects {
				return http.ErrUseLastResponse
			}
			if len(via) > maxRedirects {
				return &tooManyRedirects{maxRedirects}
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return &badRedirect{req.URL}
			}
			return nil
		},
	}
	defer client.CloseIdleConnections()
	start := time.Now()
	waited := clk.waitedFor()
	resp, err := client.Do(req)
	if err != nil {
		return response{}, nothing, err
	}
	defer resp.Body.Close()
	text, cut, release, err := readBody(clk, b, resp)
	if err != nil {
		return response{}, nothing, err
	}
	elapsed := time.Since(start) - (clk.waitedFor() - waited)
	return response{status: resp.StatusCode, headers: resp.Header, body: text, cut: cut, elapsed: elapsed}, release, nil
}

// readBody reads a body, decompressed by its Content-Encoding, up to
// maxBody bytes; cut reports that there was more. The memory it holds is
// counted against the run's budget until release is called: the base share
// covers a small body; a larger one, or one of unknown size that grows past
// smallBody, waits for its worst case from the large pool, with the clock
// stopped. Decoding as it reads, a compressed body costs what it decodes
// to, so a gzip bomb costs maxBody at most.
func readBody(clk *clock, b *budget, resp *http.Response) (body string, cut bool, release func(), err error) {
	var held []func()
	release = func() {
		for _, f := range held {
			f()
		}
	}
	defer func() {
		if err != nil {
			release()
			release = func() {}
		}
	}()
	take := func(sem *semaphore.Weighted, n int64) error {
		if err := clk.wait(func(ctx context.Context) error { return sem.Acquire(ctx, n) }); err != nil {
			return err
		}
		held = append(held, func() { sem.Release(n) })
		return nil
	}
	encoding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	large := false
	if (encoding == "" || encoding == "identity") && resp.ContentLength > smallBody {
		// The size is known: take just what it needs.
		if err := take(b.large, 3*min(resp.ContentLength, maxBody)); err != nil {
			return "", false, release, err
		}
		large = true
	}
	if encoding == "br" {
		if err := take(b.brotli, 1); err != nil {
			return "", false, release, err
		}
	}
	r, err := decoder(encoding, resp.Body)
	if err != nil {
		return "", false, release, err
	}
	var (
		chunks [][]byte
		total  int
	)
	buf := make([]byte, 32<<10)
	for total < maxBody {
		n, rerr := r.Read(buf[:min(len(buf), maxBody-total)])
		if n > 0 {
			if !large && total+n > smallBody {
				if err := take(b.large, largeCost); err != nil {
					return "", false, release, err
				}
				large = true
			}
			if len(chunks) == 0 || len(chunks[len(chunks)-1])+n > cap(chunks[len(chunks)-1]) {
				chunks = append(chunks, make([]byte, 0, min(max(n, 1<<20), maxBody)))
			}
			chunks[len(chunks)-1] = append(chunks[len(chunks)-1], buf[:n]...)
			total += n
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return "", false, release, bodyError(encoding, rerr)
		}
	}
	if total >= maxBody {
		// Is there more? One byte tells.
		var one [1]byte
		n, _ := io.ReadFull(r, one[:])
		cut = n > 0
	}
	var sb strings.Builder
	sb.Grow(total)
	for _, c := range chunks {
		sb.Write(c)
	}
	return sb.String(), cut, release, nil
}

// decoder reads a body by its Content-Encoding.
func decoder(encoding string, body io.Reader) (io.Reader, error) {
	switch encoding {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, bodyError(encoding, err)
		}
		return zr, nil
	case "deflate":
		// HTTP's deflate is zlib-wrapped, but some servers send it raw.
		br := bufio.NewReader(body)
		if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, bodyError(encoding, err)
			}
			return zr, nil
		}
		return flate.NewReader(br), nil
	case "br":
		return brotli.NewReader(body), nil
	}
	return nil, &malformed{fmt.Errorf("unknown Content-Encoding %q", encoding)}
}

// bodyError says what went wrong reading a body: the connection's failure
// as is, anything else (a bad chunk, a corrupt compressed stream) as a
// malformed response.
func bodyError(encoding string, err error) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF) && encoding == "":
		return err
	case encoding != "" && encoding != "identity":
		return &malformed{fmt.Errorf("%s body: %w", encoding, err)}
	}
	return &malformed{fmt.Errorf("body: %w", err)}
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

// networkError names a request's failure as Datadog does: its failure
// codes (SyntheticsApiTestFailureCode in Datadog's API) where one fits.
func networkError(parent context.Context, clk *clock, err error) string {
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
		loop       *tooManyRedirects
		redirect   *badRedirect
	)
	name := "ERROR"
	msg := err.Error()
	switch {
	case parent.Err() != nil:
		name = "CANCELLED"
	case clk != nil && clk.timedOut(), errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		name = "TIMEOUT"
	case errors.As(err, &loop):
		name = "TOO_MANY_REDIRECTS"
	case errors.As(err, &redirect):
		name, msg = "INVALID_REQUEST", redirect.Error()
	case errors.As(err, &dnsErr):
		name = "DNS"
	case errors.Is(err, syscall.ECONNREFUSED):
		name = "CONNREFUSED"
	case errors.Is(err, syscall.ECONNRESET):
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
	// Go's HTTP client names these only in its messages: read the
	// transport's error, never the URL that wraps it (a URL holding
	// "chunk" is no malformed response).
	case strings.Contains(inner(err), "response headers exceeded"):
		name = "HEADER_TOO_LARGE"
		msg = fmt.Sprintf("the response's headers are over %d KB: %s", maxHeaderBytes>>10, msg)
	case strings.Contains(inner(err), "multiple Content-Length"):
		name = "HEADERS_INCOMPATIBLE_CONTENT_LENGTH"
	case errors.As(err, &bad), strings.Contains(inner(err), "malformed HTTP"), strings.Contains(inner(err), "chunk"),
		strings.Contains(inner(err), "malformed MIME header"):
		name = "MALFORMED_RESPONSE"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		name = "CONNRESET"
	}
	return name + ": " + msg
}

// inner is the message of the error a *url.Error wraps: what went wrong,
// without the URL.
func inner(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
