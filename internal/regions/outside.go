package regions

import "bytes"

// Outside returns data with the content of every region removed and the
// marker lines kept: the part of a file that belongs to the user, for
// comparing two versions of it. Data whose markers do not parse is
// returned whole (a copy), since then nothing in it is envgen's.
func Outside(data []byte) []byte {
	rs, err := Parse(data)
	if err != nil {
		return bytes.Clone(data)
	}
	out := make([]byte, 0, len(data))
	prev := 0
	for _, r := range rs {
		out = append(out, data[prev:r.Begin]...)
		prev = r.End
	}
	return append(out, data[prev:]...)
}
