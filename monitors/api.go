package monitors

// Reading the organisation's monitors (ddstack audit), and writing one as
// a config entry that adopts it (ddstack audit --add). An entry is written
// only when the config can say everything the monitor says: rendered back
// by Query, Thresholds and New, it gives the monitor Datadog has, so its
// adoption changes nothing. Anything else is refused with the reason.

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/roles"
)

// listEndpoint is what List reads.
const listEndpoint = "GET /api/v1/monitor"

// pageSize is the largest page GET /api/v1/monitor serves: Datadog
// documents page_size up to 1000 monitors.
const pageSize = 1000

// List reads every monitor of the organisation, a page of pageSize at a
// time. Monitors are matched on their name. A synthetics test's own monitor
// (type "synthetics alert") is listed Quiet: it exists, but it belongs to
// its test, which the synthetics section manages; reporting it as an
// unmanaged monitor would ask for a second owner.
func List(r *live.Reader) (live.List, error) {
	api := datadogV1.NewMonitorsApi(r.Client())
	mons, err := live.Pages(r, listEndpoint, pageSize, idOf, func(page int) ([]datadogV1.Monitor, error) {
		params := datadogV1.NewListMonitorsOptionalParameters().WithPage(int64(page)).WithPageSize(pageSize)
		list, _, err := api.ListMonitors(r.Context(), *params)
		return list, err
	})
	if err != nil {
		return live.List{}, err
	}
	out := live.List{Objects: make([]live.Object, 0, len(mons))}
	for _, m := range mons {
		name := m.GetName()
		out.Objects = append(out.Objects, live.Object{
			ID: idOf(m), On: name, Name: name, Key: roles.KeyOf(name),
			Quiet: m.GetType() == datadogV1.MONITORTYPE_SYNTHETICS_ALERT,
			Data:  m,
		})
	}
	return out, nil
}

// idOf is a monitor's id as its importId takes it.
func idOf(m datadogV1.Monitor) string {
	if id, ok := m.GetIdOk(); ok {
		return strconv.FormatInt(*id, 10)
	}
	return ""
}

// FromAPI turns a monitor that List found into the config entry that
// adopts it by importId, notifying the stack's channels (key → handle) by
// key. Fields equal to the decoder's defaults are left out, as are options
// at Datadog's or the provider's defaults (new_host_delay 300, ...). The
// entry is decoded as the stack will decode it, and its query rendered
// back; a monitor the config cannot express exactly is an error saying
// why, never an entry.
func FromAPI(o live.Object, channels map[string]string) (map[string]any, error) {
	var m datadogV1.Monitor
	switch d := o.Data.(type) {
	case datadogV1.Monitor:
		m = d
	case *datadogV1.Monitor:
		if d == nil {
			return nil, fmt.Errorf("monitor %s: no monitor read", o.ID)
		}
		m = *d
	default:
		return nil, fmt.Errorf("monitor %s: holds %T, not a Datadog monitor", o.ID, o.Data)
	}
	entry, err := entryOf(o, m, channels)
	if err != nil {
		return nil, fmt.Errorf("monitor %s %q cannot be written as config: %w", o.ID, m.GetName(), err)
	}
	return entry, nil
}

// kindOf maps the monitor types the config writes to their kinds. A
// metric monitor may be a "metric alert" as well as a "query alert": the
// provider takes the two as one, and the stack registers a query alert.
var kindOf = map[datadogV1.MonitorType]string{
	datadogV1.MONITORTYPE_QUERY_ALERT:    Metric,
	datadogV1.MONITORTYPE_METRIC_ALERT:   Metric,
	datadogV1.MONITORTYPE_EVENT_V2_ALERT: Event,
	datadogV1.MONITORTYPE_LOG_ALERT:      Log,
}

var (
	// number is a threshold as a query writes it.
	number = `[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?`
	// metricQuery is a query alert's query: the expression, then one
	// comparison with a number.
	metricQuery = regexp.MustCompile(`(?s)^(.*\S)\s*(>=|<=|>|<)\s*(` + number + `)$`)
	// searchQuery is the one event and log query the config renders (Query):
	// a quoted search counted over a window.
	searchQuery = regexp.MustCompile(`^(events|logs)\(("(?:[^"\\]|\\.)*")\)\.rollup\("count"\)\.last\("([^"]*)"\)\s*(>=|<=|>|<)\s*(` + number + `)$`)
	rollup      = regexp.MustCompile(`\.rollup\(([^)]*)\)`)
)

