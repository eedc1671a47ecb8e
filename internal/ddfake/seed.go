package ddfake

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"

	"github.com/pytorch-fdn/pytorch-datadog/internal/tfstate"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Datadog's own roles, which every organisation has, and their ids in the
// Fake.
const (
	AdminRole    = "Datadog Admin Role"
	StandardRole = "Datadog Standard Role"
	ReadOnlyRole = "Datadog Read Only Role"

	// AdminRoleID is the id production's state reads the admin role under
	// (data.datadog_role.admin in testdata/tfstate/production.show.json).
	// A state names a user's roles by id only, and holds Datadog's own
	// roles in data sources, which SeedTerraform is not given: with this
	// id, the admins seeded from it keep their role.
	AdminRoleID    = "420e1e93-3428-cf27-993e-5feb2debfe26"
	StandardRoleID = "6d1f3a2b-8c4e-4f70-9a15-2b7c9e0d4f61"
	ReadOnlyRoleID = "7e2a4b3c-9d5f-4a81-8b26-3c8d0f1e5a72"
)

// builtinRoles are Datadog's own roles, in the order Datadog lists them.
var builtinRoles = []struct{ id, name string }{
	{AdminRoleID, AdminRole},
	{StandardRoleID, StandardRole},
	{ReadOnlyRoleID, ReadOnlyRole},
}

// created is the time the Fake gives every object it makes: fixed, so that
// answers are the same from one run to the next.
var created = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// addBuiltinRoles adds Datadog's own roles that Roles lacks (by name), in
// front of the others. f.mu is held.
func (f *Fake) addBuiltinRoles() {
	have := map[string]bool{}
	for _, r := range f.Roles {
		attrs := r.GetAttributes()
		have[attrs.GetName()] = true
	}
	var add []datadogV2.Role
	for _, b := range builtinRoles {
		if !have[b.name] {
			add = append(add, newRole(b.id, b.name))
		}
	}
	f.Roles = append(add, f.Roles...)
}

func newRole(id, name string) datadogV2.Role {
	r := datadogV2.NewRole(datadogV2.ROLESTYPE_ROLES)
	r.SetId(id)
	attrs := datadogV2.RoleAttributes{}
	attrs.SetName(name)
	attrs.SetCreatedAt(created)
	attrs.SetModifiedAt(created)
	r.SetAttributes(attrs)
	return *r
}

// seeded is what SeedTerraform made, added to the Fake only when every
// object converted.
type seeded struct {
	users       []datadogV2.User
	roles       []datadogV2.Role
	permissions []datadogV2.Permission
	teams       []datadogV2.Team
	slack       map[string][]datadogV1.SlackIntegrationChannel
	slackOrder  []string
	webhooks    []datadogV1.WebhooksIntegration
	monitors    []datadogV1.Monitor
	tests       []datadogV1.SyntheticsTestDetailsWithoutSteps
	dashboards  []datadogV1.Dashboard
	aws         []datadogV2.AWSAccountResponseData
}

// seeders convert a state object of each type the audit reads.
var seeders = map[string]func(*seeded, tfstate.Object) error{
	"datadog_role":                      seedRole,
	"datadog_user":                      seedUser,
	"datadog_team":                      seedTeam,
	"datadog_integration_slack_channel": seedSlackChannel,
	"datadog_webhook":                   seedWebhook,
	"datadog_monitor":                   seedMonitor,
	"datadog_synthetics_test":           seedTest,
	"datadog_dashboard":                 seedDashboard,
	"datadog_integration_aws_account":   seedAWSAccount,
}

