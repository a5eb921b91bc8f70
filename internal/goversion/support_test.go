package goversion

import (
	"slices"
	"strings"
	"testing"
)

func rel(t *testing.T, s string) Release {
	t.Helper()
	r, err := parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Go's policy with 1.27 the newest minor: 1.26 and 1.27 are supported,
// 1.25 lost support when 1.27 came out, 1.24 when 1.26 did.
func TestSupportStatusPolicy(t *testing.T) {
	newest := rel(t, "1.27.4")
	known := map[string]string{"1.24": "1.24.13", "1.25": "1.25.14", "1.26": "1.26.11", "1.27": "1.27.4"}
	newestOf := func(minor string) (Release, bool) {
		v, ok := known[minor]
		if !ok {
			return Release{}, false
		}
		return rel(t, v), true
	}
	for _, tc := range []struct {
		release, newestPatch, endedBy string
		inSupport                     bool
	}{
		{"1.27.4", "1.27.4", "", true},
		{"1.27.0", "1.27.4", "", true},
		{"1.26.11", "1.26.11", "", true},
		{"1.26.3", "1.26.11", "", true},
		{"1.25.14", "1.25.14", "1.27", false},
		{"1.24.1", "1.24.13", "1.26", false},
		{"1.22.3", "1.22.3", "1.24", false},
		{"1.28.0", "1.28.0", "", true}, // newer than the list: not known to be out
		{"1.27.9", "1.27.9", "", true},
	} {
		in, np, ended := supportStatus(rel(t, tc.release), newest, newestOf)
		if in != tc.inSupport || np.String() != tc.newestPatch || ended != tc.endedBy {
			t.Errorf("supportStatus(%s) = %v, %s, %q; want %v, %s, %q", tc.release, in, np, ended, tc.inSupport, tc.newestPatch, tc.endedBy)
		}
	}
}

// With envgen's own release list: the default pin needs no warning, the
// newest supported minors are the upstream ones, and an older minor is
// warned about with the exact fix.
func TestAdvise(t *testing.T) {
	if a := AdviseText(Default); a != nil {
		t.Errorf("the default %s is warned about: %+v", Default, a)
	}
	up := UpstreamSupported()
	if len(up) != 2 || up[1] != Supported[len(Supported)-1] {
		t.Errorf("UpstreamSupported() = %v, want the two newest minors, ending with %s", up, Supported[len(Supported)-1])
	}
	for _, m := range Supported {
		newest, _ := NewestKnown(m)
		old := Release{newest.Major, newest.Minor, 0}
		a := Advise(old)
		inUpstream := slices.Contains(up, m)
		switch {
		case !inUpstream:
			if a == nil || a.InSupport || a.Suggest != Default || a.Fix != "envgen sync --go "+Default ||
				!strings.Contains(a.Warning, "Go "+m+" is out of upstream support since Go ") {
				t.Errorf("Advise(%s) = %+v, want out of support, fix envgen sync --go %s", old, a, Default)
			}
		case newest.Patch > 0:
			if a == nil || !a.InSupport || a.Suggest != newest.String() || a.Fix != "envgen sync --go "+newest.String() ||
				!strings.Contains(a.Warning, old.Toolchain()+" is not the newest patch of Go "+m+": "+newest.Toolchain()+" is out") {
				t.Errorf("Advise(%s) = %+v, want a newer patch %s", old, a, newest)
			}
		}
		if inUpstream && Advise(newest) != nil {
			t.Errorf("Advise(%s), the newest patch of a supported minor: %+v", newest, Advise(newest))
		}
	}
	if AdviseText("1.26") != nil || AdviseText("devel") != nil {
		t.Error("AdviseText of a non-release is not nil")
	}
}
