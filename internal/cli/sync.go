package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"
	"golang.org/x/mod/semver"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/starter"
)

// Exit codes of sync.
const (
	ExitDrift    = 3 // --check found the project out of sync
	ExitConflict = 4 // a merge left conflict markers
)

type syncFlags struct {
	dir, profile, goVersion, from string
	set                           []string
	check, diff, dryRun, yes      bool
	json                          bool
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
  edited, render unchanged            merged and once files: your edit is kept;
                                      managed files: restored, your copy kept
                                      under .envgen/backup/
  edited, render changed (merged)     three-way merge: YAML and JSON by key,
                                      other files by line; a real conflict is
                                      written with <<<<<<< markers (exit 4)
  deleted by you                      managed: restored; merged, once: stays deleted
  no longer rendered                  removed if unchanged, kept if edited
  once files                          never touched after init

Required entries of the lint policy (.golangci.yml) are restored while your
additions are kept. Files are written atomically and envgen.lock last.
Nothing is committed: review with git diff and commit yourself.

Exit codes: 0 in sync (or synced), 2 bad input, 3 drift found by --check,
4 conflicts to resolve.`,
		Example: `  envgen sync --check            # CI gate: exit 3 when the project drifted
  envgen sync --diff --dry-run   # see what sync would change
  envgen sync --profile staging  # switch the project to another profile
  envgen sync --go 1.26.11       # bump the pinned Go release
  envgen sync --from https://git.example.com/acme/starter@v1.3.0   # upgrade the starter`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return runSync(cmd, s, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.dir, "chdir", "C", ".", "the project folder")
	fl.BoolVar(&f.check, "check", false, "write nothing; exit 3 when the project differs from its render")
	fl.BoolVar(&f.diff, "diff", false, "print a unified diff of each change")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and write nothing (like --check, but exit 0)")
	fl.StringVar(&f.profile, "profile", "", "switch the project to this profile")
	fl.StringVar(&f.goVersion, "go", "", "pin this Go release")
	fl.StringArrayVar(&f.set, "set", nil, "set a template variable, name=value (repeatable)")
	fl.StringVar(&f.from, "from", "", "render from this starter version, SOURCE[@REF], instead of the one in envgen.lock")
	fl.BoolVar(&f.yes, "yes", false, "rewrite files that have uncommitted git changes without asking")
	fl.BoolVar(&f.json, "json", false, "print the result as JSON")
	return cmd
}

func newDiffCmd(s *streams) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show how the project differs from its render (sync --check --diff)",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.check, f.diff = true, true
			return runSync(cmd, s, f)
		},
	}
	cmd.Flags().StringVarP(&f.dir, "chdir", "C", ".", "the project folder")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the result as JSON")
	return cmd
}

