package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/doctor/explain"
)

// newProber makes --probe's prober (tests point it at httptest servers).
var newProber = func() *explain.Prober { return &explain.Prober{} }

// doctorCommandTimeout is the default time limit of envgen doctor -- CMD.
const doctorCommandTimeout = 10 * time.Minute

func newDoctorExplainCmd(s *streams) *cobra.Command {
	var (
		asJSON, probe bool
		timeout       time.Duration
	)
	var causes strings.Builder
	for _, c := range explain.Causes {
		fmt.Fprintf(&causes, "  %-24s %s\n", c, explain.Descriptions[c])
	}
	cmd := &cobra.Command{
		Use:   "explain [FILE|-]",
		Short: "Explain a failed go command's output: the cause, the evidence and the one fix",
		Long: `Read the output of a failed go command (a file, or stdin when FILE is - or
left out; a CI log with other lines around it is fine), find every Go
download failure in it, and print for each: the cause, the evidence (the
lines that matched, the module and host they name, the go command source
that prints them) and the one fix, as a command to copy where there is one.
Several failures are several findings, the most fundamental first (a TLS
interception before the checksum mismatch it causes).

The causes, a fixed vocabulary (the "cause" field of --json):

` + causes.String() + `
When the text cannot tell two causes apart (a certificate "expired or not
yet valid": this machine's clock, or the server's certificate), the finding
says what it could be ("could_be") and how to tell ("how_to_tell").

The log may come from another machine, so nothing is probed unless --probe
is given; then each finding that one probe decides gets it: the local clock
against the proxy's Date header (clock_skew), the issuer of the certificate
chain the server presents (tls_interception), the proxy's version list
against the checksum database's record (mirror_lag).

--json prints one JSON object per finding, one a line:
  cause        one of the causes above
  could_be     the causes the text cannot tell apart (cause is the first)
  how_to_tell  how to decide between them
  summary      what the cause means
  pattern      the table row that matched; go, source: the Go versions and
               the file that print the text
  line         the 1-based line of the first evidence line
  evidence     the matched lines
  module, version, host   what the evidence names
  fix          {text, command}: the one fix, and the command to copy
  see_first    a more fundamental cause found in the same text that can
               produce this failure: fix that one first
  probe        with --probe: {name, target, result, decided, error}
(envgen help json lists every field.)

Exit codes: 0 no Go download failure in the text; 1 one or more found
(explained, or "unknown": a go command error no known cause matches);
2 the file cannot be read.

To run a go command and have its failure explained:
  envgen doctor -- go mod download`,
		Example: `  go mod download 2>&1 | envgen doctor explain
  envgen doctor explain ci.log
  envgen doctor explain --json --probe build.log`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := s.stdin
			name := "stdin"
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usageError(err, "pass a readable file, or - to read stdin")
				}
				defer func() { _ = f.Close() }() // read-only
				in, name = f, args[0]
			}
			fs, err := explain.Explain(in)
			if err != nil {
				return usageError(fmt.Errorf("reading %s: %w", name, err), "pass a readable text file, or - to read stdin")
			}
			if probe {
				ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
				defer cancel()
				newProber().Probe(ctx, fs)
			}
			return writeFindings(s.stdout, fs, asJSON, useColour(s))
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "print one JSON object per finding, one a line")
	fl.BoolVar(&probe, "probe", false, "run, per finding, the one network probe that decides its cause (from this machine)")
	fl.DurationVar(&timeout, "timeout", 10*time.Second, "time limit of all probes together")
	return cmd
}

// writeFindings prints the findings and picks the exit code: 0 none,
// 1 some.
func writeFindings(w io.Writer, fs []explain.Finding, asJSON, colour bool) error {
	var err error
	if asJSON {
		err = explain.WriteJSON(w, fs)
	} else {
		err = explain.WriteText(w, fs, colour)
	}
	if err != nil {
		return err
	}
	if len(fs) == 0 {
		return nil
	}
	var cs []string
	for _, f := range fs {
		cs = append(cs, string(f.Cause))
	}
	return &exitError{code: ExitFailure,
		err:  fmt.Errorf("%d Go download failure(s) found: %s", len(fs), strings.Join(cs, ", ")),
		hint: "apply the fix shown under each finding, most fundamental first"}
}

// doctorArgs: no arguments, or a command after --.
func doctorArgs(cmd *cobra.Command, args []string) error {
	if at := cmd.ArgsLenAtDash(); at >= 0 {
		if at > 0 {
			return usageError(errors.New("arguments before --: "+quoteJoin(args[:at])), "put the command after --: envgen doctor -- go mod download")
		}
		if len(args) == 0 {
			return usageError(errors.New("no command after --"), "name the go command to run: envgen doctor -- go mod download")
		}
		return nil
	}
	return maxArgs(0)(cmd, args)
}

// runDoctorCommand is envgen doctor -- CMD: run CMD under the time limit
// with its output passed through, and on failure explain it on stderr.
// The exit code is CMD's (124 when it ran out of time).
func runDoctorCommand(cmd *cobra.Command, s *streams, f doctorFlags, argv []string) error {
	timeout := f.timeout
	if !cmd.Flags().Changed("timeout") {
		timeout = doctorCommandTimeout
	}
	if timeout <= 0 {
		return usageError(fmt.Errorf("--timeout: %s is not a positive duration", timeout), "pass a duration such as --timeout 10m")
	}
	code, out, timedOut, err := explain.Run(cmd.Context(), argv, s.stdin, s.stdout, s.stderr, timeout)
	if err != nil {
		return usageError(err, "name a command on PATH after --")
	}
	if code == 0 {
		return nil
	}
	fs, err := explain.Explain(strings.NewReader(string(out)))
	if err != nil {
		return err
	}
	colour := isTerminal(s.stderr) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	switch {
	case f.json:
		err = explain.WriteJSON(s.stderr, fs)
	case len(fs) == 0:
		_, err = fmt.Fprintln(s.stderr, "\nenvgen doctor: no Go download failure in its output")
	default:
		fmt.Fprintln(s.stderr, "\nenvgen doctor: why it failed:")
		err = explain.WriteText(s.stderr, fs, colour)
	}
	if err != nil {
		return err
	}
	what := strings.Join(argv, " ")
	if timedOut {
		return &exitError{code: code, err: fmt.Errorf("%s: no result after %s (--timeout)", what, timeout), hint: "raise --timeout, or see the findings above"}
	}
	return &exitError{code: code, err: fmt.Errorf("%s exited %d", what, code), hint: "apply the fix shown under each finding"}
}
