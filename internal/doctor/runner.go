package doctor

import (
	"context"
	"fmt"
	"time"
)

// Runner runs checks concurrently, each under its own timeout.
type Runner struct {
	// Timeout bounds each check. A check sees it as its context's deadline
	// and should report where it was stuck; a check that ignores its
	// context is abandoned after Grace more.
	Timeout time.Duration
	// Grace is how long the runner waits past Timeout for a check to
	// report its own timeout before giving up on it. Default: Timeout/10,
	// at least 50ms.
	Grace time.Duration
	// Now is the clock used to measure durations (time.Now by default).
	Now func() time.Time
}

// Report is the outcome of a run.
type Report struct {
	Results    []Result      `json:"results"`
	Duration   time.Duration `json:"-"`
	DurationMS int64         `json:"duration_ms"`
	OK         int           `json:"ok"`
	Warnings   int           `json:"warnings"`
	Failures   int           `json:"failures"`
	Skipped    int           `json:"skipped"`
}

// Failed lists the names of the checks that failed.
func (r *Report) Failed() []string {
	var names []string
	for _, res := range r.Results {
		if res.Status == StatusFail {
			names = append(names, res.Name)
		}
	}
	return names
}

// Run runs every check and returns their results in the order given. It
// returns within about Timeout+Grace whatever the checks do.
func (r Runner) Run(ctx context.Context, checks []Check) *Report {
	now := r.Now
	if now == nil {
		now = time.Now
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	grace := r.Grace
	if grace <= 0 {
		grace = max(timeout/10, 50*time.Millisecond)
	}
	start := now()
	type done struct {
		i int
		r Result
	}
	ch := make(chan done, len(checks)) // buffered: an abandoned check never blocks
	limits := make([]time.Duration, len(checks))
	longest := timeout
	for i, c := range checks {
		limits[i] = timeout
		if ot, ok := c.(ownTimeout); ok {
			limits[i] = ot.Timeout(timeout)
		}
		longest = max(longest, limits[i])
	}
	for i, c := range checks {
		go func() {
			cctx, cancel := context.WithTimeout(ctx, limits[i])
			defer cancel()
			t0 := now()
			res := runSafely(cctx, c)
			res.Name = c.Name()
			res.Duration = now().Sub(t0)
			ch <- done{i, res}
		}()
	}
	results := make([]Result, len(checks))
	got := make([]bool, len(checks))
	deadline := time.NewTimer(longest + grace)
	defer deadline.Stop()
wait:
	for n := 0; n < len(checks); n++ {
		select {
		case d := <-ch:
			results[d.i], got[d.i] = d.r, true
		case <-deadline.C:
			break wait
		case <-ctx.Done():
			break wait
		}
	}
	for i, c := range checks {
		if !got[i] {
			results[i] = timedOut(c, limits[i], ctx.Err())
		}
	}
	rep := &Report{Results: results, Duration: now().Sub(start)}
	rep.DurationMS = rep.Duration.Milliseconds()
	for i := range rep.Results {
		res := &rep.Results[i]
		res.DurationMS = res.Duration.Milliseconds()
		switch res.Status {
		case StatusOK:
			rep.OK++
		case StatusWarn:
			rep.Warnings++
		case StatusFail:
			rep.Failures++
		default:
			rep.Skipped++
		}
	}
	return rep
}

// runSafely turns a panicking check into a failed result instead of
// taking the whole run down.
func runSafely(ctx context.Context, c Check) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Status: StatusFail, Saw: fmt.Sprintf("the check crashed: %v", p),
				Fix: "this is a bug in envgen: please report it with the output of 'envgen doctor --json'"}
		}
	}()
	return c.Run(ctx)
}

// ownTimeout is a check that needs another time limit than the run's
// (--deep hashes a whole GOROOT).
type ownTimeout interface {
	Timeout(runDefault time.Duration) time.Duration
}

// timeoutFixer is a check that knows what a hang means for it.
type timeoutFixer interface {
	TimeoutFix() string
}

func timedOut(c Check, timeout time.Duration, ctxErr error) Result {
	if ctxErr != nil {
		return Result{Name: c.Name(), Status: StatusSkip, Saw: "not finished: the run was interrupted"}
	}
	fix := "something this check waits on hangs; run again with a longer --timeout to see whether it is only slow"
	if tf, ok := c.(timeoutFixer); ok {
		fix = tf.TimeoutFix()
	}
	return Result{Name: c.Name(), Status: StatusFail, Saw: fmt.Sprintf("did not finish within %s", timeout), Fix: fix, Duration: timeout}
}
