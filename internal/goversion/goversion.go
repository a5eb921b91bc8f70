// Package goversion knows which Go releases envgen can pin and renders them
// in the forms the go command uses (1.26.11, go1.26.11, the minor 1.26).
package goversion

import (
	"fmt"
	"strconv"
	"strings"
)

// Supported lists the Go minors envgen has a tested dependency set for,
// oldest first: the templates/deps/goX.Y.mod files that exist (make deps
// writes them from internal/depsgen's table), so there is one source of
// truth.
var Supported = supportedMinors()

// Default is the newest patch, by envgen's embedded release list, of the
// newest supported minor; init pins it unless told otherwise, offline.
var Default = defaultRelease()

// Release is a stable Go release such as 1.24.1.
type Release struct {
	Major, Minor, Patch int
}

// Parse accepts "1.24.1" or "go1.24.1" and requires a supported minor.
// Release candidates and betas are refused: a service pins a stable Go.
func Parse(text string) (Release, error) {
	r, err := parse(text)
	if err != nil {
		return r, err
	}
	if !r.supported() {
		return Release{}, fmt.Errorf("go %s is not supported (envgen supports %s)", r, SupportedText())
	}
	return r, nil
}

// parse accepts any stable release, supported or not.
func parse(text string) (Release, error) {
	v := strings.TrimPrefix(strings.TrimSpace(text), "go")
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return Release{}, fmt.Errorf("%q is not a Go release such as 1.24.1", text)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p != strconv.Itoa(n) {
			return Release{}, fmt.Errorf("%q is not a Go release such as 1.24.1 (stable releases only)", text)
		}
		nums[i] = n
	}
	return Release{nums[0], nums[1], nums[2]}, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func (r Release) supported() bool {
	for _, m := range Supported {
		if r.MinorString() == m {
			return true
		}
	}
	return false
}

// String is the release as go.mod's go line writes it: 1.24.1.
func (r Release) String() string { return fmt.Sprintf("%d.%d.%d", r.Major, r.Minor, r.Patch) }

// MinorString is the language version: 1.24.
func (r Release) MinorString() string { return fmt.Sprintf("%d.%d", r.Major, r.Minor) }

// Toolchain is the name the toolchain line and GOTOOLCHAIN use: go1.24.1.
func (r Release) Toolchain() string { return "go" + r.String() }

// SupportedText lists the supported minors for messages: "1.24.x, 1.25.x or 1.26.x".
func SupportedText() string {
	xs := make([]string, len(Supported))
	for i, m := range Supported {
		xs[i] = m + ".x"
	}
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
