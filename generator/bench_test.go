package generator

import (
	"context"
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
