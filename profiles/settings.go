package profiles

// Settings are a profile's effective settings: what templates see as
// .Profile. Every field has a YAML key; an unknown key in a profile file is
// an error, so a typo never silently falls back to a default.
type Settings struct {
	// AppEnv is the APP_ENV the compose stack runs the service with.
	AppEnv       string  `yaml:"app_env" json:"app_env"`
	Pprof        Toggle  `yaml:"pprof" json:"pprof"`
	Alertmanager Toggle  `yaml:"alertmanager" json:"alertmanager"`
	Compose      Compose `yaml:"compose" json:"compose"`
	Lint         Lint    `yaml:"lint" json:"lint"`
	// Packaging describes the OS packages `envgen package` builds; nil
	// (development) means the profile ships no packages.
	Packaging *Packaging `yaml:"packaging,omitempty" json:"packaging,omitempty"`
}

// Packaging is the metadata of the .deb, .rpm and .apk packages of a service.
type Packaging struct {
	Maintainer  string `yaml:"maintainer" json:"maintainer"` // "Name <email>"
	Description string `yaml:"description" json:"description"`
	License     string `yaml:"license" json:"license"` // SPDX identifier
	// Dependencies are package names every format knows (ca-certificates).
	Dependencies []string `yaml:"dependencies" json:"dependencies"`
}

// Toggle is a feature switched on or off by a profile.
type Toggle struct {
	Enabled bool `yaml:"enabled" json:"enabled"`
}

// Compose shapes the rendered docker-compose.yml.
type Compose struct {
	// PublishDebugPorts publishes pprof, PostgreSQL and Redis on 127.0.0.1.
	PublishDebugPorts bool           `yaml:"publish_debug_ports" json:"publish_debug_ports"`
	Restart           string         `yaml:"restart" json:"restart"`
	ResourceLimits    ResourceLimits `yaml:"resource_limits" json:"resource_limits"`
	// EnvFileSecrets takes every password from the git-ignored .env that
	// init fills with random values: no default passwords.
	EnvFileSecrets bool `yaml:"env_file_secrets" json:"env_file_secrets"`
	// TLS mounts a certificate and key for the service, which then requires them.
	TLS bool `yaml:"tls" json:"tls"`
}

// ResourceLimits are docker compose deploy limits; empty means none.
type ResourceLimits struct {
	CPUs   string `yaml:"cpus" json:"cpus"`
	Memory string `yaml:"memory" json:"memory"`
}

// Lint shapes the rendered golangci-lint configuration.
type Lint struct {
	// Strictness runs from 1 (development) to 3 (production); each level
	// enables everything the level below does.
	Strictness int    `yaml:"strictness" json:"strictness"`
	RunTimeout string `yaml:"run_timeout" json:"run_timeout"`
}
