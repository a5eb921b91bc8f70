package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/toolchain/toolchaintest"
)

// The toolchain commands' --json output decodes strictly into the types
// envgen help json documents, against a fake proxy and checksum database.
func TestToolchainJSONIsTheDocumentedSchema(t *testing.T) {
	w, err := toolchaintest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("GOPATH", filepath.Join(home, "go"))
	t.Setenv("GOMODCACHE", filepath.Join(home, "go", "pkg", "mod"))
	t.Setenv("GOFLAGS", "-modcacherw")
	t.Setenv("GOPROXY", w.URL)
	t.Setenv("GOSUMDB", w.Key)
	t.Setenv("GOTOOLCHAIN", "local")
	work := t.TempDir()
	bundle := filepath.Join(work, "go.bundle")
	svc := filepath.Join(work, "svc")
	sdk := filepath.Join(work, "sdk", "go1.24.1")
	run := func(t *testing.T, args ...string) []byte {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main(args, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("envgen %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
		}
		return out.Bytes()
	}
	run(t, "init", svc, "--module", "example.com/acme/svc", "--go", "1.24.1", "--no-git")
	for _, tc := range []struct {
		cmd  string
		args []string
	}{
		{"toolchain list", []string{"toolchain", "list", "--json"}},
		{"toolchain bundle", []string{"toolchain", "bundle", "1.24.1", "--all-platforms", "-o", bundle, "--json"}},
		{"toolchain verify --bundle", []string{"toolchain", "verify", "--bundle", bundle, "--key", w.Key, "--json"}},
		{"toolchain install", []string{"toolchain", "install", "--bundle", bundle, "--key", w.Key, "--sdk-dir", sdk, "--json"}},
		{"toolchain verify", []string{"toolchain", "verify", "--bundle", bundle, "--key", w.Key, "--goroot", sdk, "--json"}},
		{"toolchain pin", []string{"toolchain", "pin", "1.24.1", "--proofs", "-C", svc, "--json"}},
		{"toolchain verify --lock", []string{"toolchain", "verify", "--lock", "-C", svc, "--json"}},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			out := run(t, tc.args...)
			var typ reflect.Type
			for _, o := range jsonOutputs {
				for _, c := range strings.Split(o.Commands, ", ") {
					if c == tc.cmd {
						typ = o.Type
					}
				}
			}
			if typ == nil {
				t.Fatalf("envgen help json documents no output for %q", tc.cmd)
			}
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(reflect.New(typ).Interface()); err != nil {
				t.Fatalf("--json output does not match the documented schema: %v\n%s", err, out)
			}
		})
	}
}
