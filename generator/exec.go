package generator

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"text/template"
	"text/template/parse"
	"time"
)

// How a render stays within its Caps:
//
//   - Output: every template executes into a capBuffer, which refuses the
//     write that would pass the per-file cap (or what is left of the total
//     cap). text/template stops at a writer's error, so a template that
//     multiplies its output (defines calling defines) stops there.
//   - Functions: every function a template may call is wrapped (see
//     capfuncs.go). Before the call the wrapper estimates, from the
//     arguments, what the call will allocate (repeat: count times the
//     string; until: the count; join: the separator times the list; ...)
//     and refuses a call above the per-file cap, before it allocates. After
//     the call it measures the result, so that no value above the cap (or
//     nested too deep, or referring to itself) reaches the next call.
//   - Time: the render has one deadline. It is checked by every write and
//     every function call. envgen also inserts an empty text node at the
//     top of every range body and of every template: text/template writes
//     it (nothing, allocating nothing), so the deadline is checked on every
//     iteration and every template call, and a range over a huge number or
//     templates calling each other are stopped although they neither write
//     nor call a function. A single function call can still run long
//     (sprig's uniq compares every pair): Render runs the render in a
//     goroutine and stops waiting shortly after the deadline. That
//     goroutine stops at its next check; only the call in progress runs
//     to its end, on arguments the caps bound.

// backstopGrace is how long after the deadline Render waits for the
// render to notice the deadline itself (with a precise error) before it
// stops waiting.
const backstopGrace = 500 * time.Millisecond

// renderer executes a render's templates within its caps.
type renderer struct {
	caps     Caps
	deadline time.Time
	funcs    template.FuncMap // the capped functions
	total    int64            // bytes rendered so far
	files    int
	current  atomic.Pointer[string] // the template being executed
}

func newRenderer(allowed []string, caps Caps) *renderer {
	caps = caps.withDefaults()
	rd := &renderer{caps: caps, deadline: time.Now().Add(caps.MaxTemplateTime)}
	rd.funcs = cappedFuncMap(FuncMapAllowing(allowed), rd)
	return rd
}

// check is the deadline check.
func (rd *renderer) check() error {
	if time.Now().After(rd.deadline) {
		return rd.timeError()
	}
	return nil
}

func (rd *renderer) timeError() *capError {
	return &capError{key: CapTime, problem: fmt.Sprintf("the render takes longer than %s, the render time limit (%s)",
		rd.caps.MaxTemplateTime, CapTime)}
}

// within runs fn, the whole render, and returns its result; if fn has not
// returned shortly after the deadline, within stops waiting and says which
// template was being executed. A panic in fn is re-raised here.
func within[T any](rd *renderer, fn func() (T, error)) (T, error) {
	type result struct {
		v     T
		err   error
		panic any
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res.panic = p
			}
			done <- res
		}()
		res.v, res.err = fn()
	}()
	timer := time.NewTimer(time.Until(rd.deadline) + backstopGrace)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.panic != nil {
			panic(res.panic)
		}
		return res.v, res.err
	case <-timer.C:
		var zero T
		name := "(none)"
		if p := rd.current.Load(); p != nil {
			name = *p
		}
		ce := rd.timeError()
		return zero, &InputError{Subject: "template " + name, Problem: ce.problem, Hint: raiseHint(ce)}
	}
}

// newTemplate starts a template with the capped functions.
func (rd *renderer) newTemplate(name string) *template.Template {
	return template.New(name).Funcs(rd.funcs).Option("missingkey=error")
}

// execute runs a parsed template, with the deadline checks inserted,
// into a buffer of at most limit bytes and returns what it wrote; hint is
// the size it probably writes (its source's). over makes the error for a
// write past limit.
func (rd *renderer) execute(name string, t *template.Template, data any, hint int, limit int64, over func(need int64) *capError) ([]byte, error) {
	rd.current.Store(&name)
	if err := rd.check(); err != nil {
		return nil, err
	}
	instrument(t)
	b := &capBuffer{limit: limit, hint: hint, over: over, rd: rd}
	if err := t.Execute(b, data); err != nil {
		return nil, err //nolint:wrapcheck // every caller wraps it with the template's name
	}
	return b.Bytes(), nil
}

