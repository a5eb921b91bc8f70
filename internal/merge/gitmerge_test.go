package merge

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/envgen/envgen/internal/testtool"
)

// gitMergeFile runs git merge-file -p --diff3 on the three texts and
// returns its output and whether it merged cleanly.
func gitMergeFile(t testing.TB, base, local, next []byte) ([]byte, bool) {
	t.Helper()
	git := testtool.Require(t, "git", "install git to compare merges with git merge-file")
	dir := t.TempDir()
	files := map[string][]byte{"local": local, "base": base, "next": next}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.CommandContext(t.Context(), git, "merge-file", "-p", "--diff3", "-L", "local", "-L", "base", "-L", "envgen",
		filepath.Join(dir, "local"), filepath.Join(dir, "base"), filepath.Join(dir, "next"))
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out, true
	case errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 128:
		return out, false
	}
	t.Fatalf("git merge-file: %v", err)
	return nil, false
}
