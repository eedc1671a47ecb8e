package ddfake_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pytorch-fdn/pytorch-datadog/internal/ddfake"
	"github.com/pytorch-fdn/pytorch-datadog/internal/live"
	"github.com/pytorch-fdn/pytorch-datadog/internal/tfstate"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// productionObjects are the objects of PyTorch's production state.
func productionObjects(t *testing.T) []tfstate.Object {
	return ddfake.ProductionState(t, program.TerraformTypes())
}

// production is a Fake seeded with PyTorch's production state.
func production(t *testing.T) *ddfake.Fake {
	return ddfake.Production(t, program.TerraformTypes())
}

// unparsed lists, by path, every part of a decoded client model that the
// client could not decode (its UnparsedObject is set): where the Fake
// answered something Datadog's client does not read exactly.
func unparsed(v any) []string {
	var out []string
	var walk func(path string, v reflect.Value, depth int)
	walk = func(path string, v reflect.Value, depth int) {
		if depth > 40 {
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem(), depth+1)
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				field := v.Type().Field(i)
				fv := v.Field(i)
				if field.Name == "UnparsedObject" {
					if !fv.IsZero() && !(fv.Kind() == reflect.Map && fv.Len() == 0) {
						out = append(out, path)
					}
					continue
				}
				walk(path+"."+field.Name, fv, depth+1)
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i), depth+1)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(fmt.Sprintf("%s[%v]", path, k), v.MapIndex(k), depth+1)
			}
		}
	}
	walk("", reflect.ValueOf(v), 0)
	return out
}

func TestUnparsedFindsWhatTheClientCannotRead(t *testing.T) {
	t.Parallel()
	var ok, bad datadogV1.Monitor
	require.NoError(t, datadog.Unmarshal([]byte(`{"id": 1, "query": "q", "type": "query alert", "options": {"on_missing_data": "resolve"}}`), &ok))
	require.NoError(t, datadog.Unmarshal([]byte(`{"id": 1, "query": "q", "type": "query alert", "options": {"on_missing_data": "never"}}`), &bad))
	assert.Empty(t, unparsed(ok))
	assert.NotEmpty(t, unparsed([]any{bad}), "an enum value the client does not know")
}

// status is the HTTP status of a client error ("" if it is not the
// client's error for an answer).
func status(err error) string {
	var oe datadog.GenericOpenAPIError
	if errors.As(err, &oe) {
		return oe.ErrorMessage
	}
	return ""
}

// paths are the paths of the requests received, in order.
func paths(f *ddfake.Fake) []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestEveryEndpointDecodes(t *testing.T) {
	t.Parallel()
	f := production(t)
	f.Generate(3, 3, 3, 3)
	r := f.Reader(t)
	ctx := r.Context()
	usersAPI, rolesAPI, teamsAPI := datadogV2.NewUsersApi(r.Client()), datadogV2.NewRolesApi(r.Client()), datadogV2.NewTeamsApi(r.Client())
	monitors, synthetics, dashboards := datadogV1.NewMonitorsApi(r.Client()), datadogV1.NewSyntheticsApi(r.Client()), datadogV1.NewDashboardsApi(r.Client())
	tests := map[string]struct {
		path  string
		call  func() (any, int, error)
		count int
	}{
		"users": {"/api/v2/users", func() (any, int, error) {
			resp, _, err := usersAPI.ListUsers(ctx, *datadogV2.NewListUsersOptionalParameters().WithPageSize(100))
			return resp, len(resp.Data), err
		}, 9},
		"roles": {"/api/v2/roles", func() (any, int, error) {
			resp, _, err := rolesAPI.ListRoles(ctx, *datadogV2.NewListRolesOptionalParameters().WithPageSize(100))
			return resp, len(resp.Data), err
		}, 4},
		"permissions": {"/api/v2/permissions", func() (any, int, error) {
			resp, _, err := rolesAPI.ListPermissions(ctx)
			return resp, len(resp.Data), err
		}, 13},
		"teams": {"/api/v2/team", func() (any, int, error) {
			resp, _, err := teamsAPI.ListTeams(ctx, *datadogV2.NewListTeamsOptionalParameters().WithPageSize(100))
			return resp, len(resp.Data), err
		}, 5},
		"slack channels": {"/api/v1/integration/slack/configuration/accounts/PyTorch/channels", func() (any, int, error) {
			resp, _, err := datadogV1.NewSlackIntegrationApi(r.Client()).GetSlackIntegrationChannels(ctx, "PyTorch")
			return resp, len(resp), err
		}, 1},
		"webhook": {"/api/v1/integration/webhooks/configuration/webhooks/lf-incident-io", func() (any, int, error) {
			resp, _, err := datadogV1.NewWebhooksIntegrationApi(r.Client()).GetWebhooksIntegration(ctx, "lf-incident-io")
			return resp, 1, err
		}, 1},
		"monitors": {"/api/v1/monitor", func() (any, int, error) {
			resp, _, err := monitors.ListMonitors(ctx)
			return resp, len(resp), err
		}, 7},
		"synthetics tests": {"/api/v1/synthetics/tests", func() (any, int, error) {
			resp, _, err := synthetics.ListTests(ctx, *datadogV1.NewListTestsOptionalParameters().WithPageSize(100).WithPageNumber(0))
			return resp, len(resp.Tests), err
		}, 21},
		"dashboards": {"/api/v1/dashboard", func() (any, int, error) {
			resp, _, err := dashboards.ListDashboards(ctx, *datadogV1.NewListDashboardsOptionalParameters().WithCount(100))
			return resp, len(resp.Dashboards), err
		}, 4},
		"dashboard": {"/api/v1/dashboard/q7x-2kd-9pa", func() (any, int, error) {
			resp, _, err := dashboards.GetDashboard(ctx, "q7x-2kd-9pa")
			return resp, len(resp.Widgets), err
		}, 1},
		"aws accounts": {"/api/v2/integration/aws/accounts", func() (any, int, error) {
			resp, _, err := datadogV2.NewAWSIntegrationApi(r.Client()).ListAWSAccounts(ctx)
			return resp, len(resp.Data), err
		}, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp, n, err := tc.call()
			require.NoError(t, err)
			assert.Equal(t, tc.count, n)
			assert.Empty(t, unparsed(resp), "parts the client could not decode")
			assert.Contains(t, paths(f), "GET "+tc.path)
		})
	}
}

