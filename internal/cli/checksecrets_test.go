package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A test's secret reaches the endpoint as Datadog would send it, from the
// environment variable of its name, and never reaches the output, even
// when the endpoint echoes it back in a failure.
func TestCheckFillsInSecretsAndNeverShowsThem(t *testing.T) {
	const token = "s3cr3t-t0ken-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
		}
		fmt.Fprintf(w, "you sent %s", r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	stack := stackDir(t, fmt.Sprintf(header+`  pytorch-datadog:users:
    jane: {email: jane@example.org, roles: [Datadog Admin Role]}
  pytorch-datadog:synthetics:
    api:
      name: API Check
      url: %s/
      headers: {Authorization: "Bearer {{ HUD_TOKEN }}"}
      assertions: [{type: statusCode, operator: is, target: 200}, {type: body, operator: contains, target: nothing like this}]
      message: m
`, srv.URL))

	t.Setenv("HUD_TOKEN", token)
	code, stdout, stderr := run("check", "--cwd", stack, "--no-retry")
	assert.Equal(t, ExitError, code, "the body assertion fails: %s%s", stdout, stderr)
	assert.NotContains(t, stdout, "statusCode", "the endpoint got the token")
	assert.NotContains(t, stdout+stderr, token, "the value is never shown")
	assert.Contains(t, stdout, "you sent Bearer [secret]")

	t.Setenv("HUD_TOKEN", "")
	code, stdout, stderr = run("check", "--cwd", stack, "--no-retry")
	assert.Equal(t, ExitError, code)
	assert.Contains(t, stderr, "synthetics.api: not run: it needs secrets.hud-token (export HUD_TOKEN, or set it in the stack: pulumi config set --secret --path 'secrets.hud-token' <value>)")
	assert.NotContains(t, stdout, "API Check")
}
