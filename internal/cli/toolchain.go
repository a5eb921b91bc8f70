package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/exitcode"
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
  envgen toolchain pin latest
  envgen toolchain bundle 1.27.4 -o go1.27.4.bundle && envgen toolchain install --bundle go1.27.4.bundle`,
		Short: "Pin, install and verify Go toolchains, proved against the checksum database",
		Long: `envgen toolchain downloads Go toolchains as the go command does
(golang.org/toolchain through GOPROXY) and proves every byte against the
checksum database (GOSUMDB), with GOPROXY fallback, resume, retries and
progress. It also verifies installed GOROOTs and tarballs from any mirror,
and carries its proofs to machines that cannot reach the checksum database
(envgen toolchain bundle; see "Offline and air-gapped machines" in the
README).`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newToolchainListCmd(s), newToolchainPinCmd(s), newToolchainInstallCmd(s), newToolchainVerifyCmd(s), newToolchainBundleCmd(s))
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
	var pinOpts toolchain.PinOptions
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
darwin/amd64, darwin/arm64 and windows/amd64 (with --all-platforms: every
platform the release ships) in the checksum database (signed tree head and
inclusion proofs checked), and pin it. A platform the proxy or the database
does not have is reported and skipped; this machine's is required.

With --proofs (in an envgen project) the proofs are kept in the project, in
.envgen/toolchain/proofs.bundle, so that CI and new machines verify the pin
with no network ('envgen toolchain verify --lock'); a project that carries
them gets them refreshed by every pin and Go switch, in the same change.

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
			r, err := resolvePin(cmd, s, m, dir, args)
			if err != nil {
				return err
			}
			var synced *workflow.SyncResult
			res, err := m.Pin(cmd.Context(), dir, r, pinOpts, func(ctx context.Context, hashes map[string]string, proofs []byte) (any, error) {
				var err error
				synced, err = workflow.Sync(ctx, workflow.SyncOptions{Dir: dir, Go: r.String(), ToolchainHashes: hashes, ToolchainProofs: proofs,
					CheckProofs: projectProofChecker(), Yes: yes, OpenSource: openStarter, Label: "toolchain pin " + r.String(), Apply: crashSeam()})
				return synced, err
			})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(s.stdout, res)
			}
			return printPin(s, res, synced, dir)
		},
	}
	projectDirFlag(cmd.Flags(), &dir, "the project folder (holds go.mod)", "dir")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&yes, "yes", false, "rewrite files with uncommitted git changes without asking")
	cmd.Flags().BoolVar(&pinOpts.AllPlatforms, "all-platforms", false, "pin every platform the release ships, not only the five envgen pins by default")
	cmd.Flags().BoolVar(&pinOpts.Proofs, "proofs", false, "keep the proofs in the project (.envgen/toolchain/proofs.bundle) for offline verification")
	return cmd
}

// resolvePin turns pin's argument (default latest) into a release: one
// that exists, or in a project the newest of a supported minor.
func resolvePin(cmd *cobra.Command, s *streams, m *toolchain.Manager, dir string, args []string) (r goversion.Release, err error) {
	arg := "latest"
	if len(args) == 1 {
		arg = args[0]
	}
	if arg != "latest" {
		if err := confirmRelease(cmd.Context(), s, "VERSION", arg, sumdbReleaseExists); err != nil {
			return r, err
		}
	}
	_, lockErr := os.Stat(filepath.Join(dir, project.LockFile))
	inProject := lockErr == nil
	if arg == "latest" && inProject {
		// The newest release of a supported minor, proven by the
		// checksum database; the note says which and why. A
		// platform the database lacks does not hold it back: pin
		// skips and reports it.
		if arg, err = resolveGo(cmd.Context(), s, "", arg, proxyLatest); err != nil {
			return r, err
		}
	}
	r, _, err = m.ResolveRelease(arg, inProject)
	if err == nil && arg == "latest" {
		fmt.Fprintf(s.stderr, "envgen: note: latest is %s: the newest stable release the GOPROXY list offers\n", r.Toolchain())
	}
	if err != nil {
		return r, &generator.InputError{Subject: "VERSION", Problem: err.Error(), Hint: "give a version such as " + goversion.Default + " or 'latest'"}
	}
	return r, nil
}

// printPin prints what pin did: the sync in a project, the hashes, what
// was skipped (on stderr) and where the proofs went.
func printPin(s *streams, res *toolchain.PinResult, synced *workflow.SyncResult, dir string) error {
	if synced != nil {
		printSync(s.stdout, s.stderr, synced, syncFlags{dir: dir, dirGiven: dir != "."})
		if len(synced.Conflicts) > 0 {
			return &exitError{code: ExitConflict, err: fmt.Errorf("conflicts in %s", strings.Join(synced.Conflicts, ", ")),
				hint: "resolve the conflict markers, then run envgen sync again"}
		}
	}
	fmt.Fprintf(s.stdout, "pinned %s (go line %s)\n", res.Version, res.GoLine)
	for _, p := range sortedKeys(res.Hashes) {
		fmt.Fprintf(s.stdout, "  %-14s %s\n", p, res.Hashes[p])
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(s.stderr, "envgen: warning: not pinned: %s: %s\n", sk.Platform, sk.Reason)
	}
	if res.Proofs != "" {
		fmt.Fprintf(s.stdout, "proofs in %s: verify offline with envgen toolchain verify --lock\n", res.Proofs)
	}
	if !res.LockWritten {
		fmt.Fprintf(s.stdout, "no %s here: hashes not recorded\n", project.LockFile)
	}
	return nil
}

func newToolchainInstallCmd(s *streams) *cobra.Command {
	var opts struct {
		dir, tarball, platform, bundle, key string
		asJSON                              bool
	}
	cmd := &cobra.Command{
		Use: "install [VERSION]",
		Example: `  envgen toolchain install              # the project's pinned release
  envgen toolchain install 1.26.11 --sdk-dir /opt/go
  envgen toolchain install --from-tarball https://mirror.example.com/go1.26.11.linux-amd64.tar.gz
  envgen toolchain install --bundle go1.27.4.bundle    # offline: no network at all`,
		Long: `Downloads golang.org/toolchain through GOPROXY (',' moves on after 404/410,
'|' after any error), proves it against the checksum database (GOSUMDB), and
installs it (default $HOME/sdk/goX.Y.Z), leaving the zip in the module cache so
that GOTOOLCHAIN=goX.Y.Z works offline. Without VERSION it installs the
project's pin, held to the hash envgen.lock records.

--bundle FILE proves it with a proof bundle instead of the checksum database:
with the zips in the bundle there is no network call at all; with proofs only,
the zip comes through GOPROXY. In a project that carries its own proofs
(envgen toolchain pin --proofs) they are used the same way, so a machine that
reaches a module proxy but not the checksum database installs the pin proved.`,
		Short: "Download, prove and install a Go toolchain (default $HOME/sdk/goX.Y.Z)",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle := opts.bundle
			if bundle == "" && len(args) == 0 {
				// A project that carries its proofs installs its pin with
				// them: the checksum database need not be reachable.
				if lock, err := project.ReadLock("."); err == nil && lock.Toolchain.Proofs != "" {
					bundle = lock.Toolchain.Proofs
				}
			}
			var pb *toolchain.ProvedBundle
			if bundle != "" {
				var err error
				if pb, err = openProvedBundle(s, bundle, opts.key); err != nil {
					return err
				}
				defer pb.Close() //nolint:errcheck // read-only: a failed close loses nothing
				if len(args) == 0 && opts.bundle != "" {
					args = []string{pb.Manifest.Release}
				}
			}
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
			res, err := m.Install(toolchain.InstallOptions{Release: r, Platform: p, Dir: opts.dir, FromTarball: opts.tarball, LockHash: hashes[p.String()], Bundle: pb})
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
			fmt.Fprintf(s.stdout, "installed %s %s in %s\nverified %s from %s\n", res.Version, res.Platform, res.Dir, res.H1, res.Source)
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.dir, "sdk-dir", "", "install folder (default $HOME/sdk/goX.Y.Z)")
	cmd.Flags().StringVar(&opts.dir, "dir", "", "install folder (default $HOME/sdk/goX.Y.Z)")
	_ = cmd.Flags().MarkHidden("dir")
	_ = cmd.Flags().MarkDeprecated("dir", "use --sdk-dir (-C is the project folder on every command)")
	cmd.Flags().StringVar(&opts.tarball, "from-tarball", "", "a release tarball URL or file from any mirror, proved through the checksum database")
	cmd.Flags().StringVar(&opts.platform, "platform", "", "GOOS-GOARCH (default this machine's)")
	cmd.Flags().StringVar(&opts.bundle, "bundle", "", "install from this proof bundle, with no network (see 'envgen toolchain bundle')")
	cmd.Flags().StringVar(&opts.key, "key", "", "the checksum database key to prove the bundle with (default GOSUMDB's, else sum.golang.org's)")
	cmd.Flags().BoolVar(&opts.asJSON, "json", false, "print the result as JSON and progress as JSON lines on stderr")
	_ = cmd.RegisterFlagCompletionFunc("platform", completePlatforms)
	return cmd
}

