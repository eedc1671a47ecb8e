package ddfake

import (
	"net/url"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
)

// Page sizes of the endpoints, as Datadog documents and enforces them: a
// size above the maximum is a 400, not a silent cap, so that a reader
// asking for too much learns it in a test rather than in production.
const (
	// V2PageDefault and V2PageMax bound page[size] of users, roles and
	// teams.
	V2PageDefault = 10
	V2PageMax     = 100
	// MonitorPageDefault and MonitorPageMax bound page_size of monitors
	// when page is given.
	MonitorPageDefault = 100
	MonitorPageMax     = 1000
	// TestPageDefault and TestPageMax bound page_size of synthetics tests.
	TestPageDefault = 100
	TestPageMax     = 100
	// DashboardPageDefault and DashboardPageMax bound count of dashboards.
	DashboardPageDefault = 100
	DashboardPageMax     = 100
)

// v2Page reads page[size] and page[number] of a JSON:API list.
func v2Page(q url.Values) (size, number int, msg string) {
	if size, msg = param(q, "page[size]", V2PageDefault, 1, V2PageMax); msg != "" {
		return 0, 0, msg
	}
	number, msg = param(q, "page[number]", 0, 0, -1)
	return size, number, msg
}

// listUsers: GET /api/v2/users, filtered by filter[status], a page with
// the roles its users have included.
func (f *Fake) listUsers(q url.Values) (int, []byte) {
	size, number, msg := v2Page(q)
	if msg != "" {
		return badRequest("%s", msg)
	}
	users := f.Users
	if s := q.Get("filter[status]"); s != "" {
		want := map[string]bool{}
		for _, st := range strings.Split(s, ",") {
			want[strings.ToLower(strings.TrimSpace(st))] = true
		}
		users = nil
		for _, u := range f.Users {
			attrs := u.GetAttributes()
			if want[strings.ToLower(attrs.GetStatus())] {
				users = append(users, u)
			}
		}
	}
	lo, hi := window(len(users), number, size)
	page := users[lo:hi]

	roles := make(map[string]*datadogV2.Role, len(f.Roles))
	for i := range f.Roles {
		roles[f.Roles[i].GetId()] = &f.Roles[i]
	}
	included := []datadogV2.UserResponseIncludedItem{}
	seen := map[string]bool{}
	for _, u := range page {
		rel := u.GetRelationships()
		roleRel := rel.GetRoles()
		for _, d := range roleRel.GetData() {
			id := d.GetId()
			if role, ok := roles[id]; ok && !seen[id] {
				seen[id] = true
				included = append(included, datadogV2.UserResponseIncludedItem{Role: role})
			}
		}
	}
	total, filtered := int64(len(f.Users)), int64(len(users))
	return encode(datadogV2.UsersResponse{
		Data:     nonNil(page),
		Included: included,
		Meta: &datadogV2.ResponseMetaAttributes{Page: &datadogV2.Pagination{
			TotalCount: &total, TotalFilteredCount: &filtered,
		}},
	})
}

// listRoles: GET /api/v2/roles, a page.
func (f *Fake) listRoles(q url.Values) (int, []byte) {
	size, number, msg := v2Page(q)
	if msg != "" {
		return badRequest("%s", msg)
	}
	lo, hi := window(len(f.Roles), number, size)
	total := int64(len(f.Roles))
	return encode(datadogV2.RolesResponse{
		Data: nonNil(f.Roles[lo:hi]),
		Meta: &datadogV2.ResponseMetaAttributes{Page: &datadogV2.Pagination{
			TotalCount: &total, TotalFilteredCount: &total,
		}},
	})
}

// listPermissions: GET /api/v2/permissions, all of them (Datadog does not
// paginate it).
func (f *Fake) listPermissions() (int, []byte) {
	return encode(datadogV2.PermissionsResponse{Data: nonNil(f.Permissions)})
}

// listTeams: GET /api/v2/team, a page.
func (f *Fake) listTeams(q url.Values) (int, []byte) {
	size, number, msg := v2Page(q)
	if msg != "" {
		return badRequest("%s", msg)
	}
	lo, hi := window(len(f.Teams), number, size)
	offset, limit, total := int64(lo), int64(size), int64(len(f.Teams))
	return encode(datadogV2.TeamsResponse{
		Data: nonNil(f.Teams[lo:hi]),
		Meta: &datadogV2.TeamsResponseMeta{Pagination: &datadogV2.TeamsResponseMetaPagination{
			Offset: &offset, Limit: &limit, Total: &total,
		}},
	})
}

