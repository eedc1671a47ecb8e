package queues

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// readPlainHistory is ParseHistory's fast path, for the answer as HUD
// writes it: a JSON array of objects whose keys and strings are printable
// ASCII without escapes, granularity_bucket and machine_type strings,
// avg_queue_s a number, and other keys (ignored) strings, numbers, true,
// false or null. 90 days of 200 types is 432,000 rows and 54 MB, which
// encoding/json took most of a second to decode, allocating three values
// a row; this reads it in one pass, parses each distinct bucket once and
// keeps one string per machine type.
//
// It returns false for anything else (any other shape, a key spelled in
// another case, which encoding/json would match, a row without a field, an
// escape, invalid JSON, a bucket that does not parse), and ParseHistory
// then decodes the data as before, errors included: what it returns for
// data it reads is what the decoder returns, which TestPlainHistorySame
// and FuzzPlainHistory check.
func readPlainHistory(data []byte) ([]Row, bool) {
	r := plainReader{s: bytes.TrimSpace(data)}
	if !r.byte('[') {
		return nil, false
	}
	rows := make([]Row, 0, bytes.Count(r.s, []byte{'{'}))
	if r.byte(']') {
		return rows, r.end()
	}
	types := map[string]string{}
	buckets := map[string]time.Time{}
	for {
		bucket, machineType, wait, ok := r.row()
		if !ok {
			return nil, false
		}
		at, seen := buckets[string(bucket)]
		if !seen {
			var err error
			if at, err = ParseBucket(string(bucket)); err != nil {
				return nil, false
			}
			buckets[string(bucket)] = at
		}
		name, seen := types[string(machineType)]
		if !seen {
			name = string(machineType)
			types[name] = name
		}
		seconds, err := strconv.ParseFloat(string(wait), 64)
		if err != nil {
			return nil, false
		}
		rows = append(rows, Row{Bucket: at, MachineType: name, AvgQueueS: seconds})
		if !r.byte(',') {
			return rows, r.byte(']') && r.end()
		}
	}
}

// row reads one row's object: its three fields' texts, each non-nil, the
// last of a repeated key's (as encoding/json keeps).
func (r *plainReader) row() (bucket, machineType, wait []byte, ok bool) {
	if !r.byte('{') {
		return nil, nil, nil, false
	}
	if r.byte('}') {
		return nil, nil, nil, false
	}
	for {
		key, ok := r.str()
		if !ok || !r.byte(':') {
			return nil, nil, nil, false
		}
		r.space()
		switch string(key) {
		case "granularity_bucket":
			bucket, ok = r.str()
		case "machine_type":
			machineType, ok = r.str()
		case "avg_queue_s":
			wait, ok = r.number()
		default:
			ok = !foldsTo(key, "granularity_bucket", "machine_type", "avg_queue_s") && r.scalar()
		}
		if !ok {
			return nil, nil, nil, false
		}
		if r.byte('}') {
			return bucket, machineType, wait, bucket != nil && machineType != nil && wait != nil
		}
		if !r.byte(',') {
			return nil, nil, nil, false
		}
	}
}

// foldsTo is whether key matches one of names as encoding/json matches a
// key to a field, without being it: in another case.
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(string(key), n) {
			return true
		}
	}
	return false
}

// plainReader reads strict JSON from s; each method returns false where
// readPlainHistory must give up.
type plainReader struct {
	s []byte
	i int
}

func (r *plainReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// byte reads c after optional white space.
func (r *plainReader) byte(c byte) bool {
	r.space()
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// end is whether nothing but white space is left.
func (r *plainReader) end() bool {
	r.space()
	return r.i == len(r.s)
}

// str reads a string of printable ASCII without escapes, after optional
// white space; it returns its contents, never nil.
func (r *plainReader) str() ([]byte, bool) {
	r.space()
	if r.i >= len(r.s) || r.s[r.i] != '"' {
		return nil, false
	}
	for j := r.i + 1; j < len(r.s); j++ {
		switch c := r.s[j]; {
		case c == '"':
			s := r.s[r.i+1 : j : j]
			r.i = j + 1
			return s, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// number reads a number as JSON spells it: -?(0|[1-9][0-9]*)(.[0-9]+)?
// ([eE][+-]?[0-9]+)?.
func (r *plainReader) number() ([]byte, bool) {
	start := r.i
	digits := func() int {
		n := 0
		for r.i < len(r.s) && '0' <= r.s[r.i] && r.s[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.i < len(r.s) && r.s[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.s) && r.s[r.i] == '0':
		r.i++
	case digits() == 0:
		return nil, false
	}
	if r.i < len(r.s) && r.s[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.i++
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return r.s[start:r.i], true
}

// scalar reads a string, a number, true, false or null.
func (r *plainReader) scalar() bool {
	if r.i >= len(r.s) {
		return false
	}
	switch c := r.s[r.i]; {
	case c == '"':
		_, ok := r.str()
		return ok
	case c == '-' || ('0' <= c && c <= '9'):
		_, ok := r.number()
		return ok
	}
	for _, word := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(r.s[r.i:], []byte(word)) {
			r.i += len(word)
			return true
		}
	}
	return false
}