// findCapError finds the cap behind an execution error, if one is.
func findCapError(err error) (*capError, bool) {
	return errors.AsType[*capError](err)
}

// capBuffer is the writer templates execute into: it refuses the write
// that would take it past limit bytes, and checks the deadline. It holds
// what was written in chunks that grow geometrically and never copies
// them until Bytes, so a template stopped at the cap has allocated the
// cap, once.
type capBuffer struct {
	chunks [][]byte
	n      int64 // bytes written
	hint   int   // size of the first chunk
	limit  int64
	over   func(need int64) *capError
	rd     *renderer
}

func (b *capBuffer) Write(p []byte) (int, error) {
	if err := b.rd.check(); err != nil {
		return 0, err
	}
	need := b.n + int64(len(p))
	if need > b.limit {
		return 0, b.over(need)
	}
	written := len(p)
	for len(p) > 0 {
		last := len(b.chunks) - 1
		if last < 0 || len(b.chunks[last]) == cap(b.chunks[last]) {
			size := min(max(int64(b.hint), b.n, 512), 4<<20, b.limit-b.n)
			b.chunks = append(b.chunks, make([]byte, 0, size))
			last++
		}
		k := min(cap(b.chunks[last])-len(b.chunks[last]), len(p))
		b.chunks[last] = append(b.chunks[last], p[:k]...)
		p = p[k:]
	}
	b.n = need
	return written, nil
}

// Bytes is everything written.
func (b *capBuffer) Bytes() []byte {
	switch len(b.chunks) {
	case 0:
		return nil
	case 1:
		return b.chunks[0]
	}
	out := make([]byte, 0, b.n)
	for _, c := range b.chunks {
		out = append(out, c...)
	}
	return out
}

// instrument inserts the deadline check at the top of every template of
// t's set and of every range body in them: the only ways a template
// repeats work without writing or calling a function.
func instrument(t *template.Template) {
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Root == nil {
			continue
		}
		if instrumented(tt.Root) {
			continue
		}
		instrumentList(tt.Root)
		prependCheck(tt.Root)
	}
}

func instrumented(l *parse.ListNode) bool {
	if len(l.Nodes) == 0 {
		return false
	}
	n, ok := l.Nodes[0].(*parse.TextNode)
	return ok && n.Text == nil
}

func instrumentList(l *parse.ListNode) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ListNode:
			instrumentList(n)
		case *parse.IfNode:
			instrumentList(n.List)
			instrumentList(n.ElseList)
		case *parse.WithNode:
			instrumentList(n.List)
			instrumentList(n.ElseList)
		case *parse.RangeNode:
			instrumentList(n.List)
			instrumentList(n.ElseList)
			if n.List != nil {
				prependCheck(n.List)
			}
		}
	}
}

// prependCheck puts an empty text node first in l: executing it writes
// nothing, to the capBuffer, which checks the deadline. (Text nil tells it
// from the empty text nodes the parser makes, which hold []byte{}.)
func prependCheck(l *parse.ListNode) {
	check := &parse.TextNode{NodeType: parse.NodeText, Pos: l.Pos}
	l.Nodes = append([]parse.Node{check}, l.Nodes...)
}

// execLocation is NAME:LINE:COL of an execution error, when it has one.
func execLocation(err error) string {
	ee, ok := errors.AsType[template.ExecError](err)
	if !ok {
		return ""
	}
	msg, ok := strings.CutPrefix(ee.Err.Error(), "template: ")
	if !ok {
		return ""
	}
	loc, _, ok := strings.Cut(msg, ": executing")
	if !ok {
		return ""
	}
	return loc
}
