package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/toolchain"
	"github.com/envgen/envgen/internal/workflow"
)

func newToolchainCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use: "toolchain",
		Example: `  envgen toolchain install && envgen toolchain verify
  envgen toolchain pin latest`,
		Short: "Pin, install and verify Go toolchains, proved against the checksum database",
		Long: `envgen toolchain downloads Go toolchains as the go command does
(golang.org/toolchain through GOPROXY) and proves every byte against the
checksum database (GOSUMDB), with GOPROXY fallback, resume, retries and
progress. It also verifies installed GOROOTs and tarballs from any mirror.`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newToolchainListCmd(s), newToolchainPinCmd(s), newToolchainInstallCmd(s), newToolchainVerifyCmd(s))
	return cmd
}

// toolchainManager reads the go environment and builds a Manager.
func toolchainManager(cmd *cobra.Command, s *streams, asJSON bool) (*toolchain.Manager, error) {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil {
		return nil, &generator.InputError{Subject: "go environment", Problem: err.Error(), Hint: "fix GOPROXY or GOSUMDB (see 'go help environment')"}
	}
	home, _ := os.UserHomeDir()
	return toolchain.NewManager(cmd.Context(), env, toolchain.NewHTTPClient(), home, progressPrinter(s, asJSON)), nil
}

// progressPrinter: a bar on a terminal, JSON events with --json, else quiet.
func progressPrinter(s *streams, asJSON bool) func(toolchain.Event) {
	switch {
	case asJSON:
		return func(e toolchain.Event) { _ = writeJSONLine(s.stderr, e) }
	case s.terminal:
		return func(e toolchain.Event) {
			switch e.Phase {
			case "download":
				if e.Total > 0 {
					n := int(40 * e.Done / e.Total)
					fmt.Fprintf(s.stderr, "\r[%s%s] %5.1f%% of %.1f MB", strings.Repeat("=", n), strings.Repeat(" ", 40-n), 100*float64(e.Done)/float64(e.Total), float64(e.Total)/1e6)
				} else {
					fmt.Fprintf(s.stderr, "\r%.1f MB", float64(e.Done)/1e6)
				}
			case "retry":
				fmt.Fprintf(s.stderr, "\nretrying (%d): %s\n", e.Retry, e.Error)
			case "verify", "extract":
				fmt.Fprintf(s.stderr, "\n%s\n", e.Phase)
			}
		}
	}
	return nil
}

func writeJSONLine(w io.Writer, v any) error {
	return writeJSONCompact(w, v)
}

// releaseArg resolves VERSION, or the project's pin without it.
func releaseArg(args []string, dir string) (goversion.Release, map[string]string, error) {
	pinned, hashes, pinErr := toolchain.Pinned(dir)
	if len(args) == 0 {
		if pinErr != nil {
			return goversion.Release{}, nil, &generator.InputError{Subject: "VERSION", Problem: pinErr.Error(), Hint: "give a version such as 1.24.1, or run 'envgen toolchain pin'"}
		}
		return pinned, hashes, nil
	}
	r, err := goversion.Parse(args[0])
	if err != nil {
		return r, nil, &generator.InputError{Subject: "VERSION", Problem: err.Error(), Hint: "give a version such as " + goversion.Default}
	}
	if pinErr == nil && pinned == r {
		return r, hashes, nil
	}
	return r, nil, nil
}

