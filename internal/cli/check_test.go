package cli

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/check"
	"github.com/pytorch-fdn/pytorch-datadog/internal/testcert"
)

// selfCA writes a CA's PEM to dir and returns a certificate it signed for
// host, valid for the given time.
func selfCA(t *testing.T, dir, host string, valid time.Duration) (string, tls.Certificate) {
	t.Helper()
	ca := testcert.New(t, host, valid)
	path := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(path, ca.PEM, 0o644))
	return path, ca.Leaf
}

func port(t *testing.T, srv *httptest.Server) string {
	_, p, err := net.SplitHostPort(srv.Listener.Addr().String())
	require.NoError(t, err)
	return p
}

func TestCheck(t *testing.T) {
	t.Parallel()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "www.example.test:"+r.Host[strings.LastIndex(r.Host, ":")+1:], r.Host, "the Host header is kept")
		switch r.URL.Path {
		case "/docs":
			w.Header().Set("Server", "nginx")
			w.Header().Set("Location", "https://docs.example.test/docs")
			w.WriteHeader(http.StatusMovedPermanently)
		default:
			fmt.Fprint(w, "Install PyTorch")
		}
	}))
	defer site.Close()
	dir := t.TempDir()
	caFile, cert := selfCA(t, dir, "discuss.example.test", 5*24*time.Hour)
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	tlsSrv.StartTLS()
	defer tlsSrv.Close()

	sp, tp := port(t, site), port(t, tlsSrv)
	stack := stackDir(t, fmt.Sprintf(header+`  pytorch-datadog:users:
    jane: {email: jane@example.org, roles: [Datadog Admin Role]}
  pytorch-datadog:synthetics:
    www:
      name: www Check
      url: http://www.example.test:%[1]s/
      assertions: [{type: statusCode, operator: is, target: 200}, {type: body, operator: contains, target: Install PyTorch}]
      message: m
    www-redirect:
      name: www redirect Check
      url: http://www.example.test:%[1]s/docs
      assertions:
        - {type: statusCode, operator: is, target: 301}
        - {type: header, property: location, operator: is, target: "https://docs.example.test/docs"}
        - {type: header, property: server, operator: is, target: nginx}
      message: m
    cert:
      name: Certificate Check
      kind: ssl
      host: discuss.example.test
      port: %[2]s
      assertions: [{type: certificate, operator: isInMoreThan, target: 14}]
      message: m
`, sp, tp))
	resolve := []string{"--resolve", "www.example.test:" + sp + ":127.0.0.1", "--resolve", "discuss.example.test:" + tp + ":127.0.0.1", "--cacert", caFile}

	code, stdout, stderr := run(append([]string{"check", "--cwd", stack, "--no-retry", "www*"}, resolve...)...)
	assert.Equal(t, ExitOK, code, stderr+stdout)
	assert.Regexp(t, `(?m)^✓ www  www Check  \d+ms$`, stdout)
	assert.Regexp(t, `(?m)^✓ www-redirect  www redirect Check`, stdout, "a 301 not followed")
	assert.Contains(t, stdout, "2 passed, 0 failed")
	assert.NotContains(t, stdout, "cert", "only the selected tests run")

	code, stdout, _ = run(append([]string{"check", "--cwd", stack, "--no-retry"}, resolve...)...)
	assert.Equal(t, ExitError, code, "a failed test")
	assert.Contains(t, stdout, "✗ cert  Certificate Check")
	assert.Contains(t, stdout, "    certificate isInMoreThan 14 days: expires in 5.0 days")
	assert.Contains(t, stdout, "2 passed, 1 failed")

	code, stdout, _ = run(append([]string{"check", "--cwd", stack, "--no-retry", "--json", "--grep", "^Certificate"}, resolve...)...)
	assert.Equal(t, ExitError, code)
	var doc struct {
		Tests []struct {
			Key      string
			Passed   bool
			Failures []string
		}
		Passed, Failed int
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	require.Len(t, doc.Tests, 1)
	assert.Equal(t, "cert", doc.Tests[0].Key)
	assert.Equal(t, 1, doc.Failed)

	code, _, stderr = run("check", "--cwd", stack, "nope-*")
	assert.Equal(t, ExitInvalid, code, "a selection that matches nothing")
	assert.Contains(t, stderr, `no synthetics test matches "nope-*"`)

	code, _, _ = run("check", "--cwd", stack, "--resolve", "bad")
	assert.Equal(t, ExitInvalid, code)

	broken := stackDir(t, header+"  pytorch-datadog:users: {}\n")
	code, stdout, _ = run("check", "--cwd", broken)
	assert.Equal(t, ExitInvalid, code, "a config error is 2, not a failed test")
	assert.Empty(t, stdout)
}

// TestCheckStatus: an interrupt is 130 whatever the tests it stopped
// reported, a script error 2 before a failed test's 1.
func TestCheckStatus(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	passed := check.Result{Passed: true}
	failed := check.Result{Failures: []string{"statusCode is 200: got 500"}}
	scriptErr := check.Result{ScriptError: "javascript assertion: SyntaxError", Failures: []string{"x"}}
	stopped := check.Result{Cancelled: true, Failures: []string{"CANCELLED: javascript assertion"}}
	for name, tc := range map[string]struct {
		ctx     context.Context
		results []check.Result
		want    int
	}{
		"all passed":                   {context.Background(), []check.Result{passed, passed}, ExitOK},
		"a failure":                    {context.Background(), []check.Result{passed, failed}, ExitError},
		"a script error":               {context.Background(), []check.Result{failed, scriptErr}, ExitInvalid},
		"interrupted":                  {cancelled, []check.Result{passed, stopped}, ExitInterrupted},
		"interrupted, a script error":  {cancelled, []check.Result{scriptErr, stopped}, ExitInterrupted},
		"interrupted after all passed": {cancelled, []check.Result{passed}, ExitInterrupted},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, checkStatus(tc.ctx, tc.results))
		})
	}
}