func newToolchainVerifyCmd(s *streams) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use: "verify [VERSION] [--goroot DIR | FILE.tar.gz | FILE.zip] [--bundle FILE] [--lock]",
		Example: `  envgen toolchain verify 1.26.11
  envgen toolchain verify --goroot "$(go env GOROOT)"
  envgen toolchain verify go1.26.11.linux-amd64.tar.gz
  envgen toolchain verify --bundle go1.27.4.bundle                       # offline
  envgen toolchain verify --bundle go1.27.4.bundle go1.27.4.darwin-arm64.tar.gz
  envgen toolchain verify --lock                                         # every pinned platform`,
		Short: "Check an installed GOROOT, a tarball or a module zip against the lock and the checksum database, or a proof bundle offline",
		Long: `Computes the h1 hash of an installed GOROOT, a release tarball (of any
platform: a darwin-arm64 tarball verifies on linux-amd64) or a toolchain module
zip, and proves it against the checksum database and, when the project pins it,
envgen.lock. When it does not match, every added, changed and missing file is
named; differences the go command's own conventions explain (a distribution's
go.env) are listed apart and do not fail the check.

--bundle FILE proves against a proof bundle instead, with no network at all:
its signed tree head with a key this machine holds (--key, GOSUMDB's, else
envgen's built-in sum.golang.org key), every tile and record, and, if this
machine has seen a newer tree head of the database, that the two are one log.
With nothing else named it verifies the bundle itself and each zip it holds.

--lock proves every platform hash the project pins: offline from the project's
own proofs (.envgen/toolchain/proofs.bundle) when it carries them, or from
--bundle, else against the checksum database.`,
		Args: maxArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd, s, f, args)
		},
	}
	cmd.Flags().StringVar(&f.goroot, "goroot", "", "an installed GOROOT to verify")
	cmd.Flags().StringVar(&f.bundle, "bundle", "", "prove against this proof bundle, with no network")
	cmd.Flags().StringVar(&f.key, "key", "", "the checksum database key to prove a bundle with (default GOSUMDB's, else sum.golang.org's)")
	cmd.Flags().BoolVar(&f.lock, "lock", false, "prove every platform hash the project pins")
	projectDirFlag(cmd.Flags(), &f.dir, "the project folder (for the pin and --lock)", "")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print as JSON")
	return cmd
}

