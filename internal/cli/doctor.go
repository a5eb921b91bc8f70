package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/doctor"
	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/toolchain"
	"github.com/envgen/envgen/internal/workflow"
)

type doctorFlags struct {
	dir                      string
	json, fix, offline, deep bool
	timeout                  time.Duration
}

func newDoctorCmd(s *streams) *cobra.Command {
	var f doctorFlags
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Say exactly why Go downloads fail on this machine, and how to fix it",
		Long: `Check every usual cause of failed Go downloads and print, per check, what
was seen and the one fix that applies:

  go        the go command, its version against the project's pinned toolchain,
            and GOTOOLCHAIN
  goroot    the installed GOROOT against a release (VERSION, go.env; --deep:
            every file)
  goproxy   GOPROXY syntax; per entry DNS, TCP, TLS, HTTP status and latency;
            which entry the go command actually uses (',' and '|' rules)
  sumdb     GOSUMDB syntax and reachability, the signed tree head; GOSUMDB=off,
            GONOSUMDB/GOPRIVATE patterns and GOFLAGS=-insecure, with their risk
  clock     the local clock against the proxies' Date header
  modcache  the pinned toolchain and every go.sum module in GOMODCACHE: zip
            against .ziphash and go.sum, extracted folder complete
  private   GOPRIVATE, GONOPROXY and GONOSUMDB consistent with each other
  docker    Docker engine and compose v2 plugin (warnings only)
  project   envgen.lock present and valid, and whether the files are in sync
  gosupport the pinned Go against Go's release policy (a minor is supported
            until two newer ones are out) and the newest patch of its minor
            envgen knows (offline; warnings only)

Checks run concurrently, each under --timeout, so a run ends in about that
time even when every network probe hangs. The exit code is 0 when no check
fails and 1 otherwise.`,
		Example: `  envgen doctor
  envgen doctor -C ./orders --fix
  envgen doctor --offline --json
  envgen doctor -- go mod download`,
		Args: doctorArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() >= 0 {
				return runDoctorCommand(cmd, s, f, args)
			}
			return runDoctor(cmd, s, f)
		},
	}
	fl := cmd.Flags()
	projectDirFlag(fl, &f.dir, "project folder to check (its envgen.lock, go.mod and go.sum)", "dir")
	fl.BoolVar(&f.json, "json", false, "print the result as JSON")
	fl.BoolVar(&f.fix, "fix", false, "remove damaged module cache entries (only those; the next build downloads them again)")
	fl.BoolVar(&f.offline, "offline", false, "skip every network probe")
	fl.BoolVar(&f.deep, "deep", false, "verify the installed GOROOT file by file against the checksum database")
	fl.DurationVar(&f.timeout, "timeout", 5*time.Second, "time limit of each check (they run concurrently); with -- CMD, CMD's (default 10m)")
	cmd.AddCommand(newDoctorExplainCmd(s))
	return cmd
}

func runDoctor(cmd *cobra.Command, s *streams, f doctorFlags) error {
	if f.timeout <= 0 {
		return usageError(fmt.Errorf("--timeout: %s is not a positive duration", f.timeout), "pass a duration such as --timeout 10s")
	}
	if fi, err := os.Stat(f.dir); err != nil || !fi.IsDir() {
		return usageError(fmt.Errorf("-C: %s is not a folder", f.dir), "pass the project folder, or leave -C out to check the current one")
	}
	rep := doctor.Run(cmd.Context(), doctor.Config{
		Dir:          f.dir,
		Offline:      f.offline,
		Fix:          f.fix,
		Deep:         f.deep,
		Timeout:      f.timeout,
		SyncCheck:    doctorSyncCheck(),
		VerifyGOROOT: verifyGOROOT,
	})
	var err error
	if f.json {
		err = writeJSON(s.stdout, rep)
	} else {
		err = doctor.WriteTable(s.stdout, rep, useColour(s))
	}
	if err != nil {
		return err
	}
	if failed := rep.Failed(); len(failed) > 0 {
		return &exitError{code: ExitFailure,
			err:  errors.New(countChecks(len(failed)) + " failed: " + strings.Join(failed, ", ")),
			hint: "apply the fix shown under each failed check, then run envgen doctor again"}
	}
	return nil
}

// doctorSyncCheck is the project check's `sync --check` line: the same
// plan sync computes, summarised, with nothing written.
func doctorSyncCheck() doctor.SyncChecker {
	return func(ctx context.Context, dir string) (doctor.SyncStatus, error) {
		res, err := workflow.Sync(ctx, workflow.SyncOptions{Dir: dir, Check: true, OpenSource: openStarter, CheckProofs: projectProofChecker()})
		if err != nil {
			return doctor.SyncStatus{}, err
		}
		drift := res.Drift(false)
		if len(drift) == 0 && len(res.Unresolved) == 0 {
			summary := "in sync"
			if len(res.Behind) > 0 {
				summary = fmt.Sprintf("in sync, %d file(s) behind the current render", len(res.Behind))
			}
			return doctor.SyncStatus{InSync: true, Summary: summary}, nil
		}
		counts := map[plan.Action]int{}
		for _, c := range res.Plan.Changes {
			if c.Drift == plan.Edited {
				counts[c.Action]++
			}
		}
		var parts []string
		for _, a := range []plan.Action{plan.Restore, plan.Update, plan.Create, plan.Merge, plan.Chmod,
			plan.Conflict, plan.Unresolved, plan.Delete, plan.KeepObsolete, plan.Deleted, plan.KeepLocal} {
			if n := counts[a]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, a))
			}
		}
		return doctor.SyncStatus{Summary: strings.Join(parts, ", ")}, nil
	}
}

// verifyGOROOT is doctor --deep: the h1 verification of an installed
// GOROOT that `envgen toolchain verify --goroot` does.
func verifyGOROOT(ctx context.Context, goroot string) (doctor.GOROOTVerdict, error) {
	env, err := goenv.Load(os.Getenv, goroot)
	if err != nil {
		return doctor.GOROOTVerdict{}, err
	}
	home, _ := os.UserHomeDir()
	res, err := toolchain.NewManager(ctx, env, toolchain.NewHTTPClient(), home, nil).Verify(toolchain.VerifyOptions{Path: goroot})
	if err != nil {
		return doctor.GOROOTVerdict{}, err
	}
	v := doctor.GOROOTVerdict{OK: res.OK, Summary: fmt.Sprintf("h1 %s, the checksum database says %s", res.H1, res.SumDB)}
	var files []string
	for _, d := range res.Differs {
		v.Differs = append(v.Differs, d.Path)
		files = append(files, d.Path+" ("+d.Change+")")
	}
	if len(files) > 0 {
		if len(files) > 5 {
			files = append(files[:5], fmt.Sprintf("and %d more", len(files)-5))
		}
		v.Summary = fmt.Sprintf("%d file(s) differ: %s", len(res.Differs), strings.Join(files, ", "))
	}
	if res.Note != "" {
		v.Summary += "; " + res.Note
	}
	return v, nil
}

// useColour: colour only when stdout is a terminal that wants it.
func useColour(s *streams) bool {
	return isTerminal(s.stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

func countChecks(n int) string {
	if n == 1 {
		return "1 check"
	}
	return fmt.Sprintf("%d checks", n)
}
