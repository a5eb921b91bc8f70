package plan

import (
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/envgen/envgen/internal/merge"
)

// mergeFile merges one file, go.mod and go.sum as the pair they are: the
// new dependency set plus what the user required on top of the old one,
// so that a build with -mod=readonly still finds every checksum.
func mergeFile(name string, base, local, next []byte) merge.Result {
	switch name {
	case "go.mod":
		if out, ok := mergeGoMod(base, local, next); ok {
			return merge.Result{Data: out}
		}
	case "go.sum":
		if base != nil {
			return merge.Result{Data: mergeGoSum(base, local, next)}
		}
	}
	return merge.File(name, base, local, next)
}

// mergeGoMod lays the user's own requirements, replacements and
// exclusions (those of local that base did not have) over next: the
// module, go and toolchain lines and the dependency set are next's.
func mergeGoMod(base, local, next []byte) ([]byte, bool) {
	b, errB := modfile.Parse("go.mod", base, nil)
	l, errL := modfile.Parse("go.mod", local, nil)
	n, errN := modfile.Parse("go.mod", next, nil)
	if errB != nil || errL != nil || errN != nil {
		return nil, false
	}
	baseReq := map[string]string{}
	for _, r := range b.Require {
		baseReq[r.Mod.Path] = r.Mod.Version
	}
	nextReq := map[string]*modfile.Require{}
	for _, r := range n.Require {
		nextReq[r.Mod.Path] = r
	}
	for _, r := range l.Require {
		if v, ok := baseReq[r.Mod.Path]; ok && v == r.Mod.Version {
			continue // the old set's, not the user's
		}
		if nr, ok := nextReq[r.Mod.Path]; ok && semver.Compare(nr.Mod.Version, r.Mod.Version) >= 0 {
			continue // the new set already requires it, as new or newer
		}
		if _, ok := nextReq[r.Mod.Path]; ok {
			if err := n.AddRequire(r.Mod.Path, r.Mod.Version); err != nil {
				return nil, false
			}
			continue
		}
		n.AddNewRequire(r.Mod.Path, r.Mod.Version, r.Indirect)
	}
	hasRep := func(f *modfile.File, rp *modfile.Replace) bool {
		for _, x := range f.Replace {
			if x.Old == rp.Old && x.New == rp.New {
				return true
			}
		}
		return false
	}
	for _, rp := range l.Replace {
		if !hasRep(b, rp) && !hasRep(n, rp) {
			if err := n.AddReplace(rp.Old.Path, rp.Old.Version, rp.New.Path, rp.New.Version); err != nil {
				return nil, false
			}
		}
	}
	for _, ex := range l.Exclude {
		if err := n.AddExclude(ex.Mod.Path, ex.Mod.Version); err != nil {
			return nil, false
		}
	}
	n.Cleanup()
	out, err := n.Format()
	return out, err == nil
}

// mergeGoSum keeps next's checksums plus every line the user's go
// commands added (in local, not in base), sorted as the go command sorts.
func mergeGoSum(base, local, next []byte) []byte {
	old := map[string]bool{}
	for _, line := range lines(base) {
		old[line] = true
	}
	set := map[string]bool{}
	var out []string
	add := func(line string) {
		if line != "" && !set[line] {
			set[line] = true
			out = append(out, line)
		}
	}
	for _, line := range lines(next) {
		add(line)
	}
	for _, line := range lines(local) {
		if !old[line] {
			add(line)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return sumLess(out[i], out[j]) })
	return []byte(strings.Join(out, "\n") + "\n")
}

func lines(data []byte) []string {
	return strings.Split(strings.TrimRight(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n"), "\n")
}

// sumLess orders go.sum lines by module path, then version (semver), the
// zip hash before the go.mod hash.
func sumLess(a, b string) bool {
	pa, va, _ := strings.Cut(a, " ")
	pb, vb, _ := strings.Cut(b, " ")
	if pa != pb {
		return pa < pb
	}
	va, _, _ = strings.Cut(va, " ")
	vb, _, _ = strings.Cut(vb, " ")
	ma, mb := strings.HasSuffix(va, "/go.mod"), strings.HasSuffix(vb, "/go.mod")
	va, vb = strings.TrimSuffix(va, "/go.mod"), strings.TrimSuffix(vb, "/go.mod")
	if c := semver.Compare(va, vb); c != 0 {
		return c < 0
	}
	return !ma && mb
}
