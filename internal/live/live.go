// Package live reads the organisation as Datadog has it, through Datadog's
// official Go client (github.com/DataDog/datadog-api-client-go/v2), for
// ddstack audit: a Reader holds the client, its credentials and site, and a
// transport that sends only reads, retries what Datadog asks to be retried
// (429 with X-RateLimit-Reset, 5xx, timeouts) a bounded number of times,
// bounds every answer, and counts the requests; Pages reads a paginated
// list, bounded too. Which endpoints each type lists, and how an object
// becomes a stack entry, live in the type's own package.
package live

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Object is one object of a managed type as Datadog has it.
type Object struct {
	// ID is the object's id in the form the type's importId takes (a
	// user's UUID, a monitor's number, a test's public id).
	ID string
	// On is what the type matches stack entries on: an email, a name, a
	// handle, `<account>:<#channel>`, an AWS account id (registry's
	// Entry.On).
	On string
	// Name names it for a person: an email, a name or a title.
	Name string
	// Key is the config key an entry for it would take, by the type's
	// rule (a user's is its email's local part in kebab-case); ddstack
	// audit makes it unique in its section.
	Key string
	// Quiet marks an object that exists, and that an entry may adopt, but
	// that is never reported as unmanaged: a disabled user, a service
	// account, one of Datadog's own roles.
	Quiet bool
	// Data is the API's object, for the type's conversion into a stack
	// entry.
	Data any
}

// Options tune a Reader; the zero value of each field takes its default.
type Options struct {
	// Retries is how many times a request is sent again after a 429, a 5xx
	// or a timeout. Default DefaultRetries.
	Retries int
	// Backoff is the first wait before a retry, doubled at each one; a 429
	// waits at least until its X-RateLimit-Reset. Default DefaultBackoff.
	Backoff time.Duration
	// MaxWait bounds any one wait, whatever X-RateLimit-Reset says.
	// Default DefaultMaxWait.
	MaxWait time.Duration
	// Timeout bounds one attempt, its answer read whole. Default
	// DefaultTimeout.
	Timeout time.Duration
	// MaxBody bounds one answer, decompressed. Default DefaultMaxBody.
	MaxBody int64
	// MaxValues bounds the JSON values of one answer. Default
	// DefaultMaxValues.
	MaxValues int
	// MaxTotal bounds all the answers of a Reader together. Default
	// DefaultMaxTotal.
	MaxTotal int64
	// MaxObjects bounds one list. Default DefaultMaxObjects.
	MaxObjects int
	// RootCAs, when set, are trusted instead of the system's (--cacert).
	RootCAs *x509.CertPool
	// Transport, when set, sends the requests instead of a new
	// http.Transport (tests).
	Transport http.RoundTripper
}

// Defaults: what a read of a large organisation needs, and bounds that a
// broken or hostile endpoint cannot push further.
const (
	// DefaultRetries: four attempts in all; Datadog's rate limits reset
	// within a minute, and a 5xx that lasts longer is an outage.
	DefaultRetries = 3
	// DefaultBackoff: 1 s, 2 s, 4 s between attempts.
	DefaultBackoff = time.Second
	// DefaultMaxWait: a rate limit's window is at most a minute.
	DefaultMaxWait = time.Minute
	// DefaultTimeout: a page of 1,000 monitors comes in a few seconds.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBody: a page of 1,000 monitors is a few MB.
	DefaultMaxBody = 16 << 20
	// DefaultMaxValues: a page of 1,000 monitors holds about 100,000; the
	// bound keeps one answer's decoded form to some hundred MB.
	DefaultMaxValues = 500_000
	// DefaultMaxTotal: an organisation of 200,000 users answers about 300
	// MB; with the other bounds, a run's memory stays within a few GB
	// whatever Datadog, or what answers in its place, sends.
	DefaultMaxTotal = 512 << 20
	// DefaultMaxObjects: ten times the largest organisation ddstack is
	// measured on (20,000 users).
	DefaultMaxObjects = 200_000
)

// Reader reads one Datadog site with one pair of keys.
type Reader struct {
	// Site is the API's address, as datadog:apiUrl gives it.
	Site string
	ctx  context.Context
	api  *datadog.APIClient
	tr   *transport
	max  int
}

// Credentials are the keys a Reader sends. They are never printed: no error
// of this package holds them.
type Credentials struct {
	APIKey, AppKey string
}

