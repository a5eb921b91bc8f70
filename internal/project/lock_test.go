package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const goodHash = "sha256:0000000000000000000000000000000000000000000000000000000000000000"

func lockWith(files string) string {
	return `{"schema":2,"envgen":"t","template":{"name":"x","version":"1","kind":"builtin"},"profile":"development",` +
		`"inputs":{"module":"example.com/x","name":"x","go":"1.26.3"},"toolchain":{"version":"go1.26.3"},"files":` + files + `}`
}

// Every way a pull request can bend envgen.lock is refused before any
// work, with the entry named.
func TestParseLockRefusesUntrustedInput(t *testing.T) {
	entry := func(path, hash string) string {
		return `[{"path":` + strconvQuote(path) + `,"mode":"managed","hash":"` + hash + `"}]`
	}
	for name, tc := range map[string]struct{ data, want string }{
		"unknown field":     {`{"schema":2,"colour":"red"}`, "unknown field"},
		"schema zero":       {strings.Replace(lockWith("[]"), `"schema":2`, `"schema":0`, 1), "schema"},
		"files null":        {lockWith("null"), "files: missing or null"},
		"trailing garbage":  {lockWith("[]") + `{"x":1}`, "data after the JSON document"},
		"md5 hash":          {lockWith(entry("Makefile", "md5:00")), `files[0]: Makefile: hash "md5:00"`},
		"short hash":        {lockWith(entry("Makefile", "sha256:00")), "files[0]"},
		"escaping path":     {lockWith(entry("../x", goodHash)), "outside the project"},
		"absolute path":     {lockWith(entry("/etc/passwd", goodHash)), "not a relative"},
		"git config":        {lockWith(entry(".git/config", goodHash)), "git's folder"},
		"git head any case": {lockWith(entry(".GIT/HEAD", goodHash)), "git's folder"},
		"git trailing dot":  {lockWith(entry(".git./hooks/pre-commit", goodHash)), "git's folder"},
		"git hfs ignorable": {lockWith(entry(".g\u200cit/config", goodHash)), "git's folder"},
		"git short name":    {lockWith(entry("GIT~1/config", goodHash)), "git's folder"},
		"nested git":        {lockWith(entry("vendor/x/.git/config", goodHash)), "git's folder"},
		"own state":         {lockWith(entry(".envgen/lock", goodHash)), "reserved"},
		"the lock itself":   {lockWith(entry("envgen.lock", goodHash)), "reserved"},
		"unclean path":      {lockWith(entry("a//b", goodHash)), "not a clean path"},
		"duplicate": {lockWith(`[{"path":"a","mode":"once","hash":"` + goodHash + `"},{"path":"a","mode":"once","hash":"` + goodHash + `"}]`),
			"files[1]: a is listed twice"},
		"bad mode":       {lockWith(`[{"path":"a","mode":"owned","hash":"` + goodHash + `"}]`), "unknown mode"},
		"object value":   {strings.Replace(lockWith("[]"), `"name":"x","go"`, `"name":"x","set":{"port":{"a":1}},"go"`, 1), `variable "port"`},
		"missing module": {strings.Replace(lockWith("[]"), `"module":"example.com/x",`, ``, 1), "inputs.module"},
		"too large":      {lockWith("[]") + strings.Repeat(" ", MaxLockSize), "more than"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseLock([]byte(tc.data))
			if err == nil {
				t.Fatal("accepted")
			}
			le, ok := errors.AsType[*LockError](err)
			if !ok || le.ExitCode() != 2 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (%T); want a LockError containing %q", err, err, tc.want)
			}
		})
	}
}

// A lock from a newer envgen names the envgen to install.
func TestParseLockFromANewerEnvgen(t *testing.T) {
	data := strings.Replace(strings.Replace(lockWith("[]"), `"schema":2`, fmt.Sprintf(`"schema":%d`, LockSchema+1), 1), `"envgen":"t"`, `"envgen":"v0.9.0","features":["x"]`, 1)
	_, err := ParseLock([]byte(data))
	ne, ok := errors.AsType[*NewerLockError](err)
	if !ok || ne.ExitCode() != 2 || !strings.Contains(ne.Hint(), "envgen@v0.9.0") || !strings.Contains(err.Error(), "written by envgen v0.9.0") {
		t.Fatalf("err = %v (%T)", err, err)
	}
}

