package synthetics

// Reading the organisation's synthetics tests (ddstack audit), and writing
// one as a config entry that adopts it (ddstack audit --add). An entry is
// written only when the config can say everything the test says: rendered
// back by New, it gives the test Datadog has, so its adoption changes
// nothing. Anything else is refused with the reason.

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
	"github.com/pytorch-fdn/pytorch-datadog/scripts"
)

// listEndpoint is what List reads.
const listEndpoint = "GET /api/v1/synthetics/tests"

// pageSize is the page List reads at: the size Datadog's own client pages
// this list at.
const pageSize = 100

// List reads every synthetics test of the organisation, a page of
// pageSize at a time (page_number counts from 0). Tests are matched on
// their name.
func List(r *live.Reader) (live.List, error) {
	api := datadogV1.NewSyntheticsApi(r.Client())
	tests, err := live.Pages(r, listEndpoint, pageSize, func(t datadogV1.SyntheticsTestDetailsWithoutSteps) string { return t.GetPublicId() },
		func(page int) ([]datadogV1.SyntheticsTestDetailsWithoutSteps, error) {
			params := datadogV1.NewListTestsOptionalParameters().WithPageSize(pageSize).WithPageNumber(int64(page))
			resp, _, err := api.ListTests(r.Context(), *params)
			return resp.Tests, live.Decoded(resp, err)
		})
	if err != nil {
		return live.List{}, err
	}
	out := live.List{Objects: make([]live.Object, 0, len(tests))}
	for _, t := range tests {
		name := t.GetName()
		out.Objects = append(out.Objects, live.Object{
			ID: t.GetPublicId(), On: name, Name: name, Key: roles.KeyOf(name), Data: t,
		})
	}
	return out, nil
}

// FromAPI turns a test that List found into the config entry that adopts
// it by importId, notifying the stack's channels (key → handle) by key:
// an http or ssl API test, or a queue test when its one assertion is this
// version's queue-check script. Fields equal to the decoder's defaults are
// left out, but `service` is always written, as in the hand-written
// entries (its default is the key, which ddstack audit may change). The
// entry is decoded as the stack will decode it; a test the config cannot
// express exactly is an error saying why, never an entry.
func FromAPI(o live.Object, channels map[string]string) (map[string]any, error) {
	var t datadogV1.SyntheticsTestDetailsWithoutSteps
	switch d := o.Data.(type) {
	case datadogV1.SyntheticsTestDetailsWithoutSteps:
		t = d
	case *datadogV1.SyntheticsTestDetailsWithoutSteps:
		if d == nil {
			return nil, fmt.Errorf("synthetics test %s: no test read", o.ID)
		}
		t = *d
	default:
		return nil, fmt.Errorf("synthetics test %s: holds %T, not a Datadog synthetics test", o.ID, o.Data)
	}
	entry, err := entryOf(o, t, channels)
	if err != nil {
		return nil, fmt.Errorf("synthetics test %s %q cannot be written as config: %w", o.ID, t.GetName(), err)
	}
	return entry, nil
}

