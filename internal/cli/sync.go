package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"
	"golang.org/x/mod/semver"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/gitrepo"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/starter"
	"github.com/envgen/envgen/internal/workflow"
)

// checkUpdatesTimeout bounds the one network question --check-updates asks.
const checkUpdatesTimeout = 15 * time.Second

type syncFlags struct {
	dir, profile, goVersion, from       string
	set                                 []string
	check, diff, dryRun, yes, json      bool
	abort, commit, checkUpdates, strict bool
	dirGiven                            bool
	renderLimits                        string // --render-limits KEY=VALUE,...
	title                               string // "diff" for envgen diff
}

func newSyncCmd(s *streams) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Find and fix configuration drift without losing an edit",
		Long: `Re-render the project from the inputs in envgen.lock (changed by any flags
given here), then compare, file by file, the new render, the file on disk and
what envgen last wrote:

  unchanged on disk, render changed   the file is updated
  edited, render unchanged            merged files: your edit is kept;
                                      managed files: restored, your copy kept
                                      under .envgen/backup/
  edited, render changed (merged)     three-way merge: YAML and JSON by key,
                                      lists in order, other files by line; a
                                      real conflict is written with <<<<<<<
                                      markers (exit 4)
  deleted by you                      managed: restored; merged, once: stays deleted
  git-ignored and absent (a clone)    created (secrets get fresh random values)
  no longer rendered                  removed if unchanged, kept if edited
  once files                          yours, except their envgen:begin/end regions

The lint policy (.golangci.yml) is a floor: required entries are restored and
exclusions that silence a required linter removed; your other additions stay.

Every change is first recorded in .envgen/journal, then written atomically,
envgen.lock last. If envgen is stopped half way, every envgen command sees the
unfinished sync: run envgen sync to finish it, or envgen sync --abort to roll
it back.

--check is the CI gate: it writes nothing, asks the network for nothing newer,
and exits 3 when files were edited away from what envgen wrote (or, with
--profile/--go/--set, when the change would touch anything). A newer envgen or
starter that would render other bytes is listed as "behind" (exit 0; --strict
makes it 3).

Exit codes: 0 in sync (or synced), 1 failure, 2 bad input or invalid project
state, 3 drift found by --check, 4 conflicts to resolve.`,
		Example: `  envgen sync --check            # CI gate: exit 3 when the project drifted
  envgen sync --check --diff     # the same, with a unified diff per file
  envgen sync --profile staging  # switch the project to another profile
  envgen sync --go 1.27.4        # bump the pinned Go release
  envgen sync --go latest        # the newest release of a supported minor (asks the proxy)
  envgen sync --commit           # sync, then commit exactly what changed
  envgen sync --abort            # roll back a sync that was interrupted
  envgen sync --from https://git.example.com/acme/starter@v1.3.0   # upgrade the starter`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.dirGiven = cmd.Flags().Changed("chdir")
			return runSync(cmd, s, f)
		},
	}
	fl := cmd.Flags()
	projectDirFlag(fl, &f.dir, "the project folder", "")
	fl.BoolVar(&f.check, "check", false, "write nothing; exit 3 when the project drifted (see above)")
	fl.BoolVar(&f.diff, "diff", false, "print a unified diff of each change")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and write nothing (like --check, but exit 0)")
	fl.BoolVar(&f.strict, "strict", false, "with --check: also fail when a newer render is available (behind)")
	fl.BoolVar(&f.checkUpdates, "check-updates", false, "with --check: ask the starter's repository for a newer tag (network, 15s timeout)")
	fl.StringVar(&f.profile, "profile", "", "switch the project to this profile")
	fl.StringVar(&f.goVersion, "go", "", "pin this Go release, or latest (the newest the proxy lists and the checksum database proves)")
	fl.StringArrayVar(&f.set, "set", nil, "set a template variable, name=value (repeatable)")
	fl.StringVar(&f.from, "from", "", "render from this starter version, SOURCE[@REF], instead of the one in envgen.lock")
	fl.BoolVar(&f.yes, "yes", false, "rewrite files that hold uncommitted edits without asking")
	fl.BoolVar(&f.commit, "commit", false, "commit exactly the files the sync created, changed or deleted (git)")
	fl.BoolVar(&f.abort, "abort", false, "roll back a sync that was interrupted, to the state before it")
	fl.BoolVar(&f.json, "json", false, "print the result as JSON")
	registerInputCompletions(cmd)
	fl.StringVar(&f.renderLimits, "render-limits", "", renderLimitsUsage)
	return cmd
}

