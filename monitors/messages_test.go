package monitors_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A field of the wrong type is reported once, not also as empty; the
// article before a kind reads right.
func TestDecodeMessagesReadOnce(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, `{"m": {"name": 5, "kind": "metric", "query": "avg(last_5m):x{}", "critical": 1, "message": ["m"]}}`)
	require.Len(t, problems, 2, "%v", problems)
	paths := []string{problems[0].Path, problems[1].Path}
	assert.ElementsMatch(t, []string{"monitors.m.message", "monitors.m.name"}, paths)
	for _, p := range problems {
		assert.Contains(t, p.Msg, "must be a string")
	}

	_, problems = decode(t, `{"l": {"name": "L", "kind": "log", "critical": 1, "message": "m"}}`)
	require.Len(t, problems, 1)
	assert.Contains(t, problems[0].Msg, "a log monitor needs its search")
	_, problems = decode(t, `{"e": {"name": "E", "kind": "event", "critical": 1, "message": "m"}}`)
	require.Len(t, problems, 1)
	assert.Contains(t, problems[0].Msg, "an event monitor needs its search")
}
