package goversion

import "testing"

func TestKnownReleases(t *testing.T) {
	for text, want := range map[string]bool{
		"1.24.0": true, "1.24.13": true, "1.24.14": false,
		"1.26.11": true, "1.26.99": false, "1.27.4": true, "1.23.1": false,
	} {
		r, err := parse(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := Known(r); got != want {
			t.Errorf("Known(%s) = %v, want %v", text, got, want)
		}
	}
	// The default pin is a release envgen knows, and the newest of its minor.
	d, err := Parse(Default)
	if err != nil || !Known(d) {
		t.Fatalf("Default %s is not a known release", Default)
	}
	if n, ok := NewestKnown(d.MinorString()); !ok || n != d {
		t.Errorf("Default %s is not the newest known patch of its minor (%v)", Default, n)
	}
	for _, m := range Supported {
		if _, ok := NewestKnown(m); !ok {
			t.Errorf("supported minor %s has no entry in releases.txt", m)
		}
	}
}

// The supported minors are the dependency sets that exist, and each has
// releases envgen knows.
func TestSupportedComesFromTheDependencySets(t *testing.T) {
	if len(Supported) < 2 {
		t.Fatalf("Supported = %v", Supported)
	}
	for i := 1; i < len(Supported); i++ {
		if Compare("go"+Supported[i-1], "go"+Supported[i]) >= 0 {
			t.Errorf("Supported not oldest first: %v", Supported)
		}
	}
	if d, _ := Parse(Default); d.MinorString() != Supported[len(Supported)-1] {
		t.Errorf("Default %s is not of the newest supported minor %s", Default, Supported[len(Supported)-1])
	}
}