func newStatusCmd(s *streams) *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "List the files that differ from the render, one per line: state and path",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := generator.Sync(cmd.Context(), generator.SyncOptions{Dir: dir, Check: true, OpenSource: openStarter})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(s.stdout, res)
			}
			for _, c := range res.Plan.Changes {
				if c.Action != generator.Unchanged {
					fmt.Fprintf(s.stdout, "%-13s %s\n", c.Action, c.Path)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&dir, "chdir", "C", ".", "the project folder")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func runSync(cmd *cobra.Command, s *streams, f syncFlags) error {
	set, err := parseSets(f.set)
	if err != nil {
		return err
	}
	opts := generator.SyncOptions{
		Dir: f.dir, Profile: f.profile, Go: f.goVersion, Set: set,
		Check: f.check || f.dryRun, Yes: f.yes, OpenSource: openStarter,
	}
	if f.from != "" {
		if opts.Source, err = starter.Open(cmd.Context(), f.from, starter.Options{}); err != nil {
			return err
		}
	}
	if s.terminal {
		p := &prompter{in: s.stdin, out: s.stderr}
		opts.Confirm = func(paths []string) (bool, error) {
			answer, err := p.ask(fmt.Sprintf("%d file(s) with uncommitted changes would be rewritten: %s\nContinue (y/n)",
				len(paths), strings.Join(paths, ", ")), "n", func(a string) error {
				if a != "y" && a != "n" {
					return errors.New("answer y or n")
				}
				return nil
			})
			return answer == "y", err
		}
	}
	res, err := generator.Sync(cmd.Context(), opts)
	if err != nil {
		return err
	}
	if f.check && f.from == "" {
		res.NewerTemplate = newerStarterTag(cmd.Context(), res.Template)
	}
	if f.json {
		if err := writeJSON(s.stdout, res); err != nil {
			return err
		}
	} else {
		printSync(s.stdout, res, f)
	}
	switch {
	case len(res.Conflicts) > 0 && !res.Check:
		return &exitError{code: ExitConflict, err: fmt.Errorf("conflicts in %s", strings.Join(res.Conflicts, ", ")),
			hint: "resolve the <<<<<<< local / ||||||| base / ======= / >>>>>>> envgen markers, then run envgen sync again"}
	case f.check && !f.dryRun && !res.InSync():
		return &exitError{code: ExitDrift, err: fmt.Errorf("%d file(s) out of sync", len(res.Drift)),
			hint: "run envgen sync to bring the project back to its profile (envgen diff shows what would change)"}
	}
	return nil
}

func printSync(w io.Writer, res *generator.SyncResult, f syncFlags) {
	header := fmt.Sprintf("profile %s", res.Profile.To)
	if res.Profile.From != res.Profile.To {
		header = fmt.Sprintf("profile %s -> %s", res.Profile.From, res.Profile.To)
	}
	goText := "Go " + res.Go.To
	if res.Go.From != res.Go.To {
		goText = fmt.Sprintf("Go %s -> %s", res.Go.From, res.Go.To)
	}
	fmt.Fprintf(w, "envgen sync: %s, %s, template %s %s\n", header, goText, res.Template.Name, res.Template.Version)
	shown := 0
	for _, c := range res.Plan.Changes {
		if c.Action == generator.Unchanged {
			continue
		}
		shown++
		line := fmt.Sprintf("  %-13s %s", c.Action, c.Path)
		if c.Detail != "" {
			line += "  (" + c.Detail + ")"
		}
		if c.Backup != "" {
			line += "  your version: " + c.Backup
		}
		fmt.Fprintln(w, line)
		if f.diff {
			if before, after, ok := c.Diff(); ok {
				fmt.Fprint(w, udiff.Unified("a/"+c.Path, "b/"+c.Path, string(before), string(after)))
			}
		}
	}
	if n := res.NewerTemplate; n != "" {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	switch {
	case shown == 0 || res.InSync():
		fmt.Fprintln(w, "in sync: nothing to do")
	case res.Check:
		fmt.Fprintf(w, "%d file(s) out of sync; nothing was written\n", len(res.Drift))
	default:
		fmt.Fprintf(w, "%d file(s) synced, %s updated; nothing was committed\n", len(res.Drift), generator.LockFile)
		if res.Applied != nil && res.Applied.BackupDir != "" {
			fmt.Fprintf(w, "your replaced versions are in %s/\n", res.Applied.BackupDir)
		}
		if len(res.Conflicts) == 0 {
			fmt.Fprintln(w, `next: review with git diff, then git commit -am "envgen sync"`)
		}
	}
}

// openStarter opens the starter a project's envgen.lock records, from the
// cache when it is there (so sync works offline).
func openStarter(ctx context.Context, o generator.Origin) (*generator.Source, error) {
	return starter.OpenOrigin(ctx, o, starter.Options{})
}

// newerStarterTag says, for a project rendered from a tagged git starter,
// whether the repository has a newer release tag. Not reaching the
// repository is not an error of sync --check: it is said and skipped.
func newerStarterTag(ctx context.Context, t generator.TemplateRef) string {
	if t.Kind != "git" || !semver.IsValid(t.Ref) {
		return ""
	}
	latest, err := starter.LatestTag(ctx, t.URL)
	switch {
	case err != nil:
		return fmt.Sprintf("could not look for newer tags of %s: %v", t.URL, err)
	case latest != "" && semver.Compare(latest, t.Ref) > 0:
		return fmt.Sprintf("starter %s has a newer tag %s (the project uses %s): envgen sync --from %s@%s", t.Name, latest, t.Ref, t.URL, latest)
	}
	return ""
}
