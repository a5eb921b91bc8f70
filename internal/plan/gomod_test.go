package plan

import (
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

const (
	oldMod = "module example.com/svc\n\ngo 1.25.0\n\ntoolchain go1.25.4\n\nrequire (\n\tgolang.org/x/sys v0.30.0\n\tgolang.org/x/text v0.20.0 // indirect\n)\n"
	newMod = "module example.com/svc\n\ngo 1.26.0\n\ntoolchain go1.26.3\n\nrequire (\n\tgolang.org/x/sys v0.40.0\n\tgolang.org/x/text v0.30.0 // indirect\n)\n"
	oldSum = "golang.org/x/sys v0.30.0 h1:old-sys=\ngolang.org/x/sys v0.30.0/go.mod h1:old-sys-mod=\ngolang.org/x/text v0.20.0 h1:old-text=\n"
	newSum = "golang.org/x/sys v0.40.0 h1:new-sys=\ngolang.org/x/sys v0.40.0/go.mod h1:new-sys-mod=\ngolang.org/x/text v0.30.0 h1:new-text=\n"
)

// A Go switch moves go.mod and go.sum to the new dependency set together,
// and keeps what the user required on top of the old one, with its sums.
func TestGoModAndGoSumMoveTogetherKeepingTheUsersRequirements(t *testing.T) {
	localMod := strings.Replace(oldMod, "\tgolang.org/x/sys v0.30.0\n", "\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/sys v0.30.0\n", 1)
	localSum := "github.com/google/uuid v1.6.0 h1:uuid=\ngithub.com/google/uuid v1.6.0/go.mod h1:uuid-mod=\n" + oldSum

	mod := mergeFile("go.mod", []byte(oldMod), []byte(localMod), []byte(newMod))
	if !mod.Clean() {
		t.Fatalf("go.mod conflicts: %v", mod.Conflicts)
	}
	f, err := modfile.Parse("go.mod", mod.Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range f.Require {
		got[r.Mod.Path] = r.Mod.Version
	}
	if got["github.com/google/uuid"] != "v1.6.0" || got["golang.org/x/sys"] != "v0.40.0" || got["golang.org/x/text"] != "v0.30.0" || f.Go.Version != "1.26.0" || f.Toolchain.Name != "go1.26.3" {
		t.Errorf("merged go.mod:\n%s", mod.Data)
	}

	sum := mergeFile("go.sum", []byte(oldSum), []byte(localSum), []byte(newSum))
	want := "github.com/google/uuid v1.6.0 h1:uuid=\ngithub.com/google/uuid v1.6.0/go.mod h1:uuid-mod=\n" + newSum
	if string(sum.Data) != want {
		t.Errorf("merged go.sum:\n%s\nwant:\n%s", sum.Data, want)
	}
}

// A dependency the user raised above the new set's version stays raised.
func TestGoModKeepsAUsersNewerVersion(t *testing.T) {
	local := strings.Replace(oldMod, "golang.org/x/sys v0.30.0", "golang.org/x/sys v0.50.0", 1)
	mod := mergeFile("go.mod", []byte(oldMod), []byte(local), []byte(newMod))
	if !strings.Contains(string(mod.Data), "golang.org/x/sys v0.50.0") {
		t.Errorf("the user's newer x/sys was dropped:\n%s", mod.Data)
	}
	older := strings.Replace(oldMod, "golang.org/x/sys v0.30.0", "golang.org/x/sys v0.31.0", 1)
	mod = mergeFile("go.mod", []byte(oldMod), []byte(older), []byte(newMod))
	if !strings.Contains(string(mod.Data), "golang.org/x/sys v0.40.0") {
		t.Errorf("the new set's x/sys lost to an older local bump:\n%s", mod.Data)
	}
}
