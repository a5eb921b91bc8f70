package dist

import (
	"bytes"
	"text/template"
)

// serviceFiles are the files and scripts of a service's package, made
// from its name, profile and description.
type serviceFiles struct {
	Name        string
	Description string
	AppEnv      string
	TLS         bool
}

// Paths of a service's package.
func (s serviceFiles) Binary() string    { return "/usr/bin/" + s.Name }
func (s serviceFiles) ConfigDir() string { return "/etc/" + s.Name }
func (s serviceFiles) EnvFile() string   { return "/etc/" + s.Name + "/" + s.Name + ".env" }
func (s serviceFiles) UnitPath() string  { return "/usr/lib/systemd/system/" + s.Name + ".service" }

// The unit runs the service as its own system user with a read-only view
// of the system: it needs nothing but its config, the network, and a
// state directory. ProtectSystem=strict already makes /etc/<name>
// read-only, so ReadOnlyPaths would add nothing.
var unitTemplate = template.Must(template.New("unit").Parse(`# systemd unit of {{ .Name }}, installed by its package (rendered by envgen).
# Local changes: systemctl edit {{ .Name }} (a drop-in survives upgrades).
[Unit]
Description={{ .Description }}
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
User={{ .Name }}
Group={{ .Name }}
EnvironmentFile={{ .EnvFile }}
ExecStart={{ .Binary }}
Restart=on-failure
RestartSec=2s
# http.shutdown_timeout (15s) plus a margin for the last requests.
TimeoutStopSec=30s
StateDirectory={{ .Name }}
WorkingDirectory=/var/lib/{{ .Name }}
UMask=0027
LimitNOFILE=65536

# Hardening: systemd-analyze security {{ .Name }} scores these.
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RemoveIPC=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
CapabilityBoundingSet=
AmbientCapabilities=

[Install]
WantedBy=multi-user.target
`))

var envTemplate = template.Must(template.New("env").Parse(`# Environment of the {{ .Name }} service, read by systemd (EnvironmentFile=).
# A configuration file: package upgrades keep your edits.
#
# Configuration: {{ .ConfigDir }}/default.yaml, then {{ .ConfigDir }}/$APP_ENV.yaml,
# then APP_<KEY> variables (dots become underscores) override any key.
# Put secrets here, not in the YAML files: this file is readable by root only.
APP_ENV={{ .AppEnv }}
APP_CONFIG_DIR={{ .ConfigDir }}

# APP_HTTP_ADDR=:8080
# APP_DATABASE_URL=postgres://app:PASSWORD@db.internal:5432/app?sslmode=require
# APP_REDIS_ADDR=redis.internal:6379
# APP_REDIS_PASSWORD=
{{- if .TLS }}
# TLS is required in this profile: the service refuses to start without these.
# APP_TLS_CERT_FILE={{ .ConfigDir }}/tls/cert.pem
# APP_TLS_KEY_FILE={{ .ConfigDir }}/tls/key.pem
{{- end }}
`))

// The scripts are POSIX sh for dpkg, rpm and apk alike: each gets
// different arguments (deb: "install", "upgrade", "remove"; rpm: the
// number of versions left; apk: the version), so they only branch on
// what all three agree on.
var preInstallTemplate = template.Must(template.New("preinstall").Parse(`#!/bin/sh
# Create the system user {{ .Name }} runs as (kept on removal, as is usual:
# files it owns may remain).
set -e
if ! grep -q '^{{ .Name }}:' /etc/group; then
	if command -v groupadd >/dev/null 2>&1; then
		groupadd --system {{ .Name }}
	else
		addgroup -S {{ .Name }}
	fi
fi
if ! id -u {{ .Name }} >/dev/null 2>&1; then
	if command -v useradd >/dev/null 2>&1; then
		useradd --system --gid {{ .Name }} --home-dir /var/lib/{{ .Name }} --no-create-home \
			--shell /usr/sbin/nologin --comment '{{ .Name }} service' {{ .Name }}
	else
		adduser -S -D -H -G {{ .Name }} -h /var/lib/{{ .Name }} -s /sbin/nologin -g '{{ .Name }} service' {{ .Name }}
	fi
fi
`))

var postInstallTemplate = template.Must(template.New("postinstall").Parse(`#!/bin/sh
# Make systemd see the unit; restart the service if it runs (an upgrade).
# A fresh install is not started: configure {{ .EnvFile }} first.
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	if systemctl is-active --quiet {{ .Name }}.service; then
		systemctl try-restart {{ .Name }}.service || true
	else
		echo "{{ .Name }}: edit {{ .EnvFile }}, then: systemctl enable --now {{ .Name }}"
	fi
fi
`))

var preRemoveTemplate = template.Must(template.New("preremove").Parse(`#!/bin/sh
# Stop and disable the service when the package is removed, not upgraded.
set -e
case "$1" in
upgrade|failed-upgrade|1) exit 0 ;;
esac
if [ -d /run/systemd/system ]; then
	systemctl disable --now {{ .Name }}.service >/dev/null 2>&1 || true
fi
`))

var postRemoveTemplate = template.Must(template.New("postremove").Parse(`#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
`))

func (s serviceFiles) render(t *template.Template) []byte {
	var b bytes.Buffer
	if err := t.Execute(&b, s); err != nil {
		panic(err) // the templates are constants; tests execute each
	}
	return b.Bytes()
}

// Unit is the systemd unit.
func (s serviceFiles) Unit() []byte { return s.render(unitTemplate) }

// Env is the environment file.
func (s serviceFiles) Env() []byte { return s.render(envTemplate) }

// Scripts are the maintainer scripts.
func (s serviceFiles) Scripts() Scripts {
	return Scripts{
		PreInstall:  string(s.render(preInstallTemplate)),
		PostInstall: string(s.render(postInstallTemplate)),
		PreRemove:   string(s.render(preRemoveTemplate)),
		PostRemove:  string(s.render(postRemoveTemplate)),
	}
}
