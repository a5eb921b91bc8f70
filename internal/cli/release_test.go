package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/toolchain"
)

// A pin must name a release that exists: the embedded list answers
// without the network; a newer one is asked of the checksum database, and
// what it says (or that it could not be asked) decides.
func TestConfirmRelease(t *testing.T) {
	asked := 0
	db := func(found bool, err error) releaseExists {
		return func(context.Context, goversion.Release) (bool, error) { asked++; return found, err }
	}
	for name, tc := range map[string]struct {
		text   string
		exists releaseExists
		code   int
		asks   int
		note   string
	}{
		"known, offline":        {goversion.Default, db(false, errors.New("no network")), exitcode.OK, 0, ""},
		"older known patch":     {"1.25.2", db(false, errors.New("no network")), exitcode.OK, 0, ""},
		"newer, in the db":      {"1.26.12", db(true, nil), exitcode.OK, 1, "newer than envgen's release list"},
		"does not exist":        {"1.26.99", db(false, nil), exitcode.Usage, 1, ""},
		"db cannot be asked":    {"1.26.99", db(false, errors.New("dial tcp: no such host")), exitcode.Failure, 1, ""},
		"unsupported: resolver": {"1.19.1", db(true, nil), exitcode.OK, 0, ""},
	} {
		t.Run(name, func(t *testing.T) {
			asked = 0
			var stderr bytes.Buffer
			err := confirmRelease(context.Background(), &streams{stderr: &stderr}, "--go", tc.text, tc.exists)
			if got := exitcode.Of(err); got != tc.code {
				t.Fatalf("exit %d (%v), want %d", got, err, tc.code)
			}
			if asked != tc.asks {
				t.Errorf("asked the checksum database %d times, want %d", asked, tc.asks)
			}
			if !strings.Contains(stderr.String(), tc.note) {
				t.Errorf("stderr %q, want %q", stderr.String(), tc.note)
			}
		})
	}
}

// --go latest asks the resolver once and says which release it took; any
// other value (init's default among them) asks nothing.
func TestResolveGoLatest(t *testing.T) {
	asked := 0
	newest, _ := goversion.ParseStable(goversion.Default)
	ok := func(context.Context) (toolchain.Proven, error) {
		asked++
		return toolchain.Proven{Release: newest, Listed: true, Proxy: "https://proxy.example", SumDB: "sum.example"}, nil
	}
	for _, text := range []string{goversion.Default, "1.25.4", ""} {
		asked = 0
		var stderr bytes.Buffer
		got, err := resolveGo(context.Background(), &streams{stderr: &stderr}, "--go", text, ok)
		if err != nil || got != text || asked != 0 || stderr.Len() != 0 {
			t.Errorf("resolveGo(%q) = %q, %v; asked %d, stderr %q", text, got, err, asked, stderr.String())
		}
	}
	var stderr bytes.Buffer
	got, err := resolveGo(context.Background(), &streams{stderr: &stderr}, "--go", "latest", ok)
	if err != nil || got != newest.String() || asked != 1 {
		t.Fatalf("resolveGo(latest) = %q, %v (asked %d)", got, err, asked)
	}
	if want := "envgen: note: --go latest is " + newest.Toolchain() + ": the newest release of a supported Go minor"; !strings.HasPrefix(stderr.String(), want) ||
		!strings.Contains(stderr.String(), "that https://proxy.example lists, proven by the checksum database sum.example") {
		t.Errorf("stderr %q, want %q...", stderr.String(), want)
	}

	_, err = resolveGo(context.Background(), &streams{stderr: &stderr}, "--go", "latest", func(ctx context.Context) (toolchain.Proven, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("latest is asked without a timeout")
		}
		return toolchain.Proven{}, errors.New("dial tcp: no such host")
	})
	if exitcode.Of(err) != exitcode.Failure || !strings.Contains(err.Error(), "--go latest: dial tcp") {
		t.Errorf("offline: %v (exit %d)", err, exitcode.Of(err))
	}
}
