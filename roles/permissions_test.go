package roles_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// TestDecodePermissionIndexes: every entry's problem is at its own index,
// whatever entries before it are not strings; a list of only wrong types
// is not also reported as empty.
func TestDecodePermissionIndexes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		permissions string
		want        map[string]string
	}{
		"duplicate after a number": {`[3, "logs_read_data", true, "logs_read_data"]`, map[string]string{
			"roles.r.permissions[0]": "must be a string, got the number 3",
			"roles.r.permissions[2]": "must be a string, got the boolean true",
			"roles.r.permissions[3]": `"logs_read_data" is listed twice (also at [1])`,
		}},
		"only numbers": {`[1, 2]`, map[string]string{
			"roles.r.permissions[0]": "must be a string, got the number 1",
			"roles.r.permissions[1]": "must be a string, got the number 2",
		}},
		"null and a map": {`[null, {"a": 1}, "monitors_write"]`, map[string]string{
			"roles.r.permissions[0]": "must be a string, got nothing (null)",
			"roles.r.permissions[1]": "must be a string, got a map",
		}},
		"empty entry after a number": {`[1, ""]`, map[string]string{
			"roles.r.permissions[0]": "must be a string",
			"roles.r.permissions[1]": "is empty; write a Datadog permission name such as logs_read_data",
		}},
		"spaces around": {`["logs_read_data", " monitors_write"]`, map[string]string{
			"roles.r.permissions[1]": `" monitors_write" has leading or trailing spaces`,
		}},
		"escape": {`["logs_read_data\u001b[2J"]`, map[string]string{
			"roles.r.permissions[0]": "holds the control character U+001B ESCAPE at byte 14",
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, `{"r": {"name": "R", "permissions": `+tc.permissions+`}}`)
			assert.Equal(t, kit.SortedKeys(tc.want), kit.SortedKeys(problems))
			for path, want := range tc.want {
				assert.Contains(t, problems[path], want, path)
			}
		})
	}
}

func TestDecodeNamePrintable(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ name, want string }{
		"escape":           {"Readers\x1b]0;x\x07", "holds the control character U+001B ESCAPE at byte 7"},
		"bidi override":    {"Read\u202eers", "U+202E RIGHT-TO-LEFT OVERRIDE"},
		"line break":       {"Read\ners", "holds a line break or tab"},
		"zero-width space": {"Read\u200bers", "U+200B ZERO WIDTH SPACE"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, `{"r": {"name": `+quote(tc.name)+`, "permissions": ["logs_read_data"]}}`)
			assert.Equal(t, []string{"roles.r.name"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["roles.r.name"], tc.want)
		})
	}
}

// quote encodes s as a JSON string.
func quote(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}
