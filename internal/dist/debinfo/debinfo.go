// Package debinfo reads a .deb with dpkg-deb, the tool that installs it:
// its control fields, its files with modes and owners, its conffiles and
// maintainer scripts, and its files extracted into a folder. Tests of
// envgen's packages use it to see them as dpkg does.
package debinfo

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Deb is what dpkg-deb reports about a package.
type Deb struct {
	Info      string            // dpkg-deb --info: sizes, the control file
	Fields    map[string]string // control fields: Package, Version, Depends, ...
	Files     map[string]Entry  // by absolute path, directories included
	Conffiles []string
	Scripts   map[string]string // preinst, postinst, prerm, postrm
	Root      string            // the files, extracted with dpkg-deb -x
}

// Entry is one line of `dpkg-deb --contents`.
type Entry struct {
	Mode  string // -rwxr-xr-x
	Owner string // root/root
	Path  string
}

// CheckFile says what is wrong with path in the package, "" when it is
// there with mode (as dpkg-deb prints it: -rw-r--r--) and owned by root.
func (d *Deb) CheckFile(path, mode string) string {
	e, ok := d.Files[path]
	switch {
	case !ok:
		return "no " + path
	case e.Mode != mode || e.Owner != "root/root":
		return fmt.Sprintf("%s: %s %s, want %s root/root", path, e.Mode, e.Owner, mode)
	}
	return ""
}

// Read inspects deb, extracting it under dir (which must exist).
func Read(ctx context.Context, deb, dir string) (*Deb, error) {
	var err error
	d := &Deb{Fields: map[string]string{}, Files: map[string]Entry{}, Scripts: map[string]string{}, Root: filepath.Join(dir, "root")}
	if d.Info, err = dpkgDeb(ctx, "--info", deb); err != nil {
		return nil, err
	}
	info, err := dpkgDeb(ctx, "--field", deb)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(strings.NewReader(info))
	last := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") && last != "" {
			d.Fields[last] += "\n" + line
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			last = k
			d.Fields[k] = strings.TrimSpace(v)
		}
	}
	contents, err := dpkgDeb(ctx, "--contents", deb)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.TrimSpace(contents), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			return nil, fmt.Errorf("dpkg-deb --contents: unexpected line %q", line)
		}
		p := strings.TrimSuffix(strings.TrimPrefix(f[5], "."), "/")
		if p == "" {
			p = "/"
		}
		d.Files[p] = Entry{Mode: f[0], Owner: f[1], Path: p}
	}
	control := filepath.Join(dir, "control")
	if _, err := dpkgDeb(ctx, "--control", deb, control); err != nil {
		return nil, err
	}
	if c, err := os.ReadFile(filepath.Join(control, "conffiles")); err == nil { //nolint:gosec // G304: extracted from the package under test, into the caller's folder
		d.Conffiles = strings.Fields(string(c))
	}
	for _, s := range []string{"preinst", "postinst", "prerm", "postrm"} {
		if b, err := os.ReadFile(filepath.Join(control, s)); err == nil { //nolint:gosec // G304: extracted from the package under test, into the caller's folder
			d.Scripts[s] = string(b)
		}
	}
	if _, err := dpkgDeb(ctx, "-x", deb, d.Root); err != nil {
		return nil, err
	}
	return d, nil
}

func dpkgDeb(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "dpkg-deb", args...).CombinedOutput() //nolint:gosec // G204: dpkg-deb, on the caller's package and folder
	if err != nil {
		return "", fmt.Errorf("dpkg-deb %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}
