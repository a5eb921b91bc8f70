package goversion

import (
	"fmt"
	"strings"
)

// Go's release policy: each minor (1.24, 1.25, ...) is supported, with
// security and critical fixes in patch releases, until two newer minors
// have been released; Go 1.24 is out of support once Go 1.26 exists. Which
// minors exist comes from envgen's embedded release list, so the answers
// here need no network and move on when make deps refreshes the list.

// supportWindow is how many minors are supported upstream at a time.
const supportWindow = 2

// newestKnownRelease is the newest release envgen's list knows.
func newestKnownRelease() Release {
	var newest Release
	for minor, patch := range newestKnown() {
		r, err := parse(minor + "." + itoa(patch))
		if err == nil && Compare(r.Toolchain(), newest.Toolchain()) > 0 {
			newest = r
		}
	}
	return newest
}

// UpstreamSupported lists the minors Go supports now, oldest first (1.26
// and 1.27 once 1.27 is out), by envgen's release list.
func UpstreamSupported() []string {
	newest := newestKnownRelease()
	var out []string
	for m := max(newest.Minor-supportWindow+1, 0); m <= newest.Minor; m++ {
		out = append(out, fmt.Sprintf("%d.%d", newest.Major, m))
	}
	return out
}

// SupportStatus applies Go's release policy to r by envgen's release
// list: whether r's minor is still supported upstream, the newest patch of
// r's minor envgen knows (r itself when the list knows nothing newer), and,
// for a minor out of support, the minor whose release ended its support
// (1.26 for 1.24).
func SupportStatus(r Release) (inSupport bool, newestPatch Release, endedBy string) {
	return supportStatus(r, newestKnownRelease(), NewestKnown)
}

// supportStatus is SupportStatus with the newest release and the newest
// patch of each minor given.
func supportStatus(r, newest Release, newestOf func(minor string) (Release, bool)) (inSupport bool, newestPatch Release, endedBy string) {
	newestPatch = r
	if n, ok := newestOf(r.MinorString()); ok && n.Patch > r.Patch {
		newestPatch = n
	}
	switch {
	case r.Major > newest.Major || r.Major == newest.Major && r.Minor > newest.Minor-supportWindow:
		return true, newestPatch, ""
	case r.Major < newest.Major:
		return false, newestPatch, newest.MinorString()
	}
	return false, newestPatch, fmt.Sprintf("%d.%d", r.Major, r.Minor+supportWindow)
}

// Support is what envgen says of a pinned release that is out of upstream
// support or not the newest patch of its minor: sync --check, init and
// doctor warn with it, and sync --json carries it as go_support.
type Support struct {
	// Release is the pin (1.24.1).
	Release string `json:"release"`
	// InSupport: its minor still gets fixes upstream.
	InSupport bool `json:"in_support"`
	// EndedBy is the minor whose release ended its support (1.26).
	EndedBy string `json:"support_ended_by,omitempty"`
	// NewestPatch is the newest known patch of its minor (1.24.13).
	NewestPatch string `json:"newest_patch"`
	// Suggest is the release to move to: the newest patch of the same
	// minor, or, out of support, envgen's default release.
	Suggest string `json:"suggest"`
	// Warning says what is wrong, in one line; Fix is the command that
	// moves an envgen project to Suggest.
	Warning string `json:"warning"`
	Fix     string `json:"fix"`
}

// Advise returns what to tell about a pin, or nil when r is of a minor in
// upstream support and the newest patch of it envgen knows.
func Advise(r Release) *Support {
	inSupport, newestPatch, endedBy := SupportStatus(r)
	s := &Support{Release: r.String(), InSupport: inSupport, EndedBy: endedBy, NewestPatch: newestPatch.String()}
	switch {
	case !inSupport:
		s.Suggest = Default
		s.Warning = fmt.Sprintf("Go %s is out of upstream support since Go %s was released (Go supports each minor until two newer ones are out; now %s): %s gets no more security fixes",
			r.MinorString(), endedBy, joinMinors(UpstreamSupported()), r.Toolchain())
	case newestPatch != r:
		s.Suggest = newestPatch.String()
		s.Warning = fmt.Sprintf("%s is not the newest patch of Go %s: %s is out, with its security fixes", r.Toolchain(), r.MinorString(), newestPatch.Toolchain())
	default:
		return nil
	}
	if s.Suggest == r.String() {
		// An out-of-support pin newer than anything envgen renders: nothing
		// envgen could move it to.
		s.Fix = ""
		return s
	}
	s.Fix = "envgen sync --go " + s.Suggest
	return s
}

// AdviseText is Advise of a release written as go.mod or the lock writes
// it (1.24.1, go1.24.1); nil for anything else.
func AdviseText(text string) *Support {
	r, ok := ParseStable(text)
	if !ok {
		return nil
	}
	return Advise(r)
}

// joinMinors writes ["1.26", "1.27"] as "1.26 and 1.27".
func joinMinors(ms []string) string {
	switch len(ms) {
	case 0:
		return ""
	case 1:
		return ms[0]
	}
	return strings.Join(ms[:len(ms)-1], ", ") + " and " + ms[len(ms)-1]
}
