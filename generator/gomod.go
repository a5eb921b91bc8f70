package generator

import (
	"fmt"
	"io/fs"

	"golang.org/x/mod/modfile"

	"github.com/envgen/envgen/internal/goversion"
)

// goModFiles returns go.mod and go.sum for a project: the tested
// dependency set of the chosen Go minor with the project's module path and
// a toolchain line pinning the chosen release.
func goModFiles(deps fs.FS, modulePath string, rel goversion.Release) (gomod, gosum []byte, err error) {
	base := "go" + rel.MinorString()
	modData, err := fs.ReadFile(deps, base+".mod")
	if err != nil {
		return nil, nil, fmt.Errorf("no dependency set for go %s: %w", rel.MinorString(), err)
	}
	gosum, err = fs.ReadFile(deps, base+".sum")
	if err != nil {
		return nil, nil, fmt.Errorf("no go.sum for go %s: %w", rel.MinorString(), err)
	}
	f, err := modfile.Parse(base+".mod", modData, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("dependency set for go %s: %w", rel.MinorString(), err)
	}
	if err := f.AddModuleStmt(modulePath); err != nil {
		return nil, nil, fmt.Errorf("go.mod: module %s: %w", modulePath, err)
	}
	if f.Go == nil {
		return nil, nil, fmt.Errorf("%s.mod has no go line", base)
	}
	// The go command drops a toolchain line that repeats the go line, so
	// write one only when it says something (go 1.24.0, toolchain go1.24.1).
	if f.Go.Version == rel.String() {
		f.DropToolchainStmt()
	} else if err := f.AddToolchainStmt(rel.Toolchain()); err != nil {
		return nil, nil, fmt.Errorf("go.mod: toolchain %s: %w", rel.Toolchain(), err)
	}
	f.Cleanup()
	gomod, err = f.Format()
	if err != nil {
		return nil, nil, fmt.Errorf("go.mod: %w", err)
	}
	return gomod, gosum, nil
}
