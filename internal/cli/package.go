package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/dist"
)

type packageFlags struct {
	dir, format, arch, version, output string
	json                               bool
}

func newPackageCmd(s *streams) *cobra.Command {
	var f packageFlags
	cmd := &cobra.Command{
		Use:   "package",
		Short: "Build the service and package it as a .deb, .rpm or .apk with a systemd unit",
		Long: `Build the project's service (static, for linux) and package it with the
metadata of its profile's packaging section (staging and production have one):

    /usr/bin/NAME                         the service
    /usr/lib/systemd/system/NAME.service  a hardened unit; runs as the system user
                                          NAME, which the install script creates
    /etc/NAME/*.yaml                      the project's config/ files
    /etc/NAME/NAME.env                    APP_ENV, APP_CONFIG_DIR=/etc/NAME, secrets
                                          (mode 0600)

The files under /etc/NAME are config files: upgrades keep your edits.

A fresh install does not start the service: edit /etc/NAME/NAME.env, then
'systemctl enable --now NAME'. An upgrade restarts it if it runs.

The package version is --version, else the newest v* git tag of the project,
else ` + dist.DefaultServiceVersion + `. The go command must be able to build the project
(its modules come from your GOPROXY).`,
		Example: `  envgen package                          # bin/NAME_VERSION_amd64.deb
  envgen package --format rpm --arch arm64
  envgen package -C services/orders --version 1.4.0 -o dist`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := dist.PackageService(cmd.Context(), dist.ServiceOptions{
				Dir: f.dir, Format: f.format, Arch: f.arch, Version: f.version, OutDir: f.output, OpenSource: openStarter,
			})
			if err != nil {
				return err
			}
			if f.json {
				return writeJSON(s.stdout, res)
			}
			fmt.Fprintf(s.stdout, "built %s (%s %s, profile %s, linux/%s)\n", res.Package, res.Name, res.Version, res.Profile, res.Arch)
			tw := tabwriter.NewWriter(s.stdout, 0, 0, 2, ' ', 0)
			for _, pf := range res.Files {
				kind := ""
				if pf.Config {
					kind = "config"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", pf.Mode, pf.Path, kind)
			}
			return tw.Flush()
		},
	}
	fl := cmd.Flags()
	projectDirFlag(fl, &f.dir, "the project folder (holds envgen.lock)", "dir")
	fl.StringVar(&f.format, "format", "deb", "package format: deb, rpm or apk")
	fl.StringVar(&f.arch, "arch", "amd64", "architecture: amd64 or arm64")
	fl.StringVar(&f.version, "version", "", "package version, e.g. 1.4.0 (default: newest v* git tag, else "+dist.DefaultServiceVersion+")")
	fl.StringVarP(&f.output, "output", "o", "", "folder for the package (default: DIR/bin)")
	fl.BoolVar(&f.json, "json", false, "print the result as JSON")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(dist.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("arch", cobra.FixedCompletions(dist.Archs, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
