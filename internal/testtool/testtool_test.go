package testtool

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder stands in for the test: it records how Missing ends it.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.fatal = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Skip(args ...any)  { r.skip = fmt.Sprint(args...); runtime.Goexit() }

func endOf(t *testing.T, name string) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Require(r, name, "apt-get install it")
	}()
	<-done
	return r
}

func TestMissingToolFailsOnCIAndSkipsElsewhere(t *testing.T) {
	const absent = "envgen-no-such-tool"
	t.Setenv("CI", "true")
	if r := endOf(t, absent); r.fatal == "" || r.skip != "" || !strings.Contains(r.fatal, "apt-get install it") {
		t.Errorf("on CI: fatal %q, skip %q; want a failure with the hint", r.fatal, r.skip)
	}
	t.Setenv("CI", "")
	if r := endOf(t, absent); r.skip == "" || r.fatal != "" {
		t.Errorf("off CI: fatal %q, skip %q; want a skip", r.fatal, r.skip)
	}
	if r := endOf(t, "sh"); r.fatal != "" || r.skip != "" {
		t.Errorf("a present tool ended the test: %+v", r)
	}
}
