package apply

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/envgen/envgen/internal/project"
)

// Op is what a step does.
type Op string

const (
	OpWrite  Op = "write"
	OpRemove Op = "remove"
	OpChmod  Op = "chmod"
)

// Step is one change to one path.
type Step struct {
	Op   Op          `json:"op"`
	Path string      `json:"path"`
	Data []byte      `json:"data,omitempty"`
	Perm fs.FileMode `json:"perm,omitempty"`
	// Prev is the path as it was, recorded when the journal is written:
	// what Abort puts back.
	Prev *Prev `json:"prev,omitempty"`
}

// Prev is a path's state before a step.
type Prev struct {
	Exists bool        `json:"exists"`
	Data   []byte      `json:"data,omitempty"`
	Perm   fs.FileMode `json:"perm,omitempty"`
}

// checkPath refuses a step outside what envgen may write: a project path
// (clean, relative, not under .git, not envgen's state), or one of
// envgen's own state files.
func checkPath(p string) error {
	switch {
	case p == project.LockFile || p == project.StateIgnoreFile || p == project.ToolchainProofsFile:
		return nil
	case strings.HasPrefix(p, project.BaseDir+"/"):
		return project.CheckPath(strings.TrimPrefix(p, project.BaseDir+"/"))
	case strings.HasPrefix(p, project.BackupDir+"/"):
		rest := strings.TrimPrefix(p, project.BackupDir+"/")
		stamp, file, ok := strings.Cut(rest, "/")
		if !ok || stamp == "" || strings.ContainsAny(stamp, ".\\") {
			return fmt.Errorf("%q is not a backup path", p)
		}
		if file == project.ToolchainProofsFile {
			return nil // a hand-edited proofs file, kept before new proofs replace it
		}
		return project.CheckPath(file)
	}
	return project.CheckPath(p)
}
