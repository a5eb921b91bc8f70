package generator

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"
)

// maxValueDepth bounds how deeply a template may nest lists and dicts:
// deeper values would overflow the stack of the functions that print or
// encode them.
const maxValueDepth = 1000

// maxFmtWidth is the largest width or precision fmt honours (larger ones
// print %!(BADWIDTH)).
const maxFmtWidth = 1_000_000

// builtinOverrides replace text/template's own functions that allocate
// from their arguments, so that they are capped like sprig's. They are
// exactly the functions text/template uses for these names.
var builtinOverrides = template.FuncMap{
	"print":    fmt.Sprint,
	"printf":   fmt.Sprintf,
	"println":  fmt.Sprintln,
	"html":     template.HTMLEscaper,
	"js":       template.JSEscaper,
	"urlquery": template.URLQueryEscaper,
}

// expansion is, for functions whose result may be several times the size
// of their arguments, that factor at worst (escaping, case mapping,
// encoding). Unlisted functions return at most about what they are given.
var expansion = map[string]int64{
	"print": 2, "println": 2, "printf": 4, "quote": 4,
	"html": 6, "js": 6, "urlquery": 3,
	"toJson": 6, "toRawJson": 6, "toPrettyJson": 6, "mustToJson": 6, "mustToRawJson": 6, "mustToPrettyJson": 6,
	"fromJson": 16, "mustFromJson": 16,
	"b64enc": 2, "b32enc": 2,
	"upper": 2, "lower": 2, "title": 2, "untitle": 2, "swapcase": 2,
	"camelcase": 2, "snakecase": 2, "kebabcase": 2, "wrap": 2,
	"toStrings": 2, "sortAlpha": 2, "chunk": 2, "mustChunk": 2, "deepCopy": 2, "mustDeepCopy": 2,
}

// estimators say, from a call's arguments, how many bytes it allocates,
// for the functions where that is not proportional to the arguments'
// size: a count (repeat, until, indent), or one argument repeated for
// every piece of another (join, replace, wrapWith).
var estimators = map[string]func(in []reflect.Value, limit int64) int64{
	"repeat": func(in []reflect.Value, _ int64) int64 { return satMul(max(in[0].Int(), 0), int64(in[1].Len())) },
	"until": func(in []reflect.Value, _ int64) int64 {
		n, step := in[0].Int(), int64(1)
		if n < 0 {
			step = -1
		}
		return satMul(steps(0, n, step), 8)
	},
	"untilStep": func(in []reflect.Value, _ int64) int64 {
		return satMul(steps(in[0].Int(), in[1].Int(), in[2].Int()), 8)
	},
	"seq":     seqBytes,
	"indent":  indentBytes,
	"nindent": indentBytes,
	"wrapWith": func(in []reflect.Value, _ int64) int64 {
		n := int64(in[2].Len())
		return satAdd(n, satMul(n+1, int64(in[1].Len())))
	},
	"replace": func(in []reflect.Value, _ int64) int64 {
		old, repl, src := in[0].String(), in[1].String(), in[2].String()
		return satAdd(int64(len(src)), satMul(count(src, old), int64(len(repl))))
	},
	"join": func(in []reflect.Value, _ int64) int64 {
		return satMul(int64(length(in[1])), int64(in[0].Len()))
	},
	"regexReplaceAll":            regexReplaceBytes(false),
	"mustRegexReplaceAll":        regexReplaceBytes(false),
	"regexReplaceAllLiteral":     regexReplaceBytes(true),
	"mustRegexReplaceAllLiteral": regexReplaceBytes(true),
	"regexFindAll":               regexPiecesBytes(0),
	"mustRegexFindAll":           regexPiecesBytes(0),
	"regexSplit":                 regexPiecesBytes(1),
	"mustRegexSplit":             regexPiecesBytes(1),
	"splitList": func(in []reflect.Value, _ int64) int64 {
		return satMul(count(in[1].String(), in[0].String())+1, 16)
	},
	"split": func(in []reflect.Value, _ int64) int64 {
		return satMul(count(in[1].String(), in[0].String())+1, 64)
	},
	"splitn": func(in []reflect.Value, _ int64) int64 {
		n := count(in[2].String(), in[0].String()) + 1
		if limit := in[1].Int(); limit >= 0 {
			n = min(n, limit)
		}
		return satMul(n, 64)
	},
	"randAlphaNum": randBytes(8), "randAlpha": randBytes(8), "randAscii": randBytes(8), "randNumeric": randBytes(8),
	"randBytes": randBytes(3),
	"printf":    printfBytes,
	// scrypt with N=32768, r=8 holds 32 MiB, whatever the arguments.
	"derivePassword": func([]reflect.Value, int64) int64 { return 32 << 20 },
}

