package lintfloor

import (
	"path"
	"strconv"
	"strings"
)

// keyPath locates a node: mapping keys, and "[i]" for the i-th item of a
// sequence (its index in the user's file, so that a message points at the
// line the user wrote).
type keyPath []string

func (p keyPath) key(k string) keyPath { return append(p[:len(p):len(p)], k) }

func (p keyPath) index(i int) keyPath {
	return append(p[:len(p):len(p)], "["+strconv.Itoa(i)+"]")
}

// String gives the dotted form used in messages: linters.exclusions.rules[3].
func (p keyPath) String() string {
	if len(p) == 0 {
		return "(the whole file)"
	}
	var b strings.Builder
	for i, s := range p {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// parent is the path without a trailing index: where a sequence item is.
func (p keyPath) parent() keyPath {
	if n := len(p); n > 0 && strings.HasPrefix(p[n-1], "[") {
		return p[:n-1]
	}
	return p
}

// pattern is a key path pattern of the silencer table, in the same dotted
// form: each key is matched with path.Match (so "exclude*" matches
// "exclude-rules"), "[]" matches any item of a sequence, and a final "**"
// matches the key itself and everything below it.
type pattern []string

func compilePattern(s string) pattern {
	var out pattern
	for _, seg := range strings.Split(s, ".") {
		if k, ok := strings.CutSuffix(seg, "[]"); ok {
			out = append(out, k, "[]")
			continue
		}
		out = append(out, seg)
	}
	return out
}

func (pat pattern) match(p keyPath) bool {
	for i, seg := range pat {
		if seg == "**" {
			return true
		}
		if i >= len(p) {
			return false
		}
		isIndex := strings.HasPrefix(p[i], "[")
		switch {
		case seg == "[]":
			if !isIndex {
				return false
			}
		case isIndex:
			return false
		default:
			if ok, err := path.Match(seg, p[i]); err != nil || !ok {
				return false
			}
		}
	}
	return len(pat) == len(p)
}
