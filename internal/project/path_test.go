package project

import (
	"path"
	"strings"
	"testing"
	"unicode"
)

// reserved are paths CheckPath must refuse: outside the project, not
// clean, envgen's state, git's folder, in the spellings file systems take
// for them.
var reserved = []string{
	"", ".", "..", "../x", "/etc/passwd", "a\\b", "c:/x", "C:", "a//b", "./a", "a/./b", "a/../b", "a/", "a\x00b",
	"envgen.lock", "envgen.lock/x", "ENVGEN.LOCK", "Envgen.Lock/x", "envgen.lock.", "envgen.lock ", "envgen\u200c.lock",
	"envgen~1.loc", ".envgen", ".envgen/x", ".ENVGEN/base/x", ".envgen./x", "ENVGEN~1/x", "envgen.lock::$DATA",
	".git", ".git/x", ".GIT/config", ".git./x", ".git /x", ".git . ./x", ".g\u200cit/x", "\ufeff.git/x", ".gi\u200dt",
	"a/.git/x", "a/b/.Git", "git~1/config", "GIT~1", ".git::$INDEX_ALLOCATION/x", ".g\u00adit/x",
}

// allowed are paths that look close to those but are ordinary files.
var allowed = []string{
	"a", "a/b", "main.go", ".gitignore", ".github/workflows/ci.yml", ".gitkeep", "git/x", "a/.gitattributes",
	"sub/envgen.lock", "sub/.envgen/x", "envgen.lock.bak", ".envgenrc", "envgen", "docs/git~1.md", "a..b", "...x",
	"caf\u00e9/x", "a b/c",
}

func TestCheckPath(t *testing.T) {
	for _, p := range reserved {
		if err := CheckPath(p); err == nil {
			t.Errorf("CheckPath(%q) accepted it", p)
		}
	}
	for _, p := range allowed {
		if err := CheckPath(p); err != nil {
			t.Errorf("CheckPath(%q) = %v", p, err)
		}
	}
}

// FuzzCheckPath: CheckPath never panics, and a path it accepts is clean,
// relative, slash-separated and inside the project, and names neither
// git's folder (anywhere) nor envgen's state (at the top) in any letter
// case, with trailing dots or spaces, Unicode format characters or an
// NTFS stream suffix. The check here is written apart from CheckPath's.
func FuzzCheckPath(f *testing.F) {
	for _, p := range append(reserved, allowed...) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if CheckPath(p) != nil {
			return
		}
		switch {
		case p == "" || path.IsAbs(p) || strings.ContainsAny(p, "\\\x00") || path.Clean(p) != p:
			t.Fatalf("accepted %q: not a clean relative slash-separated path", p)
		case p == ".." || strings.HasPrefix(p, "../"):
			t.Fatalf("accepted %q: outside the project", p)
		case len(p) > 1 && p[1] == ':':
			t.Fatalf("accepted %q: a drive letter", p)
		}
		for i, el := range strings.Split(p, "/") {
			name := looseName(el)
			if strings.EqualFold(name, ".git") || strings.EqualFold(name, "git~1") {
				t.Fatalf("accepted %q: element %q names .git", p, el)
			}
			if i == 0 && (strings.EqualFold(name, LockFile) || strings.EqualFold(name, StateDir)) {
				t.Fatalf("accepted %q: names envgen's state", p)
			}
		}
	})
}

// looseName is a path element as the most forgiving file system sees it.
func looseName(el string) string {
	el, _, _ = strings.Cut(el, ":")
	el = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, el)
	return strings.TrimRight(el, ". ")
}
