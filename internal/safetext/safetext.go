// Package safetext shows text that reaches a terminal or a reviewer's eye
// without letting it act: it says which characters act instead of showing
// (control characters, bidirectional overrides, invisible format
// characters), escapes them, and names them for messages. It depends on
// nothing of the program, so that small commands (cmd/stackcheck) can use
// it; configkit's text functions are these.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/runenames"
)

// Text that reaches a terminal (plans, diffs, error messages) or a
// reviewer's eye must not hold characters that act instead of showing:
// control characters (ESC starts a sequence that can rewrite a reviewer's
// terminal), bidirectional overrides (U+202E shows text in another order
// than it is read), invisible format characters (U+200B makes two equal
// looking names differ) and line or paragraph separators. Unsafe says which
// these are; Escape shows them, and Problems.Printable refuses them in
// config.

// Unsafe says whether r must not appear as it is in text shown to people:
// a control character (C0, DEL, C1), a format character (Cf: bidirectional
// controls, zero-width spaces, the byte order mark, tag characters) other
// than the zero-width joiner and non-joiner (which emoji and several
// scripts need, and which move nothing), a line or paragraph separator, or
// utf8.RuneError (an invalid byte).
func Unsafe(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return true
	case r == '\u200c' || r == '\u200d':
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.In(r, unicode.Zl, unicode.Zp):
		return true
	}
	return false
}

// Escape returns s with each unsafe character but line feeds and tabs
// written as Go writes it in a quoted string (\x1b, \u202e; an invalid
// byte as \xff), so that text from a config can be printed to a terminal
// as it is, and still shows, rather than performs, whatever it holds.
// Backslashes are left as they are.
func Escape(s string) string {
	return escape(s, "\n\t", false)
}

// EscapeOutput is Escape in a form that is JSON's too, for output that may
// be JSON: \u001b, an invalid byte as \ufffd, a character beyond U+FFFF
// as its UTF-16 pair. In a JSON string it is the same string; in text it
// shows what was there rather than performing it.
func EscapeOutput(s string) string {
	return escape(s, "\n\t", true)
}

// EscapeLine is Escape for one line of a table: line feeds and tabs are
// escaped too.
func EscapeLine(s string) string {
	return escape(s, "", false)
}

func escape(s, keep string, json bool) string {
	i := strings.IndexFunc(s, func(r rune) bool { return Unsafe(r) && !strings.ContainsRune(keep, r) })
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size <= 1 && json:
			b.WriteString(`\ufffd`)
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case !Unsafe(r) || strings.ContainsRune(keep, r):
			b.WriteString(s[:size])
		case r < utf8.RuneSelf && !json:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		case json:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		s = s[size:]
	}
	return b.String()
}

// controlNames are the names of the control characters most often met, as
// Unicode's name aliases give them (the character names of controls are
// all "<control>").
var controlNames = map[rune]string{
	0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0a: "LINE FEED",
	0x0b: "LINE TABULATION", 0x0c: "FORM FEED", 0x0d: "CARRIAGE RETURN", 0x1b: "ESCAPE",
	0x7f: "DELETE", 0x85: "NEXT LINE", 0x9b: "CONTROL SEQUENCE INTRODUCER",
}

// RuneName names a character for a message: "U+202E RIGHT-TO-LEFT
// OVERRIDE", "U+001B ESCAPE".
func RuneName(r rune) string {
	name := controlNames[r]
	if name == "" {
		name = runenames.Name(r)
	}
	if name == "" || strings.HasPrefix(name, "<") {
		return fmt.Sprintf("%U", r)
	}
	return fmt.Sprintf("%U %s", r, name)
}

// FirstUnsafe finds the first character of s that Printable refuses: an
// unsafe one, or with lines a line feed or tab are allowed. It returns the
// character, its byte offset and whether there is one; an invalid byte is
// returned as utf8.RuneError.
func FirstUnsafe(s string, lines bool) (rune, int, bool) {
	for i, r := range s {
		if lines && (r == '\n' || r == '\t') {
			continue
		}
		if Unsafe(r) {
			return r, i, true
		}
	}
	return 0, 0, false
}