// entryOf builds and checks the entry, or says why there is none.
func entryOf(o live.Object, m datadogV1.Monitor, channels map[string]string) (map[string]any, error) {
	if o.ID == "" {
		return nil, errors.New("it has no id to adopt it by")
	}
	typ := m.GetType()
	kind, ok := kindOf[typ]
	switch {
	case m.UnparsedObject != nil:
		return nil, errors.New("sent in a form this version of Datadog's client cannot read")
	case typ == datadogV1.MONITORTYPE_SYNTHETICS_ALERT:
		return nil, errors.New("it is a synthetics test's monitor, which belongs to its test (the synthetics section)")
	case !ok:
		return nil, fmt.Errorf("its type is %q; the config writes query alerts (kind metric), event-v2 alerts (event) and log alerts (log)", typ)
	}
	opts := m.GetOptions()
	if opts.UnparsedObject != nil {
		return nil, errors.New("its options were sent in a form this version of Datadog's client cannot read")
	}
	if m.GetDraftStatus() == datadogV1.MONITORDRAFTSTATUS_DRAFT {
		return nil, errors.New("it is a draft, which the config cannot write")
	}
	unset := unexpressed(m, opts)
	if len(unset) > 0 {
		return nil, fmt.Errorf("it sets %s, which the config has no field for", strings.Join(unset, ", "))
	}

	// The query: its comparison is the comparator and the critical
	// threshold (Query renders both from the config's numbers).
	query := strings.TrimSpace(m.GetQuery())
	entry := map[string]any{"name": m.GetName(), "kind": kind}
	var comparator, value string
	if kind == Metric {
		g := metricQuery.FindStringSubmatch(query)
		if g == nil {
			return nil, errors.New("its query does not end with a comparison (>, >=, <, <=) and a number")
		}
		entry["query"], comparator, value = g[1], g[2], g[3]
	} else {
		source := map[string]string{Event: "events", Log: "logs"}[kind]
		g := searchQuery.FindStringSubmatch(query)
		if g == nil || g[1] != source {
			if r := rollup.FindStringSubmatch(query); r != nil && r[1] != `"count"` {
				return nil, fmt.Errorf("its query rolls up by %s, not by count", r[1])
			}
			return nil, fmt.Errorf(`its query is not of the form %s("<search>").rollup("count").last("<window>") <comparator> <number>`, source)
		}
		entry["search"] = unquote(g[2])
		if g[3] != DefaultWindow {
			entry["window"] = g[3]
		}
		comparator, value = g[4], g[5]
	}
	if comparator != ">" {
		entry["comparator"] = comparator
	}
	critical, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return nil, fmt.Errorf("its query compares with %s, which is not a number", value)
	}
	th := opts.GetThresholds()
	if c, set := th.GetCriticalOk(); set && *c != critical {
		return nil, fmt.Errorf("its critical threshold (%s) is not the number its query compares with (%s)", kit.FormatNumber(*c), value)
	}
	entry["critical"] = live.Number(critical)
	for name, f := range map[string]*float64{"warning": th.Warning.Get(), "criticalRecovery": th.CriticalRecovery.Get(), "warningRecovery": th.WarningRecovery.Get()} {
		if f != nil {
			entry[name] = live.Number(*f)
		}
	}

	text, notify := kit.SplitHandles(m.GetMessage(), channels)
	entry["message"] = text
	if len(notify) > 0 {
		entry["notify"] = notify
	}
	// Options the config has a field for, when not at its default.
	if n := opts.RenotifyInterval.Get(); n != nil && *n != 0 {
		entry["renotifyInterval"] = int(*n)
	}
	if n := opts.EvaluationDelay.Get(); n != nil && *n != 0 {
		entry["evaluationDelay"] = int(*n)
	}
	if v, ok := opts.GetOnMissingDataOk(); ok && *v != "" {
		entry["onMissingData"] = string(*v)
	}
	if opts.GetNotifyNoData() {
		entry["notifyNoData"] = true
	}
	if opts.GetNotifyAudit() {
		entry["notifyAudit"] = true
	}
	if opts.GetRequireFullWindow() {
		entry["requireFullWindow"] = true
	}
	if v, ok := opts.GetIncludeTagsOk(); ok && !*v {
		entry["includeTags"] = false
	}
	if len(m.Tags) > 0 {
		entry["tags"] = live.Strings(m.Tags)
	}
	if p := m.Priority.Get(); p != nil && *p != 0 {
		entry["priority"] = int(*p)
	}
	entry["importId"] = o.ID

	// The entry must decode as it will in the stack, and render the query
	// Datadog has (the provider trims it, as Query does).
	decoded, err := kit.DecodeEntry(o.Key, entry, func(p *kit.Problems, raw string, present bool) map[string]Monitor {
		return Decode(p, raw, present, channels)
	})
	if err != nil {
		return nil, err
	}
	if got := Query(decoded[o.Key]); got != query {
		return nil, fmt.Errorf("its query would be written back as %q, not %q", got, query)
	}
	return entry, nil
}

