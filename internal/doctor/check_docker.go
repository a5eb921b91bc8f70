package doctor

import (
	"context"
	"strings"
)

// dockerCheck: the Docker engine answers and the compose v2 plugin is
// installed. Warnings only: envgen itself does not need Docker, the
// generated compose stack does.
type dockerCheck struct{ m *machine }

func (c *dockerCheck) Name() string { return "docker" }

func (c *dockerCheck) TimeoutFix() string {
	return "the docker command hangs: the engine (or DOCKER_HOST) does not answer; check sudo systemctl status docker"
}

func (c *dockerCheck) Run(ctx context.Context) Result {
	m := c.m
	if m.cfg.Offline {
		if h := m.cfg.Getenv("DOCKER_HOST"); h != "" && !strings.HasPrefix(h, "unix://") && !strings.HasPrefix(h, "npipe://") {
			return Result{Status: StatusSkip, Saw: "not checked: DOCKER_HOST=" + h + " is remote and --offline is set"}
		}
	}
	docker, err := m.cfg.LookPath("docker")
	if err != nil {
		return Result{Status: StatusWarn, Saw: "no docker command on PATH (envgen does not need it; the generated compose stack does)",
			Fix: "install Docker Engine and the compose plugin: https://docs.docker.com/engine/install/"}
	}
	out, err := m.cfg.Exec(ctx, nil, docker, "version", "--format", "{{.Server.Version}}")
	server := strings.TrimSpace(string(out))
	if err != nil || server == "" {
		return Result{Status: StatusWarn, Saw: "the Docker engine does not answer: " + firstLine(out, err),
			Fix: "start it (sudo systemctl start docker) and make sure your user may use it (sudo usermod -aG docker $USER, then log in again)"}
	}
	out, err = m.cfg.Exec(ctx, nil, docker, "compose", "version", "--short")
	compose := strings.TrimSpace(string(out))
	if err != nil || compose == "" {
		return Result{Status: StatusWarn, Saw: "Docker engine " + server + ", but no compose v2 plugin: " + firstLine(out, err),
			Fix: "install the compose v2 plugin (Debian/Ubuntu: sudo apt-get install docker-compose-plugin); the old docker-compose 1.x rejects modern compose files"}
	}
	return Result{Status: StatusOK, Saw: "Docker engine " + server + ", compose " + compose}
}

func firstLine(out []byte, err error) string {
	s := strings.TrimSpace(string(out))
	if s == "" && err != nil {
		s = err.Error()
	}
	s, _, _ = strings.Cut(s, "\n")
	return s
}
