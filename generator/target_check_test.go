package generator

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestRenderRefusesPathsThatCannotAllBeWritten renders templates whose
// paths would fail half way through writing (or silently overwrite each
// other on macOS and Windows) and requires Render to refuse the render
// whole, with an InputError that names both paths.
func TestRenderRefusesPathsThatCannotAllBeWritten(t *testing.T) {
	x := &fstest.MapFile{Data: []byte("x")}
	cases := map[string]struct {
		extra fstest.MapFS
		want  []string // in the error
	}{
		"a file and a folder": {fstest.MapFS{"templates/a": x, `templates/{{ print "a" }}/b`: x},
			[]string{"template path a: is a file, and also the folder of a/b (from template {{ print \"a\" }}/b)"}},
		"a file and a folder, by case": {fstest.MapFS{"templates/Build": x, "templates/build/x": x},
			[]string{`template paths Build and build/x: "Build" and "build" differ only in letter case, Unicode normalisation or trailing dots: on macOS and Windows they are a file and a folder of one name`}},
		"letter case": {fstest.MapFS{"templates/README.md": x, "templates/readme.md": x},
			[]string{`template paths README.md and readme.md: "README.md" and "readme.md" differ only in letter case`, "they are one file"}},
		"folders by case": {fstest.MapFS{"templates/Docs/a": x, "templates/docs/b": x},
			[]string{`template paths Docs/a and docs/b: "Docs" and "docs" differ only`, "they are one folder"}},
		"unicode normalisation": {fstest.MapFS{"templates/caf\u00e9.txt": x, "templates/cafe\u0301.txt": x},
			[]string{`"cafe\u0301.txt" and "caf\u00e9.txt" differ only`}},
		"ignorable code point": {fstest.MapFS{"templates/ab.txt": x, "templates/a\u200cb.txt": x},
			[]string{`"ab.txt" and "a\u200cb.txt" differ only`}},
		"trailing dot": {fstest.MapFS{"templates/notes": x, "templates/notes.": x},
			[]string{`"notes" and "notes." differ only`}},
		"a 256-byte name": {fstest.MapFS{`templates/d/{{ repeat 256 "n" }}.tmpl`: x},
			[]string{"has an element of 256 bytes, above the 255 bytes file systems take for a name"}},
		"a path above 4096 bytes": {fstest.MapFS{`templates/{{ repeat 20 (printf "%s/" (repeat 250 "a")) }}x`: x},
			[]string{"the path renders to more than 4096 bytes"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := testSource(t, c.extra)
			target, err := Render(src, resolve(t, src, Inputs{}))
			if target != nil {
				t.Error("Render returned files to write")
			}
			ie, ok := errors.AsType[*InputError](err)
			if !ok || ie.Hint == "" {
				t.Fatalf("err = %v; want an *InputError with a hint", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q; want it to hold %q", err, w)
				}
			}
		})
	}
}

// TestCheckTarget checks what rendering never produces by itself: paths
// of valid elements above 4096 bytes, more files than the cap, and a
// target that is fine.
func TestCheckTarget(t *testing.T) {
	long := strings.Repeat(strings.Repeat("a", 200)+"/", 21) + "x"
	if err := checkTarget([]File{{Path: long}}, nil, DefaultCaps); err == nil || !strings.Contains(err.Error(), "is 4222 bytes long, above the 4096 bytes") {
		t.Errorf("long path: err = %v", err)
	}
	three := []File{{Path: "a"}, {Path: "b/c"}, {Path: "b/d"}}
	caps := DefaultCaps
	caps.MaxFiles = 2
	if err := checkTarget(three, nil, caps); err == nil || !strings.Contains(err.Error(), "rendered files: 3, above the render limit of 2 (files)") {
		t.Errorf("files: err = %v", err)
	}
	if err := checkTarget(append(three, File{Path: "B/e"}), nil, DefaultCaps); err == nil {
		t.Error("b/ and B/ were accepted")
	}
	ok := []File{{Path: ".gitignore"}, {Path: "a"}, {Path: "a.b/c"}, {Path: "ab"}, {Path: "b/a"}, {Path: "b/c/d"}, {Path: strings.Repeat("n", 255)}}
	if err := checkTarget(ok, nil, DefaultCaps); err != nil {
		t.Errorf("a writable target: %v", err)
	}
}

// TestRenderRefusesReservedPaths renders paths that name envgen's state
// or git's folder, or lie under them, in spellings file systems take for
// them.
func TestRenderRefusesReservedPaths(t *testing.T) {
	for _, p := range []string{
		`{{ "envgen.lock" }}/x`, "envgen.lock/x", ".envgen/x", "ENVGEN.LOCK", ".Envgen/base/x", "envgen.lock./x",
		".git/x", ".GIT/config", ".git./x", ".g\u200cit/x", "sub/.git/hooks/pre-commit", "GIT~1/config",
		`{{ ".git" }}::$INDEX_ALLOCATION/x`,
	} {
		src := testSource(t, fstest.MapFS{"templates/" + p: {Data: []byte("x")}})
		target, err := Render(src, resolve(t, src, Inputs{}))
		if err == nil || target != nil {
			t.Errorf("%s: rendered", p)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "renders to an unsafe path") ||
			!strings.Contains(msg, "reserved for envgen's own state") && !strings.Contains(msg, "names git's folder") {
			t.Errorf("%s: err = %v", p, err)
		}
	}
}
