package adopt

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func set(section, key, id string) IDEdit {
	return IDEdit{Section: section, Key: key, ID: id}
}

func TestWriteKeepsEverythingElse(t *testing.T) {
	t.Parallel()
	in := "config:\r\n" +
		"  pytorch-datadog:users:\r\n" +
		"    # the first user\r\n" +
		"    a:   # trailing comment\r\n" +
		"      # about the email\r\n" +
		"      email: a@example.org\r\n" +
		"\r\n" +
		"      roles: [x]\r\n" +
		"    b: {email: b@example.org, roles: [x]}\r\n" +
		"  pytorch-datadog:monitors:\r\n" +
		"    m:\r\n" +
		"      name: M"
	out, err := Write([]byte(in), []IDEdit{set("users", "a", "u-1"), set("users", "b", "u-2"), set("monitors", "m", "7")})
	require.NoError(t, err)
	assert.Equal(t, "config:\r\n"+
		"  pytorch-datadog:users:\r\n"+
		"    # the first user\r\n"+
		"    a:   # trailing comment\r\n"+
		"      importId: \"u-1\"\r\n"+
		"      # about the email\r\n"+
		"      email: a@example.org\r\n"+
		"\r\n"+
		"      roles: [x]\r\n"+
		"    b: {importId: \"u-2\", email: b@example.org, roles: [x]}\r\n"+
		"  pytorch-datadog:monitors:\r\n"+
		"    m:\r\n"+
		"      importId: \"7\"\r\n"+
		"      name: M", string(out))
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	_, err := Write([]byte("config:\n  pytorch-datadog:users:\n    a: {email: a@example.org}\n"), []IDEdit{set("monitors", "m", "7")})
	assert.ErrorContains(t, err, "monitors: not in the stack file")
	_, err = Write([]byte("config:\n  pytorch-datadog:users:\n    a: x\n"), []IDEdit{set("users", "a", "u")})
	assert.ErrorContains(t, err, "users.a: not a map")
	_, err = Write([]byte("nope: 1\n"), []IDEdit{set("users", "a", "u")})
	assert.ErrorContains(t, err, "no config")
}
