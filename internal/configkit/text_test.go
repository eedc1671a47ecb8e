package configkit_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want, line string }{
		"plain":                   {"Jane Smith", "Jane Smith", "Jane Smith"},
		"accents and emoji kept":  {"Zoë 👩\u200d💻 東京", "Zoë 👩\u200d💻 東京", "Zoë 👩\u200d💻 東京"},
		"escape sequence":         {"a\x1b[2Jb", `a\x1b[2Jb`, `a\x1b[2Jb`},
		"OSC 52 clipboard write":  {"\x1b]52;c;aGk=\x07", `\x1b]52;c;aGk=\x07`, `\x1b]52;c;aGk=\x07`},
		"carriage return":         {"ok\rFAIL", `ok\x0dFAIL`, `ok\x0dFAIL`},
		"line feed and tab":       {"a\n\tb", "a\n\tb", `a\x0a\x09b`},
		"DEL":                     {"a\x7f", `a\x7f`, `a\x7f`},
		"C1 control sequence":     {"a\u009b2J", `a\u009b2J`, `a\u009b2J`},
		"right-to-left override":  {"user\u202egpj.exe", `user\u202egpj.exe`, `user\u202egpj.exe`},
		"isolates":                {"\u2066a\u2069", `\u2066a\u2069`, `\u2066a\u2069`},
		"zero-width space":        {"ja\u200bne", `ja\u200bne`, `ja\u200bne`},
		"byte order mark":         {"\ufeffx", `\ufeffx`, `\ufeffx`},
		"line separator":          {"a\u2028b", `a\u2028b`, `a\u2028b`},
		"tag character":           {"a\U000e0041", `a\U000e0041`, `a\U000e0041`},
		"invalid byte":            {"a\xffb", `a\xffb`, `a\xffb`},
		"backslashes left alone":  {`^lf\.`, `^lf\.`, `^lf\.`},
		"zero-width joiner alone": {"a\u200db", "a\u200db", "a\u200db"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, kit.Escape(tc.in))
			assert.Equal(t, tc.line, kit.EscapeLine(tc.in))
		})
	}
}

func TestPrintable(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in    string
		lines bool
		// want is part of the message; "" for none.
		want string
	}{
		"plain":                       {"Limited Read Write", false, ""},
		"unicode letters":             {"Équipe Zürich", false, ""},
		"message with lines and tabs": {"first\n\tsecond", true, ""},
		"line feed in a name":         {"a\nb", false, "holds a line break or tab (U+000A LINE FEED) at byte 1; write it on one line"},
		"tab in a name":               {"a\tb", false, "U+0009 TAB"},
		"carriage return in text":     {"a\r\nb", true, "holds the control character U+000D CARRIAGE RETURN at byte 1"},
		"escape":                      {"\x1b[31mred", true, "holds the control character U+001B ESCAPE at byte 0, which a terminal would act on rather than show; remove it"},
		"NUL":                         {"a\x00", false, "U+0000 NULL at byte 1"},
		"C1":                          {"a\u0085", false, "U+0085 NEXT LINE"},
		"bidi override":               {"abc\u202e", false, "holds the invisible character U+202E RIGHT-TO-LEFT OVERRIDE at byte 3"},
		"zero-width space":            {"a\u200b", true, "U+200B ZERO WIDTH SPACE"},
		"soft hyphen":                 {"a\u00adb", false, "U+00AD SOFT HYPHEN"},
		"paragraph separator":         {"a\u2029b", true, "U+2029 PARAGRAPH SEPARATOR"},
		"invalid UTF-8":               {"a\xc3", false, "holds a byte that is not UTF-8 at byte 1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := &kit.Problems{}
			ok := p.Printable("x.name", tc.in, tc.lines)
			got := problems(t, p)
			if tc.want == "" {
				assert.True(t, ok)
				assert.Empty(t, got)
				return
			}
			assert.False(t, ok)
			require.Contains(t, got, "x.name")
			assert.Contains(t, got["x.name"], tc.want)
		})
	}
}

// TestPathErrorEscapes: a key or value holding an escape sequence is
// printed escaped, wherever the error is printed.
func TestPathErrorEscapes(t *testing.T) {
	t.Parallel()
	p := &kit.Problems{}
	p.Key("users.a\x1b[2J", "a\x1b[2J")
	p.Add("users.b.name", "%s is not allowed", "x\u202ey")
	err := p.Err()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\x1b")
	assert.NotContains(t, err.Error(), "\u202e")
	assert.Contains(t, err.Error(), `users.a\x1b[2J: key "a\x1b[2J" must be lowercase`)
	assert.Contains(t, err.Error(), `users.b.name: x\u202ey is not allowed`)
	var pe *kit.PathError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "users.a\x1b[2J", pe.Path, "the path itself is kept as it is")
}
