package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/toolchain"
)

func newToolchainBundleCmd(s *streams) *cobra.Command {
	var opts struct {
		output, refresh         string
		platforms               []string
		all, proofsOnly, asJSON bool
	}
	cmd := &cobra.Command{
		Use: "bundle [VERSION] -o FILE",
		Example: `  envgen toolchain bundle 1.27.4 --platform linux/amd64 -o go1.27.4.bundle
  envgen toolchain bundle 1.27.4 --all-platforms --proofs-only -o go1.27.4.proofs
  envgen toolchain bundle --refresh go1.27.4.bundle`,
		Short: "Write a proof bundle that verifies a toolchain offline, on a machine that cannot reach the checksum database",
		Long: `envgen toolchain bundle asks the checksum database (GOSUMDB, through GOPROXY)
for the records of a release's toolchain zips and keeps what proves them: the
signed tree head, each record and the tiles from the record to the tree hash,
all verified here before anything is written. Unless --proofs-only it adds each
verified zip. The bundle is one zip file (format envgen-toolchain-bundle/1:
envgen-bundle.json, note, records/ID, tile/..., zips/VERSION.zip).

On the other machine, with no network at all:

  envgen toolchain verify --bundle FILE      the bundle itself
  envgen toolchain install --bundle FILE     install from it
  envgen toolchain verify --bundle FILE --goroot DIR | TARBALL | ZIP

The signed tree head is checked with a key that machine already holds
(envgen's built-in sum.golang.org key, GOSUMDB's, or --key), never with the key
the bundle names.

--platform may repeat (default: this machine's); --all-platforms takes every
platform the GOPROXY list offers for the release, and skips, and reports, those
the proxy or the database do not have (this machine's stays required).
--refresh FILE proves an existing bundle, proves the database's newest tree
head consistent with it, and rewrites it against that head (-o to write
elsewhere).`,
		Args:              maxArgs(1),
		ValidArgsFunction: completeGo,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := toolchainManager(cmd, s, opts.asJSON)
			if err != nil {
				return err
			}
			var res *toolchain.BundleResult
			if opts.refresh != "" {
				if len(args) > 0 || len(opts.platforms) > 0 || opts.all || opts.proofsOnly {
					return &exitcode.UsageError{Subject: "--refresh", Problem: "refreshes the bundle as it is: VERSION, --platform, --all-platforms and --proofs-only do not apply",
						Hint: "envgen toolchain bundle --refresh " + opts.refresh}
				}
				res, err = m.RefreshBundle(opts.refresh, opts.output)
			} else {
				res, err = buildBundle(cmd, m, args, opts.output, opts.platforms, opts.all, opts.proofsOnly)
			}
			if err != nil {
				return err
			}
			if opts.asJSON {
				return writeJSON(s.stdout, res)
			}
			printBundle(s.stdout, s.stderr, res)
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "the bundle file to write")
	cmd.Flags().StringVar(&opts.refresh, "refresh", "", "bring this bundle's proofs up to the database's newest tree head")
	cmd.Flags().StringSliceVar(&opts.platforms, "platform", nil, "GOOS/GOARCH to include (repeat; default this machine's)")
	cmd.Flags().BoolVar(&opts.all, "all-platforms", false, "every platform the GOPROXY list offers for the release")
	cmd.Flags().BoolVar(&opts.proofsOnly, "proofs-only", false, "the proofs without the zips (a few kilobytes: commit it, carry it)")
	cmd.Flags().BoolVar(&opts.asJSON, "json", false, "print the result as JSON")
	_ = cmd.RegisterFlagCompletionFunc("platform", completePlatforms)
	return cmd
}

func buildBundle(cmd *cobra.Command, m *toolchain.Manager, args []string, output string, platforms []string, all, proofsOnly bool) (*toolchain.BundleResult, error) {
	if output == "" {
		return nil, &exitcode.UsageError{Subject: "-o", Problem: "no output file", Hint: "envgen toolchain bundle VERSION -o go1.27.4.bundle"}
	}
	if all && len(platforms) > 0 {
		return nil, &exitcode.UsageError{Subject: "--all-platforms", Problem: "and --platform both given", Hint: "give one of them"}
	}
	r, _, err := releaseArg(args, ".")
	if err != nil {
		return nil, err
	}
	opts := toolchain.BundleOptions{Release: r, AllPlatforms: all, ProofsOnly: proofsOnly, Output: output}
	for _, p := range platforms {
		pl, err := toolchain.ParsePlatform(p)
		if err != nil {
			return nil, &exitcode.UsageError{Subject: "--platform", Problem: err.Error(), Hint: "use GOOS/GOARCH such as linux/amd64"}
		}
		opts.Platforms = append(opts.Platforms, pl)
	}
	_ = cmd
	return m.Bundle(opts)
}