// verifyFlags are toolchain verify's flags.
type verifyFlags struct {
	goroot, bundle, key, dir string
	asJSON, lock             bool
}

// runVerify verifies what the arguments name, against the checksum
// database or, with --bundle, the bundle alone.
func runVerify(cmd *cobra.Command, s *streams, f verifyFlags, args []string) error {
	var pb *toolchain.ProvedBundle
	if f.bundle != "" {
		var err error
		if pb, err = openProvedBundle(s, f.bundle, f.key); err != nil {
			return err
		}
		defer pb.Close() //nolint:errcheck // read-only: a failed close loses nothing
	}
	if f.lock {
		return verifyLock(cmd, s, f.dir, pb, f.key, f.asJSON)
	}
	opts := toolchain.VerifyOptions{Path: f.goroot, Bundle: pb}
	var versionArgs []string
	for _, a := range args {
		if strings.HasSuffix(a, ".zip") || strings.HasSuffix(a, ".tar.gz") {
			opts.Path = a
		} else {
			versionArgs = append(versionArgs, a)
		}
	}
	if pb != nil && opts.Path == "" && len(versionArgs) == 0 {
		res, err := checkBundle(pb)
		if err != nil {
			return err
		}
		if f.asJSON {
			return writeJSON(s.stdout, res)
		}
		printBundleCheck(s.stdout, res)
		return nil
	}
	if len(versionArgs) > 0 || opts.Path == "" {
		r, _, err := releaseArg(versionArgs, f.dir)
		if err != nil {
			return err
		}
		opts.Release = &r
	}
	if pinned, hashes, err := toolchain.Pinned(f.dir); err == nil {
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
	if f.asJSON {
		if err := writeJSON(s.stdout, res); err != nil {
			return err
		}
	} else {
		printVerify(s.stdout, res)
	}
	if !res.OK {
		return &exitError{code: ExitFailure, err: errors.New(res.Path + ": does not match the " + res.Witness),
			hint: "reinstall it with 'envgen toolchain install' (a changed file is named above)"}
	}
	return nil
}

// verifyLock proves every pinned platform: from pb, else from the
// project's own proofs (offline), else from the checksum database.
func verifyLock(cmd *cobra.Command, s *streams, dir string, pb *toolchain.ProvedBundle, key string, asJSON bool) error {
	r, hashes, err := toolchain.Pinned(dir)
	if err != nil {
		return &exitcode.UsageError{Subject: "--lock", Problem: err.Error(), Hint: "pin one first: envgen toolchain pin VERSION"}
	}
	if len(hashes) == 0 {
		return &exitcode.UsageError{Subject: "--lock", Problem: "the lock records no toolchain hashes to prove", Hint: "envgen toolchain pin " + r.String() + " records them"}
	}
	if pb == nil {
		if proofs := filepath.Join(dir, project.ToolchainProofsFile); fileExists(proofs) {
			if pb, err = openProvedBundle(s, proofs, key); err != nil {
				return err
			}
			defer pb.Close() //nolint:errcheck // read-only: a failed close loses nothing
		}
	}
	m, err := toolchainManager(cmd, s, false)
	if err != nil {
		return err
	}
	res, err := m.VerifyLock(r, hashes, pb)
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(s.stdout, res); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(s.stdout, "%s pinned in %s, proved by the %s\n", res.Version, project.LockFile, res.Witness)
		for _, p := range res.Platforms {
			verdict := "verified"
			if !p.OK {
				verdict = p.Note
			}
			fmt.Fprintf(s.stdout, "  %-16s %s %s\n", p.Platform, p.Lock, verdict)
		}
	}
	if !res.OK {
		return &exitError{code: ExitFailure, err: errors.New("not every pinned platform could be proved"),
			hint: "envgen toolchain pin " + r.String() + " pins only what the checksum database proves"}
	}
	return nil
}

