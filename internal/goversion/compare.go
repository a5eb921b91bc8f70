package goversion

import goversion "go/version"

// Compare orders Go toolchain names as the go command does
// (go1.21rc2 < go1.21.0 < go1.21.1 < go1.22rc1), through go/version: the
// one comparison of Go releases in envgen. Names that are not valid
// compare as strings, after every valid one.
func Compare(a, b string) int {
	va, vb := goversion.IsValid(a), goversion.IsValid(b)
	switch {
	case va && vb:
		return goversion.Compare(a, b)
	case va:
		return -1
	case vb:
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// IsValid reports whether s is a Go toolchain name such as go1.26.8 or
// go1.27rc1.
func IsValid(s string) bool { return goversion.IsValid(s) }

// ParseStable parses a stable release of any minor, supported or not
// ("go1.24.1" or "1.24.1"; not go1.21rc2, not go1.20).
func ParseStable(s string) (Release, bool) {
	r, err := parse(s)
	return r, err == nil
}
