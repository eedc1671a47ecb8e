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

// DefaultComparator alerts when the value rises above the thresholds.
const DefaultComparator = ">"

// The bounds the decoder and the schema hold the numeric options to.
const (
	// maxRenotifyInterval is a year, in minutes.
	maxRenotifyInterval = 525600
	// maxEvaluationDelay is a day, in seconds.
	maxEvaluationDelay = 86400
	// Priorities run from 1 (the highest) to 5.
	minPriority = 1
	maxPriority = 5
)

var (
	comparators   = []string{DefaultComparator, ">=", "<", "<="}
	onMissingData = []string{"default", "show_no_data", "show_and_notify_no_data", "resolve"}
	windowPattern = regexp.MustCompile(`^[1-9][0-9]*[mhd]$`)
	// comparisonAtEnd is a query that ends in a comparison of its own (or
	// just its operator): > 5, >= -2.5, != 5e3, == +.5, spaced or not.
	// Datadog's query alert grammar ends a query with one comparison, the
	// one rendered from comparator and critical; a second makes nonsense.
	comparisonAtEnd = regexp.MustCompile(`(?:[<>]=?|[=!]=|=)\s*(?:[-+]?\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)?\s*$`)
)

// notEmpty is what the schema says of a text the decoder refuses when it
// is empty or only spaces.
const notEmpty = `\S`

// Spec declares the monitors section: the decoder, the stack file's JSON
// Schema and the reference (docs/configuration.md) are made from it.
var Spec = &kit.Spec{
	Title: "Monitors", Kind: kit.Map, KeyPattern: kit.KeyPattern, Default: map[string]any{},
	Doc: "Datadog monitors by key; the key is the monitor's logical name. The comparison at the end of the query and " +
		"`monitorThresholds` are both rendered from `comparator` and `critical`, so the two cannot disagree. " +
		"`locked` and `restrictedRoles` are never set: both are deprecated.",
	Values: &kit.Spec{Title: "a monitor", Kind: kit.Object,
		Fields: []*kit.Spec{
			{Name: "name", Kind: kit.String, Required: true, Pattern: notEmpty, PatternDoc: "not empty",
				Doc: "The monitor's title in Datadog. Unique."},
			{Name: "kind", Kind: kit.String, Required: true, Enum: kinds,
				Doc: "What the monitor evaluates: `metric` registers a `query alert` on `query`; `event` an `event-v2 alert` and `log` a `log alert`, both counting what `search` finds over `window`."},
			{Name: "query", Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "none (required for `metric`)",
				Doc: "A metric monitor's query up to the comparison: `sum(last_5m):max:aws.sqs.number_of_messages_sent{queuename:my-queue}.as_count()`. " +
					"The comparison is rendered from `comparator` and `critical`, so a query that ends with its own (`> 5`) is an error. Metric monitors only, and required there."},
			{Name: "search", Kind: kit.String, Pattern: notEmpty, PatternDoc: "not empty", DefaultDoc: "none (required for `event` and `log`)",
				Doc: "An event or log monitor's search: `source:amazon_sns @title:\"ALI ValidationException Detected\"`. " +
					"Rendered as `events(\"…\").rollup(\"count\").last(\"<window>\")` (`logs(…)` for a log monitor). Event and log monitors only, and required there."},
			{Name: "window", Kind: kit.String, Pattern: windowPattern.String(), PatternDoc: "a whole number of minutes, hours or days: 5m, 1h, 1d", Default: DefaultWindow,
				Doc: "The window an event or log monitor counts over (`5m`, `1h`, `1d`). Event and log monitors only: a metric query carries its own window, as `sum(last_5m):…`."},
			{Name: "comparator", Kind: kit.String, Enum: comparators, Default: DefaultComparator,
				Doc: "How the value compares with the thresholds: `>` and `>=` alert above them, `<` and `<=` below."},
			{Name: "critical", Kind: kit.Number, Required: true,
				Doc: "The alert threshold; the query's comparison is rendered from it and `comparator`."},
			{Name: "warning", Kind: kit.Number, DefaultDoc: "unset",
				Doc: "The warning threshold: short of `critical` in the comparator's direction (below it for `>` and `>=`, above it for `<` and `<=`)."},
			{Name: "criticalRecovery", Kind: kit.Number, DefaultDoc: "unset",
				Doc: "The value at which an alert recovers: short of `critical` in the comparator's direction."},
			{Name: "warningRecovery", Kind: kit.Number, DefaultDoc: "unset",
				Doc: "The value at which a warning recovers: short of `warning` in the comparator's direction; it needs `warning`."},
			{Name: "message", Kind: kit.String, Required: true, Pattern: notEmpty, PatternDoc: "not empty",
				Doc: "What the responder reads. The handles of the `notify` channels are appended, one a line."},
			{Name: "notify", Kind: kit.List, Unique: true, Default: []any{}, Items: &kit.Spec{Kind: kit.String, Pattern: kit.KeyPattern, PatternDoc: "a channel key"},
				Doc: "Who is notified: keys of `channels`, `slackChannels` or `webhooks`, each once, in the order their handles are written."},
			{Name: "renotifyInterval", Kind: kit.Integer, Min: kit.Bound(0), Max: kit.Bound(maxRenotifyInterval), DefaultDoc: "unset (Datadog's: never)",
				Doc: "Minutes after which a monitor that stays alerting notifies again; `0` is sent, and means never."},
			{Name: "evaluationDelay", Kind: kit.Integer, Min: kit.Bound(0), Max: kit.Bound(maxEvaluationDelay), Default: 0,
				Doc: "Seconds to wait for late data before evaluating (edge logs arrive up to a minute late); `0` evaluates at once, and is not sent."},
			{Name: "onMissingData", Kind: kit.String, Enum: onMissingData, DefaultDoc: "left to Datadog",
				Doc: "What a window without data means (`resolve`: it resolves the alert). Not with `notifyNoData`, its older form."},
			{Name: "notifyNoData", Kind: kit.Bool, DefaultDoc: "unset (Datadog's: false)",
				Doc: "Notify when data stops. Datadog refuses it together with `onMissingData`: keep that one."},
			{Name: "notifyAudit", Kind: kit.Bool, DefaultDoc: "unset (Datadog's: false)",
				Doc: "Notify the channels of changes made to the monitor."},
			{Name: "requireFullWindow", Kind: kit.Bool, Default: false,
				Doc: "Evaluate only full windows of data; false, so that sparse metrics still evaluate."},
			{Name: "includeTags", Kind: kit.Bool, Default: true,
				Doc: "Put the triggering tags in the notification's title, as Datadog does by default."},
			{Name: "tags", Kind: kit.List, Default: []any{}, Items: &kit.Spec{Kind: kit.String},
				Doc: "The monitor's tags. Always sent, `[]` when none, so the stack owns them: a tag added in the Datadog UI shows as drift and is removed, as is a tag left from the Terraform era."},
			{Name: "priority", Kind: kit.Integer, Min: kit.Bound(minPriority), Max: kit.Bound(maxPriority), DefaultDoc: "unset",
				Doc: "The monitor's priority, from 1 (the highest) to 5."},
			ImportID.Spec("the monitor's numeric id, quoted (`\"12345678\"`)"),
		},
		When: []kit.When{
			{Field: "kind", Is: []string{Metric}, Require: []string{"query"}, Forbid: []string{"search", "window"}},
			{Field: "kind", Is: []string{Event, Log}, Require: []string{"search"}, Forbid: []string{"query"}},
			{Field: "onMissingData", Is: onMissingData, Forbid: []string{"notifyNoData"}},
		},
	},
}