func TestSeedTerraformProduction(t *testing.T) {
	t.Parallel()
	objs := productionObjects(t)
	byType := map[string]int{}
	for _, o := range objs {
		byType[o.Type]++
	}
	// The state holds the organisation of ../shared/reference/production.md.
	require.Equal(t, map[string]int{
		"datadog_user": 6, "datadog_role": 1, "datadog_team": 5, "datadog_integration_slack_channel": 1,
		"datadog_webhook": 1, "datadog_monitor": 4, "datadog_synthetics_test": 18, "datadog_dashboard": 1,
		"datadog_integration_aws_account": 1,
	}, byType)

	f := ddfake.New(t)
	require.NoError(t, f.SeedTerraform(objs))
	r := f.Reader(t)
	ctx := r.Context()

	users, _, err := datadogV2.NewUsersApi(r.Client()).ListUsers(ctx, *datadogV2.NewListUsersOptionalParameters().WithPageSize(100))
	require.NoError(t, err)
	roleNames := map[string]string{}
	for _, inc := range users.Included {
		require.NotNil(t, inc.Role, "only roles are included")
		roleNames[inc.Role.GetId()] = inc.Role.Attributes.GetName()
	}
	gotUsers := map[string][]string{}
	for _, u := range users.Data {
		assert.Equal(t, "Active", u.Attributes.GetStatus())
		assert.False(t, u.Attributes.GetDisabled())
		for _, rd := range u.Relationships.Roles.Data {
			gotUsers[u.Attributes.GetEmail()] = append(gotUsers[u.Attributes.GetEmail()], roleNames[rd.GetId()])
		}
	}
	assert.Equal(t, map[string][]string{
		"jconway@linuxfoundation.org":  {"Datadog Admin Role"},
		"thanh.ha@linuxfoundation.org": {"Datadog Admin Role"},
		"rdetjens@linuxfoundation.org": {"Datadog Admin Role"},
		"rgrigar@linuxfoundation.org":  {"Datadog Admin Role"},
		"faa.diallo@amd.com":           {"Limited Read Write"},
		"atalman@meta.com":             {"Limited Read Write"},
	}, gotUsers)
	assert.Equal(t, int64(6), users.Meta.Page.GetTotalCount())

	roles, _, err := datadogV2.NewRolesApi(r.Client()).ListRoles(ctx, *datadogV2.NewListRolesOptionalParameters().WithPageSize(100))
	require.NoError(t, err)
	perms, _, err := datadogV2.NewRolesApi(r.Client()).ListPermissions(ctx)
	require.NoError(t, err)
	permNames := map[string]string{}
	for _, p := range perms.Data {
		permNames[p.GetId()] = p.Attributes.GetName()
	}
	var names, custom []string
	for _, role := range roles.Data {
		names = append(names, role.Attributes.GetName())
		if role.GetId() != "56f06eb4-9ba1-fa6f-ba47-7805b0582bd5" {
			continue
		}
		for _, p := range role.Relationships.Permissions.Data {
			custom = append(custom, permNames[p.GetId()])
		}
	}
	assert.Equal(t, []string{"Datadog Admin Role", "Datadog Standard Role", "Datadog Read Only Role", "Limited Read Write"}, names,
		"Datadog's own roles, and the one custom role")
	assert.Equal(t, []string{"logs_read_data", "logs_read_index_data", "logs_read_archives", "synthetics_read", "cases_read",
		"audit_logs_read", "dashboards_write", "dashboards_public_share", "monitors_write", "synthetics_write", "cases_write",
		"notebooks_write", "incident_write"}, custom)

	teams, _, err := datadogV2.NewTeamsApi(r.Client()).ListTeams(ctx, *datadogV2.NewListTeamsOptionalParameters().WithPageSize(100))
	require.NoError(t, err)
	gotTeams := map[string]string{}
	for _, team := range teams.Data {
		gotTeams[team.Attributes.Handle] = team.Attributes.Name
		if team.Attributes.Handle == "lf-staff" {
			assert.Equal(t, "8d696c9a-46e2-3ce9-dfd8-e20fa5fd8151", team.Id)
			assert.Equal(t, "Linux Foundation staff members", team.Attributes.GetDescription())
		}
	}
	assert.Equal(t, map[string]string{"lf-staff": "LF Staff", "meta-staff": "Meta Staff", "amd-staff": "AMD Staff",
		"nvidia-staff": "Nvidia Staff", "ibm-staff": "IBM Staff"}, gotTeams)

	channels, _, err := datadogV1.NewSlackIntegrationApi(r.Client()).GetSlackIntegrationChannels(ctx, "PyTorch")
	require.NoError(t, err)
	require.Len(t, channels, 1)
	assert.Equal(t, "#pytorch-infra-alerts", channels[0].GetName())
	display := channels[0].GetDisplay()
	assert.True(t, display.GetMessage() && display.GetNotified() && display.GetSnapshot() && display.GetTags() && display.GetMuteButtons())

	hook, _, err := datadogV1.NewWebhooksIntegrationApi(r.Client()).GetWebhooksIntegration(ctx, "lf-incident-io")
	require.NoError(t, err)
	assert.Equal(t, "https://api.incident.io/v2/alert_events/datadog/01JKTRSFTE6H2SR4AFM4VGWZFN", hook.Url)
	assert.Equal(t, datadogV1.WEBHOOKSINTEGRATIONENCODING_JSON, hook.GetEncodeAs())
	assert.False(t, hook.CustomHeaders.IsSet(), "the state hides the headers: the Fake invents none")

	monitors, _, err := datadogV1.NewMonitorsApi(r.Client()).ListMonitors(ctx)
	require.NoError(t, err)
	gotMonitors := map[int64]string{}
	for _, m := range monitors {
		gotMonitors[m.GetId()] = m.GetName()
		assert.Equal(t, datadogV1.MONITORTYPE_QUERY_ALERT, m.Type, "the state's type")
	}
	assert.Equal(t, map[int64]string{
		16401001: "ALI AutoScaler Dead Letter Queue High Number Of Messages", 16401002: "ALI ValidationException Detected",
		16401003: "GitHub API usage unusually high", 16401004: "download.pytorch.org 499 spike",
	}, gotMonitors)

	tests, _, err := datadogV1.NewSyntheticsApi(r.Client()).ListTests(ctx)
	require.NoError(t, err)
	require.Len(t, tests.Tests, 18)
	gotTests := map[string]string{}
	for _, test := range tests.Tests {
		gotTests[test.GetPublicId()] = test.GetName()
		assert.Equal(t, datadogV1.SYNTHETICSTESTDETAILSTYPE_API, test.GetType())
	}
	assert.Len(t, gotTests, 18)
	assert.Equal(t, "pytorch.org Check", gotTests["cbd-2ak-dyg"])
	assert.Equal(t, "GHA Runner Queue Check - Meta Runners - AWS H100", gotTests["jgn-tue-o5n"])

	dash, _, err := datadogV1.NewDashboardsApi(r.Client()).GetDashboard(ctx, "q7x-2kd-9pa")
	require.NoError(t, err)
	assert.Equal(t, "PyTorch Services Status Dashboard", dash.Title)
	assert.Equal(t, "Shows the current status of PyTorch services", dash.GetDescription())
	assert.Equal(t, datadogV1.DASHBOARDLAYOUTTYPE_FREE, dash.LayoutType)
	require.Len(t, dash.Widgets, 1)
	ms := dash.Widgets[0].Definition.MonitorSummaryWidgetDefinition
	require.NotNil(t, ms, "a monitor summary")
	assert.Equal(t, "", ms.Query, "every monitor")
	assert.Equal(t, datadogV1.WIDGETSUMMARYTYPE_MONITORS, ms.GetSummaryType())
	assert.Equal(t, datadogV1.WIDGETMONITORSUMMARYDISPLAYFORMAT_COUNTS_AND_LIST, ms.GetDisplayFormat())
	assert.Equal(t, datadogV1.WIDGETCOLORPREFERENCE_TEXT, ms.GetColorPreference())
	assert.True(t, ms.GetHideZeroCounts())
	assert.False(t, ms.GetShowLastTriggered())
	assert.Equal(t, "status,asc", string(ms.GetSort()))
	assert.Equal(t, "PyTorch Service Monitors", ms.GetTitle())
	assert.Equal(t, "16", ms.GetTitleSize())
	assert.Equal(t, datadogV1.WIDGETTEXTALIGN_LEFT, ms.GetTitleAlign())
	assert.Equal(t, datadogV1.WidgetLayout{X: 0, Y: 0, Width: 80, Height: 100, IsColumnBreak: datadog.PtrBool(false)}, *dash.Widgets[0].Layout)

	summaries, _, err := datadogV1.NewDashboardsApi(r.Client()).ListDashboards(ctx)
	require.NoError(t, err)
	require.Len(t, summaries.Dashboards, 1)
	assert.Equal(t, "/dashboard/q7x-2kd-9pa/pytorch-services-status-dashboard", summaries.Dashboards[0].GetUrl())
	assert.Equal(t, "PyTorch Services Status Dashboard", summaries.Dashboards[0].GetTitle())

	accounts, _, err := datadogV2.NewAWSIntegrationApi(r.Client()).ListAWSAccounts(ctx)
	require.NoError(t, err)
	require.Len(t, accounts.Data, 1)
	acct := accounts.Data[0]
	assert.Equal(t, "ac68bbf9-21d9-53d1-cfab-916cb6120864", acct.Id)
	attrs := acct.GetAttributes()
	assert.Equal(t, "391835788720", attrs.AwsAccountId)
	assert.Equal(t, datadogV2.AWSACCOUNTPARTITION_AWS, attrs.GetAwsPartition())
	auth := attrs.GetAuthConfig()
	require.NotNil(t, auth.AWSAuthConfigRole)
	assert.Equal(t, "DatadogIntegrationRole", auth.AWSAuthConfigRole.RoleName)
	regions := attrs.GetAwsRegions()
	require.NotNil(t, regions.AWSRegionsIncludeAll)
	assert.True(t, regions.AWSRegionsIncludeAll.IncludeAll)
	metrics := attrs.GetMetricsConfig()
	assert.True(t, metrics.GetCollectCloudwatchAlarms() && metrics.GetCollectCustomMetrics())
	nf := metrics.GetNamespaceFilters()
	require.NotNil(t, nf.AWSNamespaceFiltersExcludeOnly)
	assert.Equal(t, []string{"AWS/SQS", "AWS/ElasticMapReduce", "AWS/Usage"}, nf.AWSNamespaceFiltersExcludeOnly.ExcludeOnly)
	res := attrs.GetResourcesConfig()
	assert.True(t, res.GetCloudSecurityPostureManagementCollection())
	traces := attrs.GetTracesConfig()
	xray := traces.GetXrayServices()
	require.NotNil(t, xray.XRayServicesIncludeOnly, "an X-Ray block that lists no service")
	assert.Empty(t, xray.XRayServicesIncludeOnly.IncludeOnly)
	logs := attrs.GetLogsConfig()
	assert.NotNil(t, logs.LambdaForwarder, "logs through the Lambda forwarder")

	for _, v := range []any{users, roles, perms, teams, channels, hook, monitors, tests, dash, summaries, accounts} {
		assert.Empty(t, unparsed(v), "parts of %T the client could not decode", v)
	}
}