func newToolchainListCmd(s *streams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "list",
		Example: `  envgen toolchain list
  GOPROXY=https://goproxy.cn envgen toolchain list --json`,
		Short: "List the Go releases the GOPROXY offers",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := toolchainManager(cmd, s, false)
			if err != nil {
				return err
			}
			rs, from, err := m.List()
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(s.stdout, toolchainList{Source: from, Releases: rs})
			}
			for _, r := range rs {
				fmt.Fprintf(s.stdout, "%-12s %s\n", r.Version, strings.Join(r.Platforms, " "))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newToolchainPinCmd(s *streams) *cobra.Command {
	var dir string
	var asJSON, yes bool
	cmd := &cobra.Command{
		Use: "pin [VERSION|latest]",
		Example: `  envgen toolchain pin 1.26.11
  envgen toolchain pin latest -C services/orders`,
		ValidArgsFunction: func(c *cobra.Command, a []string, t string) ([]cobra.Completion, cobra.ShellCompDirective) {
			out, d := completeGo(c, a, t)
			return append(out, "latest"), d
		},
		Short: "Pin a Go toolchain in go.mod and envgen.lock, with its checksum-database hashes",
		Long: `Resolve the version (latest: the newest stable release the GOPROXY lists;
in an envgen project the newest of a Go minor envgen has a tested dependency
set for that the checksum database has a record of, and a note on stderr
says which it took),
look up the h1 hash of its toolchain zip for linux/amd64, linux/arm64,
darwin/amd64, darwin/arm64 and windows/amd64 in the checksum database (signed
tree head and inclusion proofs checked), and pin it.

In an envgen project the pin is an input of the render (go.mod's toolchain
line, the Dockerfile's builder image, the Makefile), so pin works like
'envgen sync --go VERSION' and records the hashes in envgen.lock. Elsewhere
it writes go.mod's toolchain line only.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := toolchainManager(cmd, s, false)
			if err != nil {
				return err
			}
			arg := "latest"
			if len(args) == 1 {
				arg = args[0]
			}
			if arg != "latest" {
				if err := confirmRelease(cmd.Context(), s, "VERSION", arg, sumdbReleaseExists); err != nil {
					return err
				}
			}
			_, lockErr := os.Stat(filepath.Join(dir, project.LockFile))
			inProject := lockErr == nil
			if arg == "latest" && inProject {
				// The newest release of a supported minor, proven by the
				// checksum database; the note says which and why.
				if arg, err = resolveGo(cmd.Context(), s, "", arg, latestOn(toolchain.PinnedPlatforms...)); err != nil {
					return err
				}
			}
			r, _, err := m.ResolveRelease(arg, inProject)
			if err == nil && arg == "latest" {
				fmt.Fprintf(s.stderr, "envgen: note: latest is %s: the newest stable release the GOPROXY list offers\n", r.Toolchain())
			}
			if err != nil {
				return &generator.InputError{Subject: "VERSION", Problem: err.Error(), Hint: "give a version such as " + goversion.Default + " or 'latest'"}
			}
			var synced *workflow.SyncResult
			res, err := m.Pin(cmd.Context(), dir, r, func(ctx context.Context, hashes map[string]string) (any, error) {
				var err error
				synced, err = workflow.Sync(ctx, workflow.SyncOptions{Dir: dir, Go: r.String(), ToolchainHashes: hashes,
					Yes: yes, OpenSource: openStarter, Label: "toolchain pin " + r.String(), Apply: crashSeam()})
				return synced, err
			})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(s.stdout, res)
			}
			if synced != nil {
				printSync(s.stdout, s.stderr, synced, syncFlags{dir: dir, dirGiven: dir != "."})
				if len(synced.Conflicts) > 0 {
					return &exitError{code: ExitConflict, err: fmt.Errorf("conflicts in %s", strings.Join(synced.Conflicts, ", ")),
						hint: "resolve the conflict markers, then run envgen sync again"}
				}
			}
			fmt.Fprintf(s.stdout, "pinned %s (go line %s)\n", res.Version, res.GoLine)
			for _, p := range toolchain.PinnedPlatforms {
				fmt.Fprintf(s.stdout, "  %-14s %s\n", p, res.Hashes[p.String()])
			}
			if !res.LockWritten {
				fmt.Fprintf(s.stdout, "no %s here: hashes not recorded\n", project.LockFile)
			}
			return nil
		},
	}
	projectDirFlag(cmd.Flags(), &dir, "the project folder (holds go.mod)", "dir")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&yes, "yes", false, "rewrite files with uncommitted git changes without asking")
	return cmd
}

func newToolchainInstallCmd(s *streams) *cobra.Command {
	var opts struct {
		dir, tarball, platform string
		asJSON                 bool
	}
	cmd := &cobra.Command{
		Use: "install [VERSION]",
		Example: `  envgen toolchain install              # the project's pinned release
  envgen toolchain install 1.26.11 --sdk-dir /opt/go
  envgen toolchain install --from-tarball https://mirror.example.com/go1.26.11.linux-amd64.tar.gz`,
		Short: "Download, prove and install a Go toolchain (default $HOME/sdk/goX.Y.Z)",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, hashes, err := releaseArg(args, ".")
			if err != nil {
				return err
			}
			p := toolchain.Host()
			if opts.platform != "" {
				if p, err = toolchain.ParsePlatform(opts.platform); err != nil {
					return &generator.InputError{Subject: "--platform", Problem: err.Error(), Hint: "use GOOS-GOARCH such as linux-amd64"}
				}
			}
			m, err := toolchainManager(cmd, s, opts.asJSON)
			if err != nil {
				return err
			}
			res, err := m.Install(toolchain.InstallOptions{Release: r, Platform: p, Dir: opts.dir, FromTarball: opts.tarball, LockHash: hashes[p.String()]})
			if s.terminal && !opts.asJSON {
				fmt.Fprintln(s.stderr)
			}
			if err != nil {
				return err
			}
			if opts.asJSON {
				return writeJSON(s.stdout, res)
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(s.stderr, "envgen: warning: %s\n", w)
			}
			if res.Already {
				fmt.Fprintf(s.stdout, "%s %s already installed in %s\n", res.Version, res.Platform, res.Dir)
				return nil
			}
			fmt.Fprintf(s.stdout, "installed %s %s in %s\nverified %s (checksum database) from %s\n", res.Version, res.Platform, res.Dir, res.H1, res.Source)
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.dir, "sdk-dir", "", "install folder (default $HOME/sdk/goX.Y.Z)")
	cmd.Flags().StringVar(&opts.dir, "dir", "", "install folder (default $HOME/sdk/goX.Y.Z)")
	_ = cmd.Flags().MarkHidden("dir")
	_ = cmd.Flags().MarkDeprecated("dir", "use --sdk-dir (-C is the project folder on every command)")
	cmd.Flags().StringVar(&opts.tarball, "from-tarball", "", "a release tarball URL or file from any mirror, proved through the checksum database")
	cmd.Flags().StringVar(&opts.platform, "platform", "", "GOOS-GOARCH (default this machine's)")
	cmd.Flags().BoolVar(&opts.asJSON, "json", false, "print the result as JSON and progress as JSON lines on stderr")
	return cmd
}

func newToolchainVerifyCmd(s *streams) *cobra.Command {
	var goroot string
	var asJSON bool
	cmd := &cobra.Command{
		Use: "verify [VERSION] [--goroot DIR | FILE.tar.gz | FILE.zip]",
		Example: `  envgen toolchain verify 1.26.11
  envgen toolchain verify --goroot "$(go env GOROOT)"
  envgen toolchain verify go1.26.11.linux-amd64.tar.gz`,
		Short: "Check an installed GOROOT, a tarball or a module zip against the lock and the checksum database",
		Args:  maxArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := toolchain.VerifyOptions{Path: goroot}
			var versionArgs []string
			for _, a := range args {
				if strings.HasSuffix(a, ".zip") || strings.HasSuffix(a, ".tar.gz") {
					opts.Path = a
				} else {
					versionArgs = append(versionArgs, a)
				}
			}
			if len(versionArgs) > 0 || opts.Path == "" {
				r, _, err := releaseArg(versionArgs, ".")
				if err != nil {
					return err
				}
				opts.Release = &r
			}
			if pinned, hashes, err := toolchain.Pinned("."); err == nil {
				opts.LockFor, opts.LockHashes = pinned.Toolchain(), hashes
			}
			m, err := toolchainManager(cmd, s, false)
			if err != nil {
				return err
			}
			res, err := m.Verify(opts)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(s.stdout, res); err != nil {
					return err
				}
			} else {
				printVerify(s.stdout, res)
			}
			if !res.OK {
				return &exitError{code: ExitFailure, err: errors.New(res.Path + ": does not match the checksum database"), hint: "reinstall it with 'envgen toolchain install' (a changed file is named above)"}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&goroot, "goroot", "", "an installed GOROOT to verify")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func printVerify(w io.Writer, r *toolchain.VerifyResult) {
	fmt.Fprintf(w, "%s %s %s (%s)\n", r.Kind, r.Path, r.Version, r.Platform)
	fmt.Fprintf(w, "  computed:          %s\n", r.H1)
	fmt.Fprintf(w, "  checksum database: %s\n", r.SumDB)
	if r.Lock != "" {
		fmt.Fprintf(w, "  envgen.lock:       %s\n", r.Lock)
	}
	for _, d := range r.Differs {
		fmt.Fprintf(w, "  %s: %s\n", d.Change, d.Path)
	}
	if r.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", r.Note)
	}
	if r.OK {
		fmt.Fprintln(w, "verified")
	}
}

// writeJSONCompact prints v as one line of JSON (progress events).
func writeJSONCompact(w io.Writer, v any) error {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("JSON output: %w", err)
	}
	return nil
}
