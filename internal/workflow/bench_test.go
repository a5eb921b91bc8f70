package workflow

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/envgen/envgen/generator"
)

func benchInputs(profile string) generator.Inputs {
	return generator.Inputs{Module: "example.com/acme/orders", Profile: profile, Go: "1.26.3"}
}

// BenchmarkInit measures render, plan and journaled write of each
// built-in profile into a fresh folder, without git.
func BenchmarkInit(b *testing.B) {
	for _, profile := range []string{"development", "staging", "production"} {
		b.Run(profile, func(b *testing.B) {
			b.ReportAllocs()
			root := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				dir := filepath.Join(root, strconv.Itoa(i))
				if _, err := Init(context.Background(), InitOptions{Dir: dir, NoGit: true, Secrets: generator.FixedSecrets(), Inputs: benchInputs(profile)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// addUnrelatedFiles fills a project with n files envgen knows nothing
// about, in folders of 100, as a large repository would have.
func addUnrelatedFiles(tb testing.TB, dir string, n int) {
	tb.Helper()
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, "vendorish", strconv.Itoa(i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				tb.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(sub, strconv.Itoa(i)+".go"), []byte("package x\n"), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkSyncCheck measures sync --check on a committed production
// project, and on the same project with 50,000 unrelated committed files:
// the plan reads only what the lock and the render name (never git's
// index), so both must cost the same (within 20%), and stay within 2x of
// BenchmarkInit/production.
func BenchmarkSyncCheck(b *testing.B) {
	git, err := exec.LookPath("git")
	if err != nil {
		b.Skip("git is needed to commit the unrelated files")
	}
	for _, unrelated := range []int{0, 50000} {
		b.Run(strconv.Itoa(unrelated)+"-unrelated-files", func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "p")
			if _, err := Init(context.Background(), InitOptions{Dir: dir, Secrets: generator.FixedSecrets(), Inputs: benchInputs("production"),
				Getenv: func(string) string { return "" }}); err != nil {
				b.Fatal(err)
			}
			addUnrelatedFiles(b, dir, unrelated)
			for _, args := range [][]string{{"add", "-A"}, {"-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-q", "--allow-empty", "-m", "unrelated"}} {
				if out, err := exec.CommandContext(b.Context(), git, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
					b.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := Sync(context.Background(), SyncOptions{Dir: dir, Check: true})
				if err != nil || len(res.Drift(true)) > 0 {
					b.Fatalf("sync --check: %v (drift %v)", err, res.Drift(true))
				}
			}
		})
	}
}

// BenchmarkSyncProfileSwitch measures a whole profile switch (render,
// plan, merges, journal, writes): the target is under 100 ms.
func BenchmarkSyncProfileSwitch(b *testing.B) {
	root := b.TempDir()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		i++
		dir := filepath.Join(root, strconv.Itoa(i))
		if _, err := Init(context.Background(), InitOptions{Dir: dir, NoGit: true, Secrets: generator.FixedSecrets(), Inputs: benchInputs("development")}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Profile: "production", Yes: true}); err != nil {
			b.Fatal(err)
		}
	}
}
