package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/envgen/envgen/internal/version"

	"github.com/spf13/cobra"
)

func newRootCmd(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "envgen",
		Short: "Bootstrap Go services and keep their development environment honest",
		Long: `envgen renders a complete Go service environment for a profile
(development, staging, production): the service itself, docker compose,
Makefile, golangci-lint rules that enforce timeouts, layered viper configs,
pprof on a separate listener, Prometheus scrape config and alerts, Grafana
dashboards, and a Go toolchain pinned and proved against the checksum
database.

Every file it writes is recorded in envgen.lock, so that 'envgen sync' can
tell later what envgen wrote from what you changed, and fix drift without
losing an edit. 'envgen doctor' says why Go downloads fail on this machine.`,
		Example: `  envgen init orders --module github.com/acme/orders       # a new service
  envgen init --module github.com/acme/billing --profile production --go 1.25.4
  envgen init --module github.com/acme/x --from https://git.example.com/acme/starter@v1.2.0
  envgen sync --check                                     # CI gate: exit 3 on drift
  envgen sync --profile staging                           # switch profile, keep local edits
  envgen toolchain install && envgen toolchain verify     # the pinned Go, proved
  envgen doctor                                           # why downloads fail here`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version.Version,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		// cobra buffers pflag's deprecation notes: say them here, once.
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			cmd.Flags().Visit(func(f *pflag.Flag) {
				if f.Deprecated != "" {
					fmt.Fprintf(s.stderr, "envgen: note: --%s is deprecated: %s\n", f.Name, f.Deprecated)
				}
			})
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(err, "see 'envgen "+commandPath(cmd)+"--help'")
	})
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("envgen {{.Version}}\n")
	root.SetHelpCommand(newHelpCmd(s, root))
	root.AddCommand(
		newInitCmd(s),
		newSyncCmd(s),
		newDiffCmd(s),
		newStatusCmd(s),
		newProfileCmd(s),
		newVersionCmd(s),
		newToolchainCmd(s),
		newDoctorCmd(s),
		newCompletionCmd(s),
		newPackageCmd(s),
		newTemplateCmd(s),
	)
	return root
}

// commandPath is the command's path after "envgen", with a trailing space.
func commandPath(cmd *cobra.Command) string {
	if !cmd.HasParent() {
		return ""
	}
	return commandPath(cmd.Parent()) + cmd.Name() + " "
}

// maxArgs is cobra.MaximumNArgs with envgen's exit code and a hint.
func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usageError(errors.New("too many arguments: "+quoteJoin(args[n:])), "see 'envgen "+commandPath(cmd)+"--help'")
		}
		return nil
	}
}

func quoteJoin(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += " "
		}
		out += "'" + x + "'"
	}
	return out
}
