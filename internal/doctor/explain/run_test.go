package explain

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// Run passes the output through unchanged, keeps it for Explain, and
// returns the command's exit code.
func TestRunPassesThroughAndKeepsCode(t *testing.T) {
	var out, errb bytes.Buffer
	code, captured, timedOut, err := Run(context.Background(),
		[]string{"sh", "-c", "echo out; echo 'go: module lookup disabled by GOPROXY=off' >&2; exit 3"},
		nil, &out, &errb, time.Minute)
	if err != nil || code != 3 || timedOut {
		t.Fatalf("code %d, timedOut %v, err %v", code, timedOut, err)
	}
	if out.String() != "out\n" || errb.String() != "go: module lookup disabled by GOPROXY=off\n" {
		t.Errorf("stdout %q stderr %q", out.String(), errb.String())
	}
	fs, _ := Explain(bytes.NewReader(captured))
	if len(fs) != 1 || fs[0].Cause != MisconfiguredEnv {
		t.Errorf("findings %+v", fs)
	}
}

func TestRunTimeout(t *testing.T) {
	start := time.Now()
	code, _, timedOut, err := Run(context.Background(), []string{"sleep", "30"}, nil, &bytes.Buffer{}, &bytes.Buffer{}, 200*time.Millisecond)
	if err != nil || !timedOut || code != TimeoutExit || time.Since(start) > 10*time.Second {
		t.Fatalf("code %d, timedOut %v, err %v after %s", code, timedOut, err, time.Since(start))
	}
}

func TestRunNotFound(t *testing.T) {
	_, _, _, err := Run(context.Background(), []string{"no-such-command-envgen"}, nil, &bytes.Buffer{}, &bytes.Buffer{}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "no-such-command-envgen") {
		t.Fatalf("err %v", err)
	}
}

// A command a signal ends exits 128+N, as in a shell.
func TestRunSignalExit(t *testing.T) {
	code, _, _, err := Run(context.Background(), []string{"sh", "-c", "kill -TERM $$"}, nil, &bytes.Buffer{}, &bytes.Buffer{}, time.Minute)
	if err != nil || code != 128+15 {
		t.Fatalf("code %d, err %v", code, err)
	}
}
