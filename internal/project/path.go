package project

import (
	"fmt"
	"path"
	"strings"
	"unicode"
)

// CheckPath accepts a clean, relative, slash-separated path inside the
// project that names neither git's folder nor envgen's own state. Every
// rendered path, lock entry and base copy goes through it.
//
// Git's folder and envgen's state are refused in every spelling that
// some file system takes for them (see FoldName): .GIT, .git., .g\u200cit,
// git~1, ENVGEN.LOCK, and a path under one of them (envgen.lock/x).
func CheckPath(p string) error {
	switch {
	case p == "" || p == ".":
		return fmt.Errorf("is an empty path")
	case strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || (len(p) > 1 && p[1] == ':'):
		return fmt.Errorf("%q is not a relative slash-separated path", p)
	case strings.ContainsRune(p, 0):
		return fmt.Errorf("%q holds a NUL byte", p)
	case path.Clean(p) != p:
		return fmt.Errorf("%q is not a clean path", p)
	case p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("%q is outside the project", p)
	case IsState(p) || isStateName(first(p)):
		return fmt.Errorf("%q is reserved for envgen's own state", p)
	}
	for _, part := range strings.Split(p, "/") {
		if IsGitName(part) {
			return fmt.Errorf("%q names git's folder %s; envgen never writes there", p, part)
		}
	}
	return nil
}

func first(p string) string {
	el, _, _ := strings.Cut(p, "/")
	return el
}

// IsGitName reports whether one path element would name the .git folder
// on some file system: any case (.GIT), trailing dots or spaces (Windows
// drops them), Unicode code points HFS+ ignores, an NTFS stream suffix
// (.git::$INDEX_ALLOCATION), and the 8.3 short name.
func IsGitName(name string) bool {
	n := reservedFold(name)
	return n == ".git" || n == "git~1"
}

// isStateName reports whether a top-level element would name envgen.lock
// or .envgen on some file system, including their 8.3 short names
// (ENVGEN~1, ENVGEN~1.LOC).
func isStateName(name string) bool {
	n := reservedFold(name)
	return n == LockFile || n == StateDir || strings.HasPrefix(n, "envgen~")
}

// reservedFold is FoldName without an NTFS stream suffix (":stream").
func reservedFold(name string) string {
	n := FoldName(name)
	if i := strings.IndexByte(n, ':'); i >= 0 {
		n = strings.TrimRight(n[:i], ". ")
	}
	return n
}

// FoldName is a path element as the most forgiving of the common file
// systems compares names: without the code points HFS+ ignores (and the
// other Unicode format characters), lower case, and without trailing dots
// and spaces (Windows drops them). Two elements with the same FoldName
// may name one file.
func FoldName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if isIgnorable(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), ". ")
}

// isIgnorable lists the code points macOS's HFS+ drops when it compares
// names (git's is_hfs_dotgit uses the same list: U+200C-U+200F,
// U+202A-U+202E, U+206A-U+206F, U+FEFF), all of them Unicode format
// characters (Cf); the rest of Cf (soft hyphen, word joiner, ...) is
// dropped too, to be safe.
func isIgnorable(r rune) bool {
	return unicode.Is(unicode.Cf, r)
}