// unexpressed lists what the monitor sets that the config has no field
// for, by Datadog's names, sorted. An option at the value Datadog or the
// provider gives it anyway is not listed: the stack's monitor has it too.
func unexpressed(m datadogV1.Monitor, opts datadogV1.MonitorOptions) []string {
	var out []string
	if len(m.Assets) > 0 {
		out = append(out, "assets")
	}
	if len(m.GetRestrictedRoles()) > 0 {
		out = append(out, "restricted_roles")
	}
	th := opts.GetThresholds()
	for name, set := range map[string]bool{
		"thresholds.ok":                      th.Ok.Get() != nil,
		"thresholds.unknown":                 th.Unknown.Get() != nil,
		"thresholds.critical_query":          th.GetCriticalQuery() != "",
		"thresholds.critical_recovery_query": th.GetCriticalRecoveryQuery() != "",
	} {
		if set {
			out = append(out, name)
		}
	}
	if len(th.AdditionalProperties) > 0 {
		out = append(out, "thresholds."+strings.Join(kit.SortedKeys(th.AdditionalProperties), ", thresholds."))
	}

	fields := live.Fields(opts)
	for _, k := range []string{
		// What the config writes.
		"thresholds", "renotify_interval", "evaluation_delay", "on_missing_data", "notify_no_data",
		"notify_audit", "require_full_window", "include_tags",
		// What Datadog derives or keeps of the monitor's state, not its
		// config: the query's aggregation, and mutes (downtimes).
		"aggregation", "silenced",
	} {
		delete(fields, k)
	}
	for k, v := range optionDefaults {
		if reflect.DeepEqual(fields[k], v) {
			delete(fields, k)
		}
	}
	// no_data_timeframe counts only with notify_no_data: the provider
	// ignores it otherwise, and sends its default of 10 minutes.
	if !opts.GetNotifyNoData() || reflect.DeepEqual(fields["no_data_timeframe"], float64(10)) {
		delete(fields, "no_data_timeframe")
	}
	// With a renotify interval, Datadog renotifies on alert and no data
	// unless told otherwise, and may say so.
	if opts.RenotifyInterval.Get() != nil {
		statuses := opts.RenotifyStatuses
		if slices.Equal(sortedStatuses(statuses), []string{"alert", "no data"}) {
			delete(fields, "renotify_statuses")
		}
	}
	for _, k := range kit.SortedKeys(fields) {
		_, hasDefault := optionDefaults[k]
		if fields[k] != nil && (hasDefault || !live.IsZero(fields[k])) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// optionDefaults are options whose default is not their zero value, at
// the value Datadog or the provider gives them (as JSON decodes it).
var optionDefaults = map[string]any{
	// The provider's default (deprecated, but still sent).
	"new_host_delay": float64(300),
	// Datadog's default notification content.
	"notification_preset_name": "show_all",
	// One location: Datadog's default; only synthetics monitors use it.
	"min_location_failed": float64(1),
}

func sortedStatuses(list []datadogV1.MonitorRenotifyStatusType) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, string(s))
	}
	slices.Sort(out)
	return out
}

// unquote reads a search as Query's quote writes it: `\\` is a backslash
// and `\"` a quote. Any other escape is kept as it is, and the query check
// refuses it, since quote cannot write it back.
func unquote(q string) string {
	q = q[1 : len(q)-1]
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] == '\\' && i+1 < len(q) && (q[i+1] == '\\' || q[i+1] == '"') {
			i++
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