func TestParseLockKeepsTypes(t *testing.T) {
	data := strings.Replace(lockWith("[]"), `"name":"x","go"`, `"name":"x","set":{"replicas":1000000,"zip":"007","on":true},"go"`, 1)
	l, err := ParseLock([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if l.Inputs.Set["replicas"] != json.Number("1000000") || l.Inputs.Set["zip"] != "007" || l.Inputs.Set["on"] != true {
		t.Errorf("set = %#v", l.Inputs.Set)
	}
	out, err := l.Marshal()
	if err != nil || !strings.Contains(string(out), `"replicas": 1000000`) {
		t.Errorf("marshal: %v\n%s", err, out)
	}
}

// FuzzParseLock: whatever the bytes, ParseLock never panics, and a lock
// it accepts has only safe paths and round-trips through Marshal.
func FuzzParseLock(f *testing.F) {
	f.Add([]byte(lockWith("[]")))
	f.Add([]byte(lockWith(`[{"path":"a/b","mode":"merged","hash":"` + goodHash + `","exec":true}]`)))
	f.Add([]byte(lockWith(`[{"path":".git/config","mode":"managed","hash":"` + goodHash + `"}]`)))
	f.Add([]byte(lockWith("null")))
	f.Add([]byte(`{"schema":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLock(data)
		if err != nil {
			return
		}
		for _, e := range l.Files {
			if err := CheckPath(e.Path); err != nil {
				t.Fatalf("accepted an unsafe path %q: %v", e.Path, err)
			}
		}
		out, err := l.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseLock(out)
		if err != nil {
			t.Fatalf("a marshalled lock does not parse again: %v\n%s", err, out)
		}
		if len(again.Files) != len(l.Files) {
			t.Fatal("round trip lost files")
		}
	})
}

func strconvQuote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always encodes
	}
	return string(b)
}

// A lock is written in the oldest schema that holds it: toolchain proofs
// need schema 3, and a lock without them stays readable by envgens that
// read schema 2. Proofs are validated as the rest of the lock is.
func TestLockSchemaFollowsWhatItHolds(t *testing.T) {
	l, err := ParseLock([]byte(lockWith("[]")))
	if err != nil {
		t.Fatal(err)
	}
	data, err := l.Marshal()
	if err != nil || !strings.Contains(string(data), `"schema": 2`) {
		t.Fatalf("without proofs: %v\n%s", err, data)
	}
	l.Toolchain = ToolchainPin{Version: "go1.27.4", Hashes: map[string]string{"linux-amd64": "h1:x"},
		Proofs: ToolchainProofsFile, ProofsHash: HashBytes([]byte("proofs"))}
	data, err = l.Marshal()
	if err != nil || !strings.Contains(string(data), `"schema": 3`) {
		t.Fatalf("with proofs: %v\n%s", err, data)
	}
	if _, err := ParseLock(data); err != nil {
		t.Fatalf("a schema 3 lock with proofs: %v", err)
	}
	for name, bend := range map[string]func(string) string{
		"schema 2 with proofs": func(s string) string { return strings.Replace(s, `"schema": 3`, `"schema": 2`, 1) },
		"proofs elsewhere":     func(s string) string { return strings.Replace(s, ToolchainProofsFile, "../proofs.bundle", 1) },
		"proofs without hash":  func(s string) string { return strings.Replace(s, HashBytes([]byte("proofs")), "md5:x", 1) },
	} {
		if _, err := ParseLock([]byte(bend(string(data)))); !errors.As(err, new(*LockError)) {
			t.Errorf("%s: %v, want a LockError", name, err)
		}
	}
}
