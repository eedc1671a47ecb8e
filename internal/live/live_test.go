package live_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
)

const apiKey, appKey = "test-api-key-0123456789", "test-app-key-9876543210"

// server starts a TLS server with handler and a Reader of it with fast
// retries and a short timeout.
func server(t *testing.T, handler http.HandlerFunc, o live.Options) (*live.Reader, *httptest.Server) {
	t.Helper()
	srv := httptest.NewTLSServer(handler)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	o.RootCAs = pool
	if o.Backoff == 0 {
		o.Backoff = time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	r, err := live.New(context.Background(), srv.URL+"/", live.Credentials{APIKey: apiKey, AppKey: appKey}, o)
	require.NoError(t, err)
	return r, srv
}

func listMonitors(r *live.Reader) ([]datadogV1.Monitor, error) {
	ms, _, err := datadogV1.NewMonitorsApi(r.Client()).ListMonitors(r.Context())
	return ms, live.Wrap("GET /api/v1/monitor", err)
}

func TestReaderSendsTheKeysToTheSiteOfApiURL(t *testing.T) {
	t.Parallel()
	var got http.Header
	var path string
	r, _ := server(t, func(w http.ResponseWriter, req *http.Request) {
		got, path = req.Header.Clone(), req.URL.Path
		fmt.Fprint(w, `[{"id": 7, "name": "m", "type": "query alert", "query": "avg(last_5m):x{*} > 1"}]`)
	}, live.Options{})
	ms, err := listMonitors(r)
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, "m", ms[0].GetName())
	assert.Equal(t, "/api/v1/monitor", path)
	assert.Equal(t, apiKey, got.Get("DD-API-KEY"))
	assert.Equal(t, appKey, got.Get("DD-APPLICATION-KEY"))
	assert.Equal(t, 1, r.Requests())
}

func TestTransportRetries(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		answers  []int // statuses before a 200; 0 is a hang, 1 a body that stalls
		header   string
		wantErr  string
		requests int
		minWait  time.Duration
	}{
		"a 429 waits for X-RateLimit-Reset": {answers: []int{429}, header: "1", requests: 2, minWait: time.Second},
		"5xx then success":                  {answers: []int{500, 503}, requests: 3},
		"a timeout then success":            {answers: []int{0}, requests: 2},
		"5xx four times is an error": {answers: []int{502, 502, 502, 502}, requests: 4,
			wantErr: "GET /api/v1/monitor: 502 Bad Gateway, after 4 attempts"},
		"a 429 that lasts is an error": {answers: []int{429, 429, 429, 429}, requests: 4,
			wantErr: "429 Too Many Requests (rate limited), after 4 attempts"},
		"never answering is an error": {answers: []int{0, 0, 0, 0, 0, 0, 0, 0}, requests: 4,
			wantErr: "GET /api/v1/monitor: no answer within 200ms, after 4 attempts"},
		"a body that stalls then success": {answers: []int{1}, requests: 2},
		"a body that always stalls": {answers: []int{1, 1, 1, 1}, requests: 4,
			wantErr: "GET /api/v1/monitor: the answer did not arrive whole within 200ms, after 4 attempts"},
		"a 400 is not retried": {answers: []int{400}, requests: 1, wantErr: "GET /api/v1/monitor: 400 Bad Request (answer: {\"errors\":[\"bad page\"]})"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			r, _ := server(t, func(w http.ResponseWriter, req *http.Request) {
				i := int(n.Add(1)) - 1
				if i < len(tc.answers) {
					switch tc.answers[i] {
					case 0:
						<-req.Context().Done()
						return
					case 1:
						// The headers and the start of the body, then nothing.
						w.WriteHeader(200)
						fmt.Fprint(w, "[")
						w.(http.Flusher).Flush()
						<-req.Context().Done()
						return
					case 429:
						w.Header().Set("X-RateLimit-Reset", tc.header)
					}
					w.WriteHeader(tc.answers[i])
					fmt.Fprint(w, `{"errors":["bad page"]}`)
					return
				}
				fmt.Fprint(w, `[]`)
			}, live.Options{Timeout: 200 * time.Millisecond, MaxWait: 1500 * time.Millisecond})
			start := time.Now()
			_, err := listMonitors(r)
			if tc.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
			}
			assert.Equal(t, tc.requests, r.Requests())
			assert.GreaterOrEqual(t, time.Since(start), tc.minWait)
		})
	}
}

