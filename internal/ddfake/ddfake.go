// Package ddfake is an in-repo fake of Datadog's API for the tests and
// benchmarks of ddstack audit: a TLS server on 127.0.0.1 that serves the
// list endpoints the audit reads (users, roles, permissions, teams, Slack
// channels, webhooks, monitors, synthetics tests, dashboards, AWS
// accounts), paginated and bounded as Datadog's are, from an organisation
// held as Datadog's own client models, so that the official client decodes
// its answers exactly as it decodes Datadog's. It checks the keys, records
// every request, adds latency, and answers queued faults (rate limits,
// 5xx, malformed or huge answers, requests left hanging) to test the
// reader's retries and bounds. SeedTerraform fills it from a Terraform
// state, Generate from a deterministic large organisation.
package ddfake

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"

	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

// The keys a Fake accepts unless a test changes them.
const (
	DefaultAPIKey = "fake-api-key"
	DefaultAppKey = "fake-app-key"
)

// Fake is a stand-in for Datadog's API: an httptest TLS server on
// 127.0.0.1 serving the organisation in its fields. Set the fields (keys
// and Latency included) before the first request, or change them between
// requests under Lock/Unlock.
type Fake struct {
	// URL is its address, https://127.0.0.1:PORT/, as datadog:apiUrl
	// takes it.
	URL string
	// APIKey and AppKey are the keys it accepts (DefaultAPIKey,
	// DefaultAppKey); a request with other keys (headers DD-API-KEY,
	// DD-APPLICATION-KEY) gets 403 {"errors":["Forbidden"]}.
	APIKey, AppKey string
	// Latency is added before every answer (the benchmark uses 20 ms).
	Latency time.Duration

	// Users name their roles' ids in relationships.roles.data; GET
	// /api/v2/users includes those roles, looked up in Roles.
	Users []datadogV2.User
	// Roles name their permissions' ids in
	// relationships.permissions.data.
	Roles       []datadogV2.Role
	Permissions []datadogV2.Permission
	Teams       []datadogV2.Team
	// SlackChannels are keyed by Slack account name; an account that is
	// not a key is unknown (404).
	SlackChannels map[string][]datadogV1.SlackIntegrationChannel
	Webhooks      []datadogV1.WebhooksIntegration
	Monitors      []datadogV1.Monitor
	Tests         []datadogV1.SyntheticsTestDetailsWithoutSteps
	// Dashboards are served whole by GET /api/v1/dashboard/{id}, and as
	// summaries by the list.
	Dashboards  []datadogV1.Dashboard
	AWSAccounts []datadogV2.AWSAccountResponseData

	// mu guards the fields above (Lock, Unlock); the handlers read them
	// under it.
	mu sync.Mutex
	// log guards requests and faults apart from mu, so that a test that
	// holds Lock can still read Requests or queue a Fault.
	log      sync.Mutex
	requests []Request
	faults   map[string][]Fault
	// generated counts what Generate made, so that a second call goes on
	// numbering where the first stopped.
	generated struct{ users, monitors, tests, dashboards int }

	srv       *httptest.Server
	done      chan struct{}
	closeOnce sync.Once
}

// Fault is one answer that is not the organisation's, for one request.
type Fault struct {
	// Status answers with this status (429, 500, 503, 400…), Body as its
	// body.
	Status int
	// Header is added to the answer, e.g. {"X-RateLimit-Reset": "1"}. A
	// Fault with only Header answers normally, with these headers.
	Header map[string]string
	// Body is the body for Status; with Status 0, a 200 whose body is
	// this (malformed JSON, control characters…).
	Body string
	// Size, with Status 0, is a 200 whose body is this many bytes: a JSON
	// array's opening, then padding, never ending validly — a huge answer.
	Size int
	// Hang never answers, until the request's context ends or the server
	// closes (then the connection is dropped). It wins over the others.
	Hang bool
}

// Request is one request the Fake received.
type Request struct {
	// Path is the URL's path, unescaped (…/accounts/My Team/channels).
	Method, Path string
	Query        url.Values
}

// New starts a Fake with an empty organisation and the default keys;
// t.Cleanup closes it.
func New(t testing.TB) *Fake {
	t.Helper()
	f := &Fake{
		APIKey: DefaultAPIKey,
		AppKey: DefaultAppKey,
		faults: map[string][]Fault{},
		done:   make(chan struct{}),
	}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	// A client that refuses the certificate (a test of --cacert) makes
	// the server log the handshake it lost: noise in a test's output.
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	f.URL = f.srv.URL + "/"
	t.Cleanup(f.Close)
	return f
}

// Close ends the requests still hanging or waiting, then stops the
// server. New's cleanup calls it; calling it again does nothing.
func (f *Fake) Close() {
	f.closeOnce.Do(func() {
		// httptest.Server.Close waits for every handler: those that hang
		// must be told to stop first.
		close(f.done)
		f.srv.Close()
	})
}

// Lock and Unlock guard the organisation's fields, to change them between
// requests. Requests wait while the lock is held: make none under it.
func (f *Fake) Lock()   { f.mu.Lock() }
func (f *Fake) Unlock() { f.mu.Unlock() }

// CertPool trusts the server's certificate.
func (f *Fake) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(f.srv.Certificate())
	return pool
}

// CertFile writes the server's certificate as a PEM file in t.TempDir(),
// for ddstack audit --cacert, and returns its path.
func (f *Fake) CertFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ddfake.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Options are live's options for reading the Fake: its certificate
// trusted, and retries fast enough for a test (live's defaults wait
// seconds, and up to a minute for a rate limit).
func (f *Fake) Options() live.Options {
	return live.Options{
		RootCAs: f.CertPool(),
		Backoff: time.Millisecond,
		MaxWait: 50 * time.Millisecond,
		Timeout: 2 * time.Second,
	}
}

// Reader is a live.Reader of the Fake with its keys and Options; it fails
// t if live refuses them.
func (f *Fake) Reader(t testing.TB) *live.Reader {
	t.Helper()
	r, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, f.Options())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Fault makes the next requests to path (the exact URL path, such as
// "/api/v2/users") answer with faults, one per request, in order; later
// requests are answered normally. Faults queued by several calls follow
// each other.
func (f *Fake) Fault(path string, faults ...Fault) {
	f.log.Lock()
	defer f.log.Unlock()
	f.faults[path] = append(f.faults[path], faults...)
}

// Requests are every request received so far, in order.
func (f *Fake) Requests() []Request {
	f.log.Lock()
	defer f.log.Unlock()
	out := make([]Request, len(f.requests))
	for i, r := range f.requests {
		out[i] = Request{Method: r.Method, Path: r.Path, Query: cloneValues(r.Query)}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// record logs a request.
func (f *Fake) record(r *http.Request) {
	f.log.Lock()
	defer f.log.Unlock()
	f.requests = append(f.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()})
}

// nextFault takes the fault queued for path, if any.
func (f *Fake) nextFault(path string) (Fault, bool) {
	f.log.Lock()
	defer f.log.Unlock()
	q := f.faults[path]
	if len(q) == 0 {
		return Fault{}, false
	}
	if len(q) == 1 {
		delete(f.faults, path)
	} else {
		f.faults[path] = q[1:]
	}
	return q[0], true
}
