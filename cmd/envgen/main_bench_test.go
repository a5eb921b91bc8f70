package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkInitProcess runs `envgen init DIR --no-git` as a whole process,
// as a user would: start-up, render, plan and atomic writes. The target is
// under 50 ms per run on a 2-core machine.
func BenchmarkInitProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "envgen")
	if out, err := exec.CommandContext(b.Context(), "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, profile := range []string{"development", "staging", "production"} {
		b.Run(profile, func(b *testing.B) {
			root := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				cmd := exec.CommandContext(b.Context(), bin, "init", filepath.Join(root, strconv.Itoa(i)),
					"--module", "example.com/acme/orders", "--profile", profile, "--no-git")
				cmd.Stderr = os.Stderr
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSyncCheckProcess runs `envgen sync --check` as a whole process
// on a fresh project, and with 50,000 unrelated files in the tree. Targets:
// under 50 ms, and within 1.2 times that with the unrelated files.
func BenchmarkSyncCheckProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "envgen")
	if out, err := exec.CommandContext(b.Context(), "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, unrelated := range []int{0, 50000} {
		b.Run(strconv.Itoa(unrelated)+"-unrelated-files", func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "p")
			if out, err := exec.CommandContext(b.Context(), bin, "init", dir, "--module", "example.com/acme/orders", "--no-git").CombinedOutput(); err != nil {
				b.Fatalf("init: %v\n%s", err, out)
			}
			for i := 0; i < unrelated; i++ {
				sub := filepath.Join(dir, "vendorish", strconv.Itoa(i/100))
				if i%100 == 0 {
					if err := os.MkdirAll(sub, 0o755); err != nil {
						b.Fatal(err)
					}
				}
				if err := os.WriteFile(filepath.Join(sub, strconv.Itoa(i)+".go"), []byte("package x\n"), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				cmd := exec.CommandContext(b.Context(), bin, "sync", "--check", "-C", dir)
				cmd.Stderr = os.Stderr
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
