package configkit

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/pytorch-fdn/pytorch-datadog/internal/safetext"
)

// Text that reaches a terminal or a reviewer's eye is shown, never
// performed: internal/safetext says how; these are its functions, for the
// decoders and commands that already use configkit.

// Unsafe says whether r must not appear as it is in shown text
// (safetext.Unsafe).
func Unsafe(r rune) bool { return safetext.Unsafe(r) }

// Escape shows every unsafe character but line feeds and tabs
// (safetext.Escape).
func Escape(s string) string { return safetext.Escape(s) }

// EscapeOutput is Escape in a form that is JSON's too
// (safetext.EscapeOutput).
func EscapeOutput(s string) string { return safetext.EscapeOutput(s) }

// EscapeLine is Escape for one line of a table (safetext.EscapeLine).
func EscapeLine(s string) string { return safetext.EscapeLine(s) }

// RuneName names a character for a message (safetext.RuneName).
func RuneName(r rune) string { return safetext.RuneName(r) }

// FirstUnsafe finds the first character Printable refuses
// (safetext.FirstUnsafe).
func FirstUnsafe(s string, lines bool) (rune, int, bool) { return safetext.FirstUnsafe(s, lines) }

// Printable reports text that holds a character which acts instead of
// showing (see Unsafe): with lines (a message, a description), line feeds
// and tabs are allowed; without (a name), they are not either. It says
// whether s is printable.
func (p *Problems) Printable(path, s string, lines bool) bool {
	r, at, found := FirstUnsafe(s, lines)
	if !found {
		return true
	}
	p.Add(path, "%s", UnsafeMessage(r, at, lines))
	return false
}

// UnsafeMessage says what is wrong with the character r found at byte at,
// and how to fix it.
func UnsafeMessage(r rune, at int, lines bool) string {
	switch {
	case r == utf8.RuneError:
		return fmt.Sprintf("holds a byte that is not UTF-8 at byte %d; write the text in UTF-8", at)
	case !lines && (r == '\n' || r == '\r' || r == '\t'):
		return fmt.Sprintf("holds a line break or tab (%s) at byte %d; write it on one line", RuneName(r), at)
	case unicode.IsControl(r):
		return fmt.Sprintf("holds the control character %s at byte %d, which a terminal would act on rather than show; remove it", RuneName(r), at)
	default:
		return fmt.Sprintf("holds the invisible character %s at byte %d, which changes how the text reads without showing; remove it (retype the text if it was pasted)", RuneName(r), at)
	}
}
