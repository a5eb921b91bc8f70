package doctor

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// ANSI colours for the status column, used only on a terminal.
var statusColour = map[Status]string{
	StatusOK:   "\x1b[32m",   // green
	StatusWarn: "\x1b[33m",   // yellow
	StatusFail: "\x1b[1;31m", // bold red
	StatusSkip: "\x1b[2m",    // dim
}

const colourReset = "\x1b[0m"

// WriteTable prints the report for people: one row per check (name,
// status, what it saw), its fix, details and removals indented below, and
// a summary line. colour adds ANSI colours to the status column.
func WriteTable(w io.Writer, rep *Report, colour bool) error {
	nameWidth := len("CHECK")
	for _, r := range rep.Results {
		nameWidth = max(nameWidth, len(r.Name))
	}
	const statusWidth = 6
	indent := strings.Repeat(" ", nameWidth+2+statusWidth+2)
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s  %-*s  %s\n", nameWidth, "CHECK", statusWidth, "STATUS", "SAW")
	for _, r := range rep.Results {
		status := fmt.Sprintf("%-*s", statusWidth, r.Status)
		if colour {
			status = statusColour[r.Status] + status + colourReset
		}
		fmt.Fprintf(&b, "%-*s  %s  %s\n", nameWidth, r.Name, status, r.Saw)
		if r.Fix != "" {
			fmt.Fprintf(&b, "%sfix: %s\n", indent, r.Fix)
		}
		for _, d := range r.Details {
			fmt.Fprintf(&b, "%s- %s\n", indent, d)
		}
		for _, p := range r.Removed {
			fmt.Fprintf(&b, "%sremoved %s\n", indent, p)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", rep.Summary())
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("doctor report: %w", err)
	}
	return nil
}

// Summary is the report in one line: "1 failed, 2 warnings, 5 ok, 1
// skipped in 1.2s".
func (r *Report) Summary() string {
	var parts []string
	if r.Failures > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", r.Failures))
	}
	if r.Warnings > 0 {
		parts = append(parts, plural(r.Warnings, "warning"))
	}
	parts = append(parts, fmt.Sprintf("%d ok", r.OK))
	if r.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", r.Skipped))
	}
	return strings.Join(parts, ", ") + " in " + r.Duration.Round(time.Millisecond).String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
