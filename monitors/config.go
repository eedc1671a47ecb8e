package monitors

import (
	"regexp"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Section is the config key of the monitors: `pytorch-datadog:monitors`.
const Section = "monitors"

// ImportID is the form of a monitor's import id: its numeric id.
var ImportID = kit.Numeric

// Monitor kinds; each registers as a Datadog monitor type (Type).
const (
	Metric = "metric"
	Event  = "event"
	Log    = "log"
)

var kinds = []string{Metric, Event, Log}

// Monitor is a Datadog monitor managed here. Its query's comparison and its
// thresholds are rendered from the same numbers (Query, Thresholds), so the
// two cannot disagree.
type Monitor struct {
	// Name is the monitor's title in Datadog. Required, unique.
	Name string
	// Kind is metric (a query alert), event (event-v2 alert) or log (log
	// alert). Required.
	Kind string
	// Query is a metric monitor's expression up to the comparison, such as
	// `sum(last_5m):max:aws.sqs.number_of_messages_sent{...}.as_count()`.
	Query string
	// Search is the event or log search, such as
	// `source:amazon_sns @title:"ALI ValidationException Detected"`.
	Search string
	// Window is the event or log evaluation window, such as 5m. Default
	// DefaultWindow.
	Window string
	// Comparator compares the value with the thresholds. Default ">".
	Comparator string
	// Critical is the alert threshold. Required.
	Critical float64
	// Warning, CriticalRecovery and WarningRecovery are optional thresholds.
	Warning, CriticalRecovery, WarningRecovery *float64
	// Message is the text of the notification, before the channels.
	Message string
	// Notify are the handles of the channels notified, in config order.
	Notify []string
	// RenotifyInterval is in minutes; 0 never renotifies; nil leaves
	// Datadog's (never).
	RenotifyInterval *int
	// EvaluationDelay is in seconds; 0 evaluates at once.
	EvaluationDelay int
	// OnMissingData says what a window without data means; "" leaves
	// Datadog's.
	OnMissingData string
	// NotifyNoData and NotifyAudit; nil leaves Datadog's (false). Datadog
	// refuses notifyNoData together with onMissingData.
	NotifyNoData, NotifyAudit *bool
	// RequireFullWindow; default false, so sparse data still evaluates.
	RequireFullWindow bool
	// IncludeTags puts the triggering tags in the notification title;
	// default true, as in Datadog.
	IncludeTags bool
	// Tags are the monitor's tags; always sent, [] when none, so that the
	// stack owns them: a tag added in the UI is drift, and a tag left from
	// before adoption is removed.
	Tags []string
	// Priority from 1 (highest) to 5; 0 leaves it unset.
	Priority int
	// ImportID adopts an existing Datadog monitor (its numeric id).
	ImportID string
}

// DefaultWindow is the evaluation window of event and log monitors: the
// five minutes the original monitors count over.
const DefaultWindow = "5m"

var (
	comparators   = []string{">", ">=", "<", "<="}
	onMissingData = []string{"default", "show_no_data", "show_and_notify_no_data", "resolve"}
	windowPattern = regexp.MustCompile(`^[1-9][0-9]*[mhd]$`)
	// comparisonAtEnd is a query that ends in a comparison of its own (or
	// just its operator): > 5, >= -2.5, != 5e3, == +.5, spaced or not.
	// Datadog's query alert grammar ends a query with one comparison, the
	// one rendered from comparator and critical; a second makes nonsense.
	comparisonAtEnd = regexp.MustCompile(`(?:[<>]=?|[=!]=|=)\s*(?:[-+]?\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)?\s*$`)
)

// Decode decodes and validates the monitors section, resolving `notify`
// against the channels, and reports every problem to p. An absent section
// is no monitors.
func Decode(p *kit.Problems, raw string, present bool, channels map[string]string) map[string]Monitor {
	out := map[string]Monitor{}
	names := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "monitor key to monitor") {
		key, path := e.Key, e.Path
		mon := Monitor{Window: DefaultWindow, Comparator: ">", IncludeTags: true, Tags: []string{}}
		hasCritical := false
		fields := []kit.Field{
			{Name: "name", Required: true, Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Name) && p.Printable(fp, mon.Name, false) {
					p.NonEmpty(fp, mon.Name)
				}
			}},
			{Name: "kind", Required: true, Decode: func(fp string, v any) { p.Enum(fp, v, kinds, &mon.Kind) }},
			{Name: "query", Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Query) {
					p.Printable(fp, mon.Query, true)
				}
			}},
			{Name: "search", Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Search) {
					p.Printable(fp, mon.Search, true)
				}
			}},
			{Name: "window", Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Window); !windowPattern.MatchString(mon.Window) {
					p.Add(fp, "%q is not a window such as 5m, 1h or 1d", mon.Window)
				}
			}},
			{Name: "comparator", Decode: func(fp string, v any) { p.Enum(fp, v, comparators, &mon.Comparator) }},
			{Name: "critical", Required: true, Decode: func(fp string, v any) { hasCritical = p.Number(fp, v, &mon.Critical) }},
			{Name: "warning", Decode: func(fp string, v any) { p.OptNumber(fp, v, &mon.Warning) }},
			{Name: "criticalRecovery", Decode: func(fp string, v any) { p.OptNumber(fp, v, &mon.CriticalRecovery) }},
			{Name: "warningRecovery", Decode: func(fp string, v any) { p.OptNumber(fp, v, &mon.WarningRecovery) }},
			{Name: "message", Required: true, Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Message) && p.Printable(fp, mon.Message, true) {
					p.NonEmpty(fp, mon.Message)
				}
			}},
			{Name: "notify", Decode: func(fp string, v any) { mon.Notify = p.Notify(fp, v, channels) }},
			{Name: "renotifyInterval", Decode: func(fp string, v any) {
				var n int
				if p.Int(fp, v, 0, 525600, &n) {
					mon.RenotifyInterval = &n
				}
			}},
			{Name: "evaluationDelay", Decode: func(fp string, v any) { p.Int(fp, v, 0, 86400, &mon.EvaluationDelay) }},
			{Name: "onMissingData", Decode: func(fp string, v any) { p.Enum(fp, v, onMissingData, &mon.OnMissingData) }},
			{Name: "notifyNoData", Decode: func(fp string, v any) { p.OptBool(fp, v, &mon.NotifyNoData) }},
			{Name: "notifyAudit", Decode: func(fp string, v any) { p.OptBool(fp, v, &mon.NotifyAudit) }},
			{Name: "requireFullWindow", Decode: func(fp string, v any) { p.Bool(fp, v, &mon.RequireFullWindow) }},
			{Name: "includeTags", Decode: func(fp string, v any) { p.Bool(fp, v, &mon.IncludeTags) }},
			{Name: "tags", Decode: func(fp string, v any) { p.StringList(fp, v, "tags", &mon.Tags) }},
			{Name: "priority", Decode: func(fp string, v any) { p.Int(fp, v, 1, 5, &mon.Priority) }},
			ImportID.Field(p, &mon.ImportID),
		}
		mp, isMap := e.Value.(map[string]any)
		if !p.Object(path, e.Value, "a monitor ({name, kind, query or search, critical, message, notify, ...})", fields) {
			continue
		}
		checkKind(p, path, mon, mp)
		if mon.OnMissingData != "" && mon.NotifyNoData != nil {
			p.Add(path+".notifyNoData", "goes with onMissingData only in Datadog's older form; keep onMissingData and remove notifyNoData")
		}
		if hasCritical {
			checkThresholds(p, path, mon)
		}
		if isMap && mon.Name != "" {
			if other, dup := names[mon.Name]; dup {
				p.Add(path+".name", "%q is also the name of monitors.%s; monitor names must be unique", mon.Name, other)
			}
			names[mon.Name] = key
		}
		out[key] = mon
	}
	return out
}