// Decode decodes and validates the monitors section, resolving `notify`
// against the channels, and reports every problem to p. An absent section
// is no monitors.
func Decode(p *kit.Problems, raw string, present bool, channels map[string]string) map[string]Monitor {
	out := map[string]Monitor{}
	names := map[string]string{}
	for _, e := range p.Entries(Section, raw, present, "monitor key to monitor") {
		key, path := e.Key, e.Path
		mon := Monitor{Window: DefaultWindow, Comparator: DefaultComparator, IncludeTags: true, Tags: []string{}}
		hasCritical := false
		fields := []kit.Field{
			{Name: "name", Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Name) && p.Printable(fp, mon.Name, false) {
					p.NonEmpty(fp, mon.Name)
				}
			}},
			{Name: "kind", Decode: func(fp string, v any) { p.Enum(fp, v, kinds, &mon.Kind) }},
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
			{Name: "critical", Decode: func(fp string, v any) { hasCritical = p.Number(fp, v, &mon.Critical) }},
			{Name: "warning", Decode: func(fp string, v any) { p.OptNumber(fp, v, &mon.Warning) }},
			{Name: "criticalRecovery", Decode: func(fp string, v any) { p.OptNumber(fp, v, &mon.CriticalRecovery) }},
			{Name: "warningRecovery", Decode: func(fp string, v any) { p.OptNumber(fp, v, &mon.WarningRecovery) }},
			{Name: "message", Decode: func(fp string, v any) {
				if p.String(fp, v, &mon.Message) && p.Printable(fp, mon.Message, true) {
					p.NonEmpty(fp, mon.Message)
				}
			}},
			{Name: "notify", Decode: func(fp string, v any) { mon.Notify = p.Notify(fp, v, channels) }},
			{Name: "renotifyInterval", Decode: func(fp string, v any) {
				var n int
				if p.Int(fp, v, 0, maxRenotifyInterval, &n) {
					mon.RenotifyInterval = &n
				}
			}},
			{Name: "evaluationDelay", Decode: func(fp string, v any) { p.Int(fp, v, 0, maxEvaluationDelay, &mon.EvaluationDelay) }},
			{Name: "onMissingData", Decode: func(fp string, v any) { p.Enum(fp, v, onMissingData, &mon.OnMissingData) }},
			{Name: "notifyNoData", Decode: func(fp string, v any) { p.OptBool(fp, v, &mon.NotifyNoData) }},
			{Name: "notifyAudit", Decode: func(fp string, v any) { p.OptBool(fp, v, &mon.NotifyAudit) }},
			{Name: "requireFullWindow", Decode: func(fp string, v any) { p.Bool(fp, v, &mon.RequireFullWindow) }},
			{Name: "includeTags", Decode: func(fp string, v any) { p.Bool(fp, v, &mon.IncludeTags) }},
			{Name: "tags", Decode: func(fp string, v any) { p.StringList(fp, v, "tags", &mon.Tags) }},
			{Name: "priority", Decode: func(fp string, v any) { p.Int(fp, v, minPriority, maxPriority, &mon.Priority) }},
			ImportID.Field(p, &mon.ImportID),
		}
		mp, isMap := e.Value.(map[string]any)
		if !isMap {
			p.Add(path, "must be a monitor ({name, kind, query or search, critical, message, notify, ...}), got %s", kit.Describe(e.Value))
			continue
		}
		p.Object(path, mp, Spec.Values, fields)
		checkKind(p, path, mon, mp)
		if mon.OnMissingData != "" && mon.NotifyNoData != nil {
			p.Add(path+".notifyNoData", "goes with onMissingData only in Datadog's older form; keep onMissingData and remove notifyNoData")
		}
		if hasCritical {
			checkThresholds(p, path, mon)
		}
		if mon.Name != "" {
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
