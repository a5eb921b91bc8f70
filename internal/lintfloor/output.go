package lintfloor

import (
	"gopkg.in/yaml.v3"
)

// render chooses the bytes for want, keeping as much of the user's text as
// it can. Comments and layout are not policy, so the first candidate that
// parses to exactly want's value wins:
//
//  1. local itself: nothing to change (comment-only and layout-only edits
//     are not drift);
//  2. local, base and next merged line by line, as git merge-file does:
//     the user's comments and next's changes, where they touch different
//     lines;
//  3. that merge (taking next's side of any conflict), or else local, with
//     the rest of the way to want applied as a text change (see fixup):
//     the silencers come out, restored entries go back in, the text around
//     them stays;
//  4. next itself: nothing of the user's is left;
//  5. want encoded by yaml.v3, with the comments of the best text above
//     on the entries it shares (blank lines are lost).
func render(base, local, next []byte, want *yaml.Node, nextDoc *yaml.Node) ([]byte, error) {
	fits := func(data []byte) bool {
		_, root, err := parse(data)
		return err == nil && equal(root, want)
	}
	if fits(local) {
		return local, nil
	}
	// closest is the text most like the result: the user's, with next's
	// changes merged in (next's side where both changed the same lines).
	closest := local
	if base != nil {
		merged, clean := mergeLines(base, local, next)
		if clean && fits(merged) {
			return merged, nil
		}
		if _, root, err := parse(merged); err == nil && root != nil {
			closest = merged
		}
	}
	for _, text := range [][]byte{closest, local} {
		if fixed, ok := fixup(text, want); ok && fits(fixed) {
			return fixed, nil
		}
	}
	if fits(next) {
		return next, nil
	}
	doc, _, err := parse(closest)
	if err != nil || doc == nil {
		doc = nextDoc
	}
	return encode(adopt(want, doc))
}

// fixup edits text toward want without rewriting it: yaml.v3 encodes the
// text's own tree and want (given the text's comments wherever it has the
// same entry), so the two encodings differ in values only; that
// difference, merged line by line into text, leaves the user's layout and
// comments wherever the values stay. yaml.v3 drops blank lines, so the
// merge ignores them (see mergeIgnoringBlanks). ok is false if the merge
// conflicts.
func fixup(text []byte, want *yaml.Node) ([]byte, bool) {
	doc, _, err := parse(text)
	if err != nil || doc == nil {
		return nil, false
	}
	encText, err := encode(doc)
	if err != nil {
		return nil, false
	}
	encWant, err := encode(adopt(want, doc))
	if err != nil {
		return nil, false
	}
	return mergeIgnoringBlanks(encText, text, encWant)
}
