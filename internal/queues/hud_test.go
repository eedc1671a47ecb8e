package queues

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseHistory(t *testing.T) {
	t.Parallel()
	rows, err := ParseHistory(readFixture(t, "history.json"))
	require.NoError(t, err)
	assert.Len(t, rows, 211)
	assert.Equal(t, Row{at(0), "linux.2xlarge", 1200}, rows[0])
	assert.Equal(t, at(2), rows[20].Bucket, "2026-08-01 02:00:00: UTC")

	for _, bucket := range []string{"2026-08-21T15:00:00.000Z", "2026-08-21T15:00:00Z", "2026-08-21T15:00:00", "2026-08-21 15:00:00",
		"2026-08-21T15:00:00.000", "2026-08-21 15:00:00.000", "2026-08-21T17:00:00+02:00"} {
		got, err := ParseBucket(bucket)
		require.NoError(t, err, bucket)
		assert.Equal(t, time.Date(2026, 8, 21, 15, 0, 0, 0, time.UTC), got, bucket)
	}

	rows, err = ParseHistory([]byte(`[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": "1234.5", "count": 7}]`))
	require.NoError(t, err, "a quoted number, and other keys, are fine")
	assert.Equal(t, 1234.5, rows[0].AvgQueueS)
	rows, err = ParseHistory([]byte(" []\n"))
	require.NoError(t, err)
	assert.Empty(t, rows)

	bad := map[string]struct{ data, want string }{
		"a row without avg_queue_s": {string(readFixture(t, "history-no-wait.json")), "row 1 has no avg_queue_s"},
		"an error object":           {string(readFixture(t, "history-error.json")), "it is an error, not a list of rows: Query queue_times_historical failed"},
		"cut":                       {string(readFixture(t, "history-truncated.json")), `it is not JSON: [{"granularity_bucket"`},
		"HTML":                      {string(readFixture(t, "bot-page.html")), `it is HTML, not JSON: a bot-protection or error page? (page title "Just a moment...")`},
		"an object":                 {`{"rows": []}`, "it is a JSON object, not a list of rows {granularity_bucket, machine_type, avg_queue_s}"},
		"a number":                  {`42`, "it is a JSON value, not a list of rows"},
		"empty":                     {``, "it is empty, not JSON"},
		"rows that are not objects": {`[1, 2]`, "it is not a list of rows {granularity_bucket, machine_type, avg_queue_s}"},
		"no bucket":                 {`[{"machine_type": "a", "avg_queue_s": 1}]`, "row 0 has no granularity_bucket"},
		"no machine type":           {`[{"granularity_bucket": "2026-08-01T00:00:00Z", "avg_queue_s": 1}]`, "row 0 has no machine_type"},
		"a null wait":               {`[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": null}]`, "row 0 has no avg_queue_s"},
		"a wait that is a word":     {`[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": "long"}]`, "avg_queue_s"},
		"a wait that is a boolean":  {`[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": true}]`, "a row's avg_queue_s is a JSON bool"},
		"a machine type number":     {`[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": 3, "avg_queue_s": 1}]`, "a row's machine_type is a JSON number"},
		"a bad bucket":              {`[{"granularity_bucket": "yesterday", "machine_type": "a", "avg_queue_s": 1}]`, `row 0: granularity_bucket "yesterday" is not an ISO time`},
	}
	for name, tc := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseHistory([]byte(tc.data))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestParseTypes(t *testing.T) {
	t.Parallel()
	want := fixtureTypes()
	for _, name := range []string{"types.json", "types-strings.json"} {
		got, err := ParseTypes(readFixture(t, name))
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
	got, err := ParseTypes(readFixture(t, "types.txt"))
	require.NoError(t, err)
	assert.Equal(t, append(fixtureTypes(), "linux.4xlarge"), got, "comments and blank lines skipped, spaces trimmed")

	got, err = ParseTypes([]byte(`[{"machine_type": "a", "count": 3}, "b"]`))
	require.NoError(t, err, "mixed rows")
	assert.Equal(t, []string{"a", "b"}, got)

	for data, want := range map[string]string{
		`[{"label": "a"}]`:                      `row 0 has no machine_type: {"label": "a"}`,
		`[3]`:                                   "row 0 has no machine_type",
		`{"machine_type": "a"}`:                 "it is a JSON object, not a list of rows",
		"# nothing\n\n":                         "it lists no machine type",
		string(readFixture(t, "bot-page.html")): `it is HTML, not a list of machine types (page title "Just a moment...")`,
	} {
		_, err := ParseTypes([]byte(data))
		assert.ErrorContains(t, err, want, data)
	}
}

// hud serves HUD's two endpoints from fixtures, and records the parameters
// it was asked.
func hud(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(handler))
	t.Cleanup(srv.Close)
	return srv
}

func TestHUD(t *testing.T) {
	t.Parallel()
	var asked []string
	srv := hud(t, func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path+" "+r.URL.Query().Get("parameters"))
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/clickhouse/all_machine_types":
			w.Write(readFixture(t, "types.json"))
		case "/api/clickhouse/queue_times_historical":
			w.Write(readFixture(t, "history.json"))
		default:
			http.NotFound(w, r)
		}
	})
	var progress bytes.Buffer
	h := &HUD{Base: srv.URL + "/", Progress: &progress}
	types, err := h.MachineTypes(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fixtureTypes(), types)
	rows, err := h.History(context.Background(), at(0), at(24))
	require.NoError(t, err)
	assert.Len(t, rows, 211)
	assert.Equal(t, []string{
		"/api/clickhouse/all_machine_types {}",
		`/api/clickhouse/queue_times_historical {"granularity":"hour","startTime":"2026-08-01T00:00:00.000","stopTime":"2026-08-02T00:00:00.000"}`,
	}, asked)
	assert.Contains(t, progress.String(), "fetching history from "+srv.URL+"/api/clickhouse/queue_times_historical?parameters=%7B%22granularity%22")
	assert.Contains(t, progress.String(), "(211 rows)")
	assert.Contains(t, progress.String(), ": 10 machine types")
}

