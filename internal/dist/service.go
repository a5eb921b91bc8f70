package dist

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/profiles"
)

// ServiceOptions say which package of a generated service to build.
type ServiceOptions struct {
	Dir    string // the project: holds envgen.lock
	Format string // deb, rpm, apk
	Arch   string // amd64, arm64
	// Version of the package; empty: the project's newest v* git tag
	// reachable from HEAD, else DefaultServiceVersion.
	Version string
	OutDir  string // empty: Dir/bin (git-ignored)
	// OpenSource opens the template envgen.lock records when it is not the
	// built-in one (an organisation's starter, whose profiles may be its own).
	OpenSource func(ctx context.Context, o project.Origin) (*generator.Source, error)
}

// DefaultServiceVersion versions a project that has no v* tag yet.
const DefaultServiceVersion = "0.1.0"

// ServiceResult is the package built.
type ServiceResult struct {
	Name    string         `json:"name"`
	Profile string         `json:"profile"`
	Version string         `json:"version"`
	Format  string         `json:"format"`
	Arch    string         `json:"arch"`
	Package string         `json:"package"` // path of the package file
	Files   []PackagedFile `json:"files"`
}

// PackagedFile is one file the package installs.
type PackagedFile struct {
	Path   string `json:"path"`
	Mode   string `json:"mode"` // 0755
	Config bool   `json:"config,omitempty"`
}

