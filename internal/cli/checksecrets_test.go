package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A test's secret reaches the endpoint as Datadog would send it, from the
// environment variable DDSTACK_SECRET_<NAME>, and never reaches the output,
// not even a part of it, when the endpoint echoes it back in a failure.
func TestCheckFillsInSecretsAndNeverShowsThem(t *testing.T) {
	const token = "s3cr3t-t0ken-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
		}
		// The token starts near where a failure's excerpt of the body
		// is cut: no part of it may show.
		fmt.Fprintf(w, "%s you sent %s and \x1b]0;owned\a", strings.Repeat("x", 95), r.Header.Get("Authorization"))
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

	t.Setenv("HUD_TOKEN", "not-this-one")
	t.Setenv("DDSTACK_SECRET_HUD_TOKEN", token)
	code, stdout, stderr := run("check", "--cwd", stack, "--no-retry")
	assert.Equal(t, ExitError, code, "the body assertion fails: %s%s", stdout, stderr)
	assert.NotContains(t, stdout, "statusCode", "the endpoint got the token")
	assert.NotContains(t, stdout+stderr, "s3cr3t", "the value is never shown, nor a part of it")
	assert.Contains(t, stdout, "you sent Bearer [secret]")
	assert.NotContains(t, stdout, "\x1b", "what a server sends is not acted on by the terminal")

	t.Setenv("DDSTACK_SECRET_HUD_TOKEN", "")
	code, stdout, stderr = run("check", "--cwd", stack, "--no-retry")
	assert.Equal(t, ExitError, code)
	assert.Contains(t, stderr, "synthetics.api: not run: it needs secrets.hud-token (export DDSTACK_SECRET_HUD_TOKEN, or set it in the stack: pulumi config set --secret --path 'secrets.hud-token' <value>)")
	assert.NotContains(t, stdout, "API Check")
}
