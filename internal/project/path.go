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
	case IsState(p):
		return fmt.Errorf("%q is reserved for envgen's own state", p)
	}
	for _, part := range strings.Split(p, "/") {
		if IsGitName(part) {
			return fmt.Errorf("%q names git's folder %s; envgen never writes there", p, part)
		}
	}
	return nil
}

// IsGitName reports whether one path element would name the .git folder
// on some file system: any case (.GIT), trailing dots or spaces (Windows
// drops them), Unicode code points HFS+ ignores, and the 8.3 short name.
func IsGitName(name string) bool {
	var b strings.Builder
	for _, r := range name {
		if isIgnorable(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	n := strings.TrimRight(b.String(), ". ")
	return n == ".git" || n == "git~1"
}

// isIgnorable lists the code points macOS's HFS+ drops when it compares
// names (git's is_hfs_dotgit uses the same list).
func isIgnorable(r rune) bool {
	switch r {
	case 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f, 0xfeff:
		return true
	}
	return false
}
