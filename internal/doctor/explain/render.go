package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON prints one JSON object (a Finding) per line.
func WriteJSON(w io.Writer, fs []Finding) error {
	enc := json.NewEncoder(w)
	for _, f := range fs {
		if err := enc.Encode(f); err != nil {
			return fmt.Errorf("explain: writing JSON: %w", err)
		}
	}
	return nil
}

// WriteText prints the findings for a person; colour adds ANSI colours
// (only for a terminal).
func WriteText(w io.Writer, fs []Finding, colour bool) error {
	paint := func(code, s string) string {
		if !colour {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	var b strings.Builder
	if len(fs) == 0 {
		b.WriteString("no Go download failure found\n")
	}
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n")
		}
		name := string(f.Cause)
		if len(f.CouldBe) > 0 {
			var cs []string
			for _, c := range f.CouldBe {
				cs = append(cs, string(c))
			}
			name = strings.Join(cs, " or ")
		}
		fmt.Fprintf(&b, "%s %s: %s\n", paint("1;31", fmt.Sprintf("%d.", i+1)), paint("1", name), f.Summary)
		fmt.Fprintf(&b, "   evidence (line %d", f.Line)
		if f.Pattern != "" {
			fmt.Fprintf(&b, ", %s, printed by %s, Go %s", f.Pattern, f.Source, f.Go)
		}
		b.WriteString("):\n")
		for _, l := range f.Evidence {
			fmt.Fprintf(&b, "     %s\n", strings.ReplaceAll(l, "\t", "    "))
		}
		var named []string
		if f.Module != "" {
			mv := f.Module
			if f.Version != "" {
				mv += "@" + f.Version
			}
			named = append(named, "module "+mv)
		}
		if f.Host != "" {
			named = append(named, "host "+f.Host)
		}
		if len(named) > 0 {
			fmt.Fprintf(&b, "   names: %s\n", strings.Join(named, ", "))
		}
		if f.HowToTell != "" {
			fmt.Fprintf(&b, "   how to tell: %s\n", f.HowToTell)
		}
		if f.Probe != nil {
			if f.Probe.Error != "" {
				fmt.Fprintf(&b, "   probe %s (%s) failed: %s\n", f.Probe.Name, f.Probe.Target, f.Probe.Error)
			} else {
				fmt.Fprintf(&b, "   probe %s (%s): %s\n", f.Probe.Name, f.Probe.Target, f.Probe.Result)
			}
		}
		if f.SeeFirst != "" {
			fmt.Fprintf(&b, "   see first: the %s finding above can cause this one; fix it first\n", f.SeeFirst)
		}
		fmt.Fprintf(&b, "   fix: %s\n", f.Fix.Text)
		if f.Fix.Command != "" {
			fmt.Fprintf(&b, "     %s\n", paint("32", f.Fix.Command))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("explain: writing the report: %w", err)
	}
	return nil
}
