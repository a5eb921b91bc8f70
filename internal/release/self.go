// Package release is envgen's own release, what `make dist` puts in
// dist/ (through its main, mkdist): envgen's .deb, .rpm and .apk with
// the binary, man pages and shell completions, the completion scripts
// and man pages themselves (`envgen completion` writes the same ones),
// and SHA256SUMS. It packages with internal/dist's library; the
// `envgen package` feature lives there, apart from this.
package release

import (
	"bytes"
	"time"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/dist"
)

// Where envgen's own package installs its files.
const (
	SelfBinary          = "/usr/bin/envgen"
	BashCompletionPath  = "/usr/share/bash-completion/completions/envgen"
	FishCompletionPath  = "/usr/share/fish/vendor_completions.d/envgen.fish"
	ManDir              = "/usr/share/man/man1"
	zshDebianCompletion = "/usr/share/zsh/vendor-completions/_envgen" // in Debian's default fpath
	zshCompletion       = "/usr/share/zsh/site-functions/_envgen"     // Fedora's and Alpine's
)

// SelfOptions describe one of envgen's own packages.
type SelfOptions struct {
	Binary  string // the linux binary to ship
	Version string
	Arch    string
	MTime   time.Time      // the build (commit) date
	Root    *cobra.Command // envgen's command tree, for completions and man pages
}

// SelfSpec is the package of envgen itself: the binary, its man pages,
// and its completions for bash, zsh and fish where each shell looks for
// them.
func SelfSpec(o SelfOptions) (dist.Spec, error) {
	spec := dist.Spec{
		Name:        "envgen",
		Version:     o.Version,
		Arch:        o.Arch,
		Maintainer:  "envgen maintainers <envgen@example.com>",
		Description: "Bootstrap Go services and keep their development environment honest",
		Homepage:    "https://github.com/envgen/envgen",
		MTime:       o.MTime,
		Files:       []dist.File{{Dst: SelfBinary, Source: o.Binary, Mode: 0o755}},
	}
	completion := func(shell string) ([]byte, error) {
		var b bytes.Buffer
		err := WriteCompletion(o.Root, shell, &b, true)
		return b.Bytes(), err
	}
	for _, c := range []struct{ shell, dst, packager string }{
		{"bash", BashCompletionPath, ""},
		{"fish", FishCompletionPath, ""},
		{"zsh", zshDebianCompletion, "deb"},
		{"zsh", zshCompletion, "rpm"},
		{"zsh", zshCompletion, "apk"},
	} {
		script, err := completion(c.shell)
		if err != nil {
			return dist.Spec{}, err
		}
		spec.Files = append(spec.Files, dist.File{Dst: c.dst, Content: script, Mode: 0o644, Packager: c.packager})
	}
	pages, err := ManPages(o.Root, o.Version, o.MTime)
	if err != nil {
		return dist.Spec{}, err
	}
	for _, p := range pages {
		spec.Files = append(spec.Files, dist.File{Dst: ManDir + "/" + p.Name, Content: p.Gzip, Mode: 0o644})
	}
	return spec, nil
}
