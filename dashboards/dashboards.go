// Package dashboards manages the Datadog dashboards of the stack config
// (`pytorch-datadog:dashboards`): their config, its decoding and validation,
// and one resource per config key, in one of two forms. A structured
// dashboard (title, layout, monitor summary widgets) registers as a
// datadog.Dashboard; a dashboard built in the Datadog UI is brought into
// code by its exported JSON and registers as a datadog.DashboardJson.
package dashboards

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type structured dashboards register as.
const Token = "datadog:index/dashboard:Dashboard"

// JSONToken is the Pulumi type dashboards given by their JSON register as.
const JSONToken = "datadog:index/dashboardJson:DashboardJson"

// New registers one resource per config key, in sorted key order, each
// named by its key: a datadog.DashboardJson for a dashboard given by its
// JSON, a datadog.Dashboard otherwise. The provider option applies to each.
func New(ctx *pulumi.Context, dashboards map[string]Dashboard, provider pulumi.ResourceOrInvokeOption) error {
	for _, key := range kit.SortedKeys(dashboards) {
		d := dashboards[key]
		var err error
		if d.JSON != "" {
			_, err = datadog.NewDashboardJson(ctx, key, &datadog.DashboardJsonArgs{
				Dashboard: pulumi.String(d.JSON),
			}, kit.WithImport(d.ImportID, provider)...)
		} else {
			_, err = datadog.NewDashboard(ctx, key, args(d), kit.WithImport(d.ImportID, provider)...)
		}
		if err != nil {
			return fmt.Errorf("%s.%s: %w", Section, key, err)
		}
	}
	return nil
}

// args renders a structured dashboard's inputs. The description, tags and
// widgets are always sent, and each widget with every field, so that a
// change made in the UI shows as drift. An ordered dashboard also sends its
// reflow type: fixed when its widgets have layouts, auto when none has (a
// free one takes none).
func args(d Dashboard) *datadog.DashboardArgs {
	widgets := datadog.DashboardWidgetArray{}
	for _, w := range d.Widgets {
		s := w.MonitorSummary
		widget := datadog.DashboardWidgetArgs{
			ManageStatusDefinition: &datadog.DashboardWidgetManageStatusDefinitionArgs{
				Title:             pulumi.String(s.Title),
				TitleSize:         pulumi.String(strconv.Itoa(s.TitleSize)),
				TitleAlign:        pulumi.String(s.TitleAlign),
				Query:             pulumi.String(s.Query),
				SummaryType:       pulumi.String(s.SummaryType),
				DisplayFormat:     pulumi.String(s.DisplayFormat),
				ColorPreference:   pulumi.String(s.ColorPreference),
				HideZeroCounts:    pulumi.Bool(s.HideZeroCounts),
				ShowLastTriggered: pulumi.Bool(s.ShowLastTriggered),
				ShowPriority:      pulumi.Bool(s.ShowPriority),
				Sort:              pulumi.String(s.Sort),
			},
		}
		if l := w.Layout; l != nil {
			widget.WidgetLayout = &datadog.DashboardWidgetWidgetLayoutArgs{
				X:      pulumi.Int(l.X),
				Y:      pulumi.Int(l.Y),
				Width:  pulumi.Int(l.Width),
				Height: pulumi.Int(l.Height),
			}
		}
		widgets = append(widgets, widget)
	}
	tags := pulumi.StringArray{}
	for _, t := range d.Tags {
		tags = append(tags, pulumi.String(t))
	}
	a := &datadog.DashboardArgs{
		Title:       pulumi.String(d.Title),
		Description: pulumi.String(d.Description),
		LayoutType:  pulumi.String(d.LayoutType),
		Widgets:     widgets,
		Tags:        tags,
	}
	if d.LayoutType == Ordered {
		reflow := "auto"
		for _, w := range d.Widgets {
			if w.Layout != nil {
				reflow = "fixed"
			}
		}
		a.ReflowType = pulumi.String(reflow)
	}
	return a
}