// fileExists tells whether name exists; callers pass the project folder
// the user named joined to a path of envgen's own.
func fileExists(name string) bool {
	_, err := os.Stat(name) //nolint:gosec // G703: the user's own -C folder and envgen's fixed proofs path; only existence is asked
	return err == nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// projectProofChecker proves a project's toolchain proofs offline, with
// the key this machine trusts (sync --check, status, diff, sync).
// The go environment is read only when a project carries proofs.
func projectProofChecker() workflow.ProofChecker {
	return func(pin project.ToolchainPin, data []byte) error {
		env, err := goenv.Load(os.Getenv, "")
		if err != nil {
			return fmt.Errorf("go environment: %w", err)
		}
		return toolchain.ProjectProofChecker(env)(pin, data)
	}
}

func printVerify(w io.Writer, r *toolchain.VerifyResult) {
	fmt.Fprintf(w, "%s %s %s (%s)\n", r.Kind, r.Path, r.Version, r.Platform)
	fmt.Fprintf(w, "  computed:          %s\n", r.H1)
	fmt.Fprintf(w, "  %-18s %s\n", witnessLabel(r.Witness)+":", r.SumDB)
	if r.Lock != "" {
		fmt.Fprintf(w, "  envgen.lock:       %s\n", r.Lock)
	}
	for _, d := range r.Differs {
		fmt.Fprintf(w, "  %s: %s\n", d.Change, d.Path)
	}
	for _, d := range r.Expected {
		fmt.Fprintf(w, "  %s (expected): %s: %s\n", d.Change, d.Path, d.Reason)
	}
	if r.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", r.Note)
	}
	if r.OK {
		fmt.Fprintln(w, "verified")
	}
}

// witnessLabel shortens "checksum database sum.golang.org" and "bundle
// FILE (...)" to a column label.
func witnessLabel(w string) string {
	if strings.HasPrefix(w, "bundle ") {
		return "bundle"
	}
	return "checksum database"
}

// writeJSONCompact prints v as one line of JSON (progress events).
func writeJSONCompact(w io.Writer, v any) error {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("JSON output: %w", err)
	}
	return nil
}
