package project

import "strings"

const (
	// LockFile records, at the project root, what envgen last wrote and
	// from which inputs. It is committed.
	LockFile = "envgen.lock"
	// StateDir holds envgen's own files in the project.
	StateDir = ".envgen"
	// BaseDir holds the content envgen last wrote of every file that sync
	// merges or lays a floor over: the base of the three-way merge.
	// Committed, so every clone merges from the same base.
	BaseDir = StateDir + "/base"
	// BackupDir holds user files that envgen replaced. Machine-local.
	BackupDir = StateDir + "/backup"
	// MutexFile is held (flock) by the one envgen process that writes the
	// project. Machine-local; only writers create it.
	MutexFile = StateDir + "/lock"
	// JournalFile records an apply in progress: written before the first
	// change to the project, removed after the last. Machine-local.
	JournalFile = StateDir + "/journal"
	// StagingDir holds the content an apply is about to put in place and
	// the previous content it replaces, until the apply is finished.
	StagingDir = StateDir + "/staging"

	// ToolchainProofsFile is the project's toolchain proof bundle
	// (proofs only): committed, so CI and new machines verify the pinned
	// toolchain offline.
	ToolchainProofsFile = StateDir + "/toolchain/proofs.bundle"

	// StateIgnore is .envgen/.gitignore: the machine-local parts of the
	// state stay out of git. A backup may hold secrets.
	StateIgnore = "# envgen's machine-local files\n/lock\n/backup/\n/journal\n/staging/\n"
	// StateIgnoreFile is where StateIgnore is written.
	StateIgnoreFile = StateDir + "/.gitignore"
)

// IsState reports whether a project path belongs to envgen's own state,
// which no template, lock entry or starter may name.
func IsState(p string) bool {
	return p == LockFile || p == StateDir || strings.HasPrefix(p, StateDir+"/") || strings.HasPrefix(p, LockFile+"/")
}
