package merge

import (
	"bytes"
	"fmt"
	"strings"
)

// Conflict markers, as git writes them with merge.conflictStyle=diff3:
// the user's lines, the common base, then envgen's.
const (
	markerLocal  = "<<<<<<< local"
	markerBase   = "||||||| base"
	markerSep    = "======="
	markerEnvgen = ">>>>>>> envgen"
)

// writeConflict writes one conflict block and returns how many lines it
// took. A side whose last line has no newline gets one, so that the next
// marker starts a line of its own.
func writeConflict(b *bytes.Buffer, base, local, next []string, crlf bool) int {
	eol := "\n"
	if crlf {
		eol = "\r\n"
	}
	n := 0
	block := func(marker string, lines []string) {
		b.WriteString(marker + eol)
		n++
		for _, l := range lines {
			b.WriteString(l)
			n++
		}
		if k := len(lines); k > 0 && !strings.HasSuffix(lines[k-1], "\n") {
			b.WriteString(eol)
		}
	}
	block(markerLocal, local)
	block(markerBase, base)
	block(markerSep, next)
	b.WriteString(markerEnvgen + eol)
	return n + 1
}

// HasMarkers reports whether data still holds conflict markers written
// by this package: a line that is exactly the opening or the closing
// marker. "=======" alone does not count: Markdown uses it for headings.
func HasMarkers(data []byte) bool {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if string(line) == markerLocal || string(line) == markerEnvgen {
			return true
		}
	}
	return false
}

func lineLabel(n int) string { return fmt.Sprintf("line %d", n) }

// lineDetail says what happened to a conflicting range of lines.
func lineDetail(base, local, next []string) string {
	switch {
	case len(base) == 0:
		return "added on both sides with different content"
	case len(local) == 0:
		return "removed locally, changed by the template"
	case len(next) == 0:
		return "edited locally, removed by the template"
	}
	return "changed differently on both sides"
}
