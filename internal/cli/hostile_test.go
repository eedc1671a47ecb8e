package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile and clumsy stack files: each is refused with exit status 2,
// nothing on stdout, and one line a problem on stderr naming where it is;
// no panic, no runtime dump, no control character reaches the terminal,
// and no value that may be a credential is echoed.

const (
	jane  = "    jane: {email: jane@example.org, roles: [Datadog Admin Role]}\n"
	users = "  pytorch-datadog:users:\n" + jane
	ok200 = "{type: statusCode, operator: is, target: 200}"
)

func synth(body string) string {
	return header + users + "  pytorch-datadog:synthetics:\n    t:\n      name: T\n      message: m\n" + body
}

func queueTest(queue string) string {
	return header + users + "  pytorch-datadog:synthetics:\n    q:\n      name: Q\n      kind: queue\n      message: m\n      queue: " + queue + "\n"
}

func monitor(body string) string {
	return header + users + "  pytorch-datadog:monitors:\n    m:\n      name: M\n      message: m\n" + body
}

func user(entry string) string {
	return header + "  pytorch-datadog:users:\n" + entry
}

func aliasBombStack() string {
	var b strings.Builder
	b.WriteString(header + users + "  pytorch-datadog:x:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "    l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return b.String()
}

// longUnknownNames is a stack of a few hundred KB: thousands of long
// unknown fields, each of which gets a did-you-mean.
func longUnknownNames() string {
	var b strings.Builder
	b.WriteString(header + "  pytorch-datadog:users:\n    jane:\n      email: jane@example.org\n      roles: [Datadog Admin Role]\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "      %s%d: x\n", strings.Repeat("emailaddress", 5), i)
	}
	return b.String()
}

var controlChars = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")

func TestHostileStacks(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		stack string
		// paths are what the error lines must start with, one at least a
		// path; file means the stack file itself.
		paths []string
		// secret must not appear in any output.
		secret string
	}{
		// What the Pulumi CLI's own loader refuses.
		"duplicate entry":            {stack: user(jane + "    jane: {email: evil@example.org, roles: [Datadog Admin Role]}\n"), paths: []string{"file"}},
		"duplicate config key":       {stack: header + users + users, paths: []string{"file"}},
		"anchor containing itself":   {stack: header + "  pytorch-datadog:users: &a\n    jane: *a\n", paths: []string{"file"}},
		"alias bomb":                 {stack: aliasBombStack(), paths: []string{"file"}},
		"unclosed flow list":         {stack: header + "  pytorch-datadog:users: [\n", paths: []string{"file"}},
		"tab indentation":            {stack: header + "  pytorch-datadog:users:\n\tjane: {}\n", paths: []string{"file"}},
		"a list, not a map":          {stack: "- config\n", paths: []string{"file"}},
		"config is a number":         {stack: "config: 5\n", paths: []string{"file"}},
		"three colons in a key":      {stack: header + users + "  a:b:c: 1\n", paths: []string{"file"}},
		"bad escape":                 {stack: header + users + "  pytorch-datadog:channels: {a: \"\\q\"}\n", paths: []string{"file"}},
		"too large":                  {stack: header + users + "#" + strings.Repeat("x", 5<<20) + "\n", paths: []string{"file"}},
		"BOM and a duplicate":        {stack: "\ufeff" + header + users + users, paths: []string{"file"}},
		"empty file":                 {stack: "", paths: []string{"datadog:apiUrl", "users"}},
		"only comments":              {stack: "# nothing\n", paths: []string{"datadog:apiUrl", "users"}},
		"users missing":              {stack: header, paths: []string{"users"}},
		"users a list":               {stack: header + "  pytorch-datadog:users: [jane]\n", paths: []string{"users"}},
		"users a string":             {stack: header + "  pytorch-datadog:users: jane\n", paths: []string{"users"}},
		"users null":                 {stack: header + "  pytorch-datadog:users:\n", paths: []string{"users"}},
		"api key in apiUrl's query":  {stack: "config:\n  datadog:apiUrl: https://api.us3.datadoghq.com/?api_key=hunter2-plaintext\n" + users, paths: []string{"datadog:apiUrl"}, secret: "hunter2-plaintext"},
		"token in a webhook's query": {stack: header + users + "  pytorch-datadog:webhooks:\n    w: {url: 'https://example.org/hook?x=1;token=hunter2-plaintext'}\n", paths: []string{"webhooks.w.url"}, secret: "hunter2-plaintext"},
		"token with a bad port":      {stack: synth("      url: https://pytorch.org:99999/?token=hunter2-plaintext\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}, secret: "hunter2-plaintext"},
		"deeply nested":              {stack: header + users + "  pytorch-datadog:channels:\n    a: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000) + "\n", paths: []string{"file"}},
		"with and without namespace": {stack: header + users + "  users:\n    john: {email: john@example.org, roles: [Datadog Admin Role]}\n", paths: []string{"users"}},
		"explicit timestamp":         {stack: user("    jane: {email: jane@example.org, roles: [Datadog Admin Role], name: !!timestamp 2024-01-01}\n"), paths: []string{"users.jane.name"}},
		"email too long":             {stack: user("    jane: {email: " + strings.Repeat("j", 65) + "@example.org, roles: [Datadog Admin Role]}\n"), paths: []string{"users.jane.email"}},
		"a second document":          {stack: header + users + "---\nconfig:\n  pytorch-datadog:users: {}\n", paths: []string{"file"}},
		"binary tag":                 {stack: header + users + "  pytorch-datadog:channels: !!binary aGVsbG8=\n", paths: []string{"channels"}},
		"set tag":                    {stack: header + users + "  pytorch-datadog:channels: {a: !!set {x, y}}\n", paths: []string{"channels.a"}},
		"NUL in a value":             {stack: header + users + "  pytorch-datadog:channels: {a: \"x\\0y\"}\n", paths: []string{"channels.a"}},
		"secure with a number":       {stack: header + users + "  datadog:apiKey: {secure: 5}\n", paths: []string{"datadog:apiKey"}},
		"secure with a sibling":      {stack: header + users + "  datadog:apiKey: {secure: v1:abc, other: y}\n", paths: []string{"datadog:apiKey"}},

		// What YAML reads otherwise than its writer meant.
		"infinity":          {stack: monitor("      kind: metric\n      query: avg(last_5m):avg:system.load.1{*}\n      critical: .inf\n"), paths: []string{"monitors.m.critical"}},
		"NaN and another":   {stack: header + "  pytorch-datadog:users:\n    jane: {email: nope, roles: [Datadog Admin Role], x: .nan}\n", paths: []string{"users.jane.email", "users.jane.x"}},
		"unquoted date":     {stack: user("    jane: {email: jane@example.org, roles: [Datadog Admin Role], name: 2024-01-01}\n"), paths: []string{"users.jane.name"}},
		"merge key's field": {stack: user("    base: &b {roles: [Datadog Admin Role], oops: 1}\n    jane: {<<: *b, email: jane@example.org}\n"), paths: []string{"users.base", "users.jane.oops"}},

		// Secrets where they do not belong, or not secret.
		"empty secure key":         {stack: header + users + "  datadog:apiKey: {secure: \"\"}\n", paths: []string{"datadog:apiKey"}},
		"secure header":            {stack: synth("      url: https://pytorch.org\n      headers: {X-A: {secure: v1:abc}}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.X-A"}},
		"secure monitor message":   {stack: header + users + "  pytorch-datadog:monitors:\n    m: {name: M, kind: metric, query: 'avg(last_5m):avg:a{*}', critical: 1, message: {secure: v1:abc}}\n", paths: []string{"monitors.m.message"}},
		"secure users":             {stack: header + "  pytorch-datadog:users: {secure: v1:abc}\n", paths: []string{"users"}},
		"plaintext secrets":        {stack: header + users + "  pytorch-datadog:secrets: {token: hunter2-plaintext}\n", paths: []string{"secrets"}, secret: "hunter2-plaintext"},
		"one secret in plaintext":  {stack: header + users + "  pytorch-datadog:secrets: {a: {secure: v1:abc}, b: hunter2-plaintext}\n", paths: []string{"secrets.b"}, secret: "hunter2-plaintext"},
		"plaintext app key":        {stack: header + users + "  datadog:appKey: 0123456789abcdef0123\n", paths: []string{"datadog:appKey"}, secret: "0123456789abcdef0123"},
		"plaintext bearer":         {stack: synth("      url: https://pytorch.org\n      headers: {Authorization: Bearer hunter2-plaintext}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.Authorization"}, secret: "hunter2-plaintext"},
		"plaintext api key header": {stack: synth("      url: https://pytorch.org\n      headers: {DD-API-KEY: hunter2-plaintext}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.DD-API-KEY"}, secret: "hunter2-plaintext"},
		"plaintext cookie":         {stack: synth("      url: https://pytorch.org\n      headers: {Cookie: session=hunter2-plaintext}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.Cookie"}, secret: "hunter2-plaintext"},
		"token in the query":       {stack: synth("      url: https://pytorch.org/?access_token=hunter2-plaintext\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}, secret: "hunter2-plaintext"},
		"no such secret name":      {stack: synth("      url: https://pytorch.org\n      headers: {X-A: '{{ A__B }}'}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.X-A"}},
		"webhook plaintext bearer": {stack: header + users + "  pytorch-datadog:webhooks:\n    w: {url: 'https://example.org/hook', headers: {Authorization: Bearer hunter2-plaintext}}\n", paths: []string{"webhooks.w.headers.Authorization"}, secret: "hunter2-plaintext"},

		// Keys the program would ignore.
		"mistyped namespace":        {stack: header + users + "  pytorch_datadog:monitors: {}\n", paths: []string{"pytorch_datadog:monitors"}},
		"unknown provider key":      {stack: header + users + "  datadog:site: us3.datadoghq.com\n", paths: []string{"datadog:site"}},
		"mistyped provider key":     {stack: header + users + "  datadog:apikey: hunter2-plaintext\n", paths: []string{"datadog:apikey"}, secret: "hunter2-plaintext"},
		"unknown engine key":        {stack: header + users + "  pulumi:disable-default-provider: [datadog]\n", paths: []string{"pulumi:disable-default-provider"}},
		"another provider":          {stack: header + users + "  aws:region: us-east-1\n", paths: []string{"aws:region"}},
		"mistyped section":          {stack: header + "  pytorch-datadog:user:\n" + jane, paths: []string{"user", "users"}},
		"apiUrl missing":            {stack: "config:\n" + users, paths: []string{"datadog:apiUrl"}},
		"apiUrl over http":          {stack: "config:\n  datadog:apiUrl: http://api.us3.datadoghq.com/\n" + users, paths: []string{"datadog:apiUrl"}},
		"apiUrl with a password":    {stack: "config:\n  datadog:apiUrl: https://me:hunter2-plaintext@api.us3.datadoghq.com/\n" + users, paths: []string{"datadog:apiUrl"}, secret: "hunter2-plaintext"},
		"apiUrl not a string":       {stack: "config:\n  datadog:apiUrl: [a]\n" + users, paths: []string{"datadog:apiUrl"}},
		"unknown field, long names": {stack: longUnknownNames(), paths: []string{"users.jane."}},

		// Users.
		"invalid email":          {stack: user("    jane: {email: jane@, roles: [Datadog Admin Role]}\n"), paths: []string{"users.jane.email"}},
		"zero-width in email":    {stack: user("    jane: {email: \"ja\u200bne@example.org\", roles: [Datadog Admin Role]}\n"), paths: []string{"users.jane.email"}},
		"Cyrillic lookalike":     {stack: user(jane + "    evil: {email: \"j\u0430ne@example.org\", roles: [Datadog Admin Role]}\n"), paths: []string{"users.evil.email"}},
		"IDN and punycode twins": {stack: user("    a: {email: a@b\u00fccher.example, roles: [Datadog Admin Role]}\n    b: {email: a@xn--bcher-kva.example, roles: [Datadog Admin Role]}\n"), paths: []string{"users.b.email"}},
		"domain literal":         {stack: user("    jane: {email: \"jane@[192.0.2.1]\", roles: [Datadog Admin Role]}\n"), paths: []string{"users.jane.email"}},
		"same email, other case": {stack: user(jane + "    john: {email: JANE@example.org, roles: [Datadog Admin Role]}\n"), paths: []string{"users.john.email"}},
		"empty name":             {stack: user("    jane: {email: jane@example.org, roles: [Datadog Admin Role], name: \" \"}\n"), paths: []string{"users.jane.name"}},
		"uppercase key":          {stack: user("    Jane: {email: jane@example.org, roles: [Datadog Admin Role]}\n"), paths: []string{"users.Jane"}},
		"escape in a key":        {stack: user("    \"\\e[2Jjane\": {email: jane@example.org, roles: [Datadog Admin Role]}\n"), paths: []string{`users.\x1b[2Jjane: key "\x1b[2Jjane" must be lowercase`}},
		"roles not a list":       {stack: user("    jane: {email: jane@example.org, roles: Datadog Admin Role}\n"), paths: []string{"users.jane.roles"}},
		"unknown role":           {stack: user("    jane: {email: jane@example.org, roles: [Datadog Admim Role]}\n"), paths: []string{"users.jane.roles[0]"}},
		"invitation to nobody":   {stack: user("    jane: {email: jane@example.org, roles: [Datadog Admin Role], disabled: true, sendUserInvitation: true}\n"), paths: []string{"users.jane"}},
		"permissions not names":  {stack: header + users + "  pytorch-datadog:roles:\n    r: {name: R, permissions: [logs_read_data, 5, [x], dashboards_write]}\n", paths: []string{"roles.r.permissions[1]", "roles.r.permissions[2]"}},

		// Monitors.
		"empty query":             {stack: monitor("      kind: metric\n      query: ''\n      critical: 1\n"), paths: []string{"monitors.m.query"}},
		"query with != threshold": {stack: monitor("      kind: metric\n      query: avg(last_5m):avg:system.load.1{*} != 5\n      critical: 5\n"), paths: []string{"monitors.m.query"}},
		"query with 5e3":          {stack: monitor("      kind: metric\n      query: avg(last_5m):avg:system.load.1{*} > 5e3\n      critical: 5\n"), paths: []string{"monitors.m.query"}},
		"unknown kind":            {stack: monitor("      kind: metrics\n      query: avg(last_5m):avg:a{*}\n      critical: 1\n"), paths: []string{"monitors.m.kind"}},
		"unknown channel":         {stack: monitor("      kind: metric\n      query: avg(last_5m):avg:a{*}\n      critical: 1\n      notify: [nobody]\n"), paths: []string{"monitors.m.notify[0]"}},
		"escape in a name":        {stack: header + users + "  pytorch-datadog:teams:\n    t: {name: \"\\e]0;owned\\a\", description: d}\n", paths: []string{"teams.t.name"}},

		// Synthetics tests.
		"url without host":       {stack: synth("      url: https:///path\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}},
		"url port 0":             {stack: synth("      url: https://pytorch.org:0/\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}},
		"url port 99999":         {stack: synth("      url: https://pytorch.org:99999/\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}},
		"url bad host":           {stack: synth("      url: https://pyt_orch!.org/\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}},
		"url with a password":    {stack: synth("      url: https://me:hunter2-plaintext@pytorch.org/\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}, secret: "hunter2-plaintext"},
		"url ftp":                {stack: synth("      url: ftp://pytorch.org/\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.url"}},
		"header with CRLF":       {stack: synth("      url: https://pytorch.org\n      headers: {X-A: \"a\\r\\nX-Injected: 1\"}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.X-A"}},
		"header name with space": {stack: synth("      url: https://pytorch.org\n      headers: {\"X A\": a}\n      assertions: [" + ok200 + "]\n"), paths: []string{"synthetics.t.headers.X A"}},
		"threshold 1e300 hours":  {stack: queueTest("{equals: lf.linux.2xlarge, thresholdHours: 1e300}"), paths: []string{"synthetics.q.queue.thresholdHours"}},
		"threshold 0.0001 hours": {stack: queueTest("{equals: lf.linux.2xlarge, thresholdHours: 0.0001}"), paths: []string{"synthetics.q.queue.thresholdHours"}},
		"empty JavaScript":       {stack: synth("      url: https://pytorch.org\n      assertions: [{type: javascript, code: '  // nothing'}]\n"), paths: []string{"synthetics.t.assertions[0].code"}},
		"JavaScript syntax":      {stack: synth("      url: https://pytorch.org\n      assertions: [{type: javascript, code: 'dd.expect(('}]\n"), paths: []string{"synthetics.t.assertions[0].code"}},
		"assertion without type": {stack: synth("      url: https://pytorch.org\n      assertions: [{operator: is, target: 200}]\n"), paths: []string{"synthetics.t.assertions[0]"}},
		"no assertions":          {stack: synth("      url: https://pytorch.org\n      assertions: []\n"), paths: []string{"synthetics.t.assertions"}},

		// The other types.
		"team of nobody":         {stack: header + users + "  pytorch-datadog:teams:\n    t: {name: T, description: d, members: [john]}\n", paths: []string{"teams.t.members[0]"}},
		"webhook over http":      {stack: header + users + "  pytorch-datadog:webhooks:\n    w: {url: 'http://example.org/hook'}\n", paths: []string{"webhooks.w.url"}},
		"channel key clash":      {stack: header + users + "  pytorch-datadog:channels: {ops: '@ops'}\n  pytorch-datadog:slackChannels:\n    ops: {account: PyTorch, channel: '#ops'}\n", paths: []string{"slackChannels.ops"}},
		"AWS account id":         {stack: header + users + "  pytorch-datadog:awsAccounts:\n    a: {accountId: '12', partition: aws, regions: all, roleName: R}\n", paths: []string{"awsAccounts.a.accountId"}},
		"duplicate importId":     {stack: user("    jane: {email: jane@example.org, roles: [Datadog Admin Role], importId: 00000000-0000-0000-0000-000000000001}\n    john: {email: john@example.org, roles: [Datadog Admin Role], importId: 00000000-0000-0000-0000-000000000001}\n"), paths: []string{"users.john.importId: "}},
		"dashboard of nothing":   {stack: header + users + "  pytorch-datadog:dashboards:\n    d: {}\n", paths: []string{"dashboards.d"}},
		"section of wrong shape": {stack: header + users + "  pytorch-datadog:monitors: [a, b]\n", paths: []string{"monitors"}},
	}
	require.GreaterOrEqual(t, len(tests), 60)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := stackDir(t, tc.stack)
			file := filepath.Join(dir, "Pulumi.prod.yaml")
			before, err := os.ReadFile(file)
			require.NoError(t, err)
			code, stdout, stderr := run("plan", "--cwd", dir)
			assert.Equal(t, ExitInvalid, code, "%s", stderr)
			assert.Empty(t, stdout, "nothing on stdout")
			assert.NotContains(t, stderr, "goroutine ", "no runtime dump")
			assert.NotContains(t, stderr, "panic", "no panic")
			assert.False(t, controlChars.MatchString(strings.ReplaceAll(stderr, "\n", "")), "no control character reaches the terminal: %q", stderr)
			if tc.secret != "" {
				assert.NotContains(t, stderr, tc.secret, "a credential is never echoed")
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			for _, l := range lines {
				assert.True(t, strings.HasPrefix(l, "error: "), "one line a problem: %q", l)
			}
			for _, p := range tc.paths {
				if p == "file" {
					p = file + ": "
				}
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, "error: "+p)
				}
				assert.True(t, found, "a line names %s:\n%s", p, stderr)
			}
			after, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, before, after, "the stack file is only read")
		})
	}
}