func TestSeedTerraformRichAttributes(t *testing.T) {
	t.Parallel()
	objs := []tfstate.Object{
		{Address: "datadog_monitor.m", Type: "datadog_monitor", ID: "123", Attrs: map[string]any{
			"id": "123", "name": "Queue high", "type": "query alert",
			"query":   "sum(last_15m):max:aws.sqs.number_of_messages_sent{queuename:q}.as_count() > 5000",
			"message": "Check it. @slack-PyTorch-pytorch-infra-alerts", "tags": []any{"team:infra"}, "priority": "2",
			"monitor_thresholds": []any{map[string]any{"critical": "5000", "warning": "1000", "ok": ""}},
			"include_tags":       false, "on_missing_data": "resolve", "require_full_window": false,
			"renotify_interval": 60.0, "evaluation_delay": 0.0, "notification_preset_name": "",
			"monitor_threshold_windows": []any{}, "scheduling_options": []any{},
		}},
		{Address: "datadog_synthetics_test.t", Type: "datadog_synthetics_test", ID: "abc-123-xyz", Attrs: map[string]any{
			"id": "abc-123-xyz", "name": "docs Check", "type": "api", "subtype": "http", "status": "live",
			"message": "@slack-pytorch-infra-alerts", "locations": []any{"aws:us-west-2"},
			"tags": []any{"env:project", "service:docs"}, "monitor_id": 4242.0,
			"request_definition": []any{map[string]any{"method": "GET", "url": "https://docs.pytorch.org", "body": "",
				"timeout": 0.0, "dns_server": "", "port": ""}},
			"request_headers": map[string]any{"Accept": "text/html"},
			"assertion": []any{
				map[string]any{"type": "statusCode", "operator": "is", "target": "200", "property": "", "targetjsonpath": []any{}},
				map[string]any{"type": "body", "operator": "contains", "target": "PyTorch documentation"},
				map[string]any{"type": "header", "operator": "is", "property": "location", "target": "https://docs.pytorch.org/docs"},
				map[string]any{"type": "certificate", "operator": "isInMoreThan", "target": "14"},
				map[string]any{"type": "javascript", "code": "dd.expect(1).to.equal(1);"},
				map[string]any{"type": "body", "operator": "validatesJSONPath", "targetjsonpath": []any{
					map[string]any{"jsonpath": "$.ok", "operator": "is", "targetvalue": "true"}}},
			},
			"options_list": []any{map[string]any{"tick_every": 300.0, "follow_redirects": true, "min_failure_duration": 0.0,
				"retry":           []any{map[string]any{"count": 3.0, "interval": 300000.0}},
				"monitor_options": []any{map[string]any{"renotify_interval": 120.0}},
				"http_version":    "any", "scheduling": []any{map[string]any{"timezone": "UTC"}}}},
		}},
		{Address: "datadog_dashboard.d", Type: "datadog_dashboard", ID: "abc-def-ghi", Attrs: map[string]any{
			"id": "abc-def-ghi", "title": "Ops", "layout_type": "ordered", "reflow_type": "", "description": "",
			"widget": []any{
				map[string]any{"note_definition": []any{map[string]any{"content": "hello", "background_color": "", "font_size": ""}}},
				map[string]any{"group_definition": []any{map[string]any{"title": "Group", "layout_type": "ordered",
					"widget": []any{map[string]any{"manage_status_definition": []any{map[string]any{
						"query": "tag:service", "summary_type": "monitors", "display_format": "counts"}}}}}}},
			},
		}},
		{Address: "datadog_integration_aws_account.keys", Type: "datadog_integration_aws_account", ID: "cfg-1", Attrs: map[string]any{
			"id": "cfg-1", "aws_account_id": "123456789012", "aws_partition": "aws",
			"auth_config": []any{map[string]any{"aws_auth_config_keys": []any{map[string]any{"access_key_id": "AKIA0", "secret_access_key": "s3cr3t"}}}},
			"aws_regions": []any{map[string]any{"include_all": false, "include_only": []any{"us-east-1"}}},
			"metrics_config": []any{map[string]any{"enabled": true, "tag_filters": []any{map[string]any{"namespace": "AWS/EC2", "tags": []any{"env:prod"}}},
				"namespace_filters": []any{map[string]any{"include_only": []any{"AWS/EC2"}, "exclude_only": []any{}}}}},
		}},
	}
	f := ddfake.New(t)
	require.NoError(t, f.SeedTerraform(objs))
	r := f.Reader(t)
	ctx := r.Context()

	monitors, _, err := datadogV1.NewMonitorsApi(r.Client()).ListMonitors(ctx)
	require.NoError(t, err)
	require.Len(t, monitors, 1)
	m := monitors[0]
	assert.Equal(t, int64(123), m.GetId())
	assert.Equal(t, "Queue high", m.GetName())
	assert.Contains(t, m.Query, "> 5000")
	assert.Equal(t, []string{"team:infra"}, m.Tags)
	assert.Equal(t, int64(2), m.GetPriority())
	opts := m.GetOptions()
	th := opts.GetThresholds()
	assert.Equal(t, 5000.0, th.GetCritical())
	assert.Equal(t, 1000.0, th.GetWarning())
	assert.False(t, th.Ok.IsSet(), "an empty threshold is unset")
	assert.Equal(t, datadogV1.ONMISSINGDATAOPTION_RESOLVE, opts.GetOnMissingData())
	assert.Equal(t, int64(60), opts.GetRenotifyInterval())
	assert.False(t, opts.GetIncludeTags())
	assert.Nil(t, opts.NotificationPresetName, "an empty enum is left out")

	tests, _, err := datadogV1.NewSyntheticsApi(r.Client()).ListTests(ctx)
	require.NoError(t, err)
	require.Len(t, tests.Tests, 1)
	test := tests.Tests[0]
	assert.Equal(t, int64(4242), test.GetMonitorId())
	assert.Equal(t, datadogV1.SYNTHETICSTESTDETAILSSUBTYPE_HTTP, test.GetSubtype())
	cfg := test.GetConfig()
	req := cfg.GetRequest()
	assert.Equal(t, "GET", req.GetMethod())
	assert.Equal(t, "https://docs.pytorch.org", req.GetUrl())
	assert.Equal(t, map[string]string{"Accept": "text/html"}, req.Headers)
	assert.Nil(t, req.DnsServer, "empty attributes are left out")
	require.Len(t, cfg.Assertions, 6)
	code := cfg.Assertions[0].SyntheticsAssertionTarget
	require.NotNil(t, code)
	assert.Equal(t, 200.0, *code.Target.SyntheticsAssertionTargetValueNumber, "a status code is a number")
	body := cfg.Assertions[1].SyntheticsAssertionTarget
	require.NotNil(t, body)
	assert.Equal(t, "PyTorch documentation", *body.Target.SyntheticsAssertionTargetValueString)
	assert.Equal(t, "location", cfg.Assertions[2].SyntheticsAssertionTarget.GetProperty())
	assert.Equal(t, 14.0, *cfg.Assertions[3].SyntheticsAssertionTarget.Target.SyntheticsAssertionTargetValueNumber)
	require.NotNil(t, cfg.Assertions[4].SyntheticsAssertionJavascript)
	assert.Equal(t, "dd.expect(1).to.equal(1);", cfg.Assertions[4].SyntheticsAssertionJavascript.Code)
	jp := cfg.Assertions[5].SyntheticsAssertionJSONPathTarget
	require.NotNil(t, jp)
	assert.Equal(t, "$.ok", jp.Target.GetJsonPath())
	topts := test.GetOptions()
	assert.Equal(t, int64(300), topts.GetTickEvery())
	assert.True(t, topts.GetFollowRedirects())
	retry := topts.GetRetry()
	assert.Equal(t, int64(3), retry.GetCount())
	assert.Equal(t, 300000.0, retry.GetInterval())
	mo := topts.GetMonitorOptions()
	assert.Equal(t, int64(120), mo.GetRenotifyInterval())
	assert.Equal(t, datadogV1.SYNTHETICSTESTOPTIONSHTTPVERSION_ANY, topts.GetHttpVersion())
	assert.Nil(t, topts.Scheduling, "scheduling is left out")

	dash, _, err := datadogV1.NewDashboardsApi(r.Client()).GetDashboard(ctx, "abc-def-ghi")
	require.NoError(t, err)
	require.Len(t, dash.Widgets, 2)
	require.NotNil(t, dash.Widgets[0].Definition.NoteWidgetDefinition)
	assert.Equal(t, "hello", dash.Widgets[0].Definition.NoteWidgetDefinition.Content)
	group := dash.Widgets[1].Definition.GroupWidgetDefinition
	require.NotNil(t, group)
	require.Len(t, group.Widgets, 1)
	require.NotNil(t, group.Widgets[0].Definition.MonitorSummaryWidgetDefinition)
	assert.Equal(t, "tag:service", group.Widgets[0].Definition.MonitorSummaryWidgetDefinition.Query)

	accounts, _, err := datadogV2.NewAWSIntegrationApi(r.Client()).ListAWSAccounts(ctx)
	require.NoError(t, err)
	require.Len(t, accounts.Data, 1)
	attrs := accounts.Data[0].GetAttributes()
	auth := attrs.GetAuthConfig()
	require.NotNil(t, auth.AWSAuthConfigKeys)
	assert.Equal(t, "AKIA0", auth.AWSAuthConfigKeys.AccessKeyId)
	assert.Nil(t, auth.AWSAuthConfigKeys.SecretAccessKey, "Datadog never answers the secret key")
	regions := attrs.GetAwsRegions()
	require.NotNil(t, regions.AWSRegionsIncludeOnly)
	assert.Equal(t, []string{"us-east-1"}, regions.AWSRegionsIncludeOnly.IncludeOnly)
	metrics := attrs.GetMetricsConfig()
	require.Len(t, metrics.TagFilters, 1, "one tag filter stays a list")
	assert.Equal(t, []string{"env:prod"}, metrics.TagFilters[0].GetTags())
	nf := metrics.GetNamespaceFilters()
	require.NotNil(t, nf.AWSNamespaceFiltersIncludeOnly, "the alternative the state sets")

	for _, v := range []any{monitors, tests, dash, accounts} {
		assert.Empty(t, unparsed(v), "parts of %T the client could not decode", v)
	}
}

