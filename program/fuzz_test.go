package program_test

import (
	"errors"
	"testing"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// FuzzLoad decodes arbitrary sections: Load never panics, returns a config
// or an error, and every problem it reports names its config path.
func FuzzLoad(f *testing.F) {
	f.Add(`{"r": {"name": "R", "permissions": ["logs_read_data"]}}`, `{"jane-smith": {"email": "jane@example.org", "roles": ["r"]}}`, "", "")
	f.Add(`{"r": {"name": 1, "permissions": [null]}}`, `{"a": {"email": [], "roles": "x", "disabled": {}}}`, `[]`, `{}`)
	f.Add(`[]`, `"x"`, `{"m": {"kind": "metric", "critical": "x"}}`, `{"t": {"kind": "queue", "queue": {"exclude": ["^("]}}}`)
	f.Add(`{"a": {"name": "A", "permissions": ["p"]}}`, `{"b": {"email": "b@x.y", "roles": ["A", "a", " A", "Datadog Admin Rol"]}}`,
		`{"e": {"name": "E", "kind": "event", "search": "s", "critical": 0, "warning": 1e400, "message": "m", "notify": ["infra", 3]}}`,
		`{"t": {"name": "T", "url": "https://x.org", "message": "m", "assertions": [{"type": "header", "property": "x", "operator": "matches", "target": 5}, {"type": "javascript", "code": "dd.expect(1).to.equal(1)"}, 7]}}`)
	f.Fuzz(func(t *testing.T, roles, users, monitors, synthetics string) {
		raw := kit.Raw{Values: map[string]string{
			program.KeyAPIURL:                  "https://api.us3.datadoghq.com/",
			kit.Namespace + ":channels":        `{"infra": "@slack-infra"}`,
			kit.Namespace + ":" + "roles":      roles,
			kit.Namespace + ":" + "users":      users,
			kit.Namespace + ":" + "monitors":   monitors,
			kit.Namespace + ":" + "synthetics": synthetics,
		}, Secret: map[string]bool{}}
		for k, v := range raw.Values {
			if v == "" {
				delete(raw.Values, k)
			}
		}
		cfg, err := program.Load(raw)
		if err == nil && cfg == nil {
			t.Fatal("Load returned neither config nor error")
		}
		if err == nil {
			return
		}
		joined, ok := err.(interface{ Unwrap() []error })
		if !ok {
			t.Fatalf("not a joined error: %v", err)
		}
		for _, e := range joined.Unwrap() {
			var pe *kit.PathError
			if !errors.As(e, &pe) {
				t.Fatalf("error without a path: %v", e)
			}
		}
	})
}
