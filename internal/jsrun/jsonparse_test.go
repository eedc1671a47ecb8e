package jsrun

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// describeJS describes a value as a script can see it: types, -0, every
// own property in order with its attributes, prototypes, extensibility;
// outcome adds what a call throws, stack included.
const describeJS = `
function describe(v) {
  if (v === null) return 'null';
  const t = typeof v;
  if (t === 'number') return Object.is(v, -0) ? 'number:-0' : 'number:' + String(v);
  if (t === 'string') return 'string:' + JSON.stringify(v) + ':' + v.length;
  if (t !== 'object') return t + ':' + String(v);
  const proto = Object.getPrototypeOf(v);
  const name = proto === Array.prototype ? 'Array' : proto === Object.prototype ? 'Object' : 'other';
  const props = Reflect.ownKeys(v).map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    return JSON.stringify(String(k)) + '(' + [d.writable, d.enumerable, d.configurable].join() + ')=' + describe(d.value);
  });
  return name + (Array.isArray(v) ? '[]' : '') + (Object.isExtensible(v) ? '' : '(sealed)') + '{' + props.join(',') + '}';
}
function outcome(f, ...args) {
  try {
    return describe(f(...args));
  } catch (e) {
    return 'throws ' + String(e) + ' ' + (e instanceof SyntaxError) + ' ' + (e && e.stack);
  }
}
`

// jsonRuntime is a runtime as run makes it, with goja's own JSON.parse
// kept as builtin.
func jsonRuntime(t testing.TB) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	builtin := vm.Get("JSON").(*goja.Object).Get("parse")
	require.NoError(t, installJSONParse(vm))
	require.NoError(t, vm.Set("builtin", builtin))
	_, err := vm.RunString(describeJS)
	require.NoError(t, err)
	return vm
}

// compareParse calls goja's JSON.parse and the fast one with args (text
// is the global text), in the same code, and returns what each gave.
func compareParse(t testing.TB, vm *goja.Runtime, args string, text string) (builtin, ours string) {
	t.Helper()
	require.NoError(t, vm.Set("text", text))
	var got [2]string
	for i, f := range []string{"builtin", "JSON.parse"} {
		_, err := vm.RunString("f = " + f)
		require.NoError(t, err)
		call := "outcome(f)"
		if args != "" {
			call = "outcome(f, " + args + ")"
		}
		v, err := vm.RunString(call)
		require.NoError(t, err)
		got[i] = v.String()
	}
	return got[0], got[1]
}

