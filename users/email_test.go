package users_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/users"
)

// TestDecodeEmailPlain: an address is plain text that people read the same
// way: no invisible characters, an ASCII local part, a domain in one script,
// no domain literal.
func TestDecodeEmailPlain(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		email string
		// want is part of the message at users.a.email; "" for valid.
		want string
	}{
		"IDN domain":                   {"jane@bücher.example", ""},
		"punycode domain":              {"jane@xn--bcher-kva.example", ""},
		"all-Cyrillic domain":          {"ivan@пример.рф", ""},
		"Japanese domain":              {"taro@日本語ドメイン.jp", ""},
		"Latin and Han in one label":   {"li@abc中文.cn", ""},
		"zero-width space":             {"ja\u200bne@example.org", "holds the invisible character U+200B ZERO WIDTH SPACE at byte 2"},
		"zero-width joiner":            {"ja\u200dne@example.org", "has the non-ASCII character U+200D ZERO WIDTH JOINER at byte 2 before the @"},
		"soft hyphen in the domain":    {"jane@exam\u00adple.org", "U+00AD SOFT HYPHEN"},
		"byte order mark":              {"\ufeffjane@example.org", "U+FEFF ZERO WIDTH NO-BREAK SPACE at byte 0"},
		"right-to-left override":       {"jane@\u202egro.elpmaxe", "U+202E RIGHT-TO-LEFT OVERRIDE"},
		"escape":                       {"jane@example.org\x1b[2K", "U+001B ESCAPE"},
		"line feed":                    {"jane@example.org\n", "holds a line break or tab"},
		"Cyrillic a in the local part": {"j\u0430ne@example.org", `has the non-ASCII character U+0430 CYRILLIC SMALL LETTER A at byte 1 before the @; write the local part in ASCII`},
		"accented local part":          {"zoë@example.org", "non-ASCII character U+00EB"},
		"Cyrillic o in the domain":     {"jane@ex\u0430mple.org", `the domain's label "exаmple" mixes the scripts Latin and Cyrillic`},
		"Greek omicron in the domain":  {"jane@pyt\u03bfrch.org", "mixes the scripts Latin and Greek"},
		"IPv4 domain literal":          {"a@[1.2.3.4]", `"a@[1.2.3.4]" has a domain literal (an address in brackets); Datadog logins are by domain name`},
		"IPv6 domain literal":          {"a@[IPv6:2001:db8::1]", "has a domain literal"},
		"underscore in the domain":     {"jane@ex_ample.org", `the domain "ex_ample.org" is not a host name: disallowed rune U+005F`},
		"bad punycode":                 {"jane@xn--zz.org", "is not a host name"},
		"empty label":                  {"jane@example..org", "not an email address"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, `{"a": {"email": `+jsonString(t, tc.email)+`, "roles": ["readers"]}}`, managed)
			if tc.want == "" {
				assert.Empty(t, problems)
				return
			}
			require.Equal(t, []string{"users.a.email"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["users.a.email"], tc.want)
		})
	}
}