// entryOf builds and checks the entry, or says why there is none.
func entryOf(o live.Object, t datadogV1.SyntheticsTestDetailsWithoutSteps, channels map[string]string) (map[string]any, error) {
	if o.ID == "" {
		return nil, errors.New("it has no public id to adopt it by")
	}
	if t.UnparsedObject != nil {
		return nil, errors.New("sent in a form this version of Datadog's client cannot read")
	}
	if typ := t.GetType(); typ != datadogV1.SYNTHETICSTESTDETAILSTYPE_API {
		return nil, fmt.Errorf("it is a %s test; the config writes API tests only", typ)
	}
	subtype := datadogV1.SYNTHETICSTESTDETAILSSUBTYPE_HTTP
	if s, ok := t.GetSubtypeOk(); ok {
		subtype = *s
	}
	if subtype != datadogV1.SYNTHETICSTESTDETAILSSUBTYPE_HTTP && subtype != datadogV1.SYNTHETICSTESTDETAILSSUBTYPE_SSL {
		return nil, fmt.Errorf("it is an API test of subtype %q; the config writes http tests (kinds http and queue) and ssl tests", subtype)
	}
	cfg, opts := t.GetConfig(), t.GetOptions()
	req := cfg.GetRequest()
	switch {
	case cfg.UnparsedObject != nil, req.UnparsedObject != nil, opts.UnparsedObject != nil:
		return nil, errors.New("sent in a form this version of Datadog's client cannot read")
	case !cfg.HasRequest():
		return nil, errors.New("it has no request")
	}
	kind := HTTP
	if subtype == datadogV1.SYNTHETICSTESTDETAILSSUBTYPE_SSL {
		kind = SSL
	}

	assertions, queue, err := assertionsOf(cfg.Assertions)
	if err != nil {
		return nil, err
	}
	if queue != nil {
		if kind != HTTP {
			return nil, errors.New("its assertion is the queue-check script, but it is an ssl test")
		}
		kind = Queue
	}
	if unset := unexpressed(t.GetName(), kind, cfg, req, opts); len(unset) > 0 {
		return nil, fmt.Errorf("it sets %s, which the config has no field for", strings.Join(unset, ", "))
	}
	variables, err := variablesOf(cfg.ConfigVariables)
	if err != nil {
		return nil, err
	}

	entry := map[string]any{"name": t.GetName()}
	if kind != HTTP {
		entry["kind"] = kind
	}
	switch kind {
	case SSL:
		port, err := portOf(req)
		if err != nil {
			return nil, err
		}
		entry["host"] = req.GetHost()
		if port != 443 {
			entry["port"] = port
		}
	default:
		if kind == HTTP || req.GetUrl() != HUDQueueURL {
			entry["url"] = req.GetUrl()
		}
		if n, ok := req.GetTimeoutOk(); ok && *n != DatadogTimeoutSeconds {
			if *n != float64(int(*n)) {
				return nil, fmt.Errorf("its request timeout (%s s) is not a whole number of seconds", kit.FormatNumber(*n))
			}
			entry["timeoutSeconds"] = int(*n)
		}
	}
	if kind == Queue {
		// A queue test requests HUD with GET and nothing else.
		for field, set := range map[string]bool{
			"a method other than GET": req.GetMethod() != "" && req.GetMethod() != "GET",
			"request headers":         len(req.Headers) > 0,
			"a request body":          req.GetBody() != "",
			"follow_redirects":        opts.GetFollowRedirects(),
		} {
			if set {
				return nil, fmt.Errorf("it runs the queue-check script with %s, which a queue test does not take", field)
			}
		}
		entry["queue"] = queue
	} else {
		entry["assertions"] = assertions
	}
	if kind == HTTP {
		if m := req.GetMethod(); m != "" && m != "GET" {
			entry["method"] = m
		}
		if len(req.Headers) > 0 {
			headers := map[string]any{}
			for k, v := range req.Headers {
				headers[k] = v
			}
			entry["headers"] = headers
		}
		if b := req.GetBody(); b != "" {
			entry["body"] = b
		}
		if opts.GetFollowRedirects() {
			entry["followRedirects"] = true
		}
	}

	text, notify, err := messageOf(t.GetMessage(), channels)
	if err != nil {
		return nil, err
	}
	entry["message"] = text
	if len(notify) > 0 {
		entry["notify"] = notify
	}
	service, tags, err := tagsOf(t.Tags)
	if err != nil {
		return nil, err
	}
	entry["service"] = service
	if len(tags) > 0 {
		entry["tags"] = tags
	}
	if !slices.Equal(t.Locations, DefaultLocations) {
		entry["locations"] = live.Strings(t.Locations)
	}
	if t.GetStatus() == datadogV1.SYNTHETICSTESTPAUSESTATUS_PAUSED {
		entry["status"] = "paused"
	}
	tick, ok := opts.GetTickEveryOk()
	if !ok {
		return nil, errors.New("it has no tick_every")
	}
	if *tick != DefaultTickEvery {
		entry["tickEvery"] = int(*tick)
	}
	if retry, err := retryOf(opts); err != nil {
		return nil, err
	} else if retry != nil {
		entry["retry"] = retry
	}
	if n := opts.GetMinFailureDuration(); n != 0 {
		entry["minFailureDuration"] = int(n)
	}
	entry["importId"] = o.ID

	// The entry must decode as it will in the stack.
	section, err := kit.DecodeEntry(o.Key, entry, func(p *kit.Problems, raw string, present bool) map[string]Test {
		return Decode(p, raw, present, channels)
	})
	if err != nil {
		return nil, err
	}
	decoded := section[o.Key]
	// Its secrets are the variables the test declares: the stack declares
	// one secure variable per secret its request refers to, no more.
	var secrets []string
	for _, s := range decoded.Secrets {
		secrets = append(secrets, kit.EnvName(s))
	}
	slices.Sort(secrets)
	if !slices.Equal(secrets, variables) {
		return nil, fmt.Errorf("its config variables (%s) are not the secrets its request refers to as {{ NAME }} (%s)",
			strings.Join(variables, ", "), strings.Join(secrets, ", "))
	}
	return entry, nil
}

