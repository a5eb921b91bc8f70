package regions

import (
	"bytes"
	"fmt"
)

// markerKind says what a line is: ordinary text, or a begin or end marker.
type markerKind int

const (
	notMarker markerKind = iota
	beginMarker
	endMarker
)

func (k markerKind) String() string {
	if k == beginMarker {
		return "envgen:begin"
	}
	return "envgen:end"
}

// blanks may surround the parts of a marker.
const blanks = " \t\r"

// commentSyntaxes are the comment forms a marker may be written in: a line
// comment (Go, YAML, shell, Makefile, Dockerfile, .env) or an HTML comment
// (Markdown).
var commentSyntaxes = []struct{ open, close string }{
	{"<!--", "-->"},
	{"//", ""},
	{"#", ""},
}

// parseMarker reads one line, without its line ending. A marker is a whole
// line: optional indentation, a comment opener, "envgen:begin" or
// "envgen:end", the region name, and the comment's closer if it has one.
// A line that starts like a marker but is not a well-formed one is an
// error rather than text, so that a typo cannot silently turn a region
// into the user's text. A stray "\r" counts as a blank, so that whether a
// line is a marker does not depend on its line ending.
func parseMarker(line []byte) (markerKind, string, error) {
	rest := bytes.TrimLeft(line, blanks)
	for _, c := range commentSyntaxes {
		body, ok := bytes.CutPrefix(rest, []byte(c.open))
		if !ok {
			continue
		}
		body = bytes.TrimLeft(body, blanks)
		kind, body := keyword(body)
		if kind == notMarker {
			return notMarker, "", nil
		}
		body = bytes.TrimRight(body, blanks)
		if c.close != "" {
			var closed bool
			if body, closed = bytes.CutSuffix(body, []byte(c.close)); !closed {
				return kind, "", fmt.Errorf("%s marker must end with %q on the same line", kind, c.close)
			}
			body = bytes.TrimRight(body, blanks)
		}
		name := string(bytes.TrimLeft(body, blanks))
		if !validName(name) {
			return kind, "", fmt.Errorf("%s needs one region name of a-z, 0-9 and '-', got %q", kind, name)
		}
		return kind, name, nil
	}
	return notMarker, "", nil
}

// keyword recognises "envgen:begin" or "envgen:end" at the start of body,
// followed by a blank or by nothing, and returns what follows it.
func keyword(body []byte) (markerKind, []byte) {
	for _, k := range []markerKind{beginMarker, endMarker} {
		after, ok := bytes.CutPrefix(body, []byte(k.String()))
		if ok && (len(after) == 0 || bytes.IndexByte([]byte(blanks), after[0]) >= 0) {
			return k, after
		}
	}
	return notMarker, nil
}

// validName reports whether name matches [a-z0-9-]+.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}