var errorType = reflect.TypeFor[error]()

// cappedFuncMap wraps every function of funcs, and text/template's
// allocating built-ins, in the checks of capped.
func cappedFuncMap(funcs template.FuncMap, rd *renderer) template.FuncMap {
	out := make(template.FuncMap, len(funcs)+len(builtinOverrides))
	for name, fn := range builtinOverrides {
		out[name] = rd.capped(name, fn)
	}
	for name, fn := range funcs {
		out[name] = rd.capped(name, fn)
	}
	return out
}

// capped wraps fn so that a call checks the deadline, refuses arguments
// and estimated allocations above the per-file cap before it runs, and
// refuses a result above the cap (or nested too deep, or referring to
// itself) after. The wrapper has fn's parameters and fn's results plus
// an error, if fn has none: text/template reports that error as the
// call's.
func (rd *renderer) capped(name string, fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumOut() < 1 || t.NumOut() > 2 {
		return fn
	}
	hasErr := t.NumOut() == 2
	wt := t
	if !hasErr {
		in := make([]reflect.Type, t.NumIn())
		for i := range in {
			in[i] = t.In(i)
		}
		wt = reflect.FuncOf(in, []reflect.Type{t.Out(0), errorType}, t.IsVariadic())
	}
	limit := rd.caps.MaxFileBytes
	return reflect.MakeFunc(wt, func(in []reflect.Value) []reflect.Value {
		fail := func(err error) []reflect.Value {
			e := reflect.New(errorType).Elem()
			e.Set(reflect.ValueOf(err))
			return []reflect.Value{reflect.Zero(t.Out(0)), e}
		}
		if err := rd.check(); err != nil {
			return fail(err)
		}
		if err := precheck(name, in, limit); err != nil {
			return fail(err)
		}
		var out []reflect.Value
		if t.IsVariadic() {
			out = v.CallSlice(in)
		} else {
			out = v.Call(in)
		}
		if hasErr && !out[1].IsNil() {
			return out
		}
		if err := postcheck(name, out[0], limit); err != nil {
			return fail(err)
		}
		if !hasErr {
			out = append(out, reflect.Zero(errorType))
		}
		return out
	}).Interface()
}

// precheck refuses a call whose arguments, or whose estimated
// allocation, are above limit.
func precheck(name string, in []reflect.Value, limit int64) error {
	factor := max(expansion[name], 1)
	s := sizer{budget: limit / factor, pretty: name == "toPrettyJson" || name == "mustToPrettyJson"}
	for _, a := range in {
		s.add(a, 0)
	}
	if s.err != nil {
		return s.err
	}
	need := satAdd(satMul(s.bytes, factor), s.indent)
	if est, ok := estimators[name]; ok {
		need = max(need, est(in, limit))
	}
	if need > limit {
		return fileBytesError(name+" would allocate", need, limit)
	}
	return nil
}

// postcheck refuses a result above limit, nested too deep, or containing
// itself (a dict set into itself would send fmt into endless recursion,
// which crashes the process).
func postcheck(name string, out reflect.Value, limit int64) error {
	switch out.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Pointer, reflect.Struct, reflect.Array:
	default:
		return nil // a number or a bool
	}
	s := sizer{budget: limit}
	s.add(out, 0)
	if s.err != nil {
		return s.err
	}
	if s.bytes > limit {
		return fileBytesError(name+" returns", s.bytes, limit)
	}
	return nil
}