func TestHUDErrors(t *testing.T) {
	t.Parallel()
	down := hud(t, func(http.ResponseWriter, *http.Request) {})
	downURL := down.URL
	down.Close()

	page := readFixture(t, "bot-page.html")
	tests := map[string]struct {
		handler func(w http.ResponseWriter, r *http.Request)
		base    string
		timeout time.Duration
		maxBody int64
		want    string
	}{
		"down":                     {base: downURL, want: "cannot reach HUD at " + downURL + "/api/clickhouse/queue_times_historical?parameters="},
		"down, connection refused": {base: downURL, want: "connection refused; is HUD down, or --hud wrong?"},
		"not an address":           {base: "hud.pytorch.org", want: `--hud "hud.pytorch.org" is not an http(s) address`},
		"a bot-protection page, 200": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(page)
			},
			want: `with an HTML page, not JSON: a bot-protection or error page? (page title "Just a moment...")`,
		},
		"a bot-protection page, 403": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusForbidden)
				w.Write(page)
			},
			want: `HUD answered 403 Forbidden for `,
		},
		"an error": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `{"error": "ClickHouse is down"}`)
			},
			want: `HUD answered 500 Internal Server Error for`,
		},
		"JSON of another shape": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				json.NewEncoder(w).Encode([]map[string]any{{"bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1}})
			},
			want: "row 0 has no granularity_bucket",
		},
		"not JSON": {
			handler: func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "upstream connect error") },
			want:    "it is not JSON: upstream connect error",
		},
		"slow": {
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			timeout: 100 * time.Millisecond,
			want:    "HUD did not answer {base}/api/clickhouse/queue_times_historical?parameters=%7B%22granularity%22%3A%22hour%22%2C%22startTime%22%3A%222026-08-01T00%3A00%3A00.000%22%2C%22stopTime%22%3A%222026-08-02T00%3A00%3A00.000%22%7D within 100ms (--timeout)",
		},
		"too large": {
			handler: func(w http.ResponseWriter, _ *http.Request) { w.Write(readFixture(t, "history.json")) },
			maxBody: 1 << 10,
			want:    "is larger than 1024 bytes; it was cut there and not read",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			base := tc.base
			if tc.handler != nil {
				base = hud(t, tc.handler).URL
			}
			h := &HUD{Base: base, Timeout: tc.timeout, MaxBody: tc.maxBody}
			start := time.Now()
			_, err := h.History(context.Background(), at(0), at(24))
			want := tc.want
			want = strings.ReplaceAll(want, "{base}", base)
			assert.ErrorContains(t, err, want)
			assert.Less(t, time.Since(start), 3*time.Second)
		})
	}
}
