package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/starter"
	"github.com/envgen/envgen/internal/workflow"
	"github.com/envgen/envgen/profiles"
)

type initFlags struct {
	module, name, profile, goVersion string
	set                              []string
	dryRun, force, noGit, json       bool
	from                             string // starter SOURCE[@REF]; empty: the built-in template
	trust                            bool   // run the starter's hooks
	renderLimits                     string // --render-limits KEY=VALUE,...
}

func newInitCmd(s *streams) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Scaffold a new Go service for a profile",
		Long: `Render a new Go service into DIR (default: the current folder): a small real
service (config layering, HTTP server with timeouts, health, readiness and
metrics, pprof on its own listener, PostgreSQL and Redis clients), its
docker compose stack, Makefile, golangci-lint policy, Prometheus, Alertmanager
and Grafana configuration, go.mod with the Go toolchain pinned, and a
complete go.sum, so that 'go build ./...' works at once.

Every input is checked before anything is written. Existing files are never
overwritten without --force (and then kept under .envgen/backup/). Unless
--no-git is given or DIR is already inside a git repository, a repository is
created and the files are committed.

With --from, the template is an organisation's starter instead of the
built-in one: a git URL (https://, ssh://, git@host:path, file://) or a
local folder, optionally @TAG, @BRANCH or @COMMIT. A git starter is fetched
into a cache (ENVGEN_CACHE_DIR, default: the user cache folder) and works
offline afterwards; envgen.lock records the commit. A starter's hook
commands are listed, and run only with --trust. A render is bounded in
size and time (see --render-limits, to raise the bounds for a starter you
trust).

Flags may also come from the environment: ENVGEN_PROFILE, ENVGEN_GO,
ENVGEN_RENDER_LIMITS.`,
		Example: `  # a development service in ./orders
  envgen init orders --module github.com/acme/orders

  # see what production would render, without writing anything
  envgen init --module github.com/acme/orders --profile production --dry-run

  # pin Go 1.24.1 and move the API to port 9000
  envgen init --module github.com/acme/orders --go 1.24.1 --set http_port=9000

  # start from the organisation's starter at a tag
  envgen init orders --module github.com/acme/orders --from https://git.example.com/acme/starter@v1.2.0 --set team=payments`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(cmd, s, dir, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.module, "module", "", "Go module path of the service, e.g. github.com/acme/orders (required)")
	fl.StringVar(&f.name, "name", "", "service name: binary, compose project, Prometheus job (default: last element of the module path)")
	fl.StringVar(&f.profile, "profile", profiles.DefaultName, "profile to render: see 'envgen profile list'")
	fl.StringVar(&f.goVersion, "go", goversion.Default, "Go release to pin ("+goversion.SupportedText()+"), or latest (asks the proxy and the checksum database)")
	fl.StringArrayVar(&f.set, "set", nil, "set a template variable, name=value (repeatable; see 'envgen profile show NAME')")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan (paths, sizes, actions) and write nothing")
	fl.BoolVar(&f.force, "force", false, "overwrite existing files, keeping the old ones under .envgen/backup/")
	fl.BoolVar(&f.noGit, "no-git", false, "do not create a git repository")
	fl.BoolVar(&f.json, "json", false, "print the result as JSON")
	fl.StringVar(&f.from, "from", "", "render an organisation's starter: a git URL (https, ssh, file) or folder, optionally @TAG, @BRANCH or @COMMIT")
	fl.BoolVar(&f.trust, "trust", false, "run the starter's hook commands (listed in the output); without it they are skipped")
	fl.StringVar(&f.renderLimits, "render-limits", "", renderLimitsUsage)
	registerInputCompletions(cmd)
	return cmd
}

func runInit(cmd *cobra.Command, s *streams, dir string, f initFlags) error {
	// Flags win over ENVGEN_* environment variables, which win over defaults.
	v := viper.New()
	v.SetEnvPrefix("ENVGEN")
	v.AutomaticEnv()
	if err := v.BindPFlag("profile", cmd.Flags().Lookup("profile")); err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	if err := v.BindPFlag("go", cmd.Flags().Lookup("go")); err != nil {
		return fmt.Errorf("--go: %w", err)
	}
	in := generator.Inputs{
		Module:  f.module,
		Name:    f.name,
		Profile: v.GetString("profile"),
		Go:      v.GetString("go"),
	}
	var err error
	if in.Set, err = parseSets(f.set); err != nil {
		return err
	}
	if in.Go, err = resolveGo(cmd.Context(), s, "--go", in.Go, proxyLatest); err != nil {
		return err
	}
	if err := confirmRelease(cmd.Context(), s, "--go", in.Go, sumdbReleaseExists); err != nil {
		return err
	}
	caps, err := renderCaps(f.renderLimits)
	if err != nil {
		return err
	}
	src, err := generator.Builtin()
	if f.from != "" {
		src, err = starter.Open(cmd.Context(), f.from, starter.Options{})
	}
	if err != nil {
		return err
	}
	src = withCaps(src, caps)
	if s.terminal {
		p := &prompter{in: s.stdin, out: s.stderr}
		if in.Module == "" {
			if err := p.askInputs(&in, cmd.Flags().Changed("profile") || v.IsSet("profile"), src); err != nil {
				return err
			}
		}
		if err := p.askRequired(src, &in); err != nil {
			return err
		}
	}

	res, err := workflow.Init(cmd.Context(), workflow.InitOptions{
		Dir: dir, Inputs: in, Source: src, Force: f.force, DryRun: f.dryRun, NoGit: f.noGit, Apply: crashSeam(),
	})
	if err != nil {
		return err
	}
	out := initOutput{InitResult: res, GoSupport: goversion.AdviseText(res.Go)}
	if a := out.GoSupport; a != nil {
		warnGoSupport(s.stderr, a, syncCommand(syncFlags{dir: dir, dirGiven: dir != ".", goVersion: a.Suggest}, true))
	}
	var hookErr error
	if hooks := src.Manifest.Hooks.PostInit; len(hooks) > 0 {
		if !f.json {
			printInit(s.stdout, res)
			printHooks(s.stdout, hooks, f.trust && !f.dryRun)
		}
		out.Hooks, hookErr = starter.RunHooks(cmd.Context(), res.Dir, hooks,
			starter.HookOptions{Trust: f.trust, DryRun: f.dryRun, Stdout: s.stderr, Stderr: s.stderr})
		if f.json {
			if err := writeJSON(s.stdout, out); err != nil {
				return err
			}
		} else {
			printHookRuns(s.stdout, out.Hooks)
		}
		return hookErr
	}
	if f.json {
		return writeJSON(s.stdout, out)
	}
	printInit(s.stdout, res)
	return nil
}

