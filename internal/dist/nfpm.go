// Package dist is `envgen package`: it builds a generated service and
// packages it as .deb, .rpm or .apk (with the nfpm library), with its
// systemd unit, config and maintainer scripts. Build, Spec and GoBuild are
// the packaging library; envgen's own release (internal/release) uses them
// too, and this package knows nothing of it.
package dist

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/apk"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
	"github.com/goreleaser/nfpm/v2/rpm"
)

// Formats are the package formats envgen builds, in the order it builds them.
var Formats = []string{"deb", "rpm", "apk"}

// Archs are the Linux architectures (GOARCH names) packages are built for.
var Archs = []string{"amd64", "arm64"}

// packagers are nfpm's packagers, named directly rather than through
// nfpm's global registry.
var packagers = map[string]nfpm.Packager{
	"deb": deb.Default,
	"rpm": rpm.DefaultRPM,
	"apk": apk.Default,
}

// Spec describes one package, independent of its format.
type Spec struct {
	Name        string
	Version     string // semver-ish: 1.2.3, v1.2.3, 0.1.0-dev
	Arch        string // GOARCH: amd64, arm64
	Maintainer  string // "Name <email>"
	Description string
	License     string
	Homepage    string
	Depends     []string
	Files       []File
	Scripts     Scripts
	// MTime is every file's and the archive's time; a fixed time (the
	// commit's) makes the package reproducible.
	MTime time.Time
}

// File is one file of a package: its content comes from Source (a path
// on disk) or, when Source is empty, from Content.
type File struct {
	Dst     string
	Source  string
	Content []byte
	Mode    fs.FileMode
	// Config marks a configuration file the administrator may edit: a
	// dpkg conffile, an rpm %config(noreplace); upgrades keep local edits.
	Config bool
	// Packager restricts the file to one format ("deb", "rpm", "apk"); empty: all.
	Packager string
}

// Scripts are the maintainer scripts' contents (POSIX sh); empty: none.
// Each runs as preinst/postinst/prerm/postrm (deb), %pre/%post/%preun/%postun
// (rpm) or pre-install/post-install/pre-deinstall/post-deinstall (apk).
type Scripts struct {
	PreInstall, PostInstall, PreRemove, PostRemove string
}

// CheckFormat returns an error naming the valid formats when format is not one.
func CheckFormat(format string) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("unknown package format %q (valid: %s)", format, strings.Join(Formats, ", "))
	}
	return nil
}

// CheckArch returns an error naming the valid architectures when arch is not one.
func CheckArch(arch string) error {
	if !slices.Contains(Archs, arch) {
		return fmt.Errorf("unknown architecture %q (valid: %s)", arch, strings.Join(Archs, ", "))
	}
	return nil
}

// Build writes the package of spec in format into outDir, with the
// format's conventional file name, and returns its path. workDir holds
// the files made from Content and the scripts; it must exist.
func Build(spec Spec, format, outDir, workDir string) (string, error) {
	if err := CheckFormat(format); err != nil {
		return "", err
	}
	if err := CheckArch(spec.Arch); err != nil {
		return "", err
	}
	if spec.MTime.IsZero() {
		spec.MTime = buildTime()
	}
	info, err := spec.info(format, workDir)
	if err != nil {
		return "", err
	}
	pkg := packagers[format]
	info = nfpm.WithDefaults(info)
	target := filepath.Join(outDir, pkg.ConventionalFileName(info))
	info.Target = target
	f, err := os.Create(target) //nolint:gosec // G304: the package file, in the caller's output folder
	if err != nil {
		return "", fmt.Errorf("%s package of %s: %w", format, spec.Name, err)
	}
	if err := pkg.Package(info, f); err != nil {
		_ = f.Close() // the packaging error is the one to report
		_ = os.Remove(target)
		return "", fmt.Errorf("%s package of %s: %w", format, spec.Name, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("%s package of %s: %w", format, spec.Name, err)
	}
	return target, nil
}

// buildTime is SOURCE_DATE_EPOCH when set (reproducible builds), else now.
func buildTime() time.Time {
	if sec, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(sec, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

// info turns spec into nfpm's Info for one format, writing in-memory
// contents and scripts into workDir (nfpm reads every file from disk).
func (spec Spec) info(format, workDir string) (*nfpm.Info, error) {
	stage, err := os.MkdirTemp(workDir, format+"-")
	if err != nil {
		return nil, fmt.Errorf("%s package: %w", format, err)
	}
	write := func(name string, data []byte) (string, error) {
		p := filepath.Join(stage, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil { //nolint:gosec // G301: a staging folder nfpm reads; modes in the package come from the spec
			return "", fmt.Errorf("%s package: %w", format, err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil { //nolint:gosec // G306: a staging file nfpm reads; modes in the package come from the spec
			return "", fmt.Errorf("%s package: %w", format, err)
		}
		return p, nil
	}
	info := &nfpm.Info{
		Name:        spec.Name,
		Arch:        spec.Arch,
		Platform:    "linux",
		Version:     spec.Version,
		Maintainer:  spec.Maintainer,
		Description: spec.Description,
		License:     spec.License,
		Homepage:    spec.Homepage,
		MTime:       spec.MTime.UTC(),
		Section:     "misc",
		Priority:    "optional",
	}
	info.Depends = spec.Depends
	// A fixed build host keeps rpms reproducible and this machine's name out of them.
	info.RPM.BuildHost = "envgen"
	info.RPM.Group = "Unspecified"
	for i, f := range spec.Files {
		if f.Packager != "" && f.Packager != format {
			continue
		}
		src := f.Source
		if src == "" {
			if src, err = write(fmt.Sprintf("files/%d/%s", i, filepath.Base(f.Dst)), f.Content); err != nil {
				return nil, err
			}
		}
		typ := files.TypeFile
		if f.Config {
			typ = files.TypeConfigNoReplace
		}
		info.Contents = append(info.Contents, &files.Content{
			Source:      src,
			Destination: f.Dst,
			Type:        typ,
			FileInfo:    &files.ContentFileInfo{Mode: f.Mode, MTime: spec.MTime.UTC()},
		})
	}
	for _, s := range []struct {
		body string
		dst  *string
		name string
	}{
		{spec.Scripts.PreInstall, &info.Scripts.PreInstall, "preinstall.sh"},
		{spec.Scripts.PostInstall, &info.Scripts.PostInstall, "postinstall.sh"},
		{spec.Scripts.PreRemove, &info.Scripts.PreRemove, "preremove.sh"},
		{spec.Scripts.PostRemove, &info.Scripts.PostRemove, "postremove.sh"},
	} {
		if s.body == "" {
			continue
		}
		if *s.dst, err = write("scripts/"+s.name, []byte(s.body)); err != nil {
			return nil, err
		}
	}
	return info, nil
}