// unexpressed lists what the test sets that the config has no field for,
// by Datadog's names, sorted. A value at Datadog's or the provider's
// default is not listed: the stack's test has it too.
func unexpressed(name, kind string, cfg datadogV1.SyntheticsTestConfig, req datadogV1.SyntheticsTestRequest, opts datadogV1.SyntheticsTestOptions) []string {
	var out []string
	list := func(prefix string, fields map[string]any, handled []string, defaults map[string]any) {
		for _, k := range handled {
			delete(fields, k)
		}
		for k, v := range defaults {
			if reflect.DeepEqual(fields[k], v) {
				delete(fields, k)
			}
		}
		for _, k := range kit.SortedKeys(fields) {
			_, hasDefault := defaults[k]
			if fields[k] != nil && (hasDefault || !live.IsZero(fields[k])) {
				out = append(out, prefix+k)
			}
		}
	}

	list("config.", live.Fields(cfg), []string{"assertions", "request", "configVariables"}, nil)

	handled := []string{"method", "url", "headers", "body", "timeout"}
	defaults := map[string]any{"httpVersion": "any"}
	if kind == SSL {
		handled = []string{"host", "port"}
		// The provider sends its default timeout with every test.
		defaults = map[string]any{"timeout": float64(DatadogTimeoutSeconds)}
	}
	fields := live.Fields(req)
	if sni, ok := req.GetServernameOk(); ok && kind == SSL && *sni == req.GetHost() {
		delete(fields, "servername")
	}
	list("request.", fields, handled, defaults)

	fields = live.Fields(opts)
	if mo, ok := fields["monitor_options"].(map[string]any); ok && mo["notification_preset_name"] == "show_all" {
		delete(mo, "notification_preset_name")
	}
	if opts.GetMonitorName() == name {
		delete(fields, "monitor_name")
	}
	handled = []string{"tick_every", "retry", "min_failure_duration"}
	if kind != SSL {
		handled = append(handled, "follow_redirects")
	}
	list("options.", fields, handled, map[string]any{
		// Datadog's defaults: one failing location alerts; any HTTP
		// version; a CI run of the test blocks on its failure.
		"min_location_failed": float64(1),
		"httpVersion":         "any",
		"ci":                  map[string]any{"executionRule": "blocking"},
	})
	return out
}

// variablesOf checks the test's config variables: each must be a secure
// text variable, the form in which the stack declares a secret (New). It
// returns their names, sorted.
func variablesOf(vars []datadogV1.SyntheticsConfigVariable) ([]string, error) {
	var names []string
	for _, v := range vars {
		if v.Type != datadogV1.SYNTHETICSCONFIGVARIABLETYPE_TEXT || !v.GetSecure() || v.GetId() != "" || v.GetExample() != "" || v.UnparsedObject != nil {
			return nil, fmt.Errorf("its config variable %s is not a secure text variable, the one kind the config declares (a secret, from secrets.<name>)", v.Name)
		}
		names = append(names, v.Name)
	}
	slices.Sort(names)
	return names, nil
}

// assertionsOf writes the assertions as the config does; a single
// JavaScript assertion that is this version's queue-check script is
// returned as the queue test's parameters instead.
func assertionsOf(list []datadogV1.SyntheticsAssertion) ([]any, map[string]any, error) {
	if len(list) == 1 && list[0].SyntheticsAssertionJavascript != nil {
		q, err := queueOf(list[0].SyntheticsAssertionJavascript.Code)
		if q != nil || err != nil {
			return nil, q, err
		}
	}
	out := []any{}
	for i, a := range list {
		switch {
		case a.SyntheticsAssertionTarget != nil:
			e, err := targetAssertion(*a.SyntheticsAssertionTarget)
			if err != nil {
				return nil, nil, fmt.Errorf("assertion %d: %w", i+1, err)
			}
			out = append(out, e)
		case a.SyntheticsAssertionJavascript != nil:
			js := a.SyntheticsAssertionJavascript
			if len(js.AdditionalProperties) > 0 || js.UnparsedObject != nil {
				return nil, nil, fmt.Errorf("assertion %d: it sets %s, which the config has no field for", i+1, strings.Join(kit.SortedKeys(js.AdditionalProperties), ", "))
			}
			out = append(out, map[string]any{"type": "javascript", "code": js.Code})
		case a.UnparsedObject != nil:
			// The client requires a target, which a doesNotExist assertion
			// does not have: it keeps such an assertion unread.
			e, ok := targetless(a.UnparsedObject)
			if !ok {
				return nil, nil, fmt.Errorf("assertion %d is of a form this version of Datadog's client cannot read", i+1)
			}
			out = append(out, e)
		default:
			return nil, nil, fmt.Errorf("assertion %d is %s, which the config cannot write", i+1, shape(a))
		}
	}
	return out, nil, nil
}