func newDiffCmd(s *streams) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show how the project differs from its render (sync --check --diff)",
		Long: `Print, as unified diffs, what envgen sync would change. With --profile, --go
or --set, preview that change. Writes nothing; exits as sync --check does
(3 when there is drift).`,
		Example: `  envgen diff
  envgen diff --profile staging`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.dirGiven = cmd.Flags().Changed("chdir")
			f.check, f.diff, f.title = true, true, "diff"
			return runSync(cmd, s, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.dir, "chdir", "C", ".", "the project folder")
	fl.StringVar(&f.profile, "profile", "", "preview a switch to this profile")
	fl.StringVar(&f.goVersion, "go", "", "preview pinning this Go release")
	fl.StringArrayVar(&f.set, "set", nil, "preview setting a template variable, name=value (repeatable)")
	fl.BoolVar(&f.json, "json", false, "print the result as JSON")
	registerInputCompletions(cmd)
	return cmd
}

func newStatusCmd(s *streams) *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use: "status",
		Example: `  envgen status
  envgen status -C services/orders --json`,
		Short: "List the files that differ from the render, one per line: state and path",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := workflow.Sync(cmd.Context(), workflow.SyncOptions{Dir: dir, Check: true, OpenSource: openStarter, CheckProofs: projectProofChecker()})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(s.stdout, res)
			}
			shown := 0
			for _, c := range res.Plan.Changes {
				if c.Action != plan.Unchanged && c.Action != plan.KeepLocal {
					fmt.Fprintf(s.stdout, "%-13s %s\n", c.Action, c.Path)
					shown++
				}
			}
			if shown == 0 {
				fmt.Fprintln(s.stdout, "in sync: nothing to do")
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&dir, "chdir", "C", ".", "the project folder")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func runSync(cmd *cobra.Command, s *streams, f syncFlags) error {
	if f.abort {
		return runAbort(s, f)
	}
	set, err := parseSets(f.set)
	if err != nil {
		return err
	}
	if f.goVersion, err = resolveGo(cmd.Context(), s, "--go", f.goVersion, proxyLatest); err != nil {
		return err
	}
	if f.goVersion != "" {
		if err := confirmRelease(cmd.Context(), s, "--go", f.goVersion, sumdbReleaseExists); err != nil {
			return err
		}
	}
	check := f.check || f.dryRun
	if f.commit && check {
		return usageError(errors.New("--commit writes a commit; --check and --dry-run write nothing"), "drop one of them")
	}
	caps, err := renderCaps(f.renderLimits)
	if err != nil {
		return err
	}
	opts := workflow.SyncOptions{
		Dir: f.dir, Profile: f.profile, Go: f.goVersion, Set: set, CheckProofs: projectProofChecker(),
		Check: check, Yes: f.yes, OpenSource: openStarterWith(f.renderLimits), Label: syncCommand(f, false), Apply: crashSeam(),
	}
	if !check && f.goVersion != "" {
		if opts.ToolchainHashes, opts.ToolchainProofs, err = proofsForSwitch(cmd, s, f.dir, f.goVersion); err != nil {
			return err
		}
	}
	if f.commit {
		author := gitrepo.ResolveAuthor(os.Getenv)
		opts.Commit = &author
	}
	if f.from != "" {
		if opts.Source, err = starter.Open(cmd.Context(), f.from, starter.Options{}); err != nil {
			return err
		}
		opts.Source = withCaps(opts.Source, caps)
	}
	if s.terminal {
		p := &prompter{in: s.stdin, out: s.stderr}
		opts.Confirm = func(paths []string) (bool, error) {
			answer, err := p.ask(fmt.Sprintf("%d file(s) holding uncommitted edits would be rewritten (your versions are backed up): %s\nContinue (y/n)",
				len(paths), strings.Join(paths, ", ")), "n", func(a string) error {
				if a != "y" && a != "n" {
					return errors.New("answer y or n")
				}
				return nil
			})
			return answer == "y", err
		}
	}
	res, err := workflow.Sync(cmd.Context(), opts)
	if err != nil {
		return err
	}
	if f.checkUpdates && f.from == "" {
		ctx, cancel := context.WithTimeout(cmd.Context(), checkUpdatesTimeout)
		res.NewerTemplate = newerStarterTag(ctx, res.Template)
		cancel()
	}
	if f.json {
		if err := writeJSON(s.stdout, res); err != nil {
			return err
		}
	} else {
		printSync(s.stdout, s.stderr, res, f)
	}
	switch drift := res.Drift(f.strict); {
	case !res.Check && len(res.Conflicts) > 0:
		return &exitError{code: ExitConflict, err: fmt.Errorf("conflicts in %s", strings.Join(res.Conflicts, ", ")),
			hint: "resolve the <<<<<<< local / ||||||| base / ======= / >>>>>>> envgen markers, then run envgen sync again"}
	case f.check && len(res.Unresolved) > 0:
		return &exitError{code: ExitConflict, err: fmt.Errorf("unresolved conflicts in %s", strings.Join(res.Unresolved, ", ")),
			hint: "resolve the conflict markers, then run envgen sync"}
	case f.check && len(drift) > 0:
		return &exitError{code: ExitDrift, err: fmt.Errorf("%d file(s) out of sync", len(drift)), hint: driftHint(res, drift, f)}
	}
	return nil
}