// PackageService builds the project's service for linux/Arch and packages
// it: the binary, a hardened systemd unit running it as its own user, the
// config files and an environment file under /etc/<name>/.
func PackageService(ctx context.Context, o ServiceOptions) (*ServiceResult, error) {
	if err := CheckFormat(o.Format); err != nil {
		return nil, &exitcode.UsageError{Subject: "--format", Problem: err.Error(), Hint: "choose one of: " + strings.Join(Formats, ", ")}
	}
	if err := CheckArch(o.Arch); err != nil {
		return nil, &exitcode.UsageError{Subject: "--arch", Problem: err.Error(), Hint: "choose one of: " + strings.Join(Archs, ", ")}
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	lock, err := project.ReadLock(dir)
	if errors.Is(err, project.ErrNoLock) {
		return nil, &exitcode.UsageError{Subject: dir, Problem: "no " + project.LockFile + ": not a project envgen generated",
			Hint: "run envgen package in the project folder, or pass -C DIR"}
	}
	if err != nil {
		return nil, err
	}
	profile, err := effectiveProfile(ctx, lock, o.OpenSource)
	if err != nil {
		return nil, err
	}
	name := lock.Inputs.Name
	version := o.Version
	if version == "" {
		version = gitVersion(ctx, dir)
	}
	if !versionPattern.MatchString(version) {
		return nil, &exitcode.UsageError{Subject: "--version", Problem: fmt.Sprintf("%q is not a version such as 1.2.3 or v1.2.3-rc1", version),
			Hint: "pass --version X.Y.Z"}
	}
	outDir := o.OutDir
	if outDir == "" {
		outDir = filepath.Join(dir, "bin")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil { //nolint:gosec // G301: the project's bin/ (or the chosen folder), for the user and their tools
		return nil, fmt.Errorf("package: %w", err)
	}
	work, err := os.MkdirTemp("", "envgen-package-")
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	defer os.RemoveAll(work) //nolint:errcheck // a temporary folder: failing to remove it loses nothing

	binary := filepath.Join(work, name)
	build := GoBuild{Dir: dir, Package: "./cmd/" + name, Output: binary, GOOS: "linux", GOARCH: o.Arch}
	if err := build.Run(ctx); err != nil {
		return nil, err
	}
	spec, err := serviceSpec(dir, name, version, o.Arch, profile)
	if err != nil {
		return nil, err
	}
	spec.Files[0].Source = binary
	path, err := Build(spec, o.Format, outDir, work)
	if err != nil {
		return nil, err
	}
	res := &ServiceResult{Name: name, Profile: profile.Name, Version: version, Format: o.Format, Arch: o.Arch, Package: path}
	for _, f := range spec.Files {
		if f.Packager == "" || f.Packager == o.Format {
			res.Files = append(res.Files, PackagedFile{Path: f.Dst, Mode: fmt.Sprintf("%04o", f.Mode), Config: f.Config})
		}
	}
	return res, nil
}

// effectiveProfile is the project's profile after extends, from the
// template the project was rendered from; it must have a packaging section.
func effectiveProfile(ctx context.Context, lock *project.Lock, open func(context.Context, project.Origin) (*generator.Source, error)) (*profiles.Profile, error) {
	name := lock.Profile
	var src *generator.Source
	var err error
	switch k := lock.Template.Kind; {
	case k == "" || k == "builtin":
		src, err = generator.Builtin()
	case open == nil:
		err = fmt.Errorf("the project was rendered from template %s (%s %s), which this command cannot open", lock.Template.Name, k, lock.Template.URL)
	default:
		src, err = open(ctx, lock.Template.Origin)
	}
	if err != nil {
		return nil, err
	}
	p, err := src.Profiles.Get(name)
	if errors.Is(err, profiles.ErrUnknown) {
		return nil, &exitcode.UsageError{Subject: "profile", Problem: err.Error() + " in " + project.LockFile,
			Hint: "the project's template has these profiles: " + strings.Join(src.Profiles.Names(), ", ")}
	}
	if err != nil {
		return nil, err
	}
	if p.Settings.Packaging == nil {
		var with []string
		for _, n := range src.Profiles.Names() {
			if q, err := src.Profiles.Get(n); err == nil && q.Settings.Packaging != nil {
				with = append(with, n)
			}
		}
		return nil, &exitcode.UsageError{Subject: "profile " + name, Problem: "has no packaging section: it builds no OS packages",
			Hint: "the profiles with one are " + strings.Join(with, ", ") + " (envgen profile show " + firstOr(with, "staging") + ")"}
	}
	return p, nil
}

func firstOr(xs []string, def string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return def
}

// serviceSpec lays out the package. Files[0] is the binary; its Source
// is filled in once it is built.
func serviceSpec(dir, name, version, arch string, p *profiles.Profile) (Spec, error) {
	pk := p.Settings.Packaging
	sf := serviceFiles{Name: name, Description: name + ": " + pk.Description, AppEnv: p.Settings.AppEnv, TLS: p.Settings.Compose.TLS}
	spec := Spec{
		Name:        name,
		Version:     version,
		Arch:        arch,
		Maintainer:  pk.Maintainer,
		Description: sf.Description,
		License:     pk.License,
		Depends:     pk.Dependencies,
		Scripts:     sf.Scripts(),
		Files: []File{
			{Dst: sf.Binary(), Mode: 0o755},
			{Dst: sf.UnitPath(), Content: sf.Unit(), Mode: 0o644},
			// root only: it is where secrets go.
			{Dst: sf.EnvFile(), Content: sf.Env(), Mode: 0o600, Config: true},
		},
	}
	configs, err := filepath.Glob(filepath.Join(dir, "config", "*.yaml"))
	if err != nil {
		return Spec{}, fmt.Errorf("%s: config/*.yaml: %w", dir, err)
	}
	if len(configs) == 0 {
		return Spec{}, fmt.Errorf("%s: no config/*.yaml to package", dir)
	}
	for _, c := range configs {
		// World-readable: the service's user reads them, and they hold
		// no secrets (those go in the environment file).
		spec.Files = append(spec.Files, File{Dst: sf.ConfigDir() + "/" + filepath.Base(c), Source: c, Mode: 0o644, Config: true})
	}
	return spec, nil
}

var versionPattern = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+){0,2}([-+~][0-9A-Za-z.+~-]+)?$`)

// gitVersion is the newest v* tag reachable from the project's HEAD, or
// DefaultServiceVersion when there is none (or no git).
func gitVersion(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "git", "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*")
	cmd.Dir = dir
	out, err := cmd.Output()
	if v := strings.TrimSpace(string(out)); err == nil && versionPattern.MatchString(v) {
		return v
	}
	return DefaultServiceVersion
}
