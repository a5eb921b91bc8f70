package cli

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/envgen/envgen/internal/dist"
	"github.com/envgen/envgen/internal/doctor"
	"github.com/envgen/envgen/internal/doctor/explain"
	"github.com/envgen/envgen/internal/starter"
	"github.com/envgen/envgen/internal/toolchain"
	"github.com/envgen/envgen/internal/workflow"
	"github.com/envgen/envgen/profiles"
)

// jsonOutput is what one command prints with --json: the Go type is the
// schema, so the documentation cannot drift from the output (a test
// decodes each command's output strictly into its type).
type jsonOutput struct {
	Commands string
	Type     reflect.Type
	Note     string
}

var jsonOutputs = []jsonOutput{
	{"init", reflect.TypeFor[initOutput](), ""},
	{"sync, sync --check, diff, status", reflect.TypeFor[workflow.SyncResult](), "drift is what --check fails on; edited and behind say why"},
	{"sync --abort", reflect.TypeFor[workflow.AbortResult](), ""},
	{"version", reflect.TypeFor[versionInfo](), ""},
	{"profile list", reflect.TypeFor[[]profiles.Profile](), ""},
	{"profile show", reflect.TypeFor[profiles.Profile](), ""},
	{"doctor", reflect.TypeFor[doctor.Report](), ""},
	{"doctor explain, doctor --", reflect.TypeFor[explain.Finding](), "one object per finding, one a line; doctor -- CMD prints them on stderr"},
	{"toolchain list", reflect.TypeFor[toolchainList](), ""},
	{"toolchain pin", reflect.TypeFor[toolchain.PinResult](), "sync is the sync's result (as sync --json) in an envgen project"},
	{"toolchain install", reflect.TypeFor[toolchain.InstallResult](), "progress events go to stderr, one JSON object a line"},
	{"toolchain verify", reflect.TypeFor[toolchain.VerifyResult](), "witness names what proved it: the checksum database, or a bundle"},
	{"toolchain verify --bundle", reflect.TypeFor[bundleCheck](), "with --bundle FILE and nothing else to verify: the bundle itself"},
	{"toolchain verify --lock", reflect.TypeFor[toolchain.LockVerdict](), ""},
	{"toolchain bundle", reflect.TypeFor[toolchain.BundleResult](), ""},
	{"package", reflect.TypeFor[dist.ServiceResult](), ""},
	{"template lint", reflect.TypeFor[starter.LintReport](), ""},
	{"template test", reflect.TypeFor[starter.TestReport](), ""},
}

// toolchainList is toolchain list's output.
type toolchainList struct {
	Source   string              `json:"source"`
	Releases []toolchain.Release `json:"releases"`
}

// writeJSONSchemas prints every command's --json output as a field tree.
func writeJSONSchemas(w io.Writer) {
	fmt.Fprintln(w, "What each command prints with --json (stdout; errors stay on stderr).")
	fmt.Fprintln(w, "Fields marked ? may be left out; new fields may be added, none removed")
	fmt.Fprintln(w, "or renamed within a major version.")
	for _, o := range jsonOutputs {
		fmt.Fprintf(w, "\n%s:\n", o.Commands)
		if o.Note != "" {
			fmt.Fprintf(w, "  (%s)\n", o.Note)
		}
		writeType(w, o.Type, "  ", map[reflect.Type]bool{})
	}
}

func writeType(w io.Writer, t reflect.Type, indent string, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		fmt.Fprintf(w, "%s[] of %s\n", indent, kindName(t.Elem()))
		writeFields(w, elemStruct(t.Elem()), indent+"  ", seen)
	default:
		writeFields(w, t, indent, seen)
	}
}

// writeFields lists a struct's JSON fields (embedded structs inline).
func writeFields(w io.Writer, t reflect.Type, indent string, seen map[reflect.Type]bool) {
	if t == nil || t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	defer delete(seen, t)
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || f.Anonymous && name == "" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := ""
		if strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			optional = "?"
		}
		fmt.Fprintf(w, "%s%-*s %s\n", indent, 24-len(indent), name+optional, kindName(f.Type))
		writeFields(w, elemStruct(f.Type), indent+"  ", seen)
	}
}

func elemStruct(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t != reflect.TypeFor[time.Time]() {
		return t
	}
	return nil
}

func kindName(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return "string (RFC 3339 time)"
	case t == reflect.TypeFor[time.Duration]():
		return "integer (nanoseconds)"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return kindName(t.Elem())
	case reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string (base64)"
		}
		return "array of " + kindName(t.Elem())
	case reflect.Map:
		return "object of " + kindName(t.Elem())
	case reflect.Interface:
		return "any"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	default:
		return t.Kind().String()
	}
}