// driftHint is the exact next command for a check's drift: sync, or, for
// drift sync does not mend (a hand-edited toolchain proof), the command
// the plan names for it.
func driftHint(res *workflow.SyncResult, drift []string, f syncFlags) string {
	own := map[string]string{}
	for _, c := range res.Plan.Changes {
		if c.Action == plan.KeepLocal && c.Hint != "" {
			own[c.Path] = c.Hint
		}
	}
	var hints []string
	bySync := false
	for _, p := range drift {
		if h, ok := own[p]; ok {
			if !slices.Contains(hints, h) {
				hints = append(hints, h)
			}
			continue
		}
		bySync = true
	}
	if bySync {
		hints = append([]string{"run " + syncCommand(f, true) + " to bring the project in line (envgen diff shows what would change)"}, hints...)
	}
	return strings.Join(hints, "; then ")
}

// syncCommand is the exact sync command that applies what f previews.
func syncCommand(f syncFlags, withDir bool) string {
	parts := []string{"envgen", "sync"}
	if withDir && f.dirGiven {
		parts = append(parts, "-C", shellQuote(f.dir))
	}
	if f.profile != "" {
		parts = append(parts, "--profile", shellQuote(f.profile))
	}
	if f.goVersion != "" {
		parts = append(parts, "--go", shellQuote(f.goVersion))
	}
	for _, kv := range f.set {
		parts = append(parts, "--set", shellQuote(kv))
	}
	if f.from != "" {
		parts = append(parts, "--from", shellQuote(f.from))
	}
	if f.renderLimits != "" {
		parts = append(parts, "--render-limits", shellQuote(f.renderLimits))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@,+", r)) //nolint:staticcheck // QF1001: "not a safe character" reads better than its De Morgan form
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func runAbort(s *streams, f syncFlags) error {
	res, err := workflow.Abort(f.dir, crashSeam())
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(s.stdout, res)
	}
	if res.Label == "" {
		fmt.Fprintln(s.stdout, "nothing to abort: no interrupted sync")
		return nil
	}
	fmt.Fprintf(s.stdout, "rolled back the interrupted %s: %d path(s) as they were before it\n", res.Label, res.Paths)
	return nil
}

// printSync writes the result to w and the notes (diagnostics: defaults
// that changed, an old lock, a newer starter) to errw.
func printSync(w, errw io.Writer, res *workflow.SyncResult, f syncFlags) {
	if res.Resumed != "" {
		fmt.Fprintf(w, "finished the interrupted %s first\n", res.Resumed)
	}
	header := fmt.Sprintf("profile %s", res.Profile.To)
	if res.Profile.From != res.Profile.To {
		header = fmt.Sprintf("profile %s -> %s", res.Profile.From, res.Profile.To)
	}
	goText := "Go " + res.Go.To
	if res.Go.From != res.Go.To {
		goText = fmt.Sprintf("Go %s -> %s", res.Go.From, res.Go.To)
	}
	title := f.title
	if title == "" {
		title = "sync"
	}
	fmt.Fprintf(w, "envgen %s: %s, %s, template %s %s\n", title, header, goText, res.Template.Name, res.Template.Version)
	shown := 0
	for _, c := range res.Plan.Changes {
		if c.Action == plan.Unchanged {
			continue
		}
		shown++
		line := fmt.Sprintf("  %-13s %s", c.Action, c.Path)
		if c.Drift == plan.Behind && !res.InputsChanged {
			line += "  [behind]"
		}
		if c.Detail != "" {
			line += "  (" + c.Detail + ")"
		}
		if c.Backup && res.BackupDir != "" {
			line += "  your version: " + res.BackupDir + "/" + c.Path
		}
		fmt.Fprintln(w, line)
		if f.diff {
			if before, after, ok := c.Diff(); ok {
				fmt.Fprint(w, udiff.Unified("a/"+c.Path, "b/"+c.Path, string(before), string(after)))
			}
		}
	}
	for _, dc := range res.DefaultChanges {
		fmt.Fprintf(errw, "envgen: note: the template's default of %s changed (%v -> %v); the project keeps %v: envgen sync --set %s=%v to follow it\n",
			dc.Name, dc.Old, dc.New, dc.Old, dc.Name, dc.New)
	}
	if res.LockUpgrade != "" {
		verb := "sync rewrites it"
		if res.Applied {
			verb = "rewritten"
		}
		fmt.Fprintf(errw, "envgen: note: %s was written by an older envgen (schema %s): %s in the new schema\n", project.LockFile, res.LockUpgrade, verb)
	}
	if n := res.NewerTemplate; n != "" {
		fmt.Fprintf(errw, "envgen: note: %s\n", n)
	}
	if a := res.GoSupport; a != nil {
		warnGoSupport(errw, a, syncCommand(syncFlags{dir: f.dir, dirGiven: f.dirGiven, goVersion: a.Suggest}, true))
	}
	drift := res.Drift(f.strict)
	switch {
	case res.Check && len(drift) == 0 && len(res.Unresolved) == 0:
		if len(res.Behind) > 0 {
			fmt.Fprintf(w, "in sync; %d file(s) behind the current render: %s applies the update\n", len(res.Behind), syncCommand(f, true))
		} else {
			fmt.Fprintln(w, "in sync: nothing to do")
		}
	case res.Check:
		fmt.Fprintf(w, "%d file(s) out of sync; nothing was written\n", len(drift))
	case !res.Applied:
		fmt.Fprintln(w, "in sync: nothing to do")
	default:
		fmt.Fprintf(w, "%d path(s) written, %s updated\n", len(res.Paths), project.LockFile)
		if res.BackupDir != "" {
			fmt.Fprintf(w, "your replaced versions are in %s/\n", res.BackupDir)
		}
		switch {
		case res.Commit != nil:
			fmt.Fprintf(w, "git: committed %d path(s) as %.12s\n", res.Commit.Files, res.Commit.Hash)
		case len(res.Conflicts) == 0:
			fmt.Fprintf(w, "next: review with git diff, then: git add -A -- %s && git commit -m \"envgen sync\"\n", strings.Join(quoteAll(res.Paths), " "))
		}
	}
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = shellQuote(x)
	}
	return out
}

// openStarter opens the starter a project's envgen.lock records: from the
// cache when it is there, else exactly the pinned commit from its
// repository (the caller bounds the time), with the render limits of
// ENVGEN_RENDER_LIMITS.
func openStarter(ctx context.Context, o project.Origin) (*generator.Source, error) {
	return openStarterWith("")(ctx, o)
}

// newerStarterTag says, for a project rendered from a tagged git starter,
// whether the repository has a newer release tag. Not reaching the
// repository is said and skipped.
func newerStarterTag(ctx context.Context, t project.TemplateRef) string {
	if t.Kind != "git" || !semver.IsValid(t.Ref) {
		return ""
	}
	latest, err := starter.LatestTag(ctx, t.URL)
	url := starter.Redact(t.URL)
	switch {
	case err != nil:
		return fmt.Sprintf("could not look for newer tags of %s: %v", url, err)
	case latest != "" && semver.Compare(latest, t.Ref) > 0:
		return fmt.Sprintf("starter %s has a newer tag %s (the project uses %s): envgen sync --from %s@%s", t.Name, latest, t.Ref, url, latest)
	}
	return ""
}
