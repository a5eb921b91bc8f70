package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/exitcode"
)

// helpTopics are `envgen help TOPIC` pages that are not commands.
var helpTopics = map[string]func(s *streams) string{
	"json": func(*streams) string {
		var b strings.Builder
		writeJSONSchemas(&b)
		return b.String()
	},
	"exit-codes": func(*streams) string {
		var b strings.Builder
		b.WriteString("envgen's exit codes, the same for every command:\n\n")
		for _, r := range exitcode.Table {
			fmt.Fprintf(&b, "  %d  %s\n", r.Code, r.Meaning)
		}
		b.WriteString(`
When a run has several outcomes (a multi-file sync), a failure (1) wins over
conflicts (4), conflicts over drift (3). 2 is decided before any work starts.
envgen doctor -- CMD exits with CMD's code.
`)
		return b.String()
	},
}

// newHelpCmd is cobra's help command plus the topics, and an unknown
// topic is an error (exit 2) with a suggestion, as git does.
func newHelpCmd(s *streams, root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use: "help [COMMAND|TOPIC]",
		Example: `  envgen help sync
  envgen help exit-codes`,
		Short: "Help about any command, or a topic: exit-codes, json",
		Long: `Help about any command ('envgen help sync'), or one of the topics:

  exit-codes   what each exit code means
  json         what each command prints with --json`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					out = append(out, c.Name())
				}
			}
			for t := range helpTopics {
				out = append(out, t)
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if topic, ok := helpTopics[args[0]]; ok {
					fmt.Fprint(s.stdout, topic(s))
					return nil
				}
			}
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return unknownCommand(root, strings.Join(args, " "))
			}
			target.SetOut(s.stdout)
			return target.Help()
		},
	}
}

// unknownCommand is the error for a command envgen does not have, with
// the nearest ones it does.
func unknownCommand(root *cobra.Command, name string) error {
	hint := "see 'envgen --help' for the commands"
	if sugg := root.SuggestionsFor(name); len(sugg) > 0 {
		hint = "did you mean " + quoteOr(sugg) + "? Otherwise " + hint
	}
	return usageError(errors.New("unknown command '"+name+"'"), hint)
}

func quoteOr(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'envgen " + x + "'"
	}
	return strings.Join(q, " or ")
}