// New makes a Reader of the site at apiURL (an https:// address, such as
// https://api.us3.datadoghq.com/) with the keys. ctx ends every request
// (Ctrl-C).
func New(ctx context.Context, apiURL string, keys Credentials, o Options) (*Reader, error) {
	u, err := url.Parse(apiURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an https:// address of a Datadog site", apiURL)
	}
	if keys.APIKey == "" || keys.AppKey == "" {
		return nil, errors.New("no Datadog keys: export DD_API_KEY and DD_APP_KEY (an API key and an application key of the site's organisation), or set datadog:apiKey and datadog:appKey with pulumi config set --secret")
	}
	o = o.withDefaults()
	base := o.Transport
	if base == nil {
		base = &http.Transport{
			Proxy:                  http.ProxyFromEnvironment,
			DialContext:            (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			TLSClientConfig:        &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    10 * time.Second,
			ResponseHeaderTimeout:  o.Timeout,
			MaxResponseHeaderBytes: 1 << 20,
			MaxIdleConnsPerHost:    8,
			ForceAttemptHTTP2:      true,
		}
	}
	site := u.Scheme + "://" + u.Host + "/"
	tr := &transport{base: base, o: o, site: site, redact: kit.Redactor([]string{keys.APIKey, keys.AppKey})}
	cfg := datadog.NewConfiguration()
	cfg.HTTPClient = &http.Client{
		Transport: tr,
		// A redirect leaves the site the keys are for: never followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	// Retries are the transport's: the client's own wait at least two
	// seconds, which a test of them cannot afford, and log through the
	// standard logger.
	cfg.RetryConfiguration.EnableRetry = false
	cfg.UserAgent = "ddstack-audit (" + datadog.GetUserAgent() + ")"
	ctx = context.WithValue(ctx, datadog.ContextAPIKeys, map[string]datadog.APIKey{
		"apiKeyAuth": {Key: keys.APIKey},
		"appKeyAuth": {Key: keys.AppKey},
	})
	// The second of the client's server forms, {protocol}://{name}, takes
	// any host: the site of datadog:apiUrl as it is written.
	ctx = context.WithValue(ctx, datadog.ContextServerIndex, 1)
	ctx = context.WithValue(ctx, datadog.ContextServerVariables, map[string]string{"protocol": "https", "name": u.Host})
	return &Reader{Site: apiURL, ctx: ctx, api: datadog.NewAPIClient(cfg), tr: tr, max: o.MaxObjects}, nil
}

func (o Options) withDefaults() Options {
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff == 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxWait == 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBody == 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxObjects == 0 {
		o.MaxObjects = DefaultMaxObjects
	}
	if o.MaxValues == 0 {
		o.MaxValues = DefaultMaxValues
	}
	if o.MaxTotal == 0 {
		o.MaxTotal = DefaultMaxTotal
	}
	return o
}

// Context is the context every call of the client takes: it carries the
// keys and the site, and ends with the Reader's.
func (r *Reader) Context() context.Context { return r.ctx }

// Client is Datadog's API client, for a type's list functions
// (datadogV2.NewUsersApi(r.Client())).
func (r *Reader) Client() *datadog.APIClient { return r.api }

// Requests is how many HTTP requests were sent so far, retries included.
func (r *Reader) Requests() int { return int(r.tr.requests.Load()) }

// EndpointError is a request that failed, named by its endpoint.
type EndpointError struct {
	// Endpoint is the method and path: GET /api/v2/users.
	Endpoint string
	Err      error
}

func (e *EndpointError) Error() string { return e.Endpoint + ": " + e.Err.Error() }
func (e *EndpointError) Unwrap() error { return e.Err }

// Wrap names the endpoint of a failed call, and says it in Datadog's
// terms: the client's own errors carry a whole answer or a URL; a refused
// key is told once, as RefusedError, not per endpoint.
func Wrap(endpoint string, err error) error {
	if err == nil {
		return nil
	}
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe datadog.GenericOpenAPIError
	if errors.As(err, &oe) {
		// The client's error for an answer it could not decode, or for a
		// status the transport lets through: its text is the status; the
		// body is Datadog's, and may be anything.
		err = fmt.Errorf("%s (%s)", oe.ErrorMessage, excerpt(oe.ErrorBody))
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &EndpointError{Endpoint: endpoint, Err: err}
}

// excerpt is the start of an answer's body, for a message.
func excerpt(body []byte) string {
	const max = 200
	s := strings.Join(strings.Fields(string(body)), " ")
	if s == "" {
		return "empty answer"
	}
	if len(s) > max {
		s = s[:max] + "…"
	}
	return "answer: " + s
}