func printBundle(w, errw io.Writer, res *toolchain.BundleResult) {
	what := "toolchain zips and their proofs"
	if res.ProofsOnly {
		what = "proofs"
	}
	fmt.Fprintf(w, "wrote %s: %s %s, proved against %s tree of %d records\n", res.File, res.Release, what, res.Database, res.TreeSize)
	for _, e := range res.Entries {
		fmt.Fprintf(w, "  %-16s %s (record %d)\n", e.Platform, e.H1, e.Record)
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(errw, "envgen: warning: skipped %s: %s\n", sk.Platform, sk.Reason)
	}
	for _, u := range res.Unproven {
		fmt.Fprintf(errw, "envgen: warning: %s\n", u)
	}
}

// openProvedBundle opens and proves a bundle with the trusted key, with
// no network, and says on stderr what it could not prove.
func openProvedBundle(s *streams, path, key string) (*toolchain.ProvedBundle, error) {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil {
		return nil, &exitcode.UsageError{Subject: "go environment", Problem: err.Error(), Hint: "fix GOPROXY or GOSUMDB (see 'go help environment')"}
	}
	vkey, err := toolchain.TrustedKey(env, key)
	if err != nil {
		return nil, err
	}
	b, err := toolchain.OpenBundle(path)
	if err != nil {
		return nil, err
	}
	pb, err := b.Prove(vkey, env)
	if err != nil {
		_ = b.Close() // read-only
		return nil, err
	}
	for _, w := range pb.Warnings {
		fmt.Fprintf(s.stderr, "envgen: warning: %s\n", w)
	}
	return pb, nil
}

// bundleCheck is verify --bundle FILE's result when nothing else is named.
type bundleCheck struct {
	Bundle      string                      `json:"bundle"`
	Release     string                      `json:"release"`
	Database    string                      `json:"database"`
	TreeSize    int64                       `json:"tree_size"`
	Consistency string                      `json:"consistency"`
	Entries     []toolchain.BundleEntry     `json:"entries"`
	Zips        []toolchain.BundleZip       `json:"zips_verified,omitempty"`
	Skipped     []toolchain.SkippedPlatform `json:"skipped,omitempty"`
}

func checkBundle(pb *toolchain.ProvedBundle) (*bundleCheck, error) {
	zips, err := pb.VerifyZips()
	if err != nil {
		return nil, err
	}
	return &bundleCheck{Bundle: pb.Path, Release: pb.Manifest.Release, Database: pb.Checked.Tree.Database, TreeSize: pb.Checked.Tree.N,
		Consistency: pb.Consistency, Entries: pb.Manifest.Entries, Zips: zips, Skipped: pb.Manifest.Skipped}, nil
}

func printBundleCheck(w io.Writer, c *bundleCheck) {
	fmt.Fprintf(w, "bundle %s: %s, signed tree head of %s (%d records) verified\n", c.Bundle, c.Release, c.Database, c.TreeSize)
	fmt.Fprintf(w, "  tree head: %s\n", c.Consistency)
	zipped := map[string]bool{}
	for _, z := range c.Zips {
		zipped[z.Version] = true
	}
	for _, e := range c.Entries {
		what := "record proved"
		if zipped[e.Version] {
			what = "record and zip proved"
		}
		fmt.Fprintf(w, "  %-16s %s (%s)\n", e.Platform, e.H1, what)
	}
	for _, sk := range c.Skipped {
		fmt.Fprintf(w, "  %-16s not in the bundle: %s\n", sk.Platform, sk.Reason)
	}
	fmt.Fprintln(w, "verified")
}

func completePlatforms(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, p := range toolchain.PinnedPlatforms {
		out = append(out, strings.Replace(p.String(), "-", "/", 1))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// proofsForSwitch: a Go switch in a project that carries toolchain proofs
// brings the new release's hashes and proofs from the checksum database,
// for the same change (nil, nil without proofs: the switch stays offline).
func proofsForSwitch(cmd *cobra.Command, s *streams, dir, goVersion string) (map[string]string, []byte, error) {
	lock, err := project.ReadLock(dir)
	if err != nil || lock.Toolchain.Proofs == "" {
		return nil, nil, nil //nolint:nilerr // no lock, no proofs: sync reports a bad lock itself
	}
	r, err := goversion.Parse(goVersion)
	if err != nil {
		return nil, nil, &exitcode.UsageError{Subject: "--go", Problem: err.Error(), Hint: "give a release such as " + goversion.Default}
	}
	if r.Toolchain() == lock.Toolchain.Version {
		return nil, nil, nil
	}
	m, err := toolchainManager(cmd, s, false)
	if err != nil {
		return nil, nil, err
	}
	proofs, res, err := m.ProjectProofs(r, len(lock.Toolchain.Hashes) > len(toolchain.PinnedPlatforms))
	if err != nil {
		return nil, nil, fmt.Errorf("this project carries toolchain proofs (%s): the switch to %s proves the new pin online: %w", project.ToolchainProofsFile, r.Toolchain(), err)
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(s.stderr, "envgen: warning: not pinned: %s: %s\n", sk.Platform, sk.Reason)
	}
	return res.Hashes(), proofs, nil
}
