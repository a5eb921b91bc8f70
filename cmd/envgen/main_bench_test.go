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
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, profile := range []string{"development", "staging", "production"} {
		b.Run(profile, func(b *testing.B) {
			root := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				cmd := exec.Command(bin, "init", filepath.Join(root, strconv.Itoa(i)),
					"--module", "example.com/acme/orders", "--profile", profile, "--no-git")
				cmd.Stderr = os.Stderr
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
