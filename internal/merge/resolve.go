package merge

import "gopkg.in/yaml.v3"

// Resolving the line merge against the structural one: look for a choice
// of lines for every range of the line merge such that the text parses
// to the value the structural merge computed. Every byte of such a text
// comes from one of the three files, so what nobody changed stays as it
// was, comments and blank lines included.

// searchBudget caps how many texts are parsed: searchWork lines in all,
// at most maxSearches texts. Realistic merges need one (the line merge
// was right) or a few (a conflict of two new keys next to each other);
// the cap keeps pathological ones fast, they then fall back.
const (
	searchWork  = 100_000
	maxSearches = 300
	minSearches = 16
)

func searchBudget(lines int) int {
	return min(maxSearches, max(minSearches, searchWork/max(lines, 1)))
}

// target is a value some text must have; fixed gives, for ranges whose
// lines are not searched (they hold a real conflict), the side to take.
type target struct {
	value *yaml.Node
	fixed func(e entry) []string
}

type resolver struct {
	lm      *lineMerge
	parse   func([]byte) (*document, error)
	c       *canon
	stream  bool // the documents are compared as streams (see root)
	repair  func(lines []string, after string) []string
	targets []target
	real    map[int]bool
	cands   [][][]string // per entry, nil for real ones
	room    []int        // the highest cost entries i and after can add
	evals   int
	budget  int
}

// resolve returns, per entry, the index of the chosen candidate, or false
// if no text within the budget has the target values.
func (r *resolver) resolve() ([]int, bool) {
	n := len(r.lm.entries)
	r.cands = make([][][]string, n)
	r.room = make([]int, n+1)
	for i, e := range r.lm.entries {
		if !r.real[i] {
			r.cands[i] = r.lm.candidates(e, r.repair)
		}
	}
	for i := n - 1; i >= 0; i-- {
		r.room[i] = r.room[i+1] + max(len(r.cands[i])-1, 0)
	}
	r.budget = searchBudget(len(r.lm.local) + len(r.lm.next))
	choice := make([]int, n)
	for cost := 0; cost <= r.room[0]; cost++ {
		if r.assign(choice, 0, cost) {
			return choice, true
		}
		if r.evals >= r.budget {
			break
		}
	}
	return nil, false
}

// assign tries every choice from entry i on whose candidate indices add
// up to cost: the choices closest to the plain line merge come first.
func (r *resolver) assign(choice []int, i, cost int) bool {
	if r.evals >= r.budget || cost > r.room[i] {
		return false
	}
	if i == len(choice) {
		return r.matches(choice)
	}
	if r.cands[i] == nil {
		choice[i] = 0
		return r.assign(choice, i+1, cost)
	}
	for k := 0; k < len(r.cands[i]) && k <= cost; k++ {
		choice[i] = k
		if r.assign(choice, i+1, cost-k) {
			return true
		}
	}
	choice[i] = 0
	return false
}

func (r *resolver) matches(choice []int) bool {
	for _, t := range r.targets {
		r.evals++
		data, _ := r.lm.render(func(i int, e entry) ([]string, bool) {
			if r.real[i] {
				return t.fixed(e), true
			}
			return r.cands[i][choice[i]], true
		})
		d, err := r.parse(data)
		if err != nil || !r.c.equal(d.root(r.stream), t.value) {
			return false
		}
	}
	return true
}