func TestSeedTerraformRefusesWholly(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	err := f.SeedTerraform([]tfstate.Object{
		{Address: "datadog_team.t", Type: "datadog_team", ID: "t1", Attrs: map[string]any{"handle": "t", "name": "T"}},
		{Address: "datadog_monitor.bad", Type: "datadog_monitor", ID: "not-a-number", Attrs: map[string]any{"name": "x"}},
		{Address: "datadog_downtime.skipped", Type: "datadog_downtime", ID: "1", Attrs: map[string]any{}},
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "datadog_monitor.bad")
	f.Lock()
	defer f.Unlock()
	assert.Empty(t, f.Teams, "nothing is added unless every object converts")
	assert.Empty(t, f.Roles)
}

func TestPageLimits(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Generate(5, 5, 5, 5)
	r := f.Reader(t)
	ctx := r.Context()
	users, roles, teams := datadogV2.NewUsersApi(r.Client()), datadogV2.NewRolesApi(r.Client()), datadogV2.NewTeamsApi(r.Client())
	monitors, synthetics, dashboards := datadogV1.NewMonitorsApi(r.Client()), datadogV1.NewSyntheticsApi(r.Client()), datadogV1.NewDashboardsApi(r.Client())
	tests := map[string]struct {
		call func() error
		want string // the status, "" for success
	}{
		"users at 100": {func() error {
			_, _, err := users.ListUsers(ctx, *datadogV2.NewListUsersOptionalParameters().WithPageSize(100))
			return err
		}, ""},
		"users at 101": {func() error {
			_, _, err := users.ListUsers(ctx, *datadogV2.NewListUsersOptionalParameters().WithPageSize(101))
			return err
		}, "400 Bad Request"},
		"users at page -1": {func() error {
			_, _, err := users.ListUsers(ctx, *datadogV2.NewListUsersOptionalParameters().WithPageNumber(-1))
			return err
		}, "400 Bad Request"},
		"roles at 101": {func() error {
			_, _, err := roles.ListRoles(ctx, *datadogV2.NewListRolesOptionalParameters().WithPageSize(101))
			return err
		}, "400 Bad Request"},
		"teams at 100": {func() error {
			_, _, err := teams.ListTeams(ctx, *datadogV2.NewListTeamsOptionalParameters().WithPageSize(100))
			return err
		}, ""},
		"teams at 101": {func() error {
			_, _, err := teams.ListTeams(ctx, *datadogV2.NewListTeamsOptionalParameters().WithPageSize(101))
			return err
		}, "400 Bad Request"},
		"monitors at 1000": {func() error {
			_, _, err := monitors.ListMonitors(ctx, *datadogV1.NewListMonitorsOptionalParameters().WithPage(0).WithPageSize(1000))
			return err
		}, ""},
		"monitors at 1001": {func() error {
			_, _, err := monitors.ListMonitors(ctx, *datadogV1.NewListMonitorsOptionalParameters().WithPage(0).WithPageSize(1001))
			return err
		}, "400 Bad Request"},
		"tests at 100": {func() error {
			_, _, err := synthetics.ListTests(ctx, *datadogV1.NewListTestsOptionalParameters().WithPageSize(100))
			return err
		}, ""},
		"tests at 101": {func() error {
			_, _, err := synthetics.ListTests(ctx, *datadogV1.NewListTestsOptionalParameters().WithPageSize(101))
			return err
		}, "400 Bad Request"},
		"dashboards at 100": {func() error {
			_, _, err := dashboards.ListDashboards(ctx, *datadogV1.NewListDashboardsOptionalParameters().WithCount(100))
			return err
		}, ""},
		"dashboards at 101": {func() error {
			_, _, err := dashboards.ListDashboards(ctx, *datadogV1.NewListDashboardsOptionalParameters().WithCount(101))
			return err
		}, "400 Bad Request"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.want, status(err))
		})
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Generate(250, 1500, 250, 250)
	r := f.Reader(t)
	ctx := r.Context()
	count := func(t *testing.T, ids []string) int {
		seen := map[string]bool{}
		for _, id := range ids {
			seen[id] = true
		}
		assert.Len(t, seen, len(ids), "no object twice")
		return len(ids)
	}
	tests := map[string]struct {
		read     func() ([]string, error)
		want     int
		requests int
	}{
		"users by 100": {func() ([]string, error) {
			api := datadogV2.NewUsersApi(r.Client())
			got, err := live.Pages(r, "users", 100, userID, func(page int) ([]datadogV2.User, error) {
				resp, _, err := api.ListUsers(ctx, *datadogV2.NewListUsersOptionalParameters().WithPageSize(100).WithPageNumber(int64(page)))
				return resp.Data, err
			})
			return mapIDs(got, userID), err
		}, 250, 3},
		"monitors by 1000": {func() ([]string, error) {
			api := datadogV1.NewMonitorsApi(r.Client())
			got, err := live.Pages(r, "monitors", 1000, monitorID, func(page int) ([]datadogV1.Monitor, error) {
				resp, _, err := api.ListMonitors(ctx, *datadogV1.NewListMonitorsOptionalParameters().WithPage(int64(page)).WithPageSize(1000))
				return resp, err
			})
			return mapIDs(got, monitorID), err
		}, 1500, 2},
		"monitors unpaged": {func() ([]string, error) {
			resp, _, err := datadogV1.NewMonitorsApi(r.Client()).ListMonitors(ctx)
			return mapIDs(resp, monitorID), err
		}, 1500, 1},
		"tests by 100": {func() ([]string, error) {
			api := datadogV1.NewSyntheticsApi(r.Client())
			got, err := live.Pages(r, "tests", 100, testID, func(page int) ([]datadogV1.SyntheticsTestDetailsWithoutSteps, error) {
				resp, _, err := api.ListTests(ctx, *datadogV1.NewListTestsOptionalParameters().WithPageSize(100).WithPageNumber(int64(page)))
				return resp.Tests, err
			})
			return mapIDs(got, testID), err
		}, 250, 3},
		"dashboards by 100 from start": {func() ([]string, error) {
			api := datadogV1.NewDashboardsApi(r.Client())
			got, err := live.Pages(r, "dashboards", 100, dashboardID, func(page int) ([]datadogV1.DashboardSummaryDefinition, error) {
				resp, _, err := api.ListDashboards(ctx, *datadogV1.NewListDashboardsOptionalParameters().WithCount(100).WithStart(int64(page * 100)))
				return resp.Dashboards, err
			})
			return mapIDs(got, dashboardID), err
		}, 250, 3},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			before := r.Requests()
			ids, err := tc.read()
			require.NoError(t, err)
			assert.Equal(t, tc.want, count(t, ids))
			assert.Equal(t, tc.requests, r.Requests()-before, "requests")
		})
	}
}

