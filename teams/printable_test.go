package teams_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// TestDecodePrintable: a team's name and description hold no character
// that acts instead of showing; a description may have lines.
func TestDecodePrintable(t *testing.T) {
	t.Parallel()
	str := func(s string) string { data, _ := json.Marshal(s); return string(data) }
	tests := map[string]struct {
		name, description string
		path, want        string // "" for valid
	}{
		"plain":                     {"LF Staff", "The Linux Foundation's staff.", "", ""},
		"description with lines":    {"LF Staff", "Line one.\n\tLine two.", "", ""},
		"escape in the name":        {"LF\x1b[2J Staff", "d", "teams.t.name", "holds the control character U+001B ESCAPE at byte 2"},
		"line break in the name":    {"LF\nStaff", "d", "teams.t.name", "holds a line break or tab"},
		"bidi in the name":          {"LF \u202eStaff", "d", "teams.t.name", "U+202E RIGHT-TO-LEFT OVERRIDE"},
		"escape in the description": {"LF Staff", "a\x1b]8;;https://x\x07", "teams.t.description", "U+001B ESCAPE"},
		"C1 in the description":     {"LF Staff", "a\u0085b", "teams.t.description", "U+0085 NEXT LINE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, `{"t": {"name": `+str(tc.name)+`, "description": `+str(tc.description)+`}}`, nil)
			if tc.path == "" {
				assert.Empty(t, problems)
				return
			}
			assert.Equal(t, []string{tc.path}, kit.SortedKeys(problems))
			assert.Contains(t, problems[tc.path], tc.want)
		})
	}
}
