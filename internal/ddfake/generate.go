package ddfake

import (
	"fmt"
	"strings"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV1"
)

// Generate adds a large organisation's objects, the same on every run:
// users (active, each with Datadog's read-only role, emails
// user-00001@example.org…), monitors, synthetics tests and dashboards,
// with unique names and ids of Datadog's forms (UUIDs for users, numbers
// for monitors, "abc-123-xyz" public ids for tests and dashboards).
// Datadog's own roles are added if missing. A second call goes on
// numbering where the first stopped; an id already taken is skipped. It
// takes the lock itself: do not call it under Lock.
func (f *Fake) Generate(users, monitors, tests, dashboards int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addBuiltinRoles()
	readOnly := ReadOnlyRoleID
	for _, r := range f.Roles {
		if attrs := r.GetAttributes(); attrs.GetName() == ReadOnlyRole {
			readOnly = r.GetId()
			break
		}
	}

	taken := map[string]bool{}
	for _, u := range f.Users {
		taken[u.GetId()] = true
	}
	for range users {
		f.generated.users++
		n := f.generated.users
		id := userID(n)
		for k := 0; taken[id]; k++ {
			id = userID(n + (k+1)<<40)
		}
		taken[id] = true
		f.Users = append(f.Users, newUser(id, fmt.Sprintf("user-%05d@example.org", n), fmt.Sprintf("User %05d", n), false, []string{readOnly}))
	}

	ids := map[int64]bool{}
	for _, m := range f.Monitors {
		ids[m.GetId()] = true
	}
	for range monitors {
		f.generated.monitors++
		n := f.generated.monitors
		id := int64(200_000_000 + n)
		for ids[id] {
			id += 1_000_000
		}
		ids[id] = true
		f.Monitors = append(f.Monitors, generatedMonitor(n, id))
	}

	taken = map[string]bool{}
	for _, t := range f.Tests {
		taken[t.GetPublicId()] = true
	}
	for range tests {
		f.generated.tests++
		n := f.generated.tests
		id := publicID(uint64(n), 1_000_003, 7_777_777)
		for k := uint64(1); taken[id]; k++ {
			id = publicID(uint64(n)+k<<32, 1_000_003, 7_777_777)
		}
		taken[id] = true
		f.Tests = append(f.Tests, generatedTest(n, id))
	}

	taken = map[string]bool{}
	for _, d := range f.Dashboards {
		taken[d.GetId()] = true
	}
	for range dashboards {
		f.generated.dashboards++
		n := f.generated.dashboards
		id := publicID(uint64(n), 999_983, 123_456_789)
		for k := uint64(1); taken[id]; k++ {
			id = publicID(uint64(n)+k<<32, 999_983, 123_456_789)
		}
		taken[id] = true
		f.Dashboards = append(f.Dashboards, generatedDashboard(n, id))
	}
}

// userID is a version-4 UUID made from n by splitmix64, a bijection of
// 64-bit numbers: different n, different ids in practice, and the same n
// the same id on every run.
func userID(n int) string {
	hi, lo := splitmix(uint64(n)), splitmix(^uint64(n))
	return fmt.Sprintf("%08x-%04x-4%03x-%x%03x-%012x",
		hi>>32, hi>>16&0xffff, hi&0xfff, 8+lo>>62, lo>>48&0xfff, lo&0xffffffffffff)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// publicID is the id form of synthetics tests and dashboards, three
// groups of three of [0-9a-z]: n*mult+add in base 36. mult is prime to
// 36, so different n below 36^9 give different ids.
func publicID(n, mult, add uint64) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	const space = 101559956668416 // 36^9
	x := (n%space*mult + add) % space
	var b strings.Builder
	for i := 0; i < 9; i++ {
		if i == 3 || i == 6 {
			b.WriteByte('-')
		}
		b.WriteByte(digits[x%36])
		x /= 36
	}
	return b.String()
}

func generatedMonitor(n int, id int64) datadogV1.Monitor {
	m := map[string]any{
		"id":      id,
		"name":    fmt.Sprintf("Generated monitor %05d", n),
		"type":    "query alert",
		"query":   fmt.Sprintf("avg(last_5m):avg:system.cpu.user{host:host-%05d} > 90", n),
		"message": fmt.Sprintf("CPU is high on host-%05d.", n),
		"tags":    []string{"generated:true"},
		"created": created, "modified": created,
		"options": map[string]any{
			"thresholds":          map[string]any{"critical": 90, "warning": 80},
			"notify_no_data":      false,
			"require_full_window": false,
			"include_tags":        true,
		},
	}
	var mon datadogV1.Monitor
	mustDecode(m, &mon)
	return mon
}

func generatedTest(n int, id string) datadogV1.SyntheticsTestDetailsWithoutSteps {
	t := map[string]any{
		"public_id":  id,
		"name":       fmt.Sprintf("Generated test %05d", n),
		"type":       "api",
		"subtype":    "http",
		"status":     "live",
		"message":    fmt.Sprintf("service-%05d is down.", n),
		"tags":       []string{"env:project", "generated:true"},
		"locations":  []string{"aws:us-west-2"},
		"monitor_id": 300_000_000 + n,
		"config": map[string]any{
			"request":    map[string]any{"method": "GET", "url": fmt.Sprintf("https://service-%05d.example.org", n)},
			"assertions": []any{map[string]any{"type": "statusCode", "operator": "is", "target": 200}},
		},
		"options": map[string]any{
			"tick_every": 300,
			"retry":      map[string]any{"count": 3, "interval": 300000},
		},
	}
	var test datadogV1.SyntheticsTestDetailsWithoutSteps
	mustDecode(t, &test)
	return test
}

func generatedDashboard(n int, id string) datadogV1.Dashboard {
	title := fmt.Sprintf("Generated dashboard %05d", n)
	d := map[string]any{
		"id": id, "title": title, "layout_type": "ordered",
		"description":   fmt.Sprintf("Dashboard number %d.", n),
		"url":           "/dashboard/" + id + "/" + slug(title),
		"author_handle": "user-00001@example.org",
		"created_at":    created, "modified_at": created,
		"widgets": []any{map[string]any{
			"definition": map[string]any{"type": "note", "content": fmt.Sprintf("Dashboard %05d", n)},
		}},
	}
	var dash datadogV1.Dashboard
	mustDecode(d, &dash)
	return dash
}

// mustDecode decodes what Generate builds, which is valid by
// construction: an error is a bug of the Fake.
func mustDecode(m map[string]any, model any) {
	if err := decodeInto(m, model); err != nil {
		panic("ddfake: " + err.Error())
	}
}