// SeedTerraform adds to the organisation the objects of a Terraform state
// (as internal/tfstate.Read reads them with program.TerraformTypes()):
// each becomes the API object with the same id and the attributes the API
// has, as faithfully as the state's attributes allow, and Datadog's own
// roles are added if missing, with the admin role under the id
// production's state gives it (AdminRoleID). Objects of other types are
// skipped. Nothing is added unless every object converts; the error names
// each that does not. It takes the lock itself: do not call it under Lock.
func (f *Fake) SeedTerraform(objects []tfstate.Object) error {
	s := &seeded{slack: map[string][]datadogV1.SlackIntegrationChannel{}}
	var errs []error
	for _, o := range objects {
		seed, ok := seeders[o.Type]
		if !ok {
			continue
		}
		if err := seed(s, o); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Address, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addBuiltinRoles()
	f.Users = append(f.Users, s.users...)
	f.Roles = append(f.Roles, s.roles...)
	have := map[string]bool{}
	for _, p := range f.Permissions {
		have[p.GetId()] = true
	}
	for _, p := range s.permissions {
		if !have[p.GetId()] {
			have[p.GetId()] = true
			f.Permissions = append(f.Permissions, p)
		}
	}
	f.Teams = append(f.Teams, s.teams...)
	if len(s.slackOrder) > 0 && f.SlackChannels == nil {
		f.SlackChannels = map[string][]datadogV1.SlackIntegrationChannel{}
	}
	for _, account := range s.slackOrder {
		f.SlackChannels[account] = append(f.SlackChannels[account], s.slack[account]...)
	}
	f.Webhooks = append(f.Webhooks, s.webhooks...)
	f.Monitors = append(f.Monitors, s.monitors...)
	f.Tests = append(f.Tests, s.tests...)
	f.Dashboards = append(f.Dashboards, s.dashboards...)
	f.AWSAccounts = append(f.AWSAccounts, s.aws...)
	return nil
}

// seedRole: name, and the permissions by id; each permission (id, name)
// is added to Permissions too.
func seedRole(s *seeded, o tfstate.Object) error {
	r := newRole(o.ID, str(o.Attrs["name"]))
	var rel []datadogV2.RelationshipToPermissionData
	for _, p := range blockList(o.Attrs["permission"]) {
		id := str(p["id"])
		if id == "" {
			return errors.New("a permission without an id")
		}
		d := datadogV2.RelationshipToPermissionData{}
		d.SetId(id)
		d.SetType(datadogV2.PERMISSIONSTYPE_PERMISSIONS)
		rel = append(rel, d)
		perm := datadogV2.NewPermission(datadogV2.PERMISSIONSTYPE_PERMISSIONS)
		perm.SetId(id)
		attrs := datadogV2.PermissionAttributes{}
		name := str(p["name"])
		if name == "" {
			name = id
		}
		attrs.SetName(name)
		attrs.SetDisplayName(name)
		attrs.SetRestricted(false)
		attrs.SetCreated(created)
		perm.SetAttributes(attrs)
		s.permissions = append(s.permissions, *perm)
	}
	r.SetRelationships(datadogV2.RoleResponseRelationships{
		Permissions: &datadogV2.RelationshipToPermissions{Data: rel},
	})
	s.roles = append(s.roles, r)
	return nil
}

// seedUser: email (its handle too, as Datadog makes it), name, disabled
// (status Disabled, else Active: the state cannot tell a pending
// invitation), and the roles by id.
func seedUser(s *seeded, o tfstate.Object) error {
	var roles []string
	if list, ok := o.Attrs["roles"].([]any); ok {
		for _, r := range list {
			id := str(r)
			if id == "" {
				return fmt.Errorf("a role id that is not a string: %v", r)
			}
			roles = append(roles, id)
		}
	}
	disabled, _ := o.Attrs["disabled"].(bool)
	s.users = append(s.users, newUser(o.ID, str(o.Attrs["email"]), str(o.Attrs["name"]), disabled, roles))
	return nil
}

func newUser(id, email, name string, disabled bool, roles []string) datadogV2.User {
	u := datadogV2.NewUser()
	u.SetId(id)
	u.SetType(datadogV2.USERSTYPE_USERS)
	attrs := datadogV2.UserAttributes{}
	attrs.SetEmail(email)
	attrs.SetHandle(email)
	attrs.SetUuid(id)
	if name != "" {
		attrs.SetName(name)
	}
	status := "Active"
	if disabled {
		status = "Disabled"
	}
	attrs.SetStatus(status)
	attrs.SetDisabled(disabled)
	attrs.SetVerified(!disabled)
	attrs.SetServiceAccount(false)
	attrs.SetMfaEnabled(false)
	attrs.SetCreatedAt(created)
	attrs.SetModifiedAt(created)
	u.SetAttributes(attrs)
	data := []datadogV2.RelationshipToRoleData{}
	for _, r := range roles {
		d := datadogV2.RelationshipToRoleData{}
		d.SetId(r)
		d.SetType(datadogV2.ROLESTYPE_ROLES)
		data = append(data, d)
	}
	u.SetRelationships(datadogV2.UserResponseRelationships{Roles: &datadogV2.RelationshipToRoles{Data: data}})
	return *u
}

// seedTeam: handle, name, description, and the counts Terraform reads.
func seedTeam(s *seeded, o tfstate.Object) error {
	attrs := datadogV2.NewTeamAttributes(str(o.Attrs["handle"]), str(o.Attrs["name"]))
	if d := str(o.Attrs["description"]); d != "" {
		attrs.SetDescription(d)
	}
	if n, ok := number(o.Attrs["link_count"]); ok {
		attrs.SetLinkCount(int32(n))
	}
	if n, ok := number(o.Attrs["user_count"]); ok {
		attrs.SetUserCount(int32(n))
	}
	attrs.SetCreatedAt(created)
	attrs.SetModifiedAt(created)
	s.teams = append(s.teams, *datadogV2.NewTeam(*attrs, o.ID, datadogV2.TEAMTYPE_TEAM))
	return nil
}

// seedSlackChannel: the channel under its account, with its display
// flags.
func seedSlackChannel(s *seeded, o tfstate.Object) error {
	account, channel := str(o.Attrs["account_name"]), str(o.Attrs["channel_name"])
	c := datadogV1.NewSlackIntegrationChannel()
	c.SetName(channel)
	if d := firstBlock(o.Attrs["display"]); d != nil {
		disp := datadogV1.SlackIntegrationChannelDisplay{}
		for k, set := range map[string]func(bool){
			"message": disp.SetMessage, "notified": disp.SetNotified, "snapshot": disp.SetSnapshot,
			"tags": disp.SetTags, "mute_buttons": disp.SetMuteButtons,
		} {
			if b, ok := d[k].(bool); ok {
				set(b)
			}
		}
		c.SetDisplay(disp)
	}
	if _, ok := s.slack[account]; !ok {
		s.slackOrder = append(s.slackOrder, account)
	}
	s.slack[account] = append(s.slack[account], *c)
	return nil
}

// seedWebhook: name, url, encoding, payload, and the custom headers
// unless the state hides them ("(sensitive)"): the Fake invents no
// secret.
func seedWebhook(s *seeded, o tfstate.Object) error {
	w := datadogV1.NewWebhooksIntegration(str(o.Attrs["name"]), str(o.Attrs["url"]))
	if e := str(o.Attrs["encode_as"]); e != "" {
		w.SetEncodeAs(datadogV1.WebhooksIntegrationEncoding(e))
	}
	if p := str(o.Attrs["payload"]); p != "" {
		w.SetPayload(p)
	}
	if h := str(o.Attrs["custom_headers"]); h != "" && h != "(sensitive)" {
		w.SetCustomHeaders(h)
	}
	s.webhooks = append(s.webhooks, *w)
	return nil
}

// monitorOptions are the datadog_monitor attributes that the API holds in
// the monitor's options, under the same names.
var monitorOptions = []string{
	"notify_no_data", "no_data_timeframe", "new_group_delay", "new_host_delay", "evaluation_delay",
	"renotify_interval", "renotify_occurrences", "renotify_statuses", "notify_audit", "timeout_h",
	"require_full_window", "include_tags", "on_missing_data", "notify_by", "enable_logs_sample",
	"enable_samples", "escalation_message", "group_retention_duration", "groupby_simple_monitor",
	"locked", "notification_preset_name", "min_failure_duration",
}

// seedMonitor: name, type, query, message, tags, priority, restricted
// roles, draft status, and the options: thresholds (numbers, which
// Terraform holds as strings), threshold windows, scheduling and the
// others by name.
func seedMonitor(s *seeded, o tfstate.Object) error {
	id, err := strconv.ParseInt(o.ID, 10, 64)
	if err != nil {
		return fmt.Errorf("id %q is not a monitor's number", o.ID)
	}
	a := o.Attrs
	m := map[string]any{
		"id": id, "query": str(a["query"]), "type": str(a["type"]),
		"created": created, "modified": created,
	}
	copyAttrs(m, a, "name", "message", "tags", "restricted_roles", "draft_status")
	if p, ok := number(a["priority"]); ok {
		m["priority"] = int64(p)
	}
	opts := map[string]any{}
	copyAttrs(opts, a, monitorOptions...)
	if t := firstBlock(a["monitor_thresholds"]); t != nil {
		th := map[string]any{}
		for k, v := range t {
			if n, ok := number(v); ok {
				th[k] = n
			}
		}
		if len(th) > 0 {
			opts["thresholds"] = th
		}
	}
	blocks := conv{drop: true, lists: map[string]string{"recurrence": "recurrences"}}
	if w := firstBlock(a["monitor_threshold_windows"]); w != nil {
		if tw := blocks.blocks(w).(map[string]any); len(tw) > 0 {
			opts["threshold_windows"] = tw
		}
	}
	if so := firstBlock(a["scheduling_options"]); so != nil {
		if v := blocks.blocks(so).(map[string]any); len(v) > 0 {
			opts["scheduling_options"] = v
		}
	}
	if len(opts) > 0 {
		m["options"] = opts
	}
	var mon datadogV1.Monitor
	if err := decodeInto(m, &mon); err != nil {
		return err
	}
	s.monitors = append(s.monitors, mon)
	return nil
}

// Synthetics attributes whose API names differ from Terraform's.
var (
	testRequestNames = map[string]string{
		"body_type":                 "bodyType",
		"call_type":                 "callType",
		"certificate_domains":       "certificateDomains",
		"dns_server":                "dnsServer",
		"dns_server_port":           "dnsServerPort",
		"no_saving_response_body":   "noSavingResponseBody",
		"number_of_packets":         "numberOfPackets",
		"persist_cookies":           "persistCookies",
		"should_track_hops":         "shouldTrackHops",
		"http_version":              "httpVersion",
		"is_message_base64_encoded": "isMessageBase64Encoded",
	}
	testOptionNames = map[string]string{
		"check_certificate_revocation":      "checkCertificateRevocation",
		"ignore_server_certificate_error":   "ignoreServerCertificateError",
		"http_version":                      "httpVersion",
		"initial_navigation_timeout":        "initialNavigationTimeout",
		"no_screenshot":                     "noScreenshot",
		"disable_cors":                      "disableCors",
		"disable_csp":                       "disableCsp",
		"blocked_request_patterns":          "blockedRequestPatterns",
		"disable_aia_intermediate_fetching": "disableAiaIntermediateFetching",
	}
	// testOptionsLeftOut are options_list blocks the Fake does not
	// convert: their API shapes differ from Terraform's beyond renaming.
	testOptionsLeftOut = []string{"scheduling", "rum_settings", "ci"}
	// testRequestLeftOut are request_definition attributes with no
	// counterpart of the same shape in the API's request.
	testRequestLeftOut = []string{"proto_json_descriptor", "plain_proto_file"}
)

// seedTest: public id, name, type, subtype, status, message, tags,
// locations, monitor id, the request (request_definition, headers and
// query), the assertions (targets as the API types them), the config
// variables and the options.
func seedTest(s *seeded, o tfstate.Object) error {
	a := o.Attrs
	t := map[string]any{"public_id": o.ID}
	copyAttrs(t, a, "name", "type", "subtype", "status", "message", "tags", "locations")
	if n, ok := number(a["monitor_id"]); ok {
		t["monitor_id"] = int64(n)
	}
	config := map[string]any{}
	request := map[string]any{}
	if rd := firstBlock(a["request_definition"]); rd != nil {
		rd = without(rd, testRequestLeftOut...)
		if p, ok := number(rd["port"]); ok {
			rd["port"] = int64(p)
		}
		request = conv{drop: true, names: testRequestNames}.blocks(rd).(map[string]any)
	}
	for tf, api := range map[string]string{"request_headers": "headers", "request_query": "query"} {
		if h, ok := a[tf].(map[string]any); ok && len(h) > 0 {
			request[api] = h
		}
	}
	if len(request) > 0 {
		config["request"] = request
	}
	var assertions []any
	for _, as := range blockList(a["assertion"]) {
		assertions = append(assertions, assertion(as))
	}
	if len(assertions) > 0 {
		config["assertions"] = assertions
	}
	var vars []any
	for _, v := range blockList(a["config_variable"]) {
		vars = append(vars, conv{drop: true}.blocks(v))
	}
	if len(vars) > 0 {
		config["configVariables"] = vars
	}
	if len(config) > 0 {
		t["config"] = config
	}
	if ol := firstBlock(a["options_list"]); ol != nil {
		opts := conv{drop: true, names: testOptionNames}.blocks(without(ol, testOptionsLeftOut...)).(map[string]any)
		if len(opts) > 0 {
			t["options"] = opts
		}
	}
	var test datadogV1.SyntheticsTestDetailsWithoutSteps
	if err := decodeInto(t, &test); err != nil {
		return err
	}
	s.tests = append(s.tests, test)
	return nil
}

// assertion converts a Terraform assertion block: a JavaScript assertion
// by its code; a JSON path, XPath or JSON schema target as the API's
// target object; else the target, a number where the API takes one (the
// provider's isTargetOfTypeInt).
func assertion(as map[string]any) map[string]any {
	typ, op := str(as["type"]), str(as["operator"])
	out := map[string]any{"type": typ}
	if code := str(as["code"]); code != "" {
		out["code"] = code
		return out
	}
	copyAttrs(out, as, "operator", "property")
	if ts := str(as["timings_scope"]); ts != "" {
		out["timingsScope"] = ts
	}
	switch {
	case firstBlock(as["targetjsonpath"]) != nil:
		jp := firstBlock(as["targetjsonpath"])
		target := map[string]any{}
		for tf, api := range map[string]string{"jsonpath": "jsonPath", "operator": "operator", "targetvalue": "targetValue", "elementsoperator": "elementsOperator"} {
			if v := str(jp[tf]); v != "" {
				target[api] = v
			}
		}
		out["target"] = target
	case firstBlock(as["targetxpath"]) != nil:
		xp := firstBlock(as["targetxpath"])
		out["target"] = map[string]any{"xPath": str(xp["xpath"]), "operator": str(xp["operator"]), "targetValue": str(xp["targetvalue"])}
	case firstBlock(as["targetjsonschema"]) != nil:
		js := firstBlock(as["targetjsonschema"])
		target := map[string]any{"jsonSchema": str(js["jsonschema"])}
		if ms := str(js["metaschema"]); ms != "" {
			target["metaSchema"] = ms
		}
		out["target"] = target
	default:
		target := as["target"]
		if n, ok := number(target); ok && numericTarget(typ, op) {
			target = n
		}
		if target != nil {
			out["target"] = target
		}
	}
	return out
}

// numericTarget: the assertions whose target the API holds as a number.
func numericTarget(typ, op string) bool {
	switch typ {
	case "responseTime", "certificate", "latency", "packetLossPercentage", "packetsReceived", "networkHop", "grpcHealthcheckStatus":
		return true
	case "statusCode":
		return op == "is" || op == "isNot"
	}
	return false
}

// without is m less the keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// widgetConv converts a widget definition: the block lists that stay
// lists, under the API's plural names; a monitor summary's query "" is
// every monitor, not an unset query.
var widgetConv = conv{
	drop: true,
	keep: map[string]bool{"query": true},
	lists: map[string]string{
		"request": "requests", "custom_link": "custom_links", "event": "events", "marker": "markers",
		"formula": "formulas", "query": "queries", "template_variable": "template_variables",
	},
}

// seedDashboard: id, title, description, layout and reflow types, url
// (Datadog's /dashboard/{id}/{slug} when the state has none), notify
// list, tags, restricted roles, template variables, and the widgets.
func seedDashboard(s *seeded, o tfstate.Object) error {
	a := o.Attrs
	title := str(a["title"])
	d := map[string]any{
		"id": o.ID, "title": title, "layout_type": str(a["layout_type"]),
		"created_at": created, "modified_at": created,
	}
	copyAttrs(d, a, "description", "reflow_type", "url", "notify_list", "tags", "restricted_roles", "is_read_only")
	if _, ok := d["url"]; !ok {
		d["url"] = "/dashboard/" + o.ID + "/" + slug(title)
	}
	var tvs []any
	for _, tv := range blockList(a["template_variable"]) {
		tvs = append(tvs, conv{drop: true}.blocks(tv))
	}
	if len(tvs) > 0 {
		d["template_variables"] = tvs
	}
	widgets := []any{}
	for _, w := range blockList(a["widget"]) {
		widgets = append(widgets, widget(w))
	}
	d["widgets"] = widgets
	var dash datadogV1.Dashboard
	if err := decodeInto(d, &dash); err != nil {
		return err
	}
	s.dashboards = append(s.dashboards, dash)
	return nil
}

// widget converts a Terraform widget block: its one <type>_definition
// becomes the definition of that type (a group's widgets converted in
// turn, live_span as the API's time), widget_layout its layout.
func widget(w map[string]any) map[string]any {
	out := map[string]any{}
	if id, ok := number(w["id"]); ok && id != 0 {
		out["id"] = int64(id)
	}
	if l := firstBlock(w["widget_layout"]); l != nil {
		out["layout"] = conv{drop: true}.blocks(l)
	}
	for k, v := range w {
		kind, isDef := strings.CutSuffix(k, "_definition")
		def := firstBlock(v)
		if !isDef || def == nil {
			continue
		}
		conv := widgetConv.blocks(without(def, "widget")).(map[string]any)
		conv["type"] = kind
		if inner := blockList(def["widget"]); len(inner) > 0 {
			ws := make([]any, len(inner))
			for i, iw := range inner {
				ws[i] = widget(iw)
			}
			conv["widgets"] = ws
		}
		if span, ok := conv["live_span"]; ok {
			delete(conv, "live_span")
			conv["time"] = map[string]any{"live_span": span}
		}
		out["definition"] = conv
	}
	return out
}

// slug is a title as Datadog writes it in a dashboard's URL.
func slug(title string) string { return kit.KeyOf(title, "") }

// seedAWSAccount: account id, partition, tags, the role it is read
// through (or the access key id: the secret key is never answered),
// regions, and the logs, metrics, resources and traces configurations.
func seedAWSAccount(s *seeded, o tfstate.Object) error {
	a := o.Attrs
	attrs := map[string]any{
		"aws_account_id": str(a["aws_account_id"]),
		"created_at":     created, "modified_at": created,
	}
	copyAttrs(attrs, a, "aws_partition")
	if tags, ok := a["account_tags"].([]any); ok {
		attrs["account_tags"] = tags
	}
	if ac := firstBlock(a["auth_config"]); ac != nil {
		if role := firstBlock(ac["aws_auth_config_role"]); role != nil {
			auth := map[string]any{"role_name": str(role["role_name"])}
			copyAttrs(auth, role, "external_id")
			attrs["auth_config"] = auth
		} else if keys := firstBlock(ac["aws_auth_config_keys"]); keys != nil {
			attrs["auth_config"] = map[string]any{"access_key_id": str(keys["access_key_id"])}
		}
	}
	if r := firstBlock(a["aws_regions"]); r != nil {
		attrs["aws_regions"] = oneOf(r)
	}
	// Empty lists stay: an X-Ray block that lists no service is
	// {"include_only": []}, which the API requires whole.
	blocks := conv{lists: map[string]string{"tag_filters": "tag_filters"}}
	if l := firstBlock(a["logs_config"]); l != nil {
		logs := map[string]any{}
		if lf := firstBlock(l["lambda_forwarder"]); lf != nil {
			logs["lambda_forwarder"] = blocks.blocks(lf)
		}
		attrs["logs_config"] = logs
	}
	if m := firstBlock(a["metrics_config"]); m != nil {
		metrics := blocks.blocks(without(m, "namespace_filters")).(map[string]any)
		if nf := firstBlock(m["namespace_filters"]); nf != nil {
			metrics["namespace_filters"] = oneOf(nf)
		}
		attrs["metrics_config"] = metrics
	}
	if r := firstBlock(a["resources_config"]); r != nil {
		attrs["resources_config"] = blocks.blocks(r)
	}
	if t := firstBlock(a["traces_config"]); t != nil {
		traces := map[string]any{}
		if x := firstBlock(t["xray_services"]); x != nil {
			traces["xray_services"] = oneOf(x)
		}
		attrs["traces_config"] = traces
	}
	var acct datadogV2.AWSAccountResponseData
	if err := decodeInto(map[string]any{"id": o.ID, "type": "account", "attributes": attrs}, &acct); err != nil {
		return err
	}
	s.aws = append(s.aws, acct)
	return nil
}

// oneOf picks the one alternative of an AWS block the state sets
// (include_all, include_only or exclude_only): the API's object holds one,
// and the client refuses one that holds two.
func oneOf(b map[string]any) map[string]any {
	if all, _ := b["include_all"].(bool); all {
		return map[string]any{"include_all": true}
	}
	lists := []string{"include_only", "exclude_only"}
	for _, k := range lists {
		if v, _ := b[k].([]any); len(v) > 0 {
			return map[string]any{k: v}
		}
	}
	for _, k := range lists {
		if v, ok := b[k].([]any); ok {
			return map[string]any{k: v}
		}
	}
	return map[string]any{"include_all": false}
}
