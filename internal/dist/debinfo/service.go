package debinfo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// ServiceCheck is what CheckService found.
type ServiceCheck struct {
	Problems []string
	// UnitVerified: systemd-analyze verify accepted the unit. False when
	// systemd-analyze is not installed (Problems then says nothing of it).
	UnitVerified bool
}

// CheckService checks the layout `envgen package` gives every service
// NAME whose profile runs APP_ENV=appEnv: files and modes, conffiles, the
// environment file, the unit's hardening, the maintainer scripts (valid
// sh, creating the system user) and, where systemd-analyze is installed,
// `systemd-analyze verify` of the unit in the extracted package.
func CheckService(ctx context.Context, d *Deb, name, appEnv string) ServiceCheck {
	var c ServiceCheck
	bad := func(format string, args ...any) { c.Problems = append(c.Problems, fmt.Sprintf(format, args...)) }
	want := func(path, mode string) {
		if p := d.CheckFile(path, mode); p != "" {
			bad("%s", p)
		}
	}
	read := func(path string) string {
		b, err := os.ReadFile(filepath.Join(d.Root, path)) //nolint:gosec // G304: extracted from the package under test
		if err != nil {
			bad("%v", err)
		}
		return string(b)
	}
	unitPath := "/usr/lib/systemd/system/" + name + ".service"
	envPath := "/etc/" + name + "/" + name + ".env"
	want("/usr/bin/"+name, "-rwxr-xr-x")
	want(unitPath, "-rw-r--r--")
	want(envPath, "-rw-------") // secrets go there
	want("/etc/"+name+"/default.yaml", "-rw-r--r--")
	for _, conf := range []string{envPath, "/etc/" + name + "/default.yaml", "/etc/" + name + "/" + appEnv + ".yaml"} {
		if !slices.Contains(d.Conffiles, conf) {
			bad("%s is not a conffile (conffiles: %v)", conf, d.Conffiles)
		}
	}
	for _, conf := range d.Conffiles {
		if !strings.HasPrefix(conf, "/etc/") {
			bad("conffile outside /etc: %s", conf)
		}
	}
	env := read(envPath)
	for _, line := range []string{"APP_ENV=" + appEnv, "APP_CONFIG_DIR=/etc/" + name} {
		if !strings.Contains(env, "\n"+line+"\n") {
			bad("%s lacks %s", envPath, line)
		}
	}
	unit := read(unitPath)
	for _, line := range []string{"User=" + name, "ExecStart=/usr/bin/" + name, "EnvironmentFile=" + envPath,
		"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
		"StateDirectory=" + name, "WantedBy=multi-user.target"} {
		if !strings.Contains(unit, "\n"+line+"\n") {
			bad("unit lacks %s", line)
		}
	}
	for _, s := range []string{"preinst", "postinst", "prerm", "postrm"} {
		body, ok := d.Scripts[s]
		if !ok {
			bad("no %s script", s)
			continue
		}
		if out, err := exec.CommandContext(ctx, "sh", "-n", "-c", body).CombinedOutput(); err != nil { //nolint:gosec // G204: sh -n only parses the script, it runs nothing
			bad("%s is not valid sh: %v: %s", s, err, out)
		}
	}
	if pre := d.Scripts["preinst"]; !strings.Contains(pre, "useradd --system") || !strings.Contains(pre, "adduser -S") {
		bad("preinst does not create the system user %s", name)
	}
	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		if err := verifyUnit(ctx, analyze, d.Root, unitPath, unit, "/usr/bin/"+name); err != nil {
			bad("%v", err)
		} else {
			c.UnitVerified = true
		}
	}
	return c
}

// verifyUnit runs systemd-analyze verify on a copy of the unit whose
// ExecStart is the binary extracted under root: verify checks that the
// command exists, and the host has no /usr/bin/NAME. (--root would also
// look for systemd's own targets under root.)
func verifyUnit(ctx context.Context, analyze, root, unitPath, unit, binary string) error {
	dir, err := os.MkdirTemp("", "verify-unit-")
	if err != nil {
		return fmt.Errorf("systemd-analyze verify %s: %w", unitPath, err)
	}
	defer os.RemoveAll(dir) //nolint:errcheck // a temporary folder: failing to remove it loses nothing
	unit = strings.Replace(unit, "\nExecStart="+binary+"\n", "\nExecStart="+filepath.Join(root, binary)+"\n", 1)
	copyPath := filepath.Join(dir, filepath.Base(unitPath))
	if err := os.WriteFile(copyPath, []byte(unit), 0o644); err != nil { //nolint:gosec // G306: a copy of a unit file, which are 0644
		return fmt.Errorf("systemd-analyze verify %s: %w", unitPath, err)
	}
	out, err := exec.CommandContext(ctx, analyze, "verify", "--man=no", copyPath).CombinedOutput() //nolint:gosec // G204: systemd-analyze, found on PATH, on a copy of the unit
	if err != nil {
		return fmt.Errorf("systemd-analyze verify %s: %w\n%s", unitPath, err, out)
	}
	if strings.TrimSpace(string(out)) != "" {
		return fmt.Errorf("systemd-analyze verify %s:\n%s", unitPath, out)
	}
	return nil
}
