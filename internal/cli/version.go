package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/version"
)

// versionInfo is what `envgen version` reports.
type versionInfo struct {
	version.Info
	DefaultGo   string   `json:"default_go"`
	SupportedGo []string `json:"supported_go"`
	// UpstreamGo are the minors the Go team supports now (the two newest
	// envgen's release list knows); older supported ones render with a
	// warning.
	UpstreamGo []string `json:"upstream_supported_go"`
}

func newVersionCmd(s *streams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "version",
		Example: `  envgen version
  envgen version --json`,
		Short: "Print envgen's version and the Go releases it pins",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := versionInfo{Info: version.Get(), DefaultGo: goversion.Default, SupportedGo: goversion.Supported, UpstreamGo: goversion.UpstreamSupported()}
			if asJSON {
				return writeJSON(s.stdout, info)
			}
			fmt.Fprintf(s.stdout, "envgen %s\n", info.Version)
			if info.Commit != "" {
				fmt.Fprintf(s.stdout, "commit:     %s\n", info.Commit)
			}
			if info.Date != "" {
				fmt.Fprintf(s.stdout, "built:      %s\n", info.Date)
			}
			fmt.Fprintf(s.stdout, "built with: %s\n", info.GoVersion)
			fmt.Fprintf(s.stdout, "default Go: %s (pinned by init unless --go is given)\n", info.DefaultGo)
			fmt.Fprintf(s.stdout, "supports:   Go %s\n", goversion.SupportedText())
			up := make([]string, len(info.UpstreamGo))
			for i, m := range info.UpstreamGo {
				up[i] = m + ".x"
			}
			fmt.Fprintf(s.stdout, "upstream:   Go %s are supported by the Go team; older minors render with a warning\n", strings.Join(up, " and "))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}