// sizer estimates the memory a value holds, walking it: a string its
// bytes, a list or dict its elements plus their headers (a value held
// twice counts twice). It stops as soon as budget is passed, and fails on
// a value nested deeper than maxValueDepth, which is also how it finds a
// value that contains itself.
type sizer struct {
	budget int64
	bytes  int64
	pretty bool  // also count the indentation toPrettyJson adds
	indent int64 // that indentation
	err    error
}

func (s *sizer) over() bool { return s.err != nil || s.bytes > s.budget }

func (s *sizer) add(v reflect.Value, depth int) {
	if s.over() {
		return
	}
	if depth > maxValueDepth {
		s.err = &capError{problem: fmt.Sprintf("builds a value that contains itself or is nested more than %d levels deep", maxValueDepth)}
		return
	}
	if s.pretty {
		s.indent = satAdd(s.indent, int64(2*depth+1))
	}
	switch v.Kind() {
	case reflect.Invalid:
		s.bytes += 8
	case reflect.String:
		s.bytes += 16 + int64(v.Len())
	case reflect.Interface:
		s.bytes += 16
		if !v.IsNil() {
			s.add(v.Elem(), depth)
		}
	case reflect.Pointer:
		s.bytes += 8
		if !v.IsNil() {
			s.add(v.Elem(), depth+1)
		}
	case reflect.Slice:
		s.bytes += 24
		if v.Type().Elem().Kind() == reflect.Uint8 {
			s.bytes += int64(v.Len())
			return
		}
		s.elements(v, depth)
	case reflect.Array:
		s.elements(v, depth)
	case reflect.Map:
		s.bytes += 48
		it := v.MapRange()
		for it.Next() && !s.over() {
			s.bytes += 16
			s.add(it.Key(), depth+1)
			s.add(it.Value(), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			s.add(v.Field(i), depth)
		}
	default:
		s.bytes += 8
	}
}

func (s *sizer) elements(v reflect.Value, depth int) {
	for i := 0; i < v.Len() && !s.over(); i++ {
		s.add(v.Index(i), depth+1)
	}
}

// length is the number of elements of a list, or 1 for anything else.
func length(v reflect.Value) int {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		return v.Len()
	default:
		return 1
	}
}

// count is how many times sep occurs in s, as strings.Split counts (an
// empty sep splits after every UTF-8 sequence).
func count(s, sep string) int64 {
	if sep == "" {
		return int64(utf8.RuneCountInString(s)) + 1
	}
	return int64(strings.Count(s, sep))
}

// steps is how many values untilStep(start, stop, step) makes.
func steps(start, stop, step int64) int64 {
	if step == 0 || (stop > start) != (step > 0) || stop == start {
		return 0
	}
	n := math.Abs(float64(stop)-float64(start))/math.Abs(float64(step)) + 1
	if n >= math.MaxInt64/16 {
		return math.MaxInt64 / 16
	}
	return int64(n)
}

// seqBytes estimates seq: each number as an int, its digits (three times:
// fmt.Sprint, strings.Fields, strings.Join) and a string header.
func seqBytes(in []reflect.Value, _ int64) int64 {
	p := in[0]
	start, step := int64(1), int64(1)
	var end int64
	switch p.Len() {
	case 1:
		end = p.Index(0).Int()
	case 2:
		start, end = p.Index(0).Int(), p.Index(1).Int()
	case 3:
		start, step, end = p.Index(0).Int(), p.Index(1).Int(), p.Index(2).Int()
	default:
		return 0
	}
	if end < start && p.Len() < 3 {
		step = -1
	}
	n := steps(start, end, step) + 1
	return satMul(n, 8+3*21+16)
}

// indentBytes estimates indent and nindent: the pad, the pad after every
// newline, and the copy the concatenation makes.
func indentBytes(in []reflect.Value, _ int64) int64 {
	spaces, s := max(in[0].Int(), 0), in[1].String()
	lines := int64(strings.Count(s, "\n")) + 1
	return satMul(2, satAdd(int64(len(s)), satMul(lines, spaces)))
}