func userID(u datadogV2.User) string       { return u.GetId() }
func monitorID(m datadogV1.Monitor) string { return fmt.Sprint(m.GetId()) }
func testID(s datadogV1.SyntheticsTestDetailsWithoutSteps) string {
	return s.GetPublicId()
}
func dashboardID(d datadogV1.DashboardSummaryDefinition) string { return d.GetId() }

func mapIDs[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func TestGenerateTwentyThousandUsers(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Generate(20000, 0, 0, 0)
	r := f.Reader(t)
	api := datadogV2.NewUsersApi(r.Client())
	readOnly := 0
	users, err := live.Pages(r, "GET /api/v2/users", 100, userID, func(page int) ([]datadogV2.User, error) {
		resp, _, err := api.ListUsers(r.Context(), *datadogV2.NewListUsersOptionalParameters().WithPageSize(100).WithPageNumber(int64(page)))
		for _, inc := range resp.Included {
			if inc.Role != nil && inc.Role.Attributes.GetName() == ddfake.ReadOnlyRole {
				readOnly++
			}
		}
		return resp.Data, err
	})
	require.NoError(t, err)
	require.Len(t, users, 20000)
	assert.Equal(t, "user-00001@example.org", users[0].Attributes.GetEmail())
	assert.Equal(t, "user-20000@example.org", users[19999].Attributes.GetEmail())
	assert.Equal(t, 200, readOnly, "each full page includes the read-only role once")
	reqs := f.Requests()
	require.Len(t, reqs, 201, "200 full pages, then an empty one that ends the list")
	assert.Equal(t, "199", reqs[199].Query.Get("page[number]"))
	assert.Equal(t, "100", reqs[199].Query.Get("page[size]"))
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	a, b := ddfake.New(t), ddfake.New(t)
	a.Generate(40, 40, 40, 40)
	b.Generate(40, 40, 40, 40)
	a.Lock()
	b.Lock()
	defer a.Unlock()
	defer b.Unlock()
	for name, pair := range map[string][2]any{
		"users": {a.Users, b.Users}, "monitors": {a.Monitors, b.Monitors}, "tests": {a.Tests, b.Tests}, "dashboards": {a.Dashboards, b.Dashboards},
	} {
		x, err := datadog.Marshal(pair[0])
		require.NoError(t, err)
		y, err := datadog.Marshal(pair[1])
		require.NoError(t, err)
		assert.JSONEq(t, string(x), string(y), "%s are the same on every run", name)
	}

	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	public := regexp.MustCompile(`^[0-9a-z]{3}-[0-9a-z]{3}-[0-9a-z]{3}$`)
	ids, names := map[string]bool{}, map[string]bool{}
	unique := func(kind, id, name string) {
		assert.False(t, ids[kind+id], "%s id %s twice", kind, id)
		assert.False(t, names[kind+name], "%s name %s twice", kind, name)
		ids[kind+id], names[kind+name] = true, true
	}
	for _, u := range a.Users {
		assert.Regexp(t, uuid, u.GetId())
		unique("user", u.GetId(), u.Attributes.GetEmail())
		assert.Equal(t, "Active", u.Attributes.GetStatus())
		assert.Equal(t, ddfake.ReadOnlyRoleID, u.Relationships.Roles.Data[0].GetId())
	}
	for _, m := range a.Monitors {
		assert.Positive(t, m.GetId())
		unique("monitor", fmt.Sprint(m.GetId()), m.GetName())
	}
	for _, s := range a.Tests {
		assert.Regexp(t, public, s.GetPublicId())
		unique("test", s.GetPublicId(), s.GetName())
	}
	for _, d := range a.Dashboards {
		assert.Regexp(t, public, d.GetId())
		unique("dashboard", d.GetId(), d.Title)
	}
	assert.Empty(t, unparsed([]any{a.Users, a.Monitors, a.Tests, a.Dashboards}))
	assert.Equal(t, "user-00040@example.org", a.Users[39].Attributes.GetEmail())
}

func TestGenerateAgainGoesOn(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	require.NoError(t, f.SeedTerraform(productionObjects(t)))
	f.Generate(2, 2, 2, 2)
	f.Generate(2, 2, 2, 2)
	f.Lock()
	defer f.Unlock()
	var emails []string
	for _, u := range f.Users[6:] {
		emails = append(emails, u.Attributes.GetEmail())
	}
	assert.Equal(t, []string{"user-00001@example.org", "user-00002@example.org", "user-00003@example.org", "user-00004@example.org"}, emails)
	assert.Len(t, f.Monitors, 8)
	assert.Len(t, f.Tests, 22)
	assert.Len(t, f.Dashboards, 5)
	var roles []string
	for _, r := range f.Roles {
		roles = append(roles, r.Attributes.GetName())
	}
	assert.Equal(t, []string{"Datadog Admin Role", "Datadog Standard Role", "Datadog Read Only Role", "Limited Read Write"}, roles,
		"Datadog's own roles once")
}

func TestUsersFilterStatus(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Generate(6, 0, 0, 0)
	f.Lock()
	f.Users[1].Attributes.SetStatus("Pending")
	f.Users[2].Attributes.SetStatus("Disabled")
	f.Users[3].Attributes.SetStatus("Disabled")
	f.Unlock()
	r := f.Reader(t)
	api := datadogV2.NewUsersApi(r.Client())
	tests := map[string]struct {
		filter string
		want   int
	}{
		"none":             {"", 6},
		"active":           {"Active", 3},
		"active, pending":  {"Active,Pending", 4},
		"any case, spaces": {"disabled, PENDING", 3},
		"unknown":          {"Gone", 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o := datadogV2.NewListUsersOptionalParameters().WithPageSize(100)
			if tc.filter != "" {
				o = o.WithFilterStatus(tc.filter)
			}
			resp, _, err := api.ListUsers(r.Context(), *o)
			require.NoError(t, err)
			assert.Len(t, resp.Data, tc.want)
			assert.Equal(t, int64(tc.want), resp.Meta.Page.GetTotalFilteredCount())
			assert.Equal(t, int64(6), resp.Meta.Page.GetTotalCount())
		})
	}
}

