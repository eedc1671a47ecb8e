package users

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// An email address is someone's login: two entries that differ only in
// how they are written (case, an IDN domain and its punycode form) are one
// account, and an address that looks like another (a Cyrillic "а" for a
// Latin "a") would invite someone else under a reviewer's nose. So an
// address here is plain: an ASCII local part, a domain that is a host name
// (Unicode or punycode) whose every label is in one script, no invisible
// characters and no domain literal; and addresses are compared in their
// lookup form and, for lookalikes, their skeleton.

// checkEmail reports an address that is not a bare, plain address, and
// returns its lookup form (ASCII local part and punycode domain, lower
// case) when it is one, else "".
func checkEmail(p *kit.Problems, path, email string) string {
	if !p.Printable(path, email, false) {
		return ""
	}
	bare := fmt.Sprintf("%q is not an email address; write it bare, as jane.smith@example.org", email)
	local, domain, _ := strings.Cut(email, "@")
	// RFC 5321's limits: a local part of 64 octets, a path of 256 (an
	// address of 254); past them no mail reaches the user.
	if len(local) > 64 || len(email) > 254 {
		p.Add(path, "is %d characters with a local part of %d; an email address has at most 254, its part before the @ at most 64", len(email), len(local))
		return ""
	}
	if strings.HasPrefix(domain, "[") {
		p.Add(path, "%q has a domain literal (an address in brackets); Datadog logins are by domain name: write the address with its domain, as jane.smith@example.org", email)
		return ""
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || strings.ContainsAny(email, " <>") || strings.HasPrefix(local, `"`) {
		p.Add(path, "%s", bare)
		return ""
	}
	if !strings.Contains(domain, ".") {
		p.Add(path, "%s", bare)
		return ""
	}
	for i, r := range local {
		if r >= unicode.MaxASCII {
			p.Add(path, "%q has the non-ASCII character %s at byte %d before the @; write the local part in ASCII (a letter from another script can look like a Latin one, and be another person's address)", email, kit.RuneName(r), i)
			return ""
		}
	}
	ascii, err := kit.ASCIIHost(domain)
	if err != nil {
		p.Add(path, "%q: the domain %q %v", email, domain, err)
		return ""
	}
	unicodeDomain, err := hostUnicode(ascii)
	if err != nil {
		unicodeDomain = domain
	}
	if label, scripts := mixedScripts(unicodeDomain); label != "" {
		p.Add(path, "%q: the domain's label %q mixes the scripts %s, which is how a lookalike of another domain is made; write the domain in one script (or its punycode form if it is real)", email, label, strings.Join(scripts, " and "))
		return ""
	}
	return strings.ToLower(local) + "@" + ascii
}

// mixedScripts returns the first label of a domain whose letters are of
// more than one script, and those scripts; ("", nil) when none is. Only the
// mixes Unicode's highly restrictive profile (UTS #39, 5.2) allows pass:
// Latin with Han and Hiragana and Katakana, with Han and Bopomofo, or with
// Han and Hangul.
func mixedScripts(domain string) (string, []string) {
	for _, label := range strings.Split(norm.NFC.String(domain), ".") {
		var found []string
		for _, r := range label {
			s := scriptOf(r)
			if s == "" || s == "Common" || s == "Inherited" {
				continue
			}
			if !slices.Contains(found, s) {
				found = append(found, s)
			}
		}
		if len(found) > 1 && !allowedMix(found) {
			return label, found
		}
	}
	return "", nil
}

var allowedMixes = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

func allowedMix(scripts []string) bool {
	for _, mix := range allowedMixes {
		all := true
		for _, s := range scripts {
			all = all && slices.Contains(mix, s)
		}
		if all {
			return true
		}
	}
	return false
}

// scriptOf names the Unicode script of r, or "".
func scriptOf(r rune) string {
	if r < unicode.MaxASCII {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return "Latin"
		default:
			return "Common"
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// lookalikes map the Cyrillic and Greek letters that look like Latin ones
// (after lower-casing) to those: the confusables of Unicode's UTS #39 data
// that matter for addresses, whose local part is ASCII already.
var lookalikes = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i',
	'ј': 'j', 'к': 'k', 'ӏ': 'l', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'г': 'r',
	'ѕ': 's', 'т': 't', 'ц': 'u', 'ѵ': 'v', 'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y', 'з': '3',
	// Greek
	'α': 'a', 'β': 'b', 'ϲ': 'c', 'ε': 'e', 'η': 'n', 'ι': 'i', 'ϳ': 'j', 'κ': 'k', 'ν': 'v',
	'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y', 'ω': 'w', 'ѡ': 'w',
	// Latin letters that read as others
	'ı': 'i', 'ℓ': 'l',
}

// skeleton is an address as it looks: its domain in Unicode, lower case,
// NFKC, each lookalike letter replaced by the Latin letter it looks like.
// Two addresses with one skeleton that are not one address are a lookalike
// pair.
func skeleton(lookup string) string {
	local, domain, _ := strings.Cut(lookup, "@")
	if u, err := hostUnicode(domain); err == nil {
		domain = u
	}
	s := norm.NFKC.String(strings.ToLower(local + "@" + domain))
	var b strings.Builder
	for _, r := range s {
		if l, ok := lookalikes[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hostUnicode is a lookup-form domain in Unicode.
func hostUnicode(domain string) (string, error) {
	return idna.Lookup.ToUnicode(domain)
}

// LookupForm is the form an address is matched in when it is not checked
// (an object read from Datadog or a Terraform state, matched with the
// entries): an ASCII local part in lower case, @, the domain in punycode,
// lower case. An address with a non-ASCII local part, or a domain that is
// not a host name, is kept as it is, so that it matches only itself:
// Unicode's case folding would make "ſ" (long s) an "s", and someone
// else's mailbox an entry's.
func LookupForm(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return email
	}
	for _, r := range local {
		if r >= unicode.MaxASCII {
			return email
		}
	}
	ascii, err := kit.ASCIIHost(domain)
	if err != nil {
		return email
	}
	return strings.ToLower(local) + "@" + ascii
}
