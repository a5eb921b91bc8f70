package release

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// Shells are the shells `envgen completion` writes scripts for.
var Shells = []string{"bash", "zsh", "fish", "powershell"}

// WriteCompletion writes root's completion script for shell to w. The
// script calls the program back (its hidden __complete command), so it
// completes flags, profile names and files as the installed binary knows them.
func WriteCompletion(root *cobra.Command, shell string, w io.Writer, descriptions bool) error {
	var err error
	switch shell {
	case "bash":
		err = root.GenBashCompletionV2(w, descriptions)
	case "zsh":
		if descriptions {
			err = root.GenZshCompletion(w)
		} else {
			err = root.GenZshCompletionNoDesc(w)
		}
	case "fish":
		err = root.GenFishCompletion(w, descriptions)
	case "powershell":
		if descriptions {
			err = root.GenPowerShellCompletionWithDesc(w)
		} else {
			err = root.GenPowerShellCompletion(w)
		}
	default:
		return fmt.Errorf("unknown shell %q (valid: %s)", shell, strings.Join(Shells, ", "))
	}
	if err != nil {
		return fmt.Errorf("%s completion: %w", shell, err)
	}
	return nil
}

// ManPage is one gzipped section-1 man page.
type ManPage struct {
	Name string // envgen-init.1.gz
	Gzip []byte
}

// ManPages renders a man page for root and each of its visible
// subcommands, dated date (the build date, so the pages are reproducible).
func ManPages(root *cobra.Command, version string, date time.Time) ([]ManPage, error) {
	root.DisableAutoGenTag = true // the tag carries today's date
	header := &doc.GenManHeader{
		Section: "1",
		Date:    &date,
		Source:  "envgen " + version,
		Manual:  "envgen manual",
	}
	var pages []ManPage
	var walk func(*cobra.Command) error
	walk = func(cmd *cobra.Command) error {
		if !cmd.IsAvailableCommand() && cmd != root || cmd.IsAdditionalHelpTopicCommand() || cmd.Name() == "help" {
			return nil
		}
		var page bytes.Buffer
		h := *header // GenMan fills Title per command
		if err := doc.GenMan(cmd, &h, &page); err != nil {
			return fmt.Errorf("man page of %s: %w", cmd.CommandPath(), err)
		}
		gz, err := gzipBytes(page.Bytes())
		if err != nil {
			return err
		}
		pages = append(pages, ManPage{Name: strings.ReplaceAll(cmd.CommandPath(), " ", "-") + ".1.gz", Gzip: gz})
		for _, sub := range cmd.Commands() {
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	slices.SortFunc(pages, func(a, b ManPage) int { return strings.Compare(a.Name, b.Name) })
	return pages, nil
}

// gzipBytes compresses data with no name and no time in the header, so
// the same page always gives the same bytes.
func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if _, err := zw.Write(data); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return b.Bytes(), nil
}