func TestWrongKeysAreRefused(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	tests := map[string]live.Credentials{
		"api key": {APIKey: "wrong", AppKey: f.AppKey},
		"app key": {APIKey: f.APIKey, AppKey: "wrong"},
		"swapped": {APIKey: f.AppKey, AppKey: f.APIKey},
	}
	for name, keys := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := live.New(context.Background(), f.URL, keys, f.Options())
			require.NoError(t, err)
			_, _, err = datadogV2.NewUsersApi(r.Client()).ListUsers(r.Context())
			var refused *live.RefusedError
			require.ErrorAs(t, err, &refused)
			assert.Equal(t, "403 Forbidden", refused.Status)
			assert.Equal(t, 1, r.Requests(), "a refusal is not retried")
		})
	}
	assert.Len(t, f.Requests(), len(tests), "refused requests are recorded")
}

func TestFaultsAreRetried(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		faults   []ddfake.Fault
		wantErr  string
		requests int
	}{
		"429 with X-RateLimit-Reset": {
			faults:   []ddfake.Fault{{Status: 429, Header: map[string]string{"X-RateLimit-Reset": "1"}, Body: `{"errors":["Rate limit exceeded"]}`}},
			requests: 2,
		},
		"500 then 503": {
			faults:   []ddfake.Fault{{Status: 500}, {Status: 503}},
			requests: 3,
		},
		"503 four times": {
			faults:   []ddfake.Fault{{Status: 503}, {Status: 503}, {Status: 503}, {Status: 503}},
			wantErr:  "503 Service Unavailable, after 4 attempts",
			requests: 4,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ddfake.New(t)
			f.Generate(3, 0, 0, 0)
			f.Fault("/api/v2/users", tc.faults...)
			r := f.Reader(t)
			resp, _, err := datadogV2.NewUsersApi(r.Client()).ListUsers(r.Context())
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
				assert.Len(t, resp.Data, 3)
			}
			assert.Equal(t, slicesOf("GET /api/v2/users", tc.requests), paths(f), "each attempt is recorded")
		})
	}
}

