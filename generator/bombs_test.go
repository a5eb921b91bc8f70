package generator

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
)

// defineBomb is 1.5 KB of template that, unbounded, renders 134 MB: six
// levels of defines, each calling the one below ten times.
func defineBomb() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{{ define \"l0\" }}%s{{ end }}", strings.Repeat("x", 134))
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "{{ define \"l%d\" }}%s{{ end }}", i, strings.Repeat(fmt.Sprintf("{{ template \"l%d\" }}", i-1), 10))
	}
	b.WriteString(`{{ template "l6" }}`)
	return b.String()
}

// renderBomb renders the test template plus templates/bomb.txt.tmpl with
// caps, and returns the error, how long it took and how many bytes were
// allocated meanwhile (every allocation counts, freed or not).
func renderBomb(t *testing.T, tpl string, caps Caps) (took time.Duration, alloc uint64, err error) {
	t.Helper()
	src := testSource(t, fstest.MapFS{"templates/bomb.txt.tmpl": {Data: []byte(tpl)}})
	src.Caps = caps
	r := resolve(t, src, Inputs{})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	target, err := Render(src, r)
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	if target != nil {
		t.Fatal("Render returned a target with its error")
	}
	return took, after.TotalAlloc - before.TotalAlloc, err
}

// wantCapError requires an *InputError (exit 2) naming bomb.txt.tmpl, the
// problem and, for a cap a user can raise, how to raise it.
func wantCapError(t *testing.T, err error, problem, key string) {
	t.Helper()
	ie, ok := errors.AsType[*InputError](err)
	if !ok {
		t.Fatalf("err = %v; want an *InputError", err)
	}
	if ie.ExitCode() != 2 || ie.Subject != "template bomb.txt.tmpl" || !strings.Contains(ie.Problem, problem) {
		t.Errorf("err = %q (exit %d); want exit 2, subject template bomb.txt.tmpl, problem with %q", err, ie.ExitCode(), problem)
	}
	switch {
	case key != "" && !strings.Contains(ie.Hint, "--render-limits "+key+"="):
		t.Errorf("hint %q does not say how to raise %s", ie.Hint, key)
	case key == "" && !strings.Contains(ie.Hint, "no setting raises"):
		t.Errorf("hint %q; want it to say no setting raises the limit", ie.Hint)
	}
}

