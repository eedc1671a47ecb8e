package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/audit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// production is the fake seeded with PyTorch's organisation (the
// Terraform state of testdata/tfstate).
func production(t testing.TB) *ddfake.Fake {
	return ddfake.Production(t, program.TerraformTypes())
}

// count is how many objects of each type Datadog was found to have.
func count(l audit.Lists) map[string]int {
	out := map[string]int{}
	for i, t := range program.Types {
		out[t.Section] = len(l[i].List.Objects)
	}
	return out
}

func TestReadsEveryTypeOfTheOrganisation(t *testing.T) {
	t.Parallel()
	f := production(t)
	cfg := fixture(t)
	lists, err := audit.Read(f.Reader(t), cfg)
	require.NoError(t, err)
	got := count(lists)
	for _, section := range []string{"roles", "users", "teams", "monitors", "synthetics", "dashboards", "awsAccounts"} {
		assert.Positive(t, got[section], section)
	}
	for _, r := range f.Requests() {
		assert.Equal(t, "GET", r.Method, "%s: the audit only reads", r.Path)
	}
}

// Every list endpoint is read at its own page size, to its end, each
// page once: the requests are the pages needed.
func TestReadsLargeOrganisationsPageByPage(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Generate(2_050, 2_100, 230, 120)
	lists, err := audit.Read(f.Reader(t), fixture(t))
	require.NoError(t, err)
	got := count(lists)
	assert.Equal(t, 2_050, got["users"])
	assert.Equal(t, 2_100, got["monitors"])
	assert.Equal(t, 230, got["synthetics"])
	assert.Equal(t, 120, got["dashboards"])

	pages := map[string]int{}
	for _, r := range f.Requests() {
		pages[r.Path]++
	}
	assert.Equal(t, 21, pages["/api/v2/users"], "20 full pages of 100 and one of 50")
	assert.Equal(t, 3, pages["/api/v1/monitor"], "pages of 1,000")
	assert.Equal(t, 3, pages["/api/v1/synthetics/tests"], "pages of 100")
	assert.Equal(t, 2, pages["/api/v1/dashboard"], "pages of 100")
}

func TestRetriesAndFailures(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		path    string
		faults  []ddfake.Fault
		timeout time.Duration
		wantErr string
	}{
		"a rate limit is waited for": {path: "/api/v2/users", faults: []ddfake.Fault{
			{Status: 429, Header: map[string]string{"X-RateLimit-Reset": "0"}}, {Status: 429}}},
		"a 5xx is retried":             {path: "/api/v1/monitor", faults: []ddfake.Fault{{Status: 502}, {Status: 503}}},
		"a lasting 5xx names its type": {path: "/api/v1/monitor", faults: []ddfake.Fault{{Status: 500}, {Status: 500}, {Status: 500}, {Status: 500}}, wantErr: "monitors: GET /api/v1/monitor: 500 Internal Server Error, after 4 attempts"},
		"an endpoint that never answers": {path: "/api/v1/dashboard", faults: []ddfake.Fault{{Hang: true}, {Hang: true}, {Hang: true}, {Hang: true}}, timeout: 300 * time.Millisecond,
			wantErr: "dashboards: GET /api/v1/dashboard: no answer within"},
		"malformed JSON":       {path: "/api/v2/team", faults: []ddfake.Fault{{Body: `{"data": [{"id": 5`}}, wantErr: "teams: GET /api/v2/team:"},
		"null where a list is": {path: "/api/v2/users", faults: []ddfake.Fault{{Body: "null"}}, wantErr: "users: GET /api/v2/users: answered nothing (an empty body or null)"},
		"an object where a list is": {path: "/api/v2/users", faults: []ddfake.Fault{{Body: `{"data": {"id": "x"}}`}},
			wantErr: "users: GET /api/v2/users: answered in a form Datadog's client cannot read"},
		"a list of the wrong things": {path: "/api/v1/synthetics/tests", faults: []ddfake.Fault{{Body: `{"tests": {"a": 1}}`}},
			wantErr: "synthetics: GET /api/v1/synthetics/tests: answered in a form Datadog's client cannot read"},
		"too many values": {path: "/api/v2/team", faults: []ddfake.Fault{{Body: `{"data": [], "x": [` + strings.Repeat(`{"a":1},`, 600_000) + `1]}`}},
			wantErr: "teams: GET /api/v2/team: the answer holds more than 500000 JSON values"},
		"a key echoed back": {path: "/api/v1/monitor", faults: []ddfake.Fault{{Status: 400, Body: `{"errors": ["bad key ` + ddfake.DefaultAPIKey + `"]}`}},
			wantErr: `monitors: GET /api/v1/monitor: 400 Bad Request (answer: {"errors": ["bad key [secret]"]})`},
		"a huge answer": {path: "/api/v1/synthetics/tests", faults: []ddfake.Fault{{Size: 20 << 20}}, timeout: time.Minute, wantErr: "synthetics: GET /api/v1/synthetics/tests: the answer is larger than 16 MB"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := production(t)
			f.Fault(tc.path, tc.faults...)
			o := f.Options()
			// Long enough for a loaded machine; the endpoint that never
			// answers waits for less.
			o.Timeout = 10 * time.Second
			if tc.timeout != 0 {
				o.Timeout = tc.timeout
			}
			r, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, o)
			require.NoError(t, err)
			_, err = audit.Read(r, fixture(t))
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestRefusedKeysAreToldOnce(t *testing.T) {
	t.Parallel()
	f := production(t)
	r, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: "wrong-app-key-4242"}, f.Options())
	require.NoError(t, err)
	_, err = audit.Read(r, fixture(t))
	var refused *live.RefusedError
	require.ErrorAs(t, err, &refused)
	assert.NotContains(t, err.Error(), "\n", "one line, not one per type")
	assert.NotContains(t, err.Error(), "wrong-app-key-4242")
}

func TestInterruptEndsTheRead(t *testing.T) {
	t.Parallel()
	f := production(t)
	f.Fault("/api/v2/users", ddfake.Fault{Hang: true})
	ctx, cancel := context.WithCancel(context.Background())
	o := f.Options()
	o.Timeout = time.Minute
	r, err := live.New(ctx, f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, o)
	require.NoError(t, err)
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = audit.Read(r, fixture(t))
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second)
}

// BenchmarkAuditLargeOrganisation reads an organisation far larger than
// PyTorch's (20,000 users, 5,000 monitors, 1,000 tests, 500 dashboards)
// from the fake, each answer 20 ms late, and compares it with the
// production stack's fixture: the wall time of one audit and the
// requests it sends.
func BenchmarkAuditLargeOrganisation(b *testing.B) {
	f := production(b)
	f.Generate(20_000, 5_000, 1_000, 500)
	f.Latency = 20 * time.Millisecond
	cfg := fixture(b)
	var requests int
	for b.Loop() {
		r := f.Reader(b)
		lists, err := audit.Read(r, cfg)
		if err != nil {
			b.Fatal(err)
		}
		a := audit.Compare(lists, cfg, nil, r.Site, r.Requests())
		requests = a.Requests
	}
	b.ReportMetric(float64(requests), "requests/op")
}
