package regions

import "bytes"

// Apply returns local with the content of each of its regions replaced by
// the content of the region of the same name in rendered: the user's text
// outside the regions stays byte for byte.
//
// changed names the regions whose content differed, in local's order.
// missing names the regions of rendered that local lacks (the user removed
// the markers), in rendered's order; local is left as is for those. A
// region of local that rendered no longer has is left as is too.
//
// When local's begin marker line of a region ends in "\r\n" and
// rendered's in "\n", or the other way round, the new content is converted
// to local's line ending, so that a CRLF checkout stays CRLF.
//
// An error is a *FileError wrapping a *SyntaxError: local's or rendered's
// markers do not parse. out is then nil.
func Apply(local, rendered []byte) (out []byte, changed, missing []string, err error) {
	lrs, lcrlf, err := parse(local)
	if err != nil {
		return nil, nil, nil, &FileError{File: "the local file", Err: err}
	}
	rrs, rcrlf, err := parse(rendered)
	if err != nil {
		return nil, nil, nil, &FileError{File: "the render", Err: err}
	}

	type source struct {
		content []byte
		crlf    bool
	}
	want := make(map[string]source, len(rrs))
	for i, r := range rrs {
		want[r.Name] = source{rendered[r.Begin:r.End], rcrlf[i]}
	}

	var b bytes.Buffer
	prev := 0
	inLocal := make(map[string]bool, len(lrs))
	for i, r := range lrs {
		inLocal[r.Name] = true
		w, ok := want[r.Name]
		if !ok {
			continue
		}
		content := w.content
		if w.crlf != lcrlf[i] {
			content = convertEndings(content, lcrlf[i])
		}
		if bytes.Equal(content, local[r.Begin:r.End]) {
			continue
		}
		if changed == nil {
			b.Grow(len(local) + len(rendered))
		}
		b.Write(local[prev:r.Begin])
		b.Write(content)
		prev = r.End
		changed = append(changed, r.Name)
	}
	for _, r := range rrs {
		if !inLocal[r.Name] {
			missing = append(missing, r.Name)
		}
	}
	if changed == nil {
		return bytes.Clone(local), nil, missing, nil
	}
	b.Write(local[prev:])
	return b.Bytes(), changed, missing, nil
}

// convertEndings rewrites every line ending of content to "\r\n" (toCRLF)
// or to "\n".
func convertEndings(content []byte, toCRLF bool) []byte {
	lf := bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n"))
	if !toCRLF {
		return lf
	}
	return bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
}
