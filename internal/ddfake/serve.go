package ddfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
)

// serve answers one request: it records it, checks its keys, waits the
// Latency, answers the fault queued for its path if any, and else the
// organisation's answer. The order is Datadog's as a client sees it: a
// refused key is refused whatever else is wrong, and a fault stands for
// anything Datadog may answer, a 405 included.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.record(r)
	f.mu.Lock()
	apiKey, appKey, latency := f.APIKey, f.AppKey, f.Latency
	f.mu.Unlock()
	if r.Header.Get("DD-API-KEY") != apiKey || r.Header.Get("DD-APPLICATION-KEY") != appKey {
		writeJSON(w, http.StatusForbidden, errorsBody("Forbidden"))
		return
	}
	if !f.wait(r.Context(), latency) {
		return
	}
	if fault, ok := f.nextFault(r.URL.Path); ok && f.answerFault(w, r, fault) {
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, errorsBody("Method Not Allowed"))
		return
	}
	// The answer is encoded under the lock: its pages share the
	// organisation's slices, which a test may change once it is released.
	f.mu.Lock()
	status, body := f.route(r)
	f.mu.Unlock()
	writeJSON(w, status, body)
}

// wait sleeps d, unless the request ends first (false) or the server
// closes (the connection is dropped).
func (f *Fake) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-f.done:
		panic(http.ErrAbortHandler)
	}
}

// answerFault answers with fault, or only adds its headers and returns
// false for the normal answer to follow.
func (f *Fake) answerFault(w http.ResponseWriter, r *http.Request, fault Fault) bool {
	for k, v := range fault.Header {
		w.Header().Set(k, v)
	}
	switch {
	case fault.Hang:
		select {
		case <-r.Context().Done():
		case <-f.done:
			// Returning would send an empty 200; dropping the connection
			// is what a server that never answers looks like when it
			// goes away.
			panic(http.ErrAbortHandler)
		}
	case fault.Status != 0:
		writeJSON(w, fault.Status, []byte(fault.Body))
	case fault.Size > 0:
		f.writeHuge(w, r, fault.Size)
	case fault.Body != "":
		writeJSON(w, http.StatusOK, []byte(fault.Body))
	default:
		return false
	}
	return true
}

// writeHuge streams a 200 of size bytes, "[" then spaces, a chunk at a
// time: a client that bounds what it reads hangs up long before the end,
// and the Fake never holds the whole answer.
func (f *Fake) writeHuge(w http.ResponseWriter, r *http.Request, size int) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(size))
	w.WriteHeader(http.StatusOK)
	chunk := []byte(strings.Repeat(" ", 32<<10))
	chunk[0] = '['
	for left := size; left > 0; {
		select {
		case <-r.Context().Done():
			return
		case <-f.done:
			panic(http.ErrAbortHandler)
		default:
		}
		n := min(left, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		chunk[0] = ' '
		left -= n
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorsBody is Datadog's error answer: {"errors":["..."]}.
func errorsBody(msgs ...string) []byte {
	b, _ := json.Marshal(map[string][]string{"errors": msgs})
	return b
}

// encode is the answer's JSON, by the client's own encoder and the
// models' MarshalJSON.
func encode(v any) (int, []byte) {
	b, err := datadog.Marshal(v)
	if err != nil {
		return http.StatusInternalServerError, errorsBody("ddfake: " + err.Error())
	}
	return http.StatusOK, b
}

func badRequest(format string, args ...any) (int, []byte) {
	return http.StatusBadRequest, errorsBody(fmt.Sprintf(format, args...))
}

func notFound(format string, args ...any) (int, []byte) {
	return http.StatusNotFound, errorsBody(fmt.Sprintf(format, args...))
}

// Paths of the endpoints with a parameter in them.
const (
	slackPrefix     = "/api/v1/integration/slack/configuration/accounts/"
	slackSuffix     = "/channels"
	webhookPrefix   = "/api/v1/integration/webhooks/configuration/webhooks/"
	dashboardPrefix = "/api/v1/dashboard/"
)

// route is the organisation's answer to a GET; f.mu is held.
func (f *Fake) route(r *http.Request) (int, []byte) {
	q := r.URL.Query()
	path := r.URL.Path
	switch path {
	case "/api/v2/users":
		return f.listUsers(q)
	case "/api/v2/roles":
		return f.listRoles(q)
	case "/api/v2/permissions":
		return f.listPermissions()
	case "/api/v2/team":
		return f.listTeams(q)
	case "/api/v1/monitor":
		return f.listMonitors(q)
	case "/api/v1/synthetics/tests":
		return f.listTests(q)
	case "/api/v1/dashboard":
		return f.listDashboards(q)
	case "/api/v2/integration/aws/accounts":
		return f.listAWSAccounts(q)
	}
	switch {
	case strings.HasPrefix(path, slackPrefix) && strings.HasSuffix(path, slackSuffix) &&
		len(path) > len(slackPrefix)+len(slackSuffix):
		return f.slackChannels(strings.TrimSuffix(strings.TrimPrefix(path, slackPrefix), slackSuffix))
	case strings.HasPrefix(path, webhookPrefix) && len(path) > len(webhookPrefix):
		return f.webhook(strings.TrimPrefix(path, webhookPrefix))
	case strings.HasPrefix(path, dashboardPrefix) && len(path) > len(dashboardPrefix):
		return f.dashboard(strings.TrimPrefix(path, dashboardPrefix))
	}
	return notFound("ddfake: no endpoint %s", path)
}

// param reads an integer query parameter: def when absent, a 400's
// message when it is not a whole number within [lo, hi] (hi < 0: no
// bound).
func param(q map[string][]string, name string, def, lo, hi int) (int, string) {
	vs, ok := q[name]
	if !ok || len(vs) == 0 {
		return def, ""
	}
	n, err := strconv.Atoi(vs[0])
	switch {
	case err != nil:
		return 0, fmt.Sprintf("%s: %q is not a whole number", name, vs[0])
	case n < lo:
		return 0, fmt.Sprintf("%s must be at least %d", name, lo)
	case hi >= 0 && n > hi:
		return 0, fmt.Sprintf("%s must be at most %d", name, hi)
	}
	return n, ""
}

// window is the part [lo, hi) of a list of n objects that a page of size
// objects numbered number (from 0) covers.
func window(n, number, size int) (lo, hi int) {
	if size <= 0 || number > n/size {
		return n, n
	}
	return offsetWindow(n, number*size, size)
}

// offsetWindow is the part of a list of n objects that count objects from
// offset cover.
func offsetWindow(n, offset, count int) (lo, hi int) {
	lo = min(offset, n)
	return lo, lo + min(count, n-lo)
}