// TestRenderBombs renders templates that, unbounded, allocate hundreds of
// megabytes to gigabytes (or crash the process) and requires each to be
// refused with an InputError, at once, having allocated less than three
// times the per-file cap.
func TestRenderBombs(t *testing.T) {
	widths := strings.Repeat("%*d", 30)
	args := strings.Repeat(" 1000000 1", 30)
	cases := []struct {
		name, tpl, problem, key string
		// The render may allocate this many times the cap; 3 unless the
		// bomb builds its way up to the cap in a loop, where the values it
		// built (and fmt's buffers for them) count as allocated too.
		times uint64
	}{
		{"nested defines", defineBomb(), "renders more than 8MiB, the render limit per file (file-bytes)", CapFileBytes, 0},
		{"repeat", `{{ repeat 200000000 "x" }}`, "repeat would allocate 190.7MiB, above the render limit of 8MiB (file-bytes) (at bomb.txt.tmpl:1:3)", CapFileBytes, 0},
		{"until", `{{ range until 50000000 }}{{ end }}`, "until would allocate", CapFileBytes, 0},
		{"untilStep", `{{ untilStep 0 100000000 2 }}`, "untilStep would allocate", CapFileBytes, 0},
		{"seq", `{{ seq 20000000 }}`, "seq would allocate", CapFileBytes, 0},
		{"indent", `{{ indent 300000000 "x" }}`, "indent would allocate", CapFileBytes, 0},
		{"join separator", `{{ join (repeat 4000000 "x") (until 1000) }}`, "join would allocate", CapFileBytes, 0},
		{"replace", `{{ replace "" (repeat 1000 "y") (repeat 100000 "x") }}`, "replace would allocate", CapFileBytes, 0},
		{"wrapWith", `{{ wrapWith 1 (repeat 1000 "-") (repeat 100000 "x") }}`, "wrapWith would allocate", CapFileBytes, 0},
		{"regexReplaceAll", `{{ regexReplaceAll "" (repeat 100000 "x") (repeat 1000 "y") }}`, "regexReplaceAll would allocate", CapFileBytes, 0},
		{"splitList", `{{ len (splitList "" (repeat 4000000 "x")) }}`, "splitList would allocate", CapFileBytes, 0},
		{"printf widths", "{{ printf \"" + widths + "\"" + args + " }}", "printf would allocate", CapFileBytes, 0},
		{"print", `{{ $a := repeat 4000000 "x" }}{{ print $a $a $a $a $a $a $a $a }}`, "print would allocate", CapFileBytes, 0},
		{"doubling", `{{ $a := "xxxxxxxx" }}{{ range until 26 }}{{ $a = cat $a $a }}{{ end }}{{ len $a }}`, "cat would allocate", CapFileBytes, 4},
		// Printing a dict that contains itself recurses in fmt until Go
		// kills the process ("goroutine stack exceeds"): no recover.
		{"dict containing itself", `{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ $d }}`, "builds a value that contains itself", "", 0},
		{"deep nesting", `{{ $a := list }}{{ range until 2000 }}{{ $a = list $a }}{{ end }}{{ toJson $a }}`, "nested more than 1000 levels deep", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			took, alloc, err := renderBomb(t, c.tpl, Caps{})
			wantCapError(t, err, c.problem, c.key)
			times := max(c.times, 3)
			// The race detector's sync.Pool drops what it pools, and regexp
			// pools its matchers: allocations are not what they are.
			if limit := times * uint64(DefaultCaps.MaxFileBytes); alloc > limit && !raceEnabled { //nolint:gosec // DefaultCaps.MaxFileBytes is a positive constant (8 MiB)
				t.Errorf("the render allocated %d bytes; want less than %d (%d times the per-file cap)", alloc, limit, times)
			}
			if took > 2*time.Second {
				t.Errorf("the render took %s to be refused", took)
			}
			t.Logf("%s: %v, %s, %.1f MiB allocated", c.name, err, took, float64(alloc)/(1<<20))
		})
	}
}

// TestRenderTimeLimit renders templates that loop without end, or for
// longer than anyone waits, without writing or calling a function, and
// requires each to be stopped at the deadline.
func TestRenderTimeLimit(t *testing.T) {
	var fanout strings.Builder
	fanout.WriteString(`{{ define "t0" }}{{ end }}`)
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&fanout, `{{ define "t%d" }}{{ template "t%d" }}{{ template "t%d" }}{{ end }}`, i, i-1, i-1)
	}
	fanout.WriteString(`{{ template "t40" }}`)
	cases := map[string]fstest.MapFS{
		"range over a huge number":     {"templates/bomb.txt.tmpl": {Data: []byte(`{{ range 1000000000000 }}{{ end }}`)}},
		"nested ranges":                {"templates/bomb.txt.tmpl": {Data: []byte(`{{ range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}`)}},
		"templates calling 2^40 times": {"templates/bomb.txt.tmpl": {Data: []byte(fanout.String())}},
		"a path that loops":            {"templates/{{ range 1000000000000 }}{{ end }}bomb.txt.tmpl": {Data: []byte("x")}},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			src := testSource(t, extra)
			src.Caps = Caps{MaxTemplateTime: 200 * time.Millisecond}
			r := resolve(t, src, Inputs{})
			start := time.Now()
			_, err := Render(src, r)
			took := time.Since(start)
			ie, ok := errors.AsType[*InputError](err)
			if !ok || !strings.Contains(ie.Problem, "the render takes longer than 200ms, the render time limit (time)") ||
				!strings.HasPrefix(ie.Subject, "template ") || !strings.Contains(ie.Hint, "--render-limits time=") {
				t.Fatalf("err = %v; want the time limit's InputError", err)
			}
			// Stopped by the render's own checks, not the backstop.
			if took > 200*time.Millisecond+backstopGrace/2 {
				t.Errorf("stopped after %s", took)
			}
		})
	}
}

