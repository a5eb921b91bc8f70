package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Each command's --json output decodes strictly (no field the schema
// does not document) into the type `envgen help json` documents for it.
func TestJSONOutputIsTheDocumentedSchema(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	t.Setenv("GOPROXY", "off")
	t.Setenv("HOME", t.TempDir())
	run := func(t *testing.T, args ...string) []byte {
		t.Helper()
		var out, errb bytes.Buffer
		// 0, 1 (a failed doctor check), 3 (drift): each still prints its JSON.
		if code := Main(args, strings.NewReader(""), &out, &errb); code == 2 || code > 3 {
			t.Fatalf("envgen %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
		}
		return out.Bytes()
	}
	schema := func(cmd string) reflect.Type {
		for _, o := range jsonOutputs {
			for _, c := range strings.Split(o.Commands, ", ") {
				if c == cmd {
					return o.Type
				}
			}
		}
		t.Fatalf("envgen help json documents no output for %q", cmd)
		return nil
	}
	for _, tc := range []struct {
		cmd  string
		args []string
	}{
		{"init", []string{"init", dir, "--module", "example.com/acme/svc", "--no-git", "--json"}},
		{"sync --check", []string{"sync", "-C", dir, "--check", "--json"}},
		{"sync", []string{"sync", "-C", dir, "--set", "http_port=9000", "--json"}},
		{"diff", []string{"diff", "-C", dir, "--profile", "staging", "--json"}},
		{"status", []string{"status", "-C", dir, "--json"}},
		{"sync --abort", []string{"sync", "-C", dir, "--abort", "--json"}},
		{"version", []string{"version", "--json"}},
		{"profile list", []string{"profile", "list", "--json"}},
		{"profile show", []string{"profile", "show", "production", "--json"}},
		{"doctor", []string{"doctor", "-C", dir, "--offline", "--json"}},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			out := run(t, tc.args...)
			v := reflect.New(schema(tc.cmd))
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v.Interface()); err != nil {
				t.Fatalf("--json output does not match the documented schema: %v\n%s", err, out)
			}
		})
	}
}

// Every command with --json has its output documented.
func TestEveryJSONFlagIsDocumented(t *testing.T) {
	documented := map[string]bool{}
	for _, o := range jsonOutputs {
		for _, c := range strings.Split(o.Commands, ", ") {
			documented[strings.Fields(c)[0]+" "+strings.Join(strings.Fields(c)[1:], " ")] = true
			documented[c] = true
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("json") != nil {
			if name := strings.TrimSpace(commandPath(c)); !documented[name] {
				t.Errorf("envgen %s has --json but envgen help json does not document it", name)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&streams{stdout: io.Discard, stderr: io.Discard}))
}
