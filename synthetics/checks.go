package synthetics

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// urlRule: a test requests an http or https address.
var urlRule = kit.URLRule{
	Schemes:   []string{"http", "https"},
	Example:   "https://pytorch.org",
	Secret:    "a {{ NAME }} variable from secrets",
	Variables: configVariable,
}

// configVariable is a Datadog config variable in a test's request:
// {{ NAME }}. A URL is checked with each replaced by a plain word, so that
// a variable may stand for a part of it.
var configVariable = regexp.MustCompile(`\{\{\s*[A-Za-z0-9_]+\s*\}\}`)

// checkSSLHost reports an SSL test's host that is not a host name or an
// IP address.
func checkSSLHost(p *kit.Problems, path, s string) {
	switch {
	case strings.TrimSpace(s) == "":
		p.Add(path, "is empty; write the host whose certificate is checked, such as discuss.pytorch.org")
	case strings.ContainsAny(s, "/:"):
		p.Add(path, "%q is not a host name such as discuss.pytorch.org: write the host alone, without scheme, port or path (the port is its own field)", s)
	default:
		if problem := kit.HostProblem(s); problem != "" {
			p.Add(path, "%s; write a host name such as discuss.pytorch.org", problem)
		}
	}
}

// checkHeaders reports request headers whose name is not an HTTP token or
// whose value holds a line break or another control character, which would
// end the header and start another. Values are never shown: a header may
// carry a credential.
func checkHeaders(p *kit.Problems, path string, headers map[string]string) {
	for _, name := range kit.SortedKeys(headers) {
		hp := path + "." + name
		if !kit.IsHeaderName(name) {
			p.Add(hp, "%q is not an HTTP header name: letters, digits and !#$%%&'*+-.^_`|~ only, no spaces, colons or line breaks", name)
			continue
		}
		v := headers[name]
		if i := strings.IndexFunc(v, func(r rune) bool { return r != '\t' && kit.Unsafe(r) }); i >= 0 {
			p.Add(hp, "holds a control or invisible character at byte %d (the value is not shown); a header value is one line of text", i)
		}
	}
}

// Queue thresholds, in hours. Why these: a shorter wait than a quarter of
// an hour is routine while an autoscaled runner boots, and the test runs
// only every five minutes; GitHub cancels a job that has waited 24 hours
// for a runner, so a longer threshold could never trip.
const (
	minThresholdHours = 0.25
	maxThresholdHours = 24
)

// thresholdSeconds decodes a queue threshold in hours and returns it in
// whole seconds, as the script compares waits (rounded to the second). A
// number beyond a float64's range (1e400) is out of range too, not "not a
// number".
func thresholdSeconds(p *kit.Problems, path string, v any) (int, bool) {
	n, isNum := v.(json.Number)
	if !isNum {
		var ignored float64
		p.Number(path, v, &ignored)
		return 0, false
	}
	hours, err := strconv.ParseFloat(n.String(), 64)
	shown := strconv.FormatFloat(hours, 'g', -1, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		shown = n.String()
	case err != nil:
		p.Add(path, "must be a number, got %s", kit.Describe(v))
		return 0, false
	}
	if math.IsNaN(hours) || hours < minThresholdHours || hours > maxThresholdHours {
		p.Add(path, "must be from %s to %s hours, got %s: a queue wait under a quarter of an hour is routine while a runner boots, and GitHub cancels a job after 24 hours waiting",
			kit.FormatNumber(minThresholdHours), kit.FormatNumber(maxThresholdHours), shown)
		return 0, false
	}
	return int(math.Round(hours * 3600)), true
}

// checkScript reports a JavaScript assertion that does nothing: no
// statement but comments and empty ones. Such a script passes whatever the
// response, so the test could never fail. It says whether the script has a
// statement; a script that does not parse is left to the compiler's
// message.
func checkScript(p *kit.Problems, path, code string) bool {
	prog, err := parser.ParseFile(nil, "assertion.js", code, 0)
	if err != nil {
		return true
	}
	for _, st := range prog.Body {
		if _, empty := st.(*ast.EmptyStatement); !empty {
			return true
		}
	}
	p.Add(path, "has no statement, only comments or spaces; a script that does nothing passes whatever the response: write the check, such as dd.expect(dd.response.statusCode).to.equal(200)")
	return false
}

// indexedStrings returns the string items of a list with their own
// indexes, so that a problem with one names its place even when an item
// before it is not a string.
func indexedStrings(v any) map[int]string {
	out := map[int]string{}
	list, _ := v.([]any)
	for i, item := range list {
		if s, ok := item.(string); ok {
			out[i] = s
		}
	}
	return out
}
