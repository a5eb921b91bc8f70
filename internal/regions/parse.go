package regions

import "bytes"

// line is one line of a file: its number, where it starts, and where its
// content ends and the next line starts (after "\n" or "\r\n").
type line struct {
	num              int
	start, end, next int
	crlf             bool
}

// lines splits data into lines. A last line without a line ending counts;
// an empty file has none.
func lines(data []byte) []line {
	var ls []line
	for start, num := 0, 1; start < len(data); num++ {
		l := line{num: num, start: start, end: len(data), next: len(data)}
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			l.end, l.next = start+i, start+i+1
			if l.end > start && data[l.end-1] == '\r' {
				l.end--
				l.crlf = true
			}
		}
		ls = append(ls, l)
		start = l.next
	}
	return ls
}

// Parse finds the regions of data, in file order. Its errors are
// *SyntaxError and name the line: a begin or end marker without its
// partner, a begin inside another region (regions do not nest), a name
// used twice, an end that names another region, or a malformed marker.
func Parse(data []byte) ([]Region, error) {
	rs, _, err := parse(data)
	return rs, err
}

// parse is Parse that also reports, per region, whether its begin marker
// line ends in "\r\n".
func parse(data []byte) ([]Region, []bool, error) {
	var (
		regions []Region
		crlf    []bool
		open    *Region
		openAt  int
		seen    = map[string]int{} // name -> line of its begin marker
	)
	for _, l := range lines(data) {
		kind, name, err := parseMarker(data[l.start:l.end])
		if err != nil {
			return nil, nil, syntaxErrorf(l.num, "%v", err)
		}
		switch kind {
		case beginMarker:
			if open != nil {
				return nil, nil, syntaxErrorf(l.num, "envgen:begin %s inside region %s (begun on line %d): regions do not nest", name, open.Name, openAt)
			}
			if first, dup := seen[name]; dup {
				return nil, nil, syntaxErrorf(l.num, "region %s again (first begun on line %d): names are unique within a file", name, first)
			}
			seen[name] = l.num
			open, openAt = &Region{Name: name, Begin: l.next}, l.num
			crlf = append(crlf, l.crlf)
		case endMarker:
			switch {
			case open == nil:
				return nil, nil, syntaxErrorf(l.num, "envgen:end %s without an envgen:begin %s before it", name, name)
			case open.Name != name:
				return nil, nil, syntaxErrorf(l.num, "envgen:end %s, but the open region is %s (begun on line %d)", name, open.Name, openAt)
			}
			open.End = l.start
			regions = append(regions, *open)
			open = nil
		default: // notMarker: an ordinary line
		}
	}
	if open != nil {
		return nil, nil, syntaxErrorf(openAt, "envgen:begin %s has no envgen:end %s", open.Name, open.Name)
	}
	return regions, crlf, nil
}