// TestDecodeEmailSameAddress: two entries for one address, however it is
// written, or for addresses that look the same, are reported at the later
// entry, naming the first.
func TestDecodeEmailSameAddress(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		first, second string
		// want is part of the message at users.b.email; "" for none.
		want string
	}{
		"different people":       {"jane@example.org", "john@example.org", ""},
		"same domain, two users": {"jane@bücher.example", "john@xn--bcher-kva.example", ""},
		"identical":              {"jane@example.org", "jane@example.org", `"jane@example.org" is also the email of users.a; each Datadog user has one entry`},
		"other case":             {"Jane@Example.org", "jane@example.org", `is also the email of users.a; each Datadog user has one entry (users.a.email is "Jane@Example.org"`},
		"IDN and punycode":       {"jane@bücher.example", "jane@xn--bcher-kva.example", `"jane@xn--bcher-kva.example" is also the email of users.a; each Datadog user has one entry (users.a.email is "jane@bücher.example": addresses compare without case, and a domain in Unicode and in punycode is one domain)`},
		"IDN in upper case":      {"jane@BÜCHER.example", "JANE@bücher.EXAMPLE", "is also the email of users.a"},
		"Cyrillic lookalike domain": {
			"jane@coca.org", "jane@сocа.org", "mixes the scripts",
		},
		"whole-script Cyrillic lookalike": {
			"jane@coca.org", "jane@сoca.org", "mixes the scripts",
		},
		"all-Cyrillic lookalike of a Latin domain": {
			"jane@aec.org", "jane@аес.org", `"jane@аес.org" looks the same as "jane@aec.org", the email of users.a, but is another address`,
		},
		"all-Greek lookalike": {
			"jane@ok.org", "jane@οκ.org", `looks the same as "jane@ok.org", the email of users.a`,
		},
		"lookalike in punycode": {
			"jane@aec.org", "jane@xn--80ak0b.org", `looks the same as "jane@aec.org"`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, problems := decode(t, `{"a": {"email": `+jsonString(t, tc.first)+`, "roles": ["readers"]}, "b": {"email": `+jsonString(t, tc.second)+`, "roles": ["readers"]}}`, managed)
			if tc.want == "" {
				assert.Empty(t, problems)
				return
			}
			require.Equal(t, []string{"users.b.email"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["users.b.email"], tc.want)
		})
	}
}

func TestDecodeName(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name string
		want string // part of the message at users.a.name; "" for valid
	}{
		"plain":            {"Jane Smith", ""},
		"accents":          {"Zoë Ångström", ""},
		"empty":            {"", "is empty; write the user's display name (name: Jane Smith), or remove name to leave it to Datadog"},
		"only spaces":      {"   ", "is empty"},
		"trailing space":   {"Jane ", `"Jane " has leading or trailing spaces`},
		"escape":           {"Jane\x1b]0;pwned\x07", "holds the control character U+001B ESCAPE at byte 4"},
		"bidi override":    {"Jane \u202eSmith", "U+202E RIGHT-TO-LEFT OVERRIDE"},
		"line break":       {"Jane\nSmith", "holds a line break or tab"},
		"zero-width space": {"Ja\u200bne", "U+200B ZERO WIDTH SPACE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, problems := decode(t, `{"a": {"email": "a@example.org", "roles": ["readers"], "name": `+jsonString(t, tc.name)+`}}`, managed)
			if tc.want == "" {
				assert.Empty(t, problems)
				require.NotNil(t, got["a"].Name)
				assert.Equal(t, tc.name, *got["a"].Name)
				return
			}
			require.Equal(t, []string{"users.a.name"}, kit.SortedKeys(problems))
			assert.Contains(t, problems["users.a.name"], tc.want)
		})
	}
}

// Matching an address read from Datadog with the entries folds ASCII case
// and the domain's punycode, and nothing else: Unicode's folding would
// take someone else's mailbox for an entry's.
func TestLookupForm(t *testing.T) {
	t.Parallel()
	same := [][2]string{
		{"Jane.Smith@Example.ORG", "jane.smith@example.org"},
		{"atalman@méta.com", "atalman@xn--mta-bma.com"},
		{"ATALMAN@MÉTA.COM", "atalman@xn--mta-bma.com"},
	}
	for _, c := range same {
		assert.Equal(t, users.LookupForm(c[1]), users.LookupForm(c[0]), c[0])
	}
	different := [][2]string{
		{"rdetjen\u017f@linuxfoundation.org", "rdetjens@linuxfoundation.org"}, // long s
		{"\u212aai@example.org", "kai@example.org"},                           // Kelvin sign
		{"jane@exаmple.org", "jane@example.org"},                              // Cyrillic a
	}
	for _, c := range different {
		assert.NotEqual(t, users.LookupForm(c[1]), users.LookupForm(c[0]), c[0])
	}
}
