package plan

import (
	"bytes"
	"path"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// fileState is the three states of one rendered file.
type fileState struct {
	f        generator.File // the target
	disk     []byte         // the actual file (exists false: absent)
	exists   bool
	diskExec bool
	last     project.LockedFile // what envgen last wrote (tracked false: never)
	tracked  bool
	// knowsExec: the lock records executable bits (schema 2).
	knowsExec bool
	base      []byte // the last-written render, for files that keep one
	hasBase   bool
}

// localChanged: the file on disk is not what envgen last wrote.
func (s *fileState) localChanged() bool {
	return s.exists && s.tracked && project.HashBytes(s.disk) != s.last.Hash
}

// renderChanged: the new render is not the one envgen last wrote.
func (s *fileState) renderChanged() bool {
	switch {
	case !s.tracked:
		return true
	case s.hasBase:
		return !bytes.Equal(s.base, s.f.Data)
	}
	return s.f.Hash() != s.last.Hash
}

// baseOrNil is the merge base: nil when none was kept (both sides added).
func (s *fileState) baseOrNil() []byte {
	if s.hasBase {
		return s.base
	}
	return nil
}

// structured reports whether the file is YAML or JSON, whose values can
// be compared apart from comments and layout.
func structured(p string) bool {
	switch path.Ext(p) {
	case ".yml", ".yaml", ".json":
		return true
	}
	return false
}
