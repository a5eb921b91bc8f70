package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/goversion"
)

// Completions for values envgen knows without the network: the built-in
// profiles, the variables they declare, the Go releases it can pin.

func completeProfiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	src, err := generator.Builtin()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []cobra.Completion
	for _, name := range src.Profiles.Names() {
		if p, err := src.Profiles.Get(name); err == nil && !p.Abstract {
			out = append(out, cobra.CompletionWithDesc(name, p.Description))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSets offers NAME= for every declared variable (of --profile's
// profile when given), with its help as the description.
func completeSets(cmd *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
	src, err := generator.Builtin()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	profile := "development"
	if f := cmd.Flags().Lookup("profile"); f != nil && f.Value.String() != "" {
		profile = f.Value.String()
	}
	p, err := src.Profiles.Get(profile)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	vars := src.Variables(p)
	var out []cobra.Completion
	for _, name := range vars.Names() {
		if strings.HasPrefix(name, typed) {
			out = append(out, cobra.CompletionWithDesc(name+"=", vars[name].Help))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeGo offers the newest known patch of every supported minor.
func completeGo(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for i := len(goversion.Supported) - 1; i >= 0; i-- {
		if r, ok := goversion.NewestKnown(goversion.Supported[i]); ok {
			out = append(out, r.String())
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// registerInputCompletions wires the three input flags of a command.
func registerInputCompletions(cmd *cobra.Command) {
	for flag, fn := range map[string]cobra.CompletionFunc{"profile": completeProfiles, "set": completeSets, "go": completeGo} {
		if cmd.Flags().Lookup(flag) != nil {
			_ = cmd.RegisterFlagCompletionFunc(flag, fn)
		}
	}
}
