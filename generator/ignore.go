package generator

import (
	"io/fs"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// withExec adds execute permission wherever perm grants read.
func withExec(perm fs.FileMode) fs.FileMode { return perm | (perm&0o444)>>2 }

// markLocalOnly flags the files the rendered top-level .gitignore keeps out
// of git, such as the .env of random passwords. A fresh clone lacks them by
// design, so sync recreates them instead of calling them deleted. It reads
// only the render, never the project: render stays pure.
func markLocalOnly(files []File) {
	var ignore []byte
	for _, f := range files {
		if f.Path == ".gitignore" {
			ignore = f.Data
		}
	}
	if ignore == nil {
		return
	}
	var patterns []gitignore.Pattern
	for _, line := range strings.Split(string(ignore), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		patterns = append(patterns, gitignore.ParsePattern(line, nil))
	}
	m := gitignore.NewMatcher(patterns)
	for i := range files {
		files[i].LocalOnly = ignored(m, files[i].Path)
	}
}

// ignored reports whether git would ignore path: the file itself, or any
// folder above it, matches.
func ignored(m gitignore.Matcher, path string) bool {
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		if m.Match(parts[:i], true) {
			return true
		}
	}
	return m.Match(parts, false)
}
