package lintfloor

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// adopt returns a document holding a copy of want laid out like doc: the
// comments and styles of doc's entries wherever doc has the same entry
// with the same value, and doc's order of keys and items (equal ignores
// order, so this changes nothing of the value). Entries doc lacks keep
// their own comments and follow the entry they follow in want. The
// encodings of doc and of the result then differ only where values do.
func adopt(want, doc *yaml.Node) *yaml.Node {
	out := emptyLike(doc)
	root := clone(want)
	if len(doc.Content) > 0 {
		adoptInto(root, doc.Content[0])
	}
	out.Content = []*yaml.Node{root}
	return out
}

func adoptInto(w, f *yaml.Node) {
	f = deref(f)
	if f == nil || f.Kind != w.Kind || w.Kind == yaml.ScalarNode && !equal(w, f) {
		return
	}
	w.HeadComment, w.LineComment, w.FootComment = f.HeadComment, f.LineComment, f.FootComment
	w.Style = f.Style
	switch w.Kind {
	case yaml.MappingNode:
		n := len(w.Content) / 2
		match := make([]int, n)
		for i := range n {
			match[i] = -1
			for j := 0; j+1 < len(f.Content); j += 2 {
				if f.Content[j].Value == w.Content[2*i].Value {
					match[i] = j / 2
					adoptInto(w.Content[2*i], f.Content[j])
					adoptInto(w.Content[2*i+1], f.Content[j+1])
					break
				}
			}
		}
		order := followOrder(match)
		content := make([]*yaml.Node, 0, len(w.Content))
		for _, i := range order {
			content = append(content, w.Content[2*i], w.Content[2*i+1])
		}
		w.Content = content
	case yaml.SequenceNode:
		used := make([]bool, len(f.Content))
		match := make([]int, len(w.Content))
		for i, item := range w.Content {
			match[i] = -1
			for j, x := range f.Content {
				if !used[j] && equal(item, x) {
					used[j], match[i] = true, j
					adoptInto(item, x)
					break
				}
			}
		}
		// An item changed on the way (an exclusion rule without the linters
		// it may not exclude, an entry of next the user had edited) stands
		// where the user's version stood: paired with an unmatched item of
		// doc that has one key with the same value.
		for i, item := range w.Content {
			for j, x := range f.Content {
				if match[i] < 0 && !used[j] && shareEntry(item, x) {
					used[j], match[i] = true, j
					adoptInto(item, x)
				}
			}
		}
		order := followOrder(match)
		content := make([]*yaml.Node, 0, len(w.Content))
		for _, i := range order {
			content = append(content, w.Content[i])
		}
		w.Content = content
	default: // scalars (equal, see above), aliases, documents: nothing below to adopt
	}
}

// shareEntry reports whether two mappings have a key with the same value.
func shareEntry(a, b *yaml.Node) bool {
	a, b = deref(a), deref(b)
	if a.Kind != yaml.MappingNode || b.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(a.Content); i += 2 {
		if equal(a.Content[i+1], mapGet(b, a.Content[i].Value)) {
			return true
		}
	}
	return false
}

// followOrder orders the entries of want given match, each entry's index
// in doc or -1: the matched ones in doc's order, each followed by the
// unmatched ones that follow it in want; unmatched ones before any matched
// one come first.
func followOrder(match []int) []int {
	var head []int
	tails := map[int][]int{} // by doc index of the matched entry before
	last := -1
	var matched []int
	for i, m := range match {
		switch {
		case m >= 0:
			last = m
			matched = append(matched, i)
		case last < 0:
			head = append(head, i)
		default:
			tails[last] = append(tails[last], i)
		}
	}
	slices.SortFunc(matched, func(a, b int) int { return match[a] - match[b] })
	order := head
	for _, i := range matched {
		order = append(order, i)
		order = append(order, tails[match[i]]...)
	}
	return order
}