func slicesOf(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestFaultBodies(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fault   ddfake.Fault
		maxBody int64
		wantErr string
	}{
		"malformed JSON":     {fault: ddfake.Fault{Body: `{"data": [`}, wantErr: "unexpected end of JSON input"},
		"control characters": {fault: ddfake.Fault{Body: "{\"data\": [{\"id\": \"a\x01b\"}]}"}, wantErr: "invalid character"},
		"huge":               {fault: ddfake.Fault{Size: 4 << 20}, maxBody: 1 << 20, wantErr: "larger than 1 MB"},
		"400":                {fault: ddfake.Fault{Status: 400, Body: `{"errors":["bad"]}`}, wantErr: "400 Bad Request"},
		"404":                {fault: ddfake.Fault{Status: 404, Body: `{"errors":["gone"]}`}, wantErr: "404 Not Found"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ddfake.New(t)
			f.Fault("/api/v2/roles", tc.fault)
			o := f.Options()
			o.MaxBody = tc.maxBody
			r, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, o)
			require.NoError(t, err)
			_, _, err = datadogV2.NewRolesApi(r.Client()).ListRoles(r.Context())
			require.ErrorContains(t, live.Wrap("GET /api/v2/roles", err), tc.wantErr)
			_, _, err = datadogV2.NewRolesApi(r.Client()).ListRoles(r.Context())
			require.NoError(t, err, "a fault answers one request")
		})
	}
}

// client is a plain HTTPS client of the Fake, for what live refuses to
// send.
func client(f *ddfake.Fake) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.CertPool()}}}
}