// shape names an assertion the config has no form for.
func shape(a datadogV1.SyntheticsAssertion) string {
	switch {
	case a.SyntheticsAssertionBodyHashTarget != nil:
		return "a body hash assertion"
	case a.SyntheticsAssertionJSONPathTarget != nil:
		return "a JSONPath assertion"
	case a.SyntheticsAssertionJSONSchemaTarget != nil:
		return "a JSON Schema assertion"
	case a.SyntheticsAssertionXPathTarget != nil:
		return "an XPath assertion"
	case a.SyntheticsAssertionMCPServerCapabilitiesTarget != nil, a.SyntheticsAssertionMCPRespectsSpecification != nil:
		return "an MCP assertion"
	default:
		return "of a form this version of Datadog's client cannot read"
	}
}

// targetless reads an assertion the client left unread as one without a
// target ({type, operator: doesNotExist, property}), when it is one.
func targetless(raw any) (map[string]any, bool) {
	var a struct {
		Type, Operator, Property string
		Target                   any
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if dec.Decode(&a) != nil || a.Operator != "doesNotExist" || a.Target != nil {
		return nil, false
	}
	e := map[string]any{"type": a.Type, "operator": a.Operator}
	if a.Property != "" {
		e["property"] = a.Property
	}
	return e, true
}

// targetAssertion writes {type, operator, target} as the config does: a
// target the decoder reads as a whole number (a status code, days,
// milliseconds) or a number (numeric operators) as a number, any other as
// a string.
func targetAssertion(a datadogV1.SyntheticsAssertionTarget) (map[string]any, error) {
	if len(a.AdditionalProperties) > 0 || a.UnparsedObject != nil {
		return nil, fmt.Errorf("it sets %s, which the config has no field for", strings.Join(kit.SortedKeys(a.AdditionalProperties), ", "))
	}
	e := map[string]any{"type": string(a.Type), "operator": string(a.Operator)}
	if p := a.GetProperty(); p != "" {
		e["property"] = p
	}
	if s, ok := a.GetTimingsScopeOk(); ok {
		e["timingsScope"] = string(*s)
	}
	num, str := a.Target.SyntheticsAssertionTargetValueNumber, a.Target.SyntheticsAssertionTargetValueString
	if a.Operator == "doesNotExist" && str != nil && *str == "" {
		// No target, as Datadog may write it.
		return e, nil
	}
	wantsNumber := a.Type == "responseTime" || a.Type == "certificate" || slices.Contains(numericOps, string(a.Operator)) ||
		(a.Type == "statusCode" && (a.Operator == "is" || a.Operator == "isNot"))
	switch {
	case a.Target.UnparsedObject != nil:
		return nil, errors.New("its target is of a form this version of Datadog's client cannot read")
	case num != nil && wantsNumber:
		e["target"] = live.Number(*num)
	case num != nil:
		e["target"] = kit.FormatNumber(*num)
	case str != nil && wantsNumber:
		if f, err := strconv.ParseFloat(*str, 64); err == nil {
			e["target"] = live.Number(f)
		} else {
			e["target"] = *str // the decoder says what is wrong with it
		}
	case str != nil:
		e["target"] = *str
	}
	return e, nil
}

// queueOf reads a script as a queue check: the parameters on its first
// line, as scripts.QueueCheck writes them, and the rest this version's
// script. A script that is no queue check is (nil, nil); one whose
// parameters read but whose text is not what QueueCheck renders from them
// (an older or edited script) is an error, since the entry would change
// it.
func queueOf(code string) (map[string]any, error) {
	first, _, _ := strings.Cut(code, "\n")
	params, ok := strings.CutPrefix(first, "const params = ")
	if !ok {
		return nil, nil
	}
	params, ok = strings.CutSuffix(params, ";")
	var q scripts.Queue
	dec := json.NewDecoder(strings.NewReader(params))
	dec.DisallowUnknownFields()
	if !ok || dec.Decode(&q) != nil {
		return nil, nil
	}
	if scripts.QueueCheck(q) != code {
		return nil, errors.New("its assertion is a queue-check script that differs from this version's scripts/queue-check.js (older or edited): adopting it would change the script")
	}
	out := map[string]any{}
	switch q.Match {
	case scripts.StartsWith, scripts.Contains, scripts.Equals:
		out[q.Match] = q.Value
	case scripts.Any:
		if q.Value != "" {
			return nil, fmt.Errorf("its queue-check script matches any machine type but names %q, which the config cannot write", q.Value)
		}
	default:
		return nil, fmt.Errorf("its queue-check script matches by %q, which is not a rule of the config (startsWith, contains, equals)", q.Match)
	}
	if len(q.Exclude) > 0 {
		out["exclude"] = live.Strings(q.Exclude)
	}
	// Whole hours as an integer; the decoder rounds hours to whole seconds
	// again, which gives these seconds back.
	out["thresholdHours"] = live.Number(float64(q.ThresholdSeconds) / 3600)
	if q.Label != scripts.DefaultLabel(q.Match, q.Value, q.Exclude) {
		out["label"] = q.Label
	}
	return out, nil
}

// portOf is an ssl test's port, a number.
func portOf(req datadogV1.SyntheticsTestRequest) (int, error) {
	port, ok := req.GetPortOk()
	switch {
	case !ok:
		return 443, nil
	case port.SyntheticsTestRequestNumericalPort != nil:
		return int(*port.SyntheticsTestRequestNumericalPort), nil
	case port.SyntheticsTestRequestVariablePort != nil:
		if n, err := strconv.Atoi(*port.SyntheticsTestRequestVariablePort); err == nil {
			return n, nil
		}
		return 0, fmt.Errorf("its port is %q, not a number", *port.SyntheticsTestRequestVariablePort)
	default:
		return 0, errors.New("its port is of a form this version of Datadog's client cannot read")
	}
}

// retryOf writes the fast retries, nil when at the stack's default. A
// test without retries has count 0 and Terraform's default interval, 300
// ms, as Terraform left the certificate test.
func retryOf(opts datadogV1.SyntheticsTestOptions) (map[string]any, error) {
	count, interval := int64(0), float64(300)
	if r, ok := opts.GetRetryOk(); ok {
		if len(r.AdditionalProperties) > 0 || r.UnparsedObject != nil {
			return nil, fmt.Errorf("its retry sets %s, which the config has no field for", strings.Join(kit.SortedKeys(r.AdditionalProperties), ", "))
		}
		count = r.GetCount()
		if i, ok := r.GetIntervalOk(); ok {
			interval = *i
		}
	}
	if interval != float64(int(interval)) {
		return nil, fmt.Errorf("its retry interval (%s ms) is not a whole number of milliseconds", kit.FormatNumber(interval))
	}
	if count == DefaultRetryCount && interval == DefaultRetryIntervalMs {
		return nil, nil
	}
	return map[string]any{"count": int(count), "intervalMs": int(interval)}, nil
}

// tagsOf inverts Tags: the stack's tags first, then service:<service>,
// then the test's own.
func tagsOf(tags []string) (service string, own []any, err error) {
	n := len(DefaultTags)
	if len(tags) > n && slices.Equal(tags[:n], DefaultTags) {
		if s, ok := strings.CutPrefix(tags[n], "service:"); ok && s != "" {
			return s, live.Strings(tags[n+1:]), nil
		}
	}
	return "", nil, fmt.Errorf("its tags do not begin with %s, service:<service>, as the stack tags every test (they are %s): add them in Datadog, in that order, and read it again",
		strings.Join(DefaultTags, ", "), describeTags(tags))
}

func describeTags(tags []string) string {
	if len(tags) == 0 {
		return "none"
	}
	return strings.Join(tags, ", ")
}

// messageOf inverts Message: the text, a blank line, Datadog's failure
// message, then the channels' handles (kit.WithHandles).
func messageOf(message string, channels map[string]string) (string, []any, error) {
	text, notify := kit.SplitHandles(message, channels)
	body, ok := strings.CutSuffix(text, "\n\n"+FailureMessage)
	if !ok {
		if strings.Contains(text, FailureMessage) && !strings.HasSuffix(text, FailureMessage) {
			return "", nil, fmt.Errorf("its message has text after %s that is not the handles of the stack's channels; the stack writes the failure message last, before them", FailureMessage)
		}
		return "", nil, fmt.Errorf("its message does not end with a blank line and %s (before the channels' handles), as the stack writes every test's message: add it in Datadog, and read it again", FailureMessage)
	}
	return body, notify, nil
}
