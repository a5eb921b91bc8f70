package cli

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/release"
)

func newCompletionCmd(s *streams) *cobra.Command {
	var noDescriptions bool
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or powershell",
		Long: `Print a script that makes your shell complete envgen's commands, flags and
their values (profile names, formats). The script asks the installed envgen
for completions, so it stays right after an upgrade.

The .deb, .rpm and .apk packages of envgen install the bash, zsh and fish
scripts already. Otherwise:

    bash        envgen completion bash > ~/.local/share/bash-completion/completions/envgen
                (needs the bash-completion package; or: source <(envgen completion bash))
    zsh         envgen completion zsh > "${fpath[1]}/_envgen"
                (compinit must be enabled: autoload -U compinit; compinit)
    fish        envgen completion fish > ~/.config/fish/completions/envgen.fish
    powershell  envgen completion powershell | Out-String | Invoke-Expression
                (add that line to $PROFILE to keep it)

Start a new shell afterwards.`,
		Example: `  source <(envgen completion bash)
  envgen completion zsh > "${fpath[1]}/_envgen"`,
		ValidArgs: release.Shells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(release.Shells, args[0]) {
				return usageError(errors.New("completion takes one shell: "+strings.Join(release.Shells, ", ")),
					"see 'envgen completion --help' for how to install the script")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return release.WriteCompletion(cmd.Root(), args[0], s.stdout, !noDescriptions)
		},
	}
	cmd.Flags().BoolVar(&noDescriptions, "no-descriptions", false, "complete without the one-line descriptions (zsh, fish, powershell, bash)")
	return cmd
}

// Command returns envgen's command tree with no input and no output: what
// the release build generates man pages and completion scripts from.
func Command() *cobra.Command {
	return newRootCmd(&streams{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
}
