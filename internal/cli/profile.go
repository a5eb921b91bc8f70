package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/profiles"
)

func newProfileCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use: "profile",
		Example: `  envgen profile list
  envgen profile show production --json`,
		Short: "List profiles and show their effective settings",
		Long: `Profiles decide how a project is rendered: development, staging and
production are built in, and organisations add their own. A profile may
extend another; 'profile show' prints the settings after inheritance and
the variables you can set with --set.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newProfileListCmd(s), newProfileShowCmd(s))
	return cmd
}

func newProfileListCmd(s *streams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "list",
		Example: `  envgen profile list
  envgen profile list --json`,
		Short: "List the profiles you can render",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			src, err := generator.Builtin()
			if err != nil {
				return err
			}
			var list []*profiles.Profile
			for _, name := range src.Profiles.Names() {
				p, err := src.Profiles.Get(name)
				if err != nil {
					return err
				}
				list = append(list, p)
			}
			if asJSON {
				return writeJSON(s.stdout, list)
			}
			tw := tabwriter.NewWriter(s.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tEXTENDS\tDESCRIPTION")
			for _, p := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, strings.Join(p.Chain[1:], " > "), p.Description)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the profiles as JSON")
	return cmd
}

func newProfileShowCmd(s *streams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "show NAME",
		Short:             "Show a profile's effective settings and variables",
		ValidArgsFunction: completeProfiles,
		Example: `  envgen profile show production
  envgen profile show staging --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError(errors.New("profile show takes one profile name"), "see 'envgen profile list' for the names")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := generator.Builtin()
			if err != nil {
				return err
			}
			p, err := src.Profiles.Get(args[0])
			if errors.Is(err, profiles.ErrUnknown) {
				return &generator.InputError{Subject: "profile show", Problem: err.Error(),
					Hint: "choose one of: " + strings.Join(src.Profiles.Names(), ", ")}
			}
			if err != nil {
				return err
			}
			p.Variables = src.Variables(p)
			if asJSON {
				return writeJSON(s.stdout, p)
			}
			return printProfile(s.stdout, p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the profile as JSON")
	return cmd
}

func printProfile(w io.Writer, p *profiles.Profile) error {
	fmt.Fprintf(w, "profile:     %s\n", p.Name)
	fmt.Fprintf(w, "description: %s\n", p.Description)
	fmt.Fprintf(w, "chain:       %s\n\n", strings.Join(p.Chain, " > "))
	fmt.Fprintln(w, "settings (after extends):")
	var out strings.Builder
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(p.Settings); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintln(w, "\nvariables (--set NAME=VALUE):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, name := range p.Variables.Names() {
		v := p.Variables[name]
		def := fmt.Sprint(v.Default)
		if v.Default == nil {
			def = "-"
		}
		if v.Required {
			def = "(required)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", name, v.Type, def, v.Help)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("variables: %w", err)
	}
	return nil
}