// slackChannels: GET …/slack/configuration/accounts/{account}/channels.
func (f *Fake) slackChannels(account string) (int, []byte) {
	channels, ok := f.SlackChannels[account]
	if !ok {
		return notFound("Slack account %s not found", account)
	}
	return encode(nonNil(channels))
}

// webhook: GET …/webhooks/configuration/webhooks/{name}. Datadog has no
// endpoint that lists webhooks.
func (f *Fake) webhook(name string) (int, []byte) {
	for _, w := range f.Webhooks {
		if w.Name == name {
			return encode(w)
		}
	}
	return notFound("Webhook %s not found", name)
}

// listMonitors: GET /api/v1/monitor. Without page, every monitor, as
// Datadog answers; with it, a page of page_size.
func (f *Fake) listMonitors(q url.Values) (int, []byte) {
	if _, paged := q["page"]; !paged {
		return encode(nonNil(f.Monitors))
	}
	number, msg := param(q, "page", 0, 0, -1)
	if msg != "" {
		return badRequest("%s", msg)
	}
	size, msg := param(q, "page_size", MonitorPageDefault, 1, MonitorPageMax)
	if msg != "" {
		return badRequest("%s", msg)
	}
	lo, hi := window(len(f.Monitors), number, size)
	return encode(nonNil(f.Monitors[lo:hi]))
}

// listTests: GET /api/v1/synthetics/tests. Without page_size or
// page_number, every test; with either, a page.
func (f *Fake) listTests(q url.Values) (int, []byte) {
	lo, hi := 0, len(f.Tests)
	_, sized := q["page_size"]
	_, numbered := q["page_number"]
	if sized || numbered {
		size, msg := param(q, "page_size", TestPageDefault, 1, TestPageMax)
		if msg != "" {
			return badRequest("%s", msg)
		}
		number, msg := param(q, "page_number", 0, 0, -1)
		if msg != "" {
			return badRequest("%s", msg)
		}
		lo, hi = window(len(f.Tests), number, size)
	}
	return encode(datadogV1.SyntheticsListTestsResponse{Tests: nonNil(f.Tests[lo:hi])})
}

// listDashboards: GET /api/v1/dashboard, count summaries from start.
// filter[shared] and filter[deleted] are ignored: the Fake has neither
// shared nor deleted dashboards.
func (f *Fake) listDashboards(q url.Values) (int, []byte) {
	count, msg := param(q, "count", DashboardPageDefault, 1, DashboardPageMax)
	if msg != "" {
		return badRequest("%s", msg)
	}
	start, msg := param(q, "start", 0, 0, -1)
	if msg != "" {
		return badRequest("%s", msg)
	}
	lo, hi := offsetWindow(len(f.Dashboards), start, count)
	out := []datadogV1.DashboardSummaryDefinition{}
	for _, d := range f.Dashboards[lo:hi] {
		out = append(out, summary(d))
	}
	return encode(datadogV1.DashboardSummary{Dashboards: out})
}

// summary is the dashboard as GET /api/v1/dashboard lists it.
func summary(d datadogV1.Dashboard) datadogV1.DashboardSummaryDefinition {
	layout := d.LayoutType
	return datadogV1.DashboardSummaryDefinition{
		AuthorHandle: d.AuthorHandle,
		CreatedAt:    d.CreatedAt,
		Description:  d.Description,
		Id:           d.Id,
		IsReadOnly:   d.IsReadOnly,
		LayoutType:   &layout,
		ModifiedAt:   d.ModifiedAt,
		Title:        &d.Title,
		Url:          d.Url,
	}
}

// dashboard: GET /api/v1/dashboard/{id}, the whole dashboard.
func (f *Fake) dashboard(id string) (int, []byte) {
	for _, d := range f.Dashboards {
		if d.GetId() == id {
			return encode(d)
		}
	}
	return notFound("Dashboard %s not found", id)
}

// listAWSAccounts: GET /api/v2/integration/aws/accounts, all of them,
// or the one of aws_account_id.
func (f *Fake) listAWSAccounts(q url.Values) (int, []byte) {
	out := []datadogV2.AWSAccountResponseData{}
	want := q.Get("aws_account_id")
	for _, a := range f.AWSAccounts {
		if want == "" || a.GetAttributes().AwsAccountId == want {
			out = append(out, a)
		}
	}
	return encode(datadogV2.AWSAccountsResponse{Data: out})
}

// nonNil makes an empty list encode as [] rather than null, as Datadog
// answers an empty list.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
