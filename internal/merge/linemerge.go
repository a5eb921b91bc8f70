package merge

import "bytes"

// lineMerge is the line-level three-way merge of three texts: the lines
// of each and the ranges where they differ (entries, in order). Outside
// the entries the merge is local's lines.
type lineMerge struct {
	base, local, next []string
	entries           []entry
}

// mergeLines merges line by line. zealous refines conflicts (see
// refine); without it the result is exactly git merge-file's. A file
// added on both sides (empty base) stays one conflict: there is no common
// ancestor to tell which of the agreed lines belong together.
func mergeLines(base, local, next []byte, zealous bool) *lineMerge {
	m := &lineMerge{base: splitLines(base), local: splitLines(local), next: splitLines(next)}
	in := interner{}
	bi, li, ni := in.ids(m.base), in.ids(m.local), in.ids(m.next)
	dl, dn := diff(bi, li), diff(bi, ni)
	m.entries = merge3(bi, li, ni, dl, dn)
	if zealous && len(m.base) > 0 {
		m.entries = newRefiner(li, ni, dl, dn).refine(m.entries)
	}
	return m
}

// sides returns the base, local and next lines of an entry.
func (m *lineMerge) sides(e entry) (o, a, b []string) {
	return m.base[e.o : e.o+e.no], m.local[e.a : e.a+e.na], m.next[e.b : e.b+e.nb]
}

// resolution returns the lines an entry contributes to the merge:
// the changed side, or nil for a conflict.
func (m *lineMerge) resolution(e entry) []string {
	switch e.kind {
	case takeLocal:
		return m.local[e.a : e.a+e.na]
	case takeNext:
		return m.next[e.b : e.b+e.nb]
	default: // conflicted
		return nil
	}
}

// render writes the merge. pick gives the lines for entry i; ok false
// means "write conflict markers". It returns the conflicts it wrote.
func (m *lineMerge) render(pick func(i int, e entry) ([]string, bool)) ([]byte, []Conflict) {
	var b bytes.Buffer
	var conflicts []Conflict
	line, at := 1, 0 // next output line number, next local line to copy
	for i, e := range m.entries {
		line += writeLines(&b, m.local[at:e.a])
		if lines, ok := pick(i, e); ok {
			line += writeLines(&b, lines)
		} else {
			o, a, n := m.sides(e)
			conflicts = append(conflicts, Conflict{Path: lineLabel(line), Detail: lineDetail(o, a, n)})
			line += writeConflict(&b, o, a, n, m.needsCR(e))
		}
		at = e.a + e.na
	}
	writeLines(&b, m.local[at:])
	return b.Bytes(), conflicts
}

// text renders the merge with every conflict as markers.
func (m *lineMerge) text() Result {
	data, conflicts := m.render(func(_ int, e entry) ([]string, bool) {
		return m.resolution(e), e.kind != conflicted
	})
	return Result{Data: data, Conflicts: conflicts}
}

func writeLines(b *bytes.Buffer, lines []string) int {
	for _, l := range lines {
		b.WriteString(l)
	}
	return len(lines)
}

// needsCR tells whether the markers of a conflict end in CRLF: when the
// lines around it do on both sides and the base does (git's rule, so
// that a CRLF file stays CRLF).
func (m *lineMerge) needsCR(e entry) bool {
	crlf := eolCRLF(m.local, max(e.a-1, 0))
	if crlf != 0 {
		crlf = eolCRLF(m.next, max(e.b-1, 0))
	}
	if crlf != 0 {
		crlf = eolCRLF(m.base, 0)
	}
	return crlf > 0
}

// eolCRLF is 1 if line i ends in CRLF, 0 if in LF, -1 if it cannot tell
// (no lines, or a lone last line without newline). A last line without
// newline goes by the line before it.
func eolCRLF(lines []string, i int) int {
	if len(lines) == 0 {
		return -1
	}
	crlf := func(l string) int {
		if len(l) > 1 && l[len(l)-2] == '\r' {
			return 1
		}
		return 0
	}
	if i < len(lines)-1 {
		return crlf(lines[i])
	}
	if l := lines[i]; len(l) > 0 && l[len(l)-1] == '\n' {
		return crlf(l)
	}
	if i == 0 {
		return -1
	}
	return crlf(lines[i-1])
}
