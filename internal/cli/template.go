package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/starter"
)

func newTemplateCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use: "template",
		Example: `  envgen template lint ./starter
  envgen template test ./starter --update`,
		Short: "Check an organisation's starter: lint it, test it against its golden files",
		Long: `A starter is a folder or git repository holding envgen-template.yaml,
templates/, profiles/ and optionally deps/ (see 'envgen init --from').
These commands give a starter's authors the checks envgen applies, for
their own CI.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTemplateLintCmd(s), newTemplateTestCmd(s))
	return cmd
}

func oneDir(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError(errors.New(cmd.Name()+" takes the starter's folder"), "see 'envgen "+commandPath(cmd)+"--help'")
	}
	return nil
}

func newTemplateLintCmd(s *streams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "lint DIR",
		Short: "Validate a starter: sandbox rules, schema, every template parses, every profile renders",
		Long: `Load the starter in DIR as 'envgen init --from' would (no symlink leading
out of it, no file above the size limit, a strict envgen-template.yaml and
profiles), then, for every profile, resolve the inputs, parse every
template (reporting file and line) and render it (refusing any path that
would leave the project). Inputs come from ` + starter.TestInputsFile + `
(module, name, go, set, profiles), if the starter has one.

Exit code 1 when there is a problem.`,
		Example: `  envgen template lint ./acme-starter`,
		Args:    oneDir,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := starter.Lint(args[0], starter.Limits{})
			if err != nil {
				return err
			}
			if asJSON {
				err = writeJSON(s.stdout, rep)
			} else {
				printLint(s.stdout, rep)
			}
			if err == nil && !rep.OK() {
				err = &exitError{code: ExitFailure, err: fmt.Errorf("starter %s: %d problem(s)", args[0], len(rep.Problems)),
					hint: "fix them and run envgen template lint again"}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func printLint(w io.Writer, rep *starter.LintReport) {
	if rep.Name != "" {
		extends := ""
		if rep.Extends != "" {
			extends = ", extends " + rep.Extends
		}
		fmt.Fprintf(w, "starter %s %s%s in %s\n", rep.Name, rep.Version, extends, rep.Dir)
	}
	if len(rep.Profiles) > 0 {
		fmt.Fprintf(w, "profiles rendered: %s\n", strings.Join(rep.Profiles, ", "))
	}
	if len(rep.Functions) > 0 {
		fmt.Fprintf(w, "declared functions (renders are not reproducible): %s\n", strings.Join(rep.Functions, ", "))
	}
	for _, h := range rep.Hooks {
		fmt.Fprintf(w, "post_init hook (runs only with --trust): %s\n", strings.Join(h, " "))
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	if rep.OK() {
		fmt.Fprintln(w, "ok: no problems")
	}
}

func newTemplateTestCmd(s *streams) *cobra.Command {
	var asJSON, update bool
	cmd := &cobra.Command{
		Use:   "test DIR",
		Short: "Render every profile of a starter and compare with its golden files",
		Long: `Render each profile of the starter in DIR with the inputs of
` + starter.TestInputsFile + ` (fixed secrets, so renders are reproducible) and
compare it with ` + starter.GoldenDir + `/<profile>.txtar; --update writes the
golden files instead. Commit them: a change to a template then shows up as
a reviewable diff.

Exit code 1 when a profile differs, has no golden file, or fails to render.`,
		Example: `  envgen template test ./acme-starter
  envgen template test ./acme-starter --update`,
		Args: oneDir,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := starter.Test(args[0], starter.Limits{}, update)
			if err != nil {
				return err
			}
			if asJSON {
				err = writeJSON(s.stdout, rep)
			} else {
				printTest(s.stdout, rep)
			}
			if failed := rep.Failed(); err == nil && failed > 0 {
				err = &exitError{code: ExitFailure, err: fmt.Errorf("starter %s: %d of %d profile(s) failed", args[0], failed, len(rep.Results)),
					hint: "if the changes are intended: envgen template test " + args[0] + " --update"}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&update, "update", false, "rewrite the golden files from the current renders")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func printTest(w io.Writer, rep *starter.TestReport) {
	width := 0
	for _, r := range rep.Results {
		width = max(width, len(r.Profile))
	}
	for _, r := range rep.Results {
		fmt.Fprintf(w, "  %-8s  %-*s  %s\n", r.Status, width, r.Profile, r.Golden)
		for _, d := range r.Diffs {
			fmt.Fprintf(w, "            %s\n", d)
		}
		if r.Error != "" {
			fmt.Fprintf(w, "            %s\n", r.Error)
		}
	}
	fmt.Fprintf(w, "%d profile(s), %d failed\n", len(rep.Results), rep.Failed())
}