// regexReplaceBytes estimates regexReplaceAll: the string, plus the
// replacement for every match, plus, for each $ of the replacement, every
// matched byte again (a $1 expands to at most the match). When even a
// match at every byte stays within limit, it does not count the matches.
func regexReplaceBytes(literal bool) func(in []reflect.Value, limit int64) int64 {
	return func(in []reflect.Value, limit int64) int64 {
		s, repl := in[1].String(), in[2].String()
		dollars := int64(0)
		if !literal {
			dollars = int64(strings.Count(repl, "$"))
		}
		size := func(n, matched int64) int64 {
			return satAdd(satAdd(int64(len(s)), satMul(n, int64(len(repl)))), satMul(dollars, matched))
		}
		if upper := size(int64(len(s))+1, int64(len(s))); upper <= limit {
			return upper
		}
		n, matched, ok := matches(in[0].String(), s)
		if !ok {
			return 0 // the function reports the bad expression
		}
		return size(n, matched)
	}
}

// regexPiecesBytes estimates regexFindAll (extra 0) and regexSplit
// (extra 1): a string header per match, at most n of them. When even a
// match at every byte stays within limit, it does not count the matches.
func regexPiecesBytes(extra int64) func(in []reflect.Value, limit int64) int64 {
	return func(in []reflect.Value, limit int64) int64 {
		s, most := in[1].String(), in[2].Int()
		size := func(n int64) int64 {
			if n += extra; most >= 0 {
				n = min(n, most)
			}
			return satMul(n, 16)
		}
		if upper := size(int64(len(s)) + 1); upper <= limit {
			return upper
		}
		n, _, ok := matches(in[0].String(), s)
		if !ok {
			return 0
		}
		return size(n)
	}
}

// matches counts the matches of expr in s and the bytes they cover,
// without keeping them.
func matches(expr, s string) (n, matched int64, ok bool) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return 0, 0, false
	}
	re.ReplaceAllStringFunc(s, func(m string) string {
		n++
		matched += int64(len(m))
		return ""
	})
	return n, matched, true
}

func randBytes(per int64) func(in []reflect.Value, _ int64) int64 {
	return func(in []reflect.Value, _ int64) int64 { return satMul(max(in[0].Int(), 0), per) }
}

// printfBytes estimates what printf's widths and precisions add to its
// arguments: each is at most maxFmtWidth, and one given as * counts as
// that much. (The arguments themselves are counted by precheck.) With
// explicit argument indexes ([n]) one argument may print once per verb.
func printfBytes(in []reflect.Value, _ int64) int64 {
	format := in[0].String()
	total := int64(len(format))
	verbs, indexed := int64(0), false
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
	directive:
		for ; i < len(format); i++ {
			switch c := format[i]; {
			case c == '%' && i > 0 && format[i-1] == '%':
				break directive
			case strings.IndexByte("+-# 0.", c) >= 0:
			case c == '[':
				indexed = true
				if j := strings.IndexByte(format[i:], ']'); j >= 0 {
					i += j
				}
			case c == '*':
				total = satAdd(total, maxFmtWidth)
			case c >= '1' && c <= '9':
				j := i
				for j < len(format) && format[j] >= '0' && format[j] <= '9' {
					j++
				}
				if w := parseWidth(format[i:j]); w <= maxFmtWidth {
					total = satAdd(total, w)
				}
				i = j - 1
			default:
				verbs++
				break directive
			}
		}
	}
	if indexed {
		var s sizer
		s.budget = math.MaxInt64
		s.add(in[1], 0)
		total = satAdd(total, satMul(satMul(verbs, s.bytes), 4))
	}
	return total
}

func parseWidth(digits string) int64 {
	var w int64
	for _, d := range digits {
		w = w*10 + int64(d-'0')
		if w > maxFmtWidth {
			return maxFmtWidth + 1
		}
	}
	return w
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