// TestJSONParseSame: the fast JSON.parse gives what goja's gives, values
// and errors alike, and reads the plain texts itself.
func TestJSONParseSame(t *testing.T) {
	t.Parallel()
	plain := []string{
		`[]`, `{}`, ` [ ] `, "\t{\r\n}\n", `0`, `-0`, `1`, `-1`, `1.5`, `-0.0`, `1e3`, `1E-3`, `1e+300`, `2.5e-320`, `123456789012345678901234567890`,
		`9007199254740993`, `0.1`, `1200`, `3600.25`, `true`, `false`, `null`, `""`, `"a"`, `"` + strings.Repeat("x", 40) + `"`,
		`[1,"a",true,false,null,{},[]]`, `{"a":1,"b":[1,2,{"c":null}]}`,
		`{"a":1,"a":2}`, `{"a":1,"b":2,"a":3}`, `{"__proto__":{"x":1}}`, `{"__proto__":null}`, `{"2":1,"1":2,"b":3,"0":4}`,
		`{"constructor":1,"toString":2,"hasOwnProperty":3,"length":4}`, `{"":1}`, `[[[[[[1]]]]]]`,
		`[{"count":1,"avg_queue_s":3599.5,"machine_type":"linux.2xlarge","time":"2026-08-01T00:00:00Z"},{"count":1,"avg_queue_s":45000,"machine_type":"lf.linux.12xlarge.memory.ephemeral","time":"2026-08-01T00:00:00Z"}]`,
		"\"a'b\x7f~ !#$%\"",
	}
	others := []string{
		``, ` `, `[`, `]`, `{`, `[1,]`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{a:1}`, `{'a':1}`, `[1 2]`, `1 2`, `[] x`, `01`, `-`, `1.`, `.5`, `+1`, `1e`, `1e+`,
		`0x10`, `Infinity`, `NaN`, `-Infinity`, `1e400`, `-1e400`, `tru`, `nul`, `truex`, `"abc`, `"\"a\""`, `"\u00e9"`, `"é"`, `"\ud800"`, `"\ud83d\ude00"`, "\"\xff\"", "\"a\tb\"",
		`"\n"`, `"\/"`, `{"k\u0065y":1}`, `{"é":1}`, "\ufeff[]", "[1]\u00a0", `[` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `]`,
	}
	for _, text := range append(plain, others...) {
		vm := jsonRuntime(t)
		b, o := compareParse(t, vm, "text", text)
		assert.Equal(t, b, o, "%q", text)
	}
	for _, text := range plain {
		vm := goja.New()
		_, ok := parsePlainJSON(vm, goja.FunctionCall{Arguments: []goja.Value{vm.ToValue(text)}})
		assert.True(t, ok, "%q is read by the fast path", text)
	}
	for _, text := range others {
		vm := goja.New()
		_, ok := parsePlainJSON(vm, goja.FunctionCall{Arguments: []goja.Value{vm.ToValue(text)}})
		assert.False(t, ok, "%q goes to goja's parser", text)
	}

	// Arguments that are not one plain string go to goja's parser.
	for _, args := range []string{"", "undefined", "12", "true", "null", "new String('[1]')", "{toString() { return '[2]'; }}",
		"text, (k, v) => (typeof v === 'number' ? v + 1 : v)", "text, null", "text, 3", "text, undefined", "text, (k, v) => { throw new Error('r'); }"} {
		vm := jsonRuntime(t)
		b, o := compareParse(t, vm, args, `{"a":[1,2]}`)
		assert.Equal(t, b, o, args)
	}
}

// TestJSONParseLooksTheSame: a script cannot tell the fast JSON.parse
// from goja's by looking at it.
func TestJSONParseLooksTheSame(t *testing.T) {
	t.Parallel()
	vm := jsonRuntime(t)
	for _, expr := range []string{
		"f.name", "f.length", "String(f)", "Reflect.ownKeys(f).join()", "JSON.stringify(Object.getOwnPropertyDescriptor(f, 'name'))",
		"JSON.stringify(Object.getOwnPropertyDescriptor(f, 'length'))", "Object.getPrototypeOf(f) === Function.prototype", "typeof f", "'prototype' in f",
		"Object.isExtensible(f)", "outcome(() => new f('1'))", "outcome(() => f.call(null, '[1]'))", "outcome(() => f.apply(undefined, ['{\"a\":1}']))",
		"outcome(() => f('{'))",
	} {
		var got [2]string
		for i, f := range []string{"builtin", "JSON.parse"} {
			_, err := vm.RunString("f = " + f)
			require.NoError(t, err)
			v, err := vm.RunString(expr)
			require.NoError(t, err, expr)
			got[i] = v.String()
		}
		assert.Equal(t, got[0], got[1], expr)
	}
	d, err := vm.RunString("JSON.stringify(Object.getOwnPropertyDescriptor(JSON, 'parse'), ['writable', 'enumerable', 'configurable'])")
	require.NoError(t, err)
	assert.Equal(t, `{"writable":true,"enumerable":false,"configurable":true}`, d.String())

	// And a script's own JSON.parse still wins.
	res, err := Run(`JSON.parse = () => 7; dd.expect(JSON.parse("[]")).to.equal(7);`, Response{}, time.Second)
	require.NoError(t, err)
	assert.True(t, res.Passed, res.Failure)
}

// FuzzJSONParse: for any text, the fast JSON.parse gives what goja's
// gives.
func FuzzJSONParse(f *testing.F) {
	for _, seed := range []string{`[]`, `{"a":[1,-0.5e3,{"b":null}],"a":true}`, `[1,]`, `"\u0041"`, `1e999`, `{"__proto__":[]}`, "[\"\xff\"]", `[01]`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 16<<10 {
			t.Skip("out of bounds")
		}
		b, o := compareParse(t, jsonRuntime(t), "text", text)
		if b != o {
			t.Fatalf("%q:\ngoja's: %s\nfast:   %s", text, b, o)
		}
	})
}

// BenchmarkJSONParse: an hour of HUD's rows for 100 machine types, as a
// queue check's script parses it, by goja's JSON.parse and by the fast
// one.
func BenchmarkJSONParse(b *testing.B) {
	rows := make([]string, 100)
	for i := range rows {
		rows[i] = fmt.Sprintf(`{"count":1,"avg_queue_s":%d.25,"machine_type":"linux.%dxlarge.v%d","time":"2026-08-21T15:00:00Z"}`, i*97, 2+i%12, i)
	}
	body := "[" + strings.Join(rows, ",") + "]"
	vm := goja.New()
	builtin := vm.Get("JSON").(*goja.Object).Get("parse").Export().(func(goja.FunctionCall) goja.Value)
	require.NoError(b, installJSONParse(vm))
	fast := vm.Get("JSON").(*goja.Object).Get("parse").Export().(func(goja.FunctionCall) goja.Value)
	for name, parse := range map[string]func(goja.FunctionCall) goja.Value{"goja": builtin, "fast": fast} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			call := goja.FunctionCall{This: vm.Get("JSON"), Arguments: []goja.Value{vm.ToValue(body)}}
			for b.Loop() {
				if v := parse(call); v == nil {
					b.Fatal("no value")
				}
			}
		})
	}
}
