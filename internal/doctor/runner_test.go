package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type fakeCheck struct {
	name string
	run  func(ctx context.Context) Result
}

func (c fakeCheck) Name() string                   { return c.name }
func (c fakeCheck) Run(ctx context.Context) Result { return c.run(ctx) }

func TestRunnerAbandonsAHangingCheck(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	checks := []Check{
		fakeCheck{"fine", func(context.Context) Result { return Result{Status: StatusOK, Saw: "fine"} }},
		// Ignores its context: only the runner can stop waiting for it.
		fakeCheck{"stuck", func(context.Context) Result { <-block; return Result{Status: StatusOK} }},
		// Honours its context and says where it was.
		fakeCheck{"polite", func(ctx context.Context) Result {
			<-ctx.Done()
			return Result{Status: StatusFail, Saw: "waited for the proxy: " + ctx.Err().Error()}
		}},
		fakeCheck{"crash", func(context.Context) Result { panic("boom") }},
	}
	rep := Runner{Timeout: 50 * time.Millisecond, Grace: 50 * time.Millisecond}.Run(context.Background(), checks)
	want := []struct {
		name   string
		status Status
		saw    string
	}{
		{"fine", StatusOK, "fine"},
		{"stuck", StatusFail, "did not finish within 50ms"},
		{"polite", StatusFail, "waited for the proxy: context deadline exceeded"},
		{"crash", StatusFail, "the check crashed: boom"},
	}
	for i, w := range want {
		r := rep.Results[i]
		if r.Name != w.name || r.Status != w.status || !strings.Contains(r.Saw, w.saw) {
			t.Errorf("result %d = %s %s %q, want %s %s %q", i, r.Name, r.Status, r.Saw, w.name, w.status, w.saw)
		}
	}
	if rep.Failures != 3 || rep.OK != 1 {
		t.Errorf("counts: %d failed, %d ok", rep.Failures, rep.OK)
	}
	if got := rep.Failed(); strings.Join(got, ",") != "stuck,polite,crash" {
		t.Errorf("Failed() = %q", got)
	}
}

// Every network probe hangs: the whole run still ends in about the
// timeout, and each network check says it timed out.
func TestRunEndsWhenEverythingHangs(t *testing.T) {
	w := newWorld(t)
	w.cfg.Timeout = 300 * time.Millisecond
	hang := hangingListener(t)
	w.env["GOPROXY"] = "https://" + hang + "|http://" + hang + ",direct"
	_, vkey := sumKeys(t)
	w.env["GOSUMDB"] = vkey + " https://" + hang
	rep := Run(context.Background(), w.cfg)
	// A generous bound, far from the timeout, so that a slow machine does
	// not fail the test; a runner that waited for the hanging servers
	// would never return at all.
	if rep.Duration > 10*time.Second {
		t.Errorf("run took %s with a %s timeout", rep.Duration, w.cfg.Timeout)
	}
	byName := map[string]Result{}
	for _, r := range rep.Results {
		byName[r.Name] = r
	}
	for _, name := range []string{"goproxy", "sumdb"} {
		if r := byName[name]; r.Status != StatusFail || !strings.Contains(r.Saw, "timed out") && !strings.Contains(r.Saw, "did not finish") {
			t.Errorf("%s: %s %q, want a timeout failure", name, r.Status, r.Saw)
		}
	}
	if r := byName["clock"]; r.Status == StatusOK {
		t.Errorf("clock: ok without any Date header: %q", r.Saw)
	}
	if r := byName["go"]; r.Status != StatusOK {
		t.Errorf("go: %s %q: local checks must not suffer from the network", r.Status, r.Saw)
	}
}

func TestWriteTable(t *testing.T) {
	rep := &Report{
		Results: []Result{
			{Name: "goproxy", Status: StatusFail, Saw: "proxy.example: connection refused", Fix: "go env -w GOPROXY=https://proxy.golang.org,direct", Details: []string{"1. https://proxy.example"}},
			{Name: "modcache", Status: StatusWarn, Saw: "removed 1", Removed: []string{"example.com/a@v1.0.0"}},
			{Name: "clock", Status: StatusOK, Saw: "in sync"},
		},
		Duration: 1234 * time.Millisecond, Failures: 1, Warnings: 1, OK: 1,
	}
	var plain, colour bytes.Buffer
	if err := WriteTable(&plain, rep, false); err != nil {
		t.Fatal(err)
	}
	want := `CHECK     STATUS  SAW
goproxy   fail    proxy.example: connection refused
                  fix: go env -w GOPROXY=https://proxy.golang.org,direct
                  - 1. https://proxy.example
modcache  warn    removed 1
                  removed example.com/a@v1.0.0
clock     ok      in sync

1 failed, 1 warning, 1 ok in 1.234s
`
	if plain.String() != want {
		t.Errorf("plain table:\n%s\nwant:\n%s", plain.String(), want)
	}
	if err := WriteTable(&colour, rep, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(colour.String(), "\x1b[1;31mfail  \x1b[0m") {
		t.Errorf("colour table has no red fail:\n%q", colour.String())
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain table has escape codes")
	}
}

func TestReportJSON(t *testing.T) {
	rep := Runner{Timeout: time.Second}.Run(context.Background(), []Check{
		fakeCheck{"a", func(context.Context) Result { return Result{Status: StatusWarn, Saw: "s", Fix: "f"} }},
	})
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Results []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Saw    string `json:"saw"`
			Fix    string `json:"fix"`
		} `json:"results"`
		Warnings int `json:"warnings"`
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Results) != 1 || back.Results[0].Status != "warn" || back.Results[0].Fix != "f" || back.Warnings != 1 {
		t.Errorf("JSON = %s", data)
	}
}

type slowFakeCheck struct{ fakeCheck }

func (slowFakeCheck) Timeout(time.Duration) time.Duration { return time.Hour }

// A check with its own time limit (--deep) gets it; the others keep the
// run's.
func TestRunnerOwnTimeout(t *testing.T) {
	remaining := func(ctx context.Context) Result {
		dl, ok := ctx.Deadline()
		if ok && time.Until(dl) > time.Minute {
			return Result{Status: StatusOK, Saw: "long"}
		}
		return Result{Status: StatusOK, Saw: "short"}
	}
	rep := Runner{Timeout: time.Second}.Run(context.Background(), []Check{
		slowFakeCheck{fakeCheck{"deep", remaining}},
		fakeCheck{"quick", remaining},
	})
	if rep.Results[0].Saw != "long" || rep.Results[1].Saw != "short" {
		t.Errorf("deadlines: deep %s, quick %s", rep.Results[0].Saw, rep.Results[1].Saw)
	}
}
