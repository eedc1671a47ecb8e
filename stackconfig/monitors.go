package stackconfig

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Monitor kinds, and the Datadog monitor type each registers as.
const (
	MonitorMetric = "metric"
	MonitorEvent  = "event"
	MonitorLog    = "log"
)

var monitorKinds = []string{MonitorMetric, MonitorEvent, MonitorLog}

// Monitor is a Datadog monitor managed here. Its query's comparison and its
// thresholds are rendered from the same numbers (monitors.Query), so the two
// cannot disagree.
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
	// Window is the event or log evaluation window, such as 5m. Default 5m.
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
	// RenotifyInterval is in minutes; 0 never renotifies.
	RenotifyInterval int
	// EvaluationDelay is in seconds; 0 evaluates at once.
	EvaluationDelay int
	// OnMissingData is for event and log monitors; "" leaves Datadog's.
	OnMissingData string
	// RequireFullWindow; default false, so sparse data still evaluates.
	RequireFullWindow bool
	// IncludeTags puts the triggering tags in the notification title;
	// default true, as in Datadog.
	IncludeTags bool
	// Tags are the monitor's tags.
	Tags []string
	// Priority from 1 (highest) to 5; 0 leaves it unset.
	Priority int
	// ImportID adopts an existing Datadog monitor (its numeric id).
	ImportID string
}

// defaultWindow is the evaluation window of event and log monitors: the
// five minutes the original monitors count over.
const defaultWindow = "5m"

var (
	comparators     = []string{">", ">=", "<", "<="}
	onMissingData   = []string{"default", "show_no_data", "show_and_notify_no_data", "resolve"}
	windowPattern   = regexp.MustCompile(`^[1-9][0-9]*[mhd]$`)
	comparisonAtEnd = regexp.MustCompile(`(>=?|<=?|==)\s*-?[0-9.]+\s*$`)
)

func decodeMonitors(p *problems, raw string, channels map[string]string, out map[string]Monitor) {
	m, ok := decodeSection(p, KeyMonitors, raw, "monitor key to monitor")
	if !ok {
		return
	}
	names := map[string]string{}
	for _, key := range sortedKeys(m) {
		path := KeyMonitors + "." + key
		checkKey(p, path, key)
		mon := Monitor{Window: defaultWindow, Comparator: ">", IncludeTags: true}
		hasCritical := false
		fields := []field{
			{"name", true, func(fp string, v any) { p.str(fp, v, &mon.Name); checkNonEmpty(p, fp, mon.Name) }},
			{"kind", true, func(fp string, v any) { p.enum(fp, v, monitorKinds, &mon.Kind) }},
			{"query", false, func(fp string, v any) { p.str(fp, v, &mon.Query) }},
			{"search", false, func(fp string, v any) { p.str(fp, v, &mon.Search) }},
			{"window", false, func(fp string, v any) {
				if p.str(fp, v, &mon.Window); !windowPattern.MatchString(mon.Window) {
					p.add(fp, "%q is not a window such as 5m, 1h or 1d", mon.Window)
				}
			}},
			{"comparator", false, func(fp string, v any) { p.enum(fp, v, comparators, &mon.Comparator) }},
			{"critical", true, func(fp string, v any) { hasCritical = p.number(fp, v, &mon.Critical) }},
			{"warning", false, func(fp string, v any) { p.optNumber(fp, v, &mon.Warning) }},
			{"criticalRecovery", false, func(fp string, v any) { p.optNumber(fp, v, &mon.CriticalRecovery) }},
			{"warningRecovery", false, func(fp string, v any) { p.optNumber(fp, v, &mon.WarningRecovery) }},
			{"message", true, func(fp string, v any) { p.str(fp, v, &mon.Message); checkNonEmpty(p, fp, mon.Message) }},
			{"notify", false, func(fp string, v any) { mon.Notify = decodeNotify(p, fp, v, channels) }},
			{"renotifyInterval", false, func(fp string, v any) { p.integer(fp, v, 0, 525600, &mon.RenotifyInterval) }},
			{"evaluationDelay", false, func(fp string, v any) { p.integer(fp, v, 0, 86400, &mon.EvaluationDelay) }},
			{"onMissingData", false, func(fp string, v any) { p.enum(fp, v, onMissingData, &mon.OnMissingData) }},
			{"requireFullWindow", false, func(fp string, v any) { p.boolean(fp, v, &mon.RequireFullWindow) }},
			{"includeTags", false, func(fp string, v any) { p.boolean(fp, v, &mon.IncludeTags) }},
			{"tags", false, func(fp string, v any) { p.strList(fp, v, "tags", &mon.Tags) }},
			{"priority", false, func(fp string, v any) { p.integer(fp, v, 1, 5, &mon.Priority) }},
			importIDField(p, monitorID, "12345678", &mon.ImportID),
		}
		mp, isMap := m[key].(map[string]any)
		if !p.object(path, m[key], "a monitor ({name, kind, query or search, critical, message, notify, ...})", fields) {
			continue
		}
		checkMonitorKind(p, path, mon, mp)
		if hasCritical {
			checkThresholds(p, path, mon)
		}
		if isMap && mon.Name != "" {
			if other, dup := names[mon.Name]; dup {
				p.add(path+".name", "%q is also the name of monitors.%s; monitor names must be unique", mon.Name, other)
			}
			names[mon.Name] = key
		}
		out[key] = mon
	}
}