// checkKind checks the fields that depend on the kind.
func checkKind(p *kit.Problems, path string, mon Monitor, set map[string]any) {
	_, hasQuery := set["query"]
	_, hasSearch := set["search"]
	_, hasWindow := set["window"]
	switch mon.Kind {
	case Metric:
		switch {
		case !hasQuery:
			p.Add(path+".query", "missing; a metric monitor needs its query, up to the comparison")
		case strings.TrimSpace(mon.Query) == "":
			p.Add(path+".query", "is empty; write the metric query up to the comparison, such as sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:my-queue}.as_count()")
		case unprintable(mon.Query):
			// reported where it is decoded
		case comparisonAtEnd.MatchString(mon.Query):
			at := strings.TrimSpace(comparisonAtEnd.FindString(mon.Query))
			p.Add(path+".query", "ends with a comparison (%q); write the query up to it: the comparison is rendered from comparator and critical", at)
		}
		if hasSearch {
			p.Add(path+".search", "is for event and log monitors; a metric monitor has a query")
		}
		if hasWindow {
			p.Add(path+".window", "is for event and log monitors; a metric query carries its own window, as sum(last_5m):...")
		}
	case Event, Log:
		if !hasSearch {
			p.Add(path+".search", "missing; %s monitor needs its search, such as source:amazon_sns", article(mon.Kind))
		} else {
			p.NonEmpty(path+".search", mon.Search)
		}
		if hasQuery {
			p.Add(path+".query", "is for metric monitors; %s monitor has a search, and the query is rendered from it", article(mon.Kind))
		}
	}
}

// unprintable says whether s holds a character Printable refuses in text
// of several lines.
func unprintable(s string) bool {
	_, _, found := kit.FirstUnsafe(s, true)
	return found
}

// checkThresholds checks that the thresholds are ordered as the comparator
// requires: for ">", a warning below critical and recoveries below what
// they recover from.
func checkThresholds(p *kit.Problems, path string, mon Monitor) {
	above := strings.HasPrefix(mon.Comparator, ">")
	beyond := func(a, b float64) bool { // a is past b in the alerting direction
		if above {
			return a > b
		}
		return a < b
	}
	word := "below"
	if !above {
		word = "above"
	}
	if mon.Warning != nil && !beyond(mon.Critical, *mon.Warning) {
		p.Add(path+".warning", "must be %s critical (%s) for comparator %s", word, kit.FormatNumber(mon.Critical), mon.Comparator)
	}
	if mon.CriticalRecovery != nil && !beyond(mon.Critical, *mon.CriticalRecovery) {
		p.Add(path+".criticalRecovery", "must be %s critical (%s) for comparator %s", word, kit.FormatNumber(mon.Critical), mon.Comparator)
	}
	if mon.WarningRecovery != nil {
		if mon.Warning == nil {
			p.Add(path+".warningRecovery", "needs a warning threshold to recover from")
		} else if !beyond(*mon.Warning, *mon.WarningRecovery) {
			p.Add(path+".warningRecovery", "must be %s warning (%s) for comparator %s", word, kit.FormatNumber(*mon.Warning), mon.Comparator)
		}
	}
}

// article puts "a" or "an" before a kind: "an event", "a log".
func article(kind string) string {
	if strings.HasPrefix(kind, "e") {
		return "an " + kind
	}
	return "a " + kind
}