// TestRenderTimeBackstop renders one function call that runs for about a
// second (sprig's uniq compares every pair): Render stops waiting for it
// at the deadline.
func TestRenderTimeBackstop(t *testing.T) {
	src := testSource(t, fstest.MapFS{"templates/bomb.txt.tmpl": {Data: []byte(`{{ len (uniq (until 10000)) }}`)}})
	src.Caps = Caps{MaxTemplateTime: 50 * time.Millisecond}
	r := resolve(t, src, Inputs{})
	start := time.Now()
	_, err := Render(src, r)
	took := time.Since(start)
	wantCapError(t, err, "the render takes longer than 50ms", CapTime)
	if took > 50*time.Millisecond+2*backstopGrace {
		t.Errorf("Render returned after %s", took)
	}
}

// TestRenderCaps checks each cap against a render just above it, that
// zero fields keep their default, and that a raised cap lets the render
// through.
func TestRenderCaps(t *testing.T) {
	big := `{{ repeat 9000000 "x" }}`
	_, _, err := renderBomb(t, big, Caps{MaxFiles: 10000})
	wantCapError(t, err, "repeat would allocate 8.583MiB, above the render limit of 8MiB (file-bytes)", CapFileBytes)

	src := testSource(t, fstest.MapFS{"templates/bomb.txt.tmpl": {Data: []byte(big)}})
	src.Caps = Caps{MaxFileBytes: 16 << 20}
	target, err := Render(src, resolve(t, src, Inputs{}))
	if err != nil {
		t.Fatalf("with file-bytes raised: %v", err)
	}
	if n := len(files(target)["bomb.txt"].Data); n != 9000000 {
		t.Errorf("bomb.txt has %d bytes, want 9000000", n)
	}

	// What the test template renders, plus one static file of 2 KiB.
	static := fstest.MapFS{"templates/bomb.txt": {Data: []byte(strings.Repeat("y", 2048))}}
	for _, c := range []struct {
		caps    Caps
		problem string
	}{
		{Caps{MaxFileBytes: 1024}, "renders more than 1KiB, the render limit per file (file-bytes)"},
		{Caps{MaxTotalBytes: 1024}, "the render passes 1KiB, the render limit for all files together (total-bytes)"},
		{Caps{MaxFiles: 3}, "the render makes more than 3 files, the render limit (files)"},
	} {
		src := testSource(t, static)
		src.Caps = c.caps
		_, err := Render(src, resolve(t, src, Inputs{}))
		ie, ok := errors.AsType[*InputError](err)
		if !ok || !strings.Contains(ie.Problem, c.problem) || !strings.HasPrefix(ie.Subject, "template ") {
			t.Errorf("caps %+v: err = %v; want an InputError with %q", c.caps, err, c.problem)
		}
	}
	src = testSource(t, static)
	src.Caps = Caps{MaxFileBytes: 4096, MaxTotalBytes: 1 << 20, MaxFiles: 10, MaxTemplateTime: time.Minute}
	if _, err := Render(src, resolve(t, src, Inputs{})); err != nil {
		t.Errorf("within every cap: %v", err)
	}
}

