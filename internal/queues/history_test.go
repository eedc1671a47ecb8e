package queues

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const plainRow = `{"granularity_bucket": "2026-08-01T00:00:00.000Z", "avg_queue_s": 1200, "machine_type": "linux.2xlarge"}`

// TestPlainHistorySame: what the fast path reads, it reads as
// encoding/json decodes it; the rest it leaves to the decoder.
func TestPlainHistorySame(t *testing.T) {
	t.Parallel()
	plain := map[string]string{
		"the fixture":      string(readFixture(t, "history.json")),
		"empty":            " []\n",
		"compact":          `[{"granularity_bucket":"2026-08-01T00:00:00Z","machine_type":"a","avg_queue_s":1.5}]`,
		"spaced":           "[ \t\r\n{ \"granularity_bucket\" : \"2026-08-01 01:00:00\" ,\n\"machine_type\" :\"\" , \"avg_queue_s\" : -0 } ]",
		"other keys":       `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1, "count": 7, "x": "y", "t": true, "f": false, "n": null, "e": -1.5e+3}]`,
		"a repeated key":   `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1, "machine_type": "b", "avg_queue_s": 2e3}]`,
		"every bucket":     `[` + strings.Join([]string{bucketRow("2026-08-21T15:00:00.000Z"), bucketRow("2026-08-21T15:00:00Z"), bucketRow("2026-08-21T15:00:00"), bucketRow("2026-08-21 15:00:00"), bucketRow("2026-08-21T15:00:00.000"), bucketRow("2026-08-21 15:00:00.000"), bucketRow("2026-08-21T17:00:00+02:00"), bucketRow("2026-08-21T15:00")}, ",") + `]`,
		"numbers":          `[` + strings.Join([]string{waitRow("0"), waitRow("-0.0"), waitRow("1e-400"), waitRow("123456789012345678901234567890"), waitRow("0.1"), waitRow("3599.999999999999")}, ",") + `]`,
		"unicode spaces":   "\u00a0\u2003[" + plainRow + "]\u0085",
		"production-like":  historyJSON(benchHistory(benchTypes(30), 2)),
		"printable ASCII":  `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a'b~ !#$%&()*+,-./:;<=>?@[]^_` + "`{|}\x7f" + `", "avg_queue_s": 1}]`,
		"one type per row": `[` + plainRow + `,` + plainRow + `]`,
	}
	for name, data := range plain {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fast, ok := readPlainHistory([]byte(data))
			require.True(t, ok, "the fast path reads it")
			want, err := decodeHistory([]byte(data))
			require.NoError(t, err)
			assert.Equal(t, want, fast)
		})
	}

	// The rest goes to the decoder, which says what is wrong or reads
	// what the fast path does not (escapes, numbers in strings, keys in
	// another case).
	others := map[string]string{
		"empty":                    "",
		"HTML":                     "<html></html>",
		"an object":                `{"rows": []}`,
		"not objects":              `[1, 2]`,
		"cut":                      `[` + plainRow,
		"a trailing comma":         `[` + plainRow + `,]`,
		"a comma in the object":    `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1,}]`,
		"after the array":          `[` + plainRow + `] x`,
		"two arrays":               `[][]`,
		"an empty row":             `[{}]`,
		"no bucket":                `[{"machine_type": "a", "avg_queue_s": 1}]`,
		"no type":                  `[{"granularity_bucket": "2026-08-01T00:00:00Z", "avg_queue_s": 1}]`,
		"no wait":                  `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a"}]`,
		"a null wait":              `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": null}]`,
		"a wait in a string":       `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": "1234.5"}]`,
		"a wait out of range":      waitRows("1e400"),
		"a wait of 01":             waitRows("01"),
		"a wait of 1.":             waitRows("1."),
		"a wait of .5":             waitRows(".5"),
		"a wait of +1":             waitRows("+1"),
		"a wait of -":              waitRows("-"),
		"a wait of 0x10":           waitRows("0x10"),
		"a wait of 1e":             waitRows("1e"),
		"a wait of NaN":            waitRows("NaN"),
		"a type that is a number":  `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": 3, "avg_queue_s": 1}]`,
		"a bad bucket":             bucketRows("yesterday"),
		"an escape":                `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a\u002eb", "avg_queue_s": 1}]`,
		"an escaped quote":         `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a\"b", "avg_queue_s": 1}]`,
		"a key in another case":    `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1, "Machine_Type": "b"}]`,
		"a key in upper case only": `[{"GRANULARITY_BUCKET": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1}]`,
		"beyond ASCII":             `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "é", "avg_queue_s": 1}]`,
		"invalid UTF-8":            "[{\"granularity_bucket\": \"2026-08-01T00:00:00Z\", \"machine_type\": \"\xff\", \"avg_queue_s\": 1}]",
		"a tab in a string":        "[{\"granularity_bucket\": \"2026-08-01T00:00:00Z\", \"machine_type\": \"a\tb\", \"avg_queue_s\": 1}]",
		"a nested other key":       `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1, "x": [1]}]`,
		"an unquoted key":          `[{granularity_bucket: "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1}]`,
		"a literal cut":            `[{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": 1, "x": tru}]`,
		"a byte order mark":        "\ufeff[" + plainRow + "]",
		"a vertical tab":           "[\v" + plainRow + "]",
	}
	for name, data := range others {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, ok := readPlainHistory([]byte(data))
			assert.False(t, ok, "the decoder reads it")
			want, wantErr := decodeHistory([]byte(data))
			got, err := ParseHistory([]byte(data))
			assert.Equal(t, want, got)
			assert.Equal(t, wantErr, err)
		})
	}
}

func bucketRow(bucket string) string {
	return fmt.Sprintf(`{"granularity_bucket": %q, "machine_type": "a", "avg_queue_s": 1}`, bucket)
}

func bucketRows(bucket string) string { return "[" + bucketRow(bucket) + "]" }

func waitRow(wait string) string {
	return `{"granularity_bucket": "2026-08-01T00:00:00Z", "machine_type": "a", "avg_queue_s": ` + wait + `}`
}

func waitRows(wait string) string { return "[" + waitRow(wait) + "]" }

// historyJSON writes rows as HUD answers them.
func historyJSON(rows []Row) string {
	var b strings.Builder
	b.WriteString("[\n")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"granularity_bucket": %q, "avg_queue_s": %v, "machine_type": %q}`,
			r.Bucket.Format("2006-01-02T15:04:05.000Z"), r.AvgQueueS, r.MachineType)
	}
	b.WriteString("\n]\n")
	return b.String()
}

// FuzzPlainHistory: whatever the fast path reads, the decoder reads the
// same, without an error.
func FuzzPlainHistory(f *testing.F) {
	for _, seed := range []string{"[]", "[" + plainRow + "]", waitRows("1e400"), `[{"granularity_bucket": "2026-08-01 00:00", "machine_type": "", "avg_queue_s": -0, "Count": null}]`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := readPlainHistory(data)
		if !ok {
			return
		}
		want, err := decodeHistory(data)
		if err != nil {
			t.Fatalf("%q: read %d rows, but the decoder says %v", data, len(fast), err)
		}
		assert.Equal(t, want, fast, "%q", data)
	})
}

// BenchmarkParseHistory: the file BenchmarkBacktest's history would be,
// 90 days of 200 types (432,000 rows, 54 MB), as ddstack queues backtest
// --history reads it.
func BenchmarkParseHistory(b *testing.B) {
	data := []byte(historyJSON(benchHistory(benchTypes(200), 90)))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseHistory(data); err != nil {
			b.Fatal(err)
		}
	}
}