// A rate limit's reset is waited for, but never longer than MaxWait: a
// server cannot stall the audit for hours.
func TestTransportBoundsTheWait(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	r, _ := server(t, func(w http.ResponseWriter, req *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("X-RateLimit-Reset", "86400")
			w.WriteHeader(429)
			return
		}
		fmt.Fprint(w, `[]`)
	}, live.Options{MaxWait: 20 * time.Millisecond})
	start := time.Now()
	_, err := listMonitors(r)
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestRefusedKeysAreOneLineNamingTheVariablesNeverTheKeys(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403} {
		r, srv := server(t, func(w http.ResponseWriter, req *http.Request) {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"errors":["bad key %s"]}`, req.Header.Get("DD-API-KEY"))
		}, live.Options{})
		_, err := listMonitors(r)
		var refused *live.RefusedError
		require.ErrorAs(t, err, &refused)
		msg := err.Error()
		assert.NotContains(t, msg, "\n")
		assert.Contains(t, msg, "DD_API_KEY and DD_APP_KEY")
		assert.Contains(t, msg, srv.URL+"/")
		assert.NotContains(t, msg, apiKey)
		assert.NotContains(t, msg, appKey)
		assert.Equal(t, 1, r.Requests(), "a refusal is not retried")
	}
}

// The audit only reads: a request that would change anything is never
// sent, whatever calls the client.
func TestTransportSendsOnlyReads(t *testing.T) {
	t.Parallel()
	var got atomic.Int32
	r, _ := server(t, func(w http.ResponseWriter, req *http.Request) {
		got.Add(1)
		fmt.Fprint(w, `{}`)
	}, live.Options{})
	api := datadogV1.NewMonitorsApi(r.Client())
	_, _, err := api.DeleteMonitor(r.Context(), 7)
	require.ErrorIs(t, err, live.ErrNotRead)
	_, _, err = api.CreateMonitor(r.Context(), *datadogV1.NewMonitor("q", datadogV1.MONITORTYPE_QUERY_ALERT))
	require.ErrorIs(t, err, live.ErrNotRead)
	assert.Zero(t, got.Load(), "nothing reached the server")
	assert.Zero(t, r.Requests())
}

func TestHostileAnswers(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body    func(w http.ResponseWriter)
		wantErr string
	}{
		"a body past the bound": {func(w http.ResponseWriter) {
			w.Write([]byte("["))
			chunk := []byte(strings.Repeat(" ", 1<<16))
			for range 64 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than 1 MB"},
		"not JSON":       {func(w http.ResponseWriter) { fmt.Fprint(w, "<html>\x1b[31mmaintenance</html>") }, "GET /api/v1/monitor:"},
		"the wrong JSON": {func(w http.ResponseWriter) { fmt.Fprint(w, `{"monitors": 5}`) }, "GET /api/v1/monitor:"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, _ := server(t, func(w http.ResponseWriter, _ *http.Request) { tc.body(w) }, live.Options{MaxBody: 1 << 20})
			_, err := listMonitors(r)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

// Ctrl-C (the Reader's context ending) ends a request that waits for an
// answer, or for a retry, at once.
func TestCancelEndsAtOnce(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		<-req.Context().Done()
	}))
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	ctx, cancel := context.WithCancel(context.Background())
	r, err := live.New(ctx, srv.URL+"/", live.Credentials{APIKey: apiKey, AppKey: appKey}, live.Options{RootCAs: pool, Timeout: time.Minute})
	require.NoError(t, err)
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = listMonitors(r)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestNewRefusesWhatCannotBeRead(t *testing.T) {
	t.Parallel()
	_, err := live.New(context.Background(), "http://api.datadoghq.com/", live.Credentials{APIKey: "a", AppKey: "b"}, live.Options{})
	assert.ErrorContains(t, err, "https://")
	_, err = live.New(context.Background(), "https://api.datadoghq.com/", live.Credentials{APIKey: "a"}, live.Options{})
	assert.ErrorContains(t, err, "DD_API_KEY and DD_APP_KEY")
}

// Pages reads until a short page, and stops a list that never ends.
func TestPages(t *testing.T) {
	t.Parallel()
	r, _ := server(t, func(http.ResponseWriter, *http.Request) {}, live.Options{MaxObjects: 25})
	id := func(s string) string { return s }
	page := func(n, size int) []string {
		out := []string{}
		for i := range size {
			out = append(out, fmt.Sprint(n*size+i))
		}
		return out
	}
	got, err := live.Pages(r, "GET /x", 10, id, func(n int) ([]string, error) {
		if n == 2 {
			return page(n, 10)[:3], nil
		}
		return page(n, 10), nil
	})
	require.NoError(t, err)
	assert.Len(t, got, 23)

	_, err = live.Pages(r, "GET /x", 10, id, func(n int) ([]string, error) { return page(n, 10), nil })
	assert.EqualError(t, err, "GET /x: lists more than 25 objects; ddstack audit reads at most that many of a type")

	calls := 0
	_, err = live.Pages(r, "GET /x", 10, id, func(int) ([]string, error) { calls++; return page(0, 10), nil })
	assert.ErrorContains(t, err, "GET /x: answered a page mostly of objects it had listed already")
	assert.Equal(t, 2, calls)

	// A page that repeats nine of ten and adds one would be read for as
	// long as the endpoint likes.
	calls = 0
	_, err = live.Pages(r, "GET /x", 10, id, func(n int) ([]string, error) {
		calls++
		return append(page(0, 10)[:9], fmt.Sprint("new-", n)), nil
	})
	assert.ErrorContains(t, err, "mostly of objects it had listed already")
	assert.Equal(t, 2, calls)

	_, err = live.Pages(r, "GET /x", 10, id, func(int) ([]string, error) { return nil, errors.New("boom") })
	assert.EqualError(t, err, "GET /x: boom")
}
