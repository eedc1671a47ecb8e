package synthetics_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An empty JavaScript assertion is an error; a field of the wrong type is
// reported once, not also as empty.
func TestDecodeEmptyScriptAndWrongTypes(t *testing.T) {
	t.Parallel()
	_, problems := decode(t, `{"t": {"name": "T", "url": "https://pytorch.org", "message": "m", "assertions": [{"type": "javascript", "code": "  "}]}}`)
	require.Len(t, problems, 1)
	assert.Equal(t, "synthetics.t.assertions[0].code", problems[0].Path)
	assert.Contains(t, problems[0].Msg, "is empty")

	_, problems = decode(t, `{"t": {"name": 1, "url": "https://pytorch.org", "message": true, "service": [], "assertions": [{"type": "statusCode", "operator": "is", "target": 200}]}}`)
	require.Len(t, problems, 3, "one problem a field")
	for _, p := range problems {
		assert.Contains(t, p.Msg, "must be a string", p.Path)
	}

	_, problems = decode(t, `{"q": {"name": "Q", "kind": "queue", "message": "m", "queue": {"contains": 3, "thresholdHours": 1}}}`)
	require.Len(t, problems, 1)
	assert.Equal(t, "synthetics.q.queue.contains", problems[0].Path)
}