// checkMonitorKind checks the fields that depend on the kind.
func checkMonitorKind(p *problems, path string, mon Monitor, set map[string]any) {
	_, hasQuery := set["query"]
	_, hasSearch := set["search"]
	_, hasWindow := set["window"]
	switch mon.Kind {
	case MonitorMetric:
		if !hasQuery {
			p.add(path+".query", "missing; a metric monitor needs its query, up to the comparison")
		} else if comparisonAtEnd.MatchString(mon.Query) {
			p.add(path+".query", "ends with a comparison; write the query up to it: the comparison is rendered from comparator and critical")
		}
		if hasSearch {
			p.add(path+".search", "is for event and log monitors; a metric monitor has a query")
		}
		if hasWindow {
			p.add(path+".window", "is for event and log monitors; a metric query carries its own window, as sum(last_5m):...")
		}
		if mon.OnMissingData != "" {
			p.add(path+".onMissingData", "is for event and log monitors")
		}
	case MonitorEvent, MonitorLog:
		if !hasSearch {
			p.add(path+".search", "missing; an %s monitor needs its search, such as source:amazon_sns", mon.Kind)
		} else {
			checkNonEmpty(p, path+".search", mon.Search)
		}
		if hasQuery {
			p.add(path+".query", "is for metric monitors; an %s monitor has a search, and the query is rendered from it", mon.Kind)
		}
	}
}

// checkThresholds checks that the thresholds are ordered as the comparator
// requires: for ">", a warning below critical and recoveries below what
// they recover from.
func checkThresholds(p *problems, path string, mon Monitor) {
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
		p.add(path+".warning", "must be %s critical (%s) for comparator %s", word, FormatNumber(mon.Critical), mon.Comparator)
	}
	if mon.CriticalRecovery != nil && !beyond(mon.Critical, *mon.CriticalRecovery) {
		p.add(path+".criticalRecovery", "must be %s critical (%s) for comparator %s", word, FormatNumber(mon.Critical), mon.Comparator)
	}
	if mon.WarningRecovery != nil {
		if mon.Warning == nil {
			p.add(path+".warningRecovery", "needs a warning threshold to recover from")
		} else if !beyond(*mon.Warning, *mon.WarningRecovery) {
			p.add(path+".warningRecovery", "must be %s warning (%s) for comparator %s", word, FormatNumber(*mon.Warning), mon.Comparator)
		}
	}
}

// FormatNumber renders a threshold as Datadog shows it: 5000, 0.5, never
// in exponent form.
func FormatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func checkNonEmpty(p *problems, path, s string) {
	if strings.TrimSpace(s) == "" {
		p.add(path, "is empty")
	}
}

// decodeNotify resolves a list of channel keys to their handles.
func decodeNotify(p *problems, path string, v any, channels map[string]string) []string {
	var keys []string
	before := len(p.errs)
	p.strList(path, v, "channel keys", &keys)
	if len(p.errs) != before {
		return nil
	}
	known := sortedKeys(channels)
	var handles []string
	seen := map[string]int{}
	for i, k := range keys {
		ip := fmt.Sprintf("%s[%d]", path, i)
		h, ok := channels[k]
		if !ok {
			p.add(ip, "no channel %q in channels%s; channels: %s", k, didYouMean(k, known), strings.Join(known, ", "))
			continue
		}
		if j, dup := seen[k]; dup {
			p.add(ip, "%q is listed twice (also at [%d])", k, j)
			continue
		}
		seen[k] = i
		handles = append(handles, h)
	}
	return handles
}

var handlePattern = regexp.MustCompile(`^@[A-Za-z0-9_.\-]+$`)

func decodeChannels(p *problems, raw string, out map[string]string) {
	m, ok := decodeSection(p, KeyChannels, raw, "channel key to notification handle (\"@slack-...\")")
	if !ok {
		return
	}
	for _, key := range sortedKeys(m) {
		path := KeyChannels + "." + key
		checkKey(p, path, key)
		var h string
		before := len(p.errs)
		p.str(path, m[key], &h)
		if len(p.errs) != before {
			continue
		}
		if !handlePattern.MatchString(h) {
			p.add(path, "%q is not a Datadog notification handle such as @slack-pytorch-infra-alerts or @webhook-lf-incident-io", h)
			continue
		}
		out[key] = h
	}
}

// WithHandles renders a notification message: the text, then the channel
// handles one a line, so that Datadog notifies them.
func WithHandles(text string, handles []string) string {
	text = strings.TrimSpace(text)
	if len(handles) == 0 {
		return text
	}
	return text + "\n\n" + strings.Join(handles, "\n")
}