// initOutput is init's result plus what became of the starter's hooks.
type initOutput struct {
	*workflow.InitResult
	Hooks []starter.HookRun `json:"hooks,omitempty"`
	// GoSupport warns of a pin out of upstream support or behind the
	// newest patch of its minor.
	GoSupport *goversion.Support `json:"go_support,omitempty"`
}

// printHooks lists a starter's hooks before any of them runs.
func printHooks(w io.Writer, hooks [][]string, running bool) {
	verb := "listed, not run (pass --trust to run them)"
	if running {
		verb = "running now, in order"
	}
	fmt.Fprintf(w, "\nstarter hooks (post_init), %s:\n", verb)
	for _, h := range hooks {
		fmt.Fprintf(w, "  %s\n", strings.Join(h, " "))
	}
}

func printHookRuns(w io.Writer, runs []starter.HookRun) {
	for _, r := range runs {
		reason := ""
		if r.Reason != "" {
			reason = ": " + r.Reason
		}
		fmt.Fprintf(w, "hook %s: %s%s\n", r.Status, r.Command(), reason)
	}
}

// parseSets turns repeated --set name=value flags into a map.
func parseSets(sets []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range sets {
		name, value, ok := strings.Cut(kv, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, &generator.InputError{Subject: "--set " + kv, Problem: "not of the form name=value",
				Hint: "write --set name=value, for example --set http_port=9000"}
		}
		if _, dup := out[name]; dup {
			return nil, &generator.InputError{Subject: "--set " + name, Problem: "given twice", Hint: "set each variable once"}
		}
		out[name] = value
	}
	return out, nil
}

func printInit(w io.Writer, res *workflow.InitResult) {
	if res.Resumed {
		fmt.Fprintf(w, "envgen finished an interrupted init of %s (profile %s, Go %s) in %s\n", res.Name, res.Profile, res.Go, res.Dir)
		printGit(w, res)
		fmt.Fprintf(w, "next: cd %s && make help\n", res.Dir)
		return
	}
	verb := "rendered"
	if res.DryRun {
		verb = "would render"
	}
	fmt.Fprintf(w, "envgen %s %s (profile %s, Go %s, template %s %s) into %s\n\n",
		verb, res.Name, res.Profile, res.Go, res.Template.Name, res.Template.Version, res.Dir)
	printPlan(w, res.Plan)
	fmt.Fprintln(w)
	created, overwritten := res.Plan.Count(plan.Create), res.Plan.Count(plan.Overwrite)
	if res.DryRun {
		fmt.Fprintf(w, "dry run: %d file(s) to create, %d to overwrite, and %s; nothing was written\n", created, overwritten, project.LockFile)
		return
	}
	fmt.Fprintf(w, "%d file(s) created, %d overwritten, %s written\n", created, overwritten, project.LockFile)
	if res.BackupDir != "" {
		fmt.Fprintf(w, "your previous versions of the overwritten files are in %s/\n", res.BackupDir)
	}
	printGit(w, res)
	fmt.Fprintf(w, "next: cd %s && make help\n", res.Dir)
}

func printGit(w io.Writer, res *workflow.InitResult) {
	switch {
	case res.Git != nil:
		fmt.Fprintf(w, "git: committed %d file(s) as %.12s on %s (author %s <%s>, from %s)\n",
			res.Git.Files, res.Git.Hash, res.Git.Branch, res.Git.Author.Name, res.Git.Author.Email, res.Git.Author.Source)
		if len(res.Git.Skip) > 0 {
			fmt.Fprintf(w, "git: not committed, as .gitignore says: %s\n", strings.Join(res.Git.Skip, ", "))
		}
	case res.GitSkipped != "" && res.GitSkipped != "--no-git": // asked for: nothing to say
		fmt.Fprintf(w, "git: %s\n", res.GitSkipped)
	}
}

func printPlan(w io.Writer, p *plan.Plan) {
	width := 0
	for _, c := range p.Changes {
		width = max(width, len(c.Path))
	}
	for _, c := range p.Changes {
		fmt.Fprintf(w, "  %-9s  %-*s  %8s  %s\n", c.Action, width, c.Path, humanSize(c.Size), c.Mode)
	}
}

func humanSize(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
