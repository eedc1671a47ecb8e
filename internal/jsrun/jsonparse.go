package jsrun

import (
	"errors"
	"strconv"

	"github.com/dop251/goja"
)

// goja's JSON.parse reads its text through encoding/json's Decoder.Token,
// which allocates for every token and builds an error value at the end of
// every number and string it reads: a queue check parsing an hour of HUD's
// rows spent a third of its run there. Every runtime gets a JSON.parse
// that reads a plain text itself, in one pass, and builds the same values
// goja's builds; any other argument goes to goja's own function. A script
// cannot tell the two apart: same name, length and property attributes
// (so the same stack frames and toString), same values, same errors.

// maxJSONDepth is how deeply nested a text the fast path reads; a deeper
// one goes to goja's own parser.
const maxJSONDepth = 512

// installJSONParse replaces vm's JSON.parse, before any script runs.
func installJSONParse(vm *goja.Runtime) error {
	jsonObj, ok := vm.Get("JSON").(*goja.Object)
	if !ok {
		return errors.New("no JSON object")
	}
	builtin, ok := jsonObj.Get("parse").Export().(func(goja.FunctionCall) goja.Value)
	if !ok {
		return errors.New("JSON.parse is not a native function")
	}
	parse, ok := vm.ToValue(func(call goja.FunctionCall) goja.Value {
		if v, ok := parsePlainJSON(vm, call); ok {
			return v
		}
		return builtin(call)
	}).(*goja.Object)
	if !ok {
		return errors.New("cannot make JSON.parse")
	}
	// As goja defines its own: length 2, name "parse", both read-only,
	// configurable, not enumerable; the stack frames show the name.
	if err := parse.DefineDataProperty("length", vm.ToValue(2), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := parse.DefineDataProperty("name", vm.ToValue("parse"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	// The property stays as goja made it: writable, not enumerable,
	// configurable.
	return jsonObj.Set("parse", parse)
}

// parsePlainJSON is JSON.parse(text) for a primitive string text, without
// a reviver, that is strict JSON (RFC 8259) whose strings are printable
// ASCII without escapes: what HUD's rows and most test bodies are. It
// returns false for anything else, having done nothing a script can see,
// and goja's JSON.parse then decides, errors included.
func parsePlainJSON(vm *goja.Runtime, call goja.FunctionCall) (goja.Value, bool) {
	text, ok := call.Argument(0).(goja.String)
	if !ok || !goja.IsUndefined(call.Argument(1)) {
		return nil, false
	}
	p := plainJSON{vm: vm, s: text.String()}
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	if p.i != len(p.s) {
		return nil, false
	}
	return v, true
}

// plainJSON reads one JSON text; each method returns false where goja's
// parser must decide instead.
type plainJSON struct {
	vm *goja.Runtime
	s  string
	i  int
}

func (p *plainJSON) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value reads a value after optional white space, as goja builds it: an
// object's properties are its own, writable, enumerable and configurable,
// in the text's order (a repeated key keeps its first place and takes its
// last value); an array is a dense array; a number is the float64 that
// strconv.ParseFloat reads, as encoding/json does.
func (p *plainJSON) value(depth int) (goja.Value, bool) {
	p.space()
	if p.i >= len(p.s) || depth > maxJSONDepth {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return p.vm.ToValue(s), true
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	case p.literal("true"):
		return p.vm.ToValue(true), true
	case p.literal("false"):
		return p.vm.ToValue(false), true
	case p.literal("null"):
		return goja.Null(), true
	}
	return nil, false
}

func (p *plainJSON) literal(word string) bool {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *plainJSON) object(depth int) (goja.Value, bool) {
	p.i++ // {
	obj := p.vm.NewObject()
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return obj, true
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		key, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		// Defined, not set: a setter or read-only property of
		// Object.prototype ("__proto__" included) plays no part, as in
		// goja's parser.
		if err := obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return obj, true
		default:
			return nil, false
		}
	}
}

func (p *plainJSON) array(depth int) (goja.Value, bool) {
	p.i++ // [
	var items []any
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return p.vm.NewArray(), true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		items = append(items, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return p.vm.NewArray(items...), true
		default:
			return nil, false
		}
	}
}

// str reads a string of printable ASCII without escapes; anything else
// (an escape, a control character, a byte beyond ASCII, whose decoding
// has rules of its own) is goja's to read.
func (p *plainJSON) str() (string, bool) {
	for j := p.i + 1; j < len(p.s); j++ {
		switch c := p.s[j]; {
		case c == '"':
			s := p.s[p.i+1 : j]
			p.i = j + 1
			return s, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return "", false
		}
	}
	return "", false
}

// number reads a number as JSON spells it: -?(0|[1-9][0-9]*)(.[0-9]+)?
// ([eE][+-]?[0-9]+)?. One out of float64's range is goja's to refuse.
func (p *plainJSON) number() (goja.Value, bool) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case digits() == 0:
		return nil, false
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil {
		return nil, false
	}
	return p.vm.ToValue(f), true
}