func get(t *testing.T, f *ddfake.Fake, method, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, strings.TrimSuffix(f.URL, "/")+path, nil)
	require.NoError(t, err)
	req.Header.Set("DD-API-KEY", f.APIKey)
	req.Header.Set("DD-APPLICATION-KEY", f.AppKey)
	resp, err := client(f).Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func TestOnlyGETIsServed(t *testing.T) {
	t.Parallel()
	f := production(t)
	tests := map[string]struct {
		method, path string
		want         int
	}{
		"POST users":        {http.MethodPost, "/api/v2/users", http.StatusMethodNotAllowed},
		"DELETE monitor":    {http.MethodDelete, "/api/v1/monitor", http.StatusMethodNotAllowed},
		"unknown endpoint":  {http.MethodGet, "/api/v1/nothing", http.StatusNotFound},
		"unknown account":   {http.MethodGet, "/api/v1/integration/slack/configuration/accounts/Other/channels", http.StatusNotFound},
		"unknown webhook":   {http.MethodGet, "/api/v1/integration/webhooks/configuration/webhooks/nope", http.StatusNotFound},
		"unknown dashboard": {http.MethodGet, "/api/v1/dashboard/zzz-zzz-zzz", http.StatusNotFound},
		"known account":     {http.MethodGet, "/api/v1/integration/slack/configuration/accounts/PyTorch/channels", http.StatusOK},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp := get(t, f, tc.method, tc.path)
			assert.Equal(t, tc.want, resp.StatusCode)
			assert.Contains(t, paths(f), tc.method+" "+tc.path, "recorded")
		})
	}
}

func TestPOSTIsNeverSent(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	r := f.Reader(t)
	body := datadogV2.NewUserCreateRequest(*datadogV2.NewUserCreateData(*datadogV2.NewUserCreateAttributes("x@example.org"), datadogV2.USERSTYPE_USERS))
	_, _, err := datadogV2.NewUsersApi(r.Client()).CreateUser(r.Context(), *body)
	require.ErrorIs(t, err, live.ErrNotRead)
	assert.Empty(t, f.Requests(), "live's transport never sends it")
}

func TestHeaderOnlyFaultAnswersNormally(t *testing.T) {
	t.Parallel()
	f := production(t)
	f.Fault("/api/v2/team", ddfake.Fault{Header: map[string]string{"X-RateLimit-Remaining": "0"}})
	resp := get(t, f, http.MethodGet, "/api/v2/team")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))
	resp = get(t, f, http.MethodGet, "/api/v2/team")
	assert.Empty(t, resp.Header.Get("X-RateLimit-Remaining"), "for one request")
}

func TestHangTimesOut(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Fault("/api/v2/permissions", ddfake.Fault{Hang: true})
	o := f.Options()
	o.Timeout = 50 * time.Millisecond
	o.Retries = -1 // none
	r, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, o)
	require.NoError(t, err)
	_, _, err = datadogV2.NewRolesApi(r.Client()).ListPermissions(r.Context())
	require.ErrorContains(t, err, "no answer within 50ms")
}

func TestCloseEndsWaitingRequests(t *testing.T) {
	t.Parallel()
	tests := map[string]func(f *ddfake.Fake){
		"hang":    func(f *ddfake.Fake) { f.Fault("/api/v2/users", ddfake.Fault{Hang: true}) },
		"huge":    func(f *ddfake.Fake) { f.Fault("/api/v2/users", ddfake.Fault{Size: 1 << 40}) },
		"latency": func(f *ddfake.Fake) { f.Latency = time.Hour },
	}
	for name, setup := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ddfake.New(t)
			setup(f)
			done := make(chan error, 1)
			go func() {
				req, err := http.NewRequest(http.MethodGet, f.URL+"api/v2/users", nil)
				if err != nil {
					done <- err
					return
				}
				req.Header.Set("DD-API-KEY", f.APIKey)
				req.Header.Set("DD-APPLICATION-KEY", f.AppKey)
				resp, err := client(f).Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
				done <- err
			}()
			require.Eventually(t, func() bool { return len(f.Requests()) == 1 }, 5*time.Second, time.Millisecond)
			f.Close()
			select {
			case err := <-done:
				assert.Error(t, err, "the connection is dropped, not answered")
			case <-time.After(5 * time.Second):
				t.Fatal("the request still waits after Close")
			}
		})
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Latency = 20 * time.Millisecond
	r := f.Reader(t)
	start := time.Now()
	_, _, err := datadogV2.NewRolesApi(r.Client()).ListPermissions(r.Context())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestCertFile(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	data, err := os.ReadFile(f.CertFile(t))
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(data), "a PEM certificate")
	r, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, live.Options{RootCAs: pool})
	require.NoError(t, err)
	_, _, err = datadogV2.NewRolesApi(r.Client()).ListPermissions(r.Context())
	require.NoError(t, err, "the file trusts the server")

	untrusted, err := live.New(context.Background(), f.URL, live.Credentials{APIKey: f.APIKey, AppKey: f.AppKey}, live.Options{RootCAs: x509.NewCertPool()})
	require.NoError(t, err)
	_, _, err = datadogV2.NewRolesApi(untrusted.Client()).ListPermissions(untrusted.Context())
	require.Error(t, err, "an unknown certificate is refused")
}

func TestRequestsRecordQueries(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	r := f.Reader(t)
	_, _, err := datadogV2.NewUsersApi(r.Client()).ListUsers(r.Context(),
		*datadogV2.NewListUsersOptionalParameters().WithPageSize(50).WithPageNumber(2).WithFilterStatus("Active,Pending"))
	require.NoError(t, err)
	reqs := f.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, ddfake.Request{Method: "GET", Path: "/api/v2/users", Query: map[string][]string{
		"page[size]": {"50"}, "page[number]": {"2"}, "filter[status]": {"Active,Pending"},
	}}, reqs[0])
	reqs[0].Query.Set("page[size]", "1")
	assert.Equal(t, "50", f.Requests()[0].Query.Get("page[size]"), "Requests is a copy")
}

// TestConcurrentChanges reads while the organisation changes under Lock:
// with -race, a read of the fields outside the lock fails it.
func TestConcurrentChanges(t *testing.T) {
	t.Parallel()
	f := ddfake.New(t)
	f.Generate(50, 10, 10, 10)
	r := f.Reader(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				_, _, err := datadogV2.NewUsersApi(r.Client()).ListUsers(r.Context(), *datadogV2.NewListUsersOptionalParameters().WithPageSize(100))
				errs <- err
			}
		}()
	}
	for i := range 20 {
		f.Lock()
		f.Users = append(f.Users, f.Users[0])
		f.Users[i].Attributes.SetStatus("Disabled")
		f.Unlock()
		f.Generate(0, 1, 0, 0)
		f.Fault("/api/v1/monitor", ddfake.Fault{Header: map[string]string{"X-N": fmt.Sprint(i)}})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Len(t, f.Requests(), 40)
}
