package cli

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// treehash DIR FILE writes to FILE one line per entry under DIR: path,
// mode, and the sha256 of a file or the target of a link. Two snapshots
// that cmp equal prove that nothing under DIR changed (the security
// scenarios take one of the whole $WORK before and after an attack).
// Entries under a folder named as a further argument are left out.
func treehash(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: treehash DIR FILE [SKIP...]")
	}
	root, out := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	skip := map[string]bool{}
	for _, s := range args[2:] {
		skip[ts.MkAbs(s)] = true
	}
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip[p] || p == out {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		rel, _ := filepath.Rel(root, p)
		line := fmt.Sprintf("%s %s", filepath.ToSlash(rel), info.Mode())
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return fmt.Errorf("tree hash: %w", err)
			}
			line += " -> " + target
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("tree hash: %w", err)
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		ts.Fatalf("treehash: %v", err)
	}
	sort.Strings(lines)
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		ts.Fatalf("treehash: %v", err)
	}
}
