package configkit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

func TestClosest(t *testing.T) {
	t.Parallel()
	builtin := []string{"Datadog Admin Role", "Datadog Read Only Role", "Datadog Standard Role"}
	tests := map[string]struct {
		s          string
		candidates []string
		max        int
		want       []string
	}{
		"one edit":                          {"emial", []string{"email", "roles", "disabled"}, 3, []string{"email"}},
		"equal but for case":                {"datadog admin role", builtin, 1, []string{"Datadog Admin Role"}},
		"the exact name is no suggestion":   {"users", []string{"users", "user"}, 3, []string{"user"}},
		"a prefix of the other":             {"status", []string{"statusCode", "body"}, 3, []string{"statusCode"}},
		"the other a prefix":                {"intervalMs", []string{"interval", "count"}, 3, []string{"interval"}},
		"a two-letter prefix is not enough": {"st", []string{"status"}, 3, []string{}},
		"two edits on a short word":         {"rols", []string{"roles", "users"}, 3, []string{"roles"}},
		"three edits on a short word":       {"abcdef", []string{"abcxyz"}, 3, []string{}},
		// The allowance is a third of the length: nine letters allow three.
		"three edits on a long word": {"abcdefghi", []string{"abcdefxyz"}, 3, []string{"abcdefxyz"}},
		"four edits on a long word":  {"abcdefghi", []string{"abcdewxyz"}, 3, []string{}},
		"closest first, ties by name": {
			"monitor", []string{"monitored", "monitors", "minotaur", "monitor_"}, 3,
			[]string{"monitor_", "monitors", "monitored"},
		},
		"at most max":                       {"monitor", []string{"monitored", "monitors", "monitor_"}, 2, []string{"monitor_", "monitors"}},
		"nothing close":                     {"synthetics", []string{"users", "roles"}, 3, []string{}},
		"no candidates":                     {"users", nil, 3, []string{}},
		"unicode counts letters, not bytes": {"rôlés", []string{"roles"}, 1, []string{"roles"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, kit.Closest(tc.s, tc.candidates, tc.max))
		})
	}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	fields := []string{"email", "roles", "disabled", "name", "sendUserInvitation"}
	assert.Equal(t, ` (did you mean "email"?)`, kit.DidYouMean("emial", fields))
	assert.Equal(t, ` (did you mean "monitors"?)`, kit.DidYouMean("monitor", []string{"monitored", "monitors"}), "only the closest is named")
	assert.Equal(t, "", kit.DidYouMean("permissions", fields))
	assert.Equal(t, "", kit.DidYouMean("email", []string{"email"}), "a name is not its own suggestion")
}
