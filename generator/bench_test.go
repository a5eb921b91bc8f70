package generator

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkRender measures the pure render of each built-in profile.
func BenchmarkRender(b *testing.B) {
	for _, profile := range []string{"development", "staging", "production"} {
		b.Run(profile, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				renderBuiltin(b, profile)
			}
		})
	}
}

// BenchmarkInit measures render, plan and atomic write of each built-in
// profile into a fresh folder, without git: what `envgen init --no-git`
// does apart from process start-up.
func BenchmarkInit(b *testing.B) {
	for _, profile := range []string{"development", "staging", "production"} {
		b.Run(profile, func(b *testing.B) {
			b.ReportAllocs()
			root := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				dir := filepath.Join(root, strconv.Itoa(i))
				_, err := Init(context.Background(), InitOptions{
					Dir: dir, NoGit: true, Secrets: FixedSecrets(), Inputs: goldenInputs(profile),
				})
				if err != nil {
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

// BenchmarkSyncCheck measures sync --check on a fresh project, and on the
// same project with 50,000 unrelated files: sync reads only what the lock
// and the render name, so both must cost the same.
func BenchmarkSyncCheck(b *testing.B) {
	for _, unrelated := range []int{0, 50000} {
		b.Run(strconv.Itoa(unrelated)+"-unrelated-files", func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "p")
			if _, err := Init(context.Background(), InitOptions{Dir: dir, NoGit: true, Secrets: FixedSecrets(), Inputs: goldenInputs("production")}); err != nil {
				b.Fatal(err)
			}
			addUnrelatedFiles(b, dir, unrelated)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := Sync(context.Background(), SyncOptions{Dir: dir, Check: true})
				if err != nil || !res.InSync() {
					b.Fatalf("sync --check: %v (drift %v)", err, res.Drift)
				}
			}
		})
	}
}
