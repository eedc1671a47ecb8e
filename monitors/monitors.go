// Package monitors manages the Datadog monitors of the stack config
// (`pytorch-datadog:monitors`): their config, its decoding and validation,
// and one datadog.Monitor per config key: metric (query alert), event
// (event-v2 alert) and log (log alert) monitors, whose query comparison and
// thresholds are rendered from the same configured numbers.
package monitors

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the monitors register as.
const Token = "datadog:index/monitor:Monitor"

// Type is the Datadog monitor type of a kind.
func Type(kind string) string {
	switch kind {
	case Event:
		return "event-v2 alert"
	case Log:
		return "log alert"
	default:
		return "query alert"
	}
}

// Query renders a monitor's query, its comparison made of the comparator
// and the critical threshold: the one place both come from.
func Query(m Monitor) string {
	comparison := m.Comparator + " " + kit.FormatNumber(m.Critical)
	switch m.Kind {
	case Event, Log:
		source := "events"
		if m.Kind == Log {
			source = "logs"
		}
		return fmt.Sprintf(`%s(%s).rollup("count").last(%q) %s`, source, quote(m.Search), m.Window, comparison)
	default:
		return strings.TrimSpace(m.Query) + " " + comparison
	}
}

// quote writes a search as a double-quoted string of Datadog's query
// language, escaping backslashes and quotes.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(strings.TrimSpace(s)) + `"`
}

// Thresholds renders the thresholds, strings on the wire.
func Thresholds(m Monitor) *datadog.MonitorMonitorThresholdsArgs {
	opt := func(f *float64) pulumi.StringPtrInput {
		if f == nil {
			return nil
		}
		return pulumi.String(kit.FormatNumber(*f))
	}
	return &datadog.MonitorMonitorThresholdsArgs{
		Critical:         pulumi.String(kit.FormatNumber(m.Critical)),
		Warning:          opt(m.Warning),
		CriticalRecovery: opt(m.CriticalRecovery),
		WarningRecovery:  opt(m.WarningRecovery),
	}
}

// New registers one datadog.Monitor per config key, in sorted key order,
// each named by its key, and returns them by key. `locked` and
// `restrictedRoles` are never set: both are deprecated and gone from the
// provider's next major version.
func New(ctx *pulumi.Context, monitors map[string]Monitor, opts ...pulumi.ResourceOption) (map[string]*datadog.Monitor, error) {
	out := map[string]*datadog.Monitor{}
	for _, key := range kit.SortedKeys(monitors) {
		m := monitors[key]
		a := &datadog.MonitorArgs{
			Name:              pulumi.String(m.Name),
			Type:              pulumi.String(Type(m.Kind)),
			Query:             pulumi.String(Query(m)),
			Message:           pulumi.String(kit.WithHandles(m.Message, m.Notify)),
			MonitorThresholds: Thresholds(m),
			RequireFullWindow: pulumi.Bool(m.RequireFullWindow),
			IncludeTags:       pulumi.Bool(m.IncludeTags),
		}
		if m.RenotifyInterval != nil {
			a.RenotifyInterval = pulumi.Int(*m.RenotifyInterval)
		}
		if m.NotifyNoData != nil {
			a.NotifyNoData = pulumi.Bool(*m.NotifyNoData)
		}
		if m.NotifyAudit != nil {
			a.NotifyAudit = pulumi.Bool(*m.NotifyAudit)
		}
		if m.EvaluationDelay > 0 {
			a.EvaluationDelay = pulumi.Int(m.EvaluationDelay)
		}
		if m.OnMissingData != "" {
			a.OnMissingData = pulumi.String(m.OnMissingData)
		}
		// Always sent, [] when none: see Monitor.Tags.
		a.Tags = pulumi.ToStringArray(append([]string{}, m.Tags...))
		if m.Priority > 0 {
			a.Priority = pulumi.String(strconv.Itoa(m.Priority))
		}
		mon, err := datadog.NewMonitor(ctx, key, a, kit.WithImport(m.ImportID, opts...)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = mon
	}
	return out, nil
}
