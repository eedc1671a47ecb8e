package live

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// ErrNotRead is what the transport answers a request that is not a read
// (any method but GET and HEAD): it is never sent. ddstack audit changes
// nothing in Datadog.
var ErrNotRead = errors.New("not sent: ddstack audit only reads, and this request would change Datadog")

// RefusedError is a 401 or 403: the keys are not valid for the site, or
// lack a permission. It names the variables and the site, never a key.
type RefusedError struct {
	Site     string
	Endpoint string
	Status   string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("Datadog at %s refused the keys (%s for %s): DD_API_KEY and DD_APP_KEY (or datadog:apiKey and datadog:appKey) must be an API key and an application key of this site's organisation, the application key with read access to users, roles, teams, monitors, synthetics, dashboards and integrations",
		e.Site, e.Status, e.Endpoint)
}

// transport sends the client's requests: reads only, each attempt bounded
// in time and size, retried when Datadog asks (429) or fails (5xx, a
// timeout, a dropped connection), and counted.
type transport struct {
	base     http.RoundTripper
	o        Options
	site     string
	redact   func(string) string
	requests atomic.Int64
	// read is how many bytes of answers were read, for Options.MaxTotal.
	read atomic.Int64
}

// checkBody refuses an answer that Datadog's client would read as nothing
// (an empty body, null), or whose JSON holds more than max values: its
// decoded form takes memory in proportion to its values, not its bytes
// (tens of bytes each), and an answer of a few MB of tiny objects would
// take gigabytes. Values are counted as JSON's structural characters
// outside strings, one pass over the bytes.
func checkBody(body []byte, max int) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return errors.New("answered nothing (an empty body or null) where Datadog answers a list or an object")
	}
	values, inString, escaped := 0, false, false
	for _, c := range trimmed {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == '{' || c == '[' || c == ','):
			values++
		}
	}
	if values > max {
		return fmt.Errorf("the answer holds more than %d JSON values; ddstack reads at most that many in one answer", max)
	}
	return nil
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return nil, ErrNotRead
	}
	endpoint := req.Method + " " + req.URL.Path
	for attempt := 0; ; attempt++ {
		resp, err := t.attempt(req, endpoint)
		var again *retryable
		if !errors.As(err, &again) {
			return resp, err
		}
		if attempt == t.o.Retries {
			return nil, fmt.Errorf("%s, after %d attempts", again.reason, attempt+1)
		}
		wait := again.wait
		if wait == 0 {
			wait = t.o.Backoff << attempt
		}
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(min(wait, t.o.MaxWait)):
		}
	}
}

// retryable is an attempt to make again: after wait, or the backoff's
// when wait is 0.
type retryable struct {
	reason string
	wait   time.Duration
}

func (r *retryable) Error() string { return r.reason }

// attempt sends the request once: the response to hand to the client, or
// a *retryable error, or an error to give up with.
func (t *transport) attempt(req *http.Request, endpoint string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.o.Timeout)
	t.requests.Add(1)
	resp, err := t.base.RoundTrip(req.Clone(ctx))
	if err != nil {
		cancel()
		var ne net.Error
		var certErr *tls.CertificateVerificationError
		switch {
		case req.Context().Err() != nil:
			return nil, req.Context().Err()
		case errors.As(err, &certErr):
			return nil, err
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
			return nil, &retryable{reason: fmt.Sprintf("no answer within %s", t.o.Timeout)}
		default:
			return nil, &retryable{reason: err.Error()}
		}
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		drain(resp)
		cancel()
		return nil, &RefusedError{Site: t.site, Endpoint: endpoint, Status: resp.Status}
	case resp.StatusCode == http.StatusTooManyRequests:
		drain(resp)
		cancel()
		// Datadog says in how many seconds its rate limit resets.
		var wait time.Duration
		if s, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil && s > 0 {
			wait = t.o.MaxWait
			if s < int64(t.o.MaxWait/time.Second) {
				wait = time.Duration(s) * time.Second
			}
		}
		return nil, &retryable{reason: resp.Status + " (rate limited)", wait: wait}
	case resp.StatusCode >= 500:
		drain(resp)
		cancel()
		return nil, &retryable{reason: resp.Status}
	}
	// The answer is read whole here, within the attempt's deadline and the
	// size bound: one that stalls or drops part way is retried as one
	// that never came.
	body, err := io.ReadAll(io.LimitReader(resp.Body, t.o.MaxBody+1))
	resp.Body.Close()
	// A deadline that passed during the read makes the answer
	// incomplete even when the read ended cleanly: net/http's
	// cancellation can let the server's end of the body through
	// (seen on Go 1.26 with a server that stops on its side's
	// cancellation), and that end is not Datadog's.
	late := ctx.Err() != nil
	cancel()
	switch {
	case req.Context().Err() != nil:
		return nil, req.Context().Err()
	case late, errors.Is(err, context.DeadlineExceeded):
		return nil, &retryable{reason: fmt.Sprintf("the answer did not arrive whole within %s", t.o.Timeout)}
	case err != nil:
		return nil, &retryable{reason: "the answer broke off: " + err.Error()}
	case int64(len(body)) > t.o.MaxBody:
		return nil, fmt.Errorf("the answer is larger than %d MB; ddstack reads at most that", t.o.MaxBody>>20)
	case t.read.Add(int64(len(body))) > t.o.MaxTotal:
		return nil, fmt.Errorf("the answers so far are larger than %d MB in all; ddstack reads at most that", t.o.MaxTotal>>20)
	}
	if err := checkBody(body, t.o.MaxValues); err != nil {
		return nil, err
	}
	// An answer that echoes a key (a proxy's error page, a hostile
	// endpoint) never shows it in an error or a name.
	body = []byte(t.redact(string(body)))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// drain reads a little of an answer that is not used, so that its
// connection can serve the next request, and closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
