package goenv

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseProxy(t *testing.T) {
	tests := []struct {
		in      string
		want    []ProxyEntry
		wantErr bool
	}{
		{"https://proxy.golang.org,direct", []ProxyEntry{{URL: "https://proxy.golang.org"}, {Direct: true}}, false},
		// ',' falls through on 404/410 only, '|' on any error.
		{"https://a.example|https://b.example,https://c.example", []ProxyEntry{
			{URL: "https://a.example", FallbackOnAnyError: true}, {URL: "https://b.example"}, {URL: "https://c.example"}}, false},
		{"off", []ProxyEntry{{Off: true}}, false},
		// off and direct end the list.
		{"https://a.example,off,https://b.example", []ProxyEntry{{URL: "https://a.example"}, {Off: true}}, false},
		{"direct,https://b.example", []ProxyEntry{{Direct: true}}, false},
		// A bare host gets https://, spaces and empty entries are ignored.
		{" goproxy.cn , ,direct", []ProxyEntry{{URL: "https://goproxy.cn"}, {Direct: true}}, false},
		{"http://127.0.0.1:3000|file:///srv/proxy", []ProxyEntry{{URL: "http://127.0.0.1:3000", FallbackOnAnyError: true}, {URL: "file:///srv/proxy"}}, false},
		{",", nil, true},
		{"", nil, true},
		{"ftp://x.example", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseProxy(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseProxy(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseProxy(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseSumDB(t *testing.T) {
	_, vkey, err := note.GenerateKey(nil, "sumdb.example.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		want    SumDB
		wantErr bool
	}{
		{"sum.golang.org", SumDB{Name: "sum.golang.org", Key: GoSumDBKey}, false},
		{"sum.golang.org https://sum.example.net/db/", SumDB{Name: "sum.golang.org", Key: GoSumDBKey, URL: "https://sum.example.net/db"}, false},
		{"sum.golang.google.cn", SumDB{Name: "sum.golang.org", Key: GoSumDBKey, URL: "https://sum.golang.google.cn"}, false},
		{GoSumDBKey, SumDB{Name: "sum.golang.org", Key: GoSumDBKey}, false},
		{vkey, SumDB{Name: "sumdb.example.com", Key: vkey}, false},
		{vkey + " http://127.0.0.1:8080", SumDB{Name: "sumdb.example.com", Key: vkey, URL: "http://127.0.0.1:8080"}, false},
		{"off", SumDB{Off: true}, false},
		{"", SumDB{}, true},
		{"sum.example.com", SumDB{}, true}, // unknown name without a key
		{"a b c", SumDB{}, true},
		{GoSumDBKey + " not-a-url", SumDB{}, true},
	}
	for _, tt := range tests {
		got, err := ParseSumDB(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseSumDB(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSumDB(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	goroot := filepath.Join(dir, "goroot")
	userFile := filepath.Join(dir, "user.env")
	write(t, filepath.Join(goroot, "go.env"), "# comment\nGOPROXY=https://goroot.example\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=local\n")
	write(t, userFile, "GOPROXY=https://user.example|direct\nGOPRIVATE=corp.example\nbad line\n")

	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, e *Env)
	}{
		{"environment wins", map[string]string{"GOENV": userFile, "GOPROXY": "https://env.example", "HOME": dir}, func(t *testing.T, e *Env) {
			eq(t, "ProxyRaw", e.ProxyRaw, "https://env.example")
			eq(t, "Source", e.Source["GOPROXY"], "env")
		}},
		{"user file over go.env", map[string]string{"GOENV": userFile, "HOME": dir}, func(t *testing.T, e *Env) {
			eq(t, "ProxyRaw", e.ProxyRaw, "https://user.example|direct")
			if !e.Proxy[0].FallbackOnAnyError || !e.Proxy[1].Direct {
				t.Errorf("Proxy = %+v", e.Proxy)
			}
			eq(t, "Toolchain", e.Toolchain, "local") // from go.env
			eq(t, "Source", e.Source["GOTOOLCHAIN"], "goroot")
			// GONOSUMDB and GONOPROXY default to GOPRIVATE.
			eq(t, "NoSumDB", e.NoSumDB, "corp.example")
			eq(t, "NoProxy", e.NoProxy, "corp.example")
		}},
		{"GOENV=off skips the user file", map[string]string{"GOENV": "off", "HOME": dir}, func(t *testing.T, e *Env) {
			eq(t, "ProxyRaw", e.ProxyRaw, "https://goroot.example")
			eq(t, "EnvFile", e.EnvFile, "")
		}},
		{"empty variable falls through", map[string]string{"GOENV": "off", "GOPROXY": "", "HOME": dir}, func(t *testing.T, e *Env) {
			eq(t, "ProxyRaw", e.ProxyRaw, "https://goroot.example")
		}},
		{"default user file under XDG_CONFIG_HOME", map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "xdg"), "HOME": dir}, func(t *testing.T, e *Env) {
			eq(t, "EnvFile", e.EnvFile, filepath.Join(dir, "xdg", "go", "env"))
		}},
		{"module cache from GOPATH", map[string]string{"GOENV": "off", "GOPATH": "/gp1" + string(os.PathListSeparator) + "/gp2"}, func(t *testing.T, e *Env) {
			eq(t, "ModCache", e.ModCache, filepath.FromSlash("/gp1/pkg/mod"))
		}},
		{"module cache default", map[string]string{"GOENV": "off", "HOME": "/home/u"}, func(t *testing.T, e *Env) {
			eq(t, "ModCache", e.ModCache, filepath.FromSlash("/home/u/go/pkg/mod"))
		}},
		{"explicit GOMODCACHE, GOFLAGS, GOINSECURE, GONOSUMDB", map[string]string{"GOENV": "off", "GOMODCACHE": "/mc", "GOFLAGS": "-modcacherw", "GOINSECURE": "*", "GOPRIVATE": "a.example", "GONOSUMDB": "b.example"}, func(t *testing.T, e *Env) {
			eq(t, "ModCache", e.ModCache, "/mc")
			eq(t, "Flags", e.Flags, "-modcacherw")
			eq(t, "Insecure", e.Insecure, "*")
			eq(t, "NoSumDB", e.NoSumDB, "b.example")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Load(mapEnv(tt.env), goroot)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "GOROOT", e.GOROOT, goroot)
			tt.check(t, e)
		})
	}
}

func TestLoadDefaults(t *testing.T) {
	// No go.env at all: the go command's documented defaults.
	e, err := Load(mapEnv(map[string]string{"GOENV": "off", "HOME": "/h"}), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ProxyRaw", e.ProxyRaw, DefaultProxy)
	eq(t, "SumDB.Name", e.SumDB.Name, "sum.golang.org")
	eq(t, "SumDB.Key", e.SumDB.Key, GoSumDBKey)
	eq(t, "Toolchain", e.Toolchain, DefaultToolchain)
}

func TestLoadReportsBadValues(t *testing.T) {
	e, err := Load(mapEnv(map[string]string{"GOENV": "off", "GOSUMDB": "nonsense.example"}), t.TempDir())
	if err == nil {
		t.Fatal("Load accepted GOSUMDB=nonsense.example")
	}
	if e == nil || e.ProxyRaw != DefaultProxy {
		t.Errorf("Load did not fill in the rest: %+v", e)
	}
}

func TestNoSumDBFor(t *testing.T) {
	tests := []struct {
		nosumdb, private, path string
		want                   bool
	}{
		{"", "corp.example", "corp.example/x", true}, // GOPRIVATE implies GONOSUMDB
		{"", "corp.example", "corpXexample/x", false},
		{"*.corp.example", "", "git.corp.example/team/x", true},
		{"b.example", "a.example", "a.example/x", false}, // explicit GONOSUMDB replaces GOPRIVATE's default
		{"", "", "golang.org/toolchain", false},
	}
	for _, tt := range tests {
		env := map[string]string{"GOENV": "off", "GOPRIVATE": tt.private, "GONOSUMDB": tt.nosumdb}
		e, err := Load(mapEnv(env), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if got := e.NoSumDBFor(tt.path); got != tt.want {
			t.Errorf("GONOSUMDB=%q GOPRIVATE=%q NoSumDBFor(%q) = %v, want %v", tt.nosumdb, tt.private, tt.path, got, tt.want)
		}
	}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}
