package generator

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// secretNames are the random values init makes for the git-ignored .env of
// profiles without default passwords.
var secretNames = []string{"postgres_password", "redis_password", "grafana_admin_password"}

// NewSecrets draws fresh random secrets. They go into the rendered .env
// only, never into envgen.lock or a commit.
func NewSecrets() (map[string]string, error) {
	s := make(map[string]string, len(secretNames))
	for _, name := range secretNames {
		buf := make([]byte, 24)
		if _, err := rand.Read(buf); err != nil {
			return nil, fmt.Errorf("secret %s: %w", name, err)
		}
		// URL-safe base64 needs no quoting in .env files or database URLs.
		s[name] = base64.RawURLEncoding.EncodeToString(buf)
	}
	return s, nil
}

// FixedSecrets are stable placeholder secrets for golden files and benchmarks.
func FixedSecrets() map[string]string {
	s := make(map[string]string, len(secretNames))
	for _, name := range secretNames {
		s[name] = "fixed-" + name
	}
	return s
}
