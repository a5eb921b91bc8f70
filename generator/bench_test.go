package generator

import (
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