// TestCappedFuncsBehaveAsSprig executes expressions with sprig's
// functions and with the capped ones: same output, same failures.
func TestCappedFuncsBehaveAsSprig(t *testing.T) {
	exprs := []string{
		`{{ repeat 3 "ab" }}`, `{{ until 4 }}`, `{{ until -3 }}`, `{{ untilStep 1 10 3 }}`, `{{ untilStep 10 1 -4 }}`,
		`{{ seq 3 }}`, `{{ seq 5 2 }}`, `{{ seq 1 3 9 }}`, `{{ indent 2 "a\nb" }}`, `{{ nindent 1 "x" }}`,
		`{{ join "," (list 1 "a" 2.5) }}`, `{{ replace "a" "bb" "banana" }}`, `{{ wrapWith 3 "|" "abc def ghi" }}`,
		`{{ regexReplaceAll "a(n)" "banana" "<$1>" }}`, `{{ regexFindAll "a." "banana" -1 }}`, `{{ regexSplit "n" "banana" 2 }}`,
		`{{ splitList "," "a,b,,c" }}`, `{{ (split "," "a,b")._1 }}`, `{{ splitn "," 2 "a,b,c" }}`,
		`{{ printf "%5d|%-4s|%[1]x|%.2f" 42 "go" 3.14159 }}`, `{{ print 1 "a" nil }}`, `{{ println "x" }}`,
		`{{ html "<a>" }}`, `{{ js "'x'" }}`, `{{ urlquery "a b&c" }}`, `{{ quote "a" 1 }}`, `{{ cat "a" nil 2 }}`,
		`{{ toJson (dict "a" (list 1 2)) }}`, `{{ toPrettyJson (list 1 (dict "b" 2)) }}`, `{{ len (uniq (list 1 2 1)) }}`,
		`{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ keys $d | sortAlpha }}`, `{{ add 1 2 3 }}{{ mul 2 3 }}`,
		`{{ upper "abc" | trunc 2 }}`, `{{ default "d" "" }}`, `{{ ternary "y" "n" true }}`, `{{ chunk 2 (list 1 2 3) }}`,
		`{{ fail "boom" }}`, `{{ repeat -1 "x" }}`, `{{ regexFindAll "(" "x" 1 }}`, `{{ mustRegexSplit "(" "x" 1 }}`,
		`{{ b64enc "hi" | b64dec }}`, `{{ sha256sum "x" }}`, `{{ semver "1.2.3" }}`, `{{ fromJson "{\"a\": [1]}" }}`,
	}
	for _, expr := range exprs {
		plain, plainErr := execWith(FuncMap(), expr)
		rd := newRenderer(nil, Caps{})
		t0, err := rd.newTemplate("x").Parse(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		got, gotErr := rd.execute("x", t0, nil, 0, 1<<20, func(int64) *capError { return rd.fileError() })
		if (gotErr == nil) != (plainErr == nil) || (gotErr == nil && string(got) != plain) {
			t.Errorf("%s: capped %q (%v), sprig %q (%v)", expr, got, gotErr, plain, plainErr)
		}
	}
}

func execWith(funcs template.FuncMap, expr string) (string, error) {
	t, err := template.New("x").Funcs(funcs).Option("missingkey=error").Parse(expr)
	if err != nil {
		return "", fmt.Errorf("parse %q: %w", expr, err)
	}
	var b strings.Builder
	err = t.Execute(&b, nil)
	if err != nil {
		return "", fmt.Errorf("execute %q: %w", expr, err) // a failed execution's partial output is not compared
	}
	return b.String(), nil
}

// TestEstimatorsFitTheirFunctions calls every estimator with arguments of
// its function's parameter types, so that one written for another
// signature fails here rather than as a template's "error calling".
func TestEstimatorsFitTheirFunctions(t *testing.T) {
	all := sprig.TxtFuncMap()
	for name, fn := range builtinOverrides {
		all[name] = fn
	}
	for name, est := range estimators {
		fn, ok := all[name]
		if !ok {
			t.Errorf("estimator for %s, which is no function", name)
			continue
		}
		ft := reflect.TypeOf(fn)
		in := make([]reflect.Value, ft.NumIn())
		for i := range in {
			in[i] = reflect.Zero(ft.In(i))
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("estimator for %s %v: %v", name, ft, p)
				}
			}()
			est(in, DefaultCaps.MaxFileBytes)
			est(in, 0)
		}()
	}
}
