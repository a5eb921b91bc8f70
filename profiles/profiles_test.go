package profiles

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinProfilesResolve(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(set.Names(), ","); got != "development,production,staging" {
		t.Fatalf("Names() = %s; the abstract base profile must be hidden", got)
	}
	prod, err := set.Get("production")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(prod.Chain, ">"); got != "production>staging>base" {
		t.Errorf("chain = %s", got)
	}
	// inherited from staging, overridden in production, kept from base
	if !prod.Settings.Alertmanager.Enabled {
		t.Error("production lost alertmanager.enabled inherited from staging")
	}
	if prod.Settings.Compose.Restart != "always" || prod.Settings.Lint.Strictness != 3 {
		t.Errorf("production overrides not applied: %+v", prod.Settings)
	}
	if _, ok := prod.Variables["http_port"]; !ok {
		t.Error("production lost the http_port variable declared by base")
	}
	dev, _ := set.Get("development")
	if dev.Settings.Lint.Strictness >= prod.Settings.Lint.Strictness {
		t.Error("lint must be stricter in production than in development")
	}
}

func testSet(t *testing.T, files map[string]string) *Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	set, err := Load(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	return set
}

const validSettings = `
settings:
  app_env: production
  compose: {restart: "no"}
  lint: {strictness: 2, run_timeout: 1m}
`

func TestThreeLevelExtendsDeepMerges(t *testing.T) {
	set := testSet(t, map[string]string{
		"a.yaml": "name: a\nabstract: true" + validSettings + "variables:\n  x: {type: int, default: 1}\n",
		"b.yaml": "name: b\nextends: a\nsettings:\n  compose: {tls: true}\n  lint: {strictness: 3}\nvariables:\n  y: {type: bool}\n",
		"c.yaml": "name: c\nextends: b\nsettings:\n  compose: {restart: always}\n",
	})
	c, err := set.Get("c")
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings
	if s.Compose.Restart != "always" || !s.Compose.TLS || s.Lint.Strictness != 3 || s.Lint.RunTimeout != "1m" || s.AppEnv != "production" {
		t.Errorf("merged settings wrong: %+v", s)
	}
	if len(c.Variables) != 2 {
		t.Errorf("variables = %v; want x and y", c.Variables.Names())
	}
}

func TestExtendsErrors(t *testing.T) {
	cycle := testSet(t, map[string]string{
		"a.yaml": "name: a\nextends: c\n",
		"b.yaml": "name: b\nextends: a\n",
		"c.yaml": "name: c\nextends: b\n",
	})
	_, err := cycle.Get("a")
	if err == nil || !strings.Contains(err.Error(), "extends cycle: a -> c -> b -> a") {
		t.Errorf("cycle: err = %v", err)
	}
	orphan := testSet(t, map[string]string{"a.yaml": "name: a\nextends: ghost\n"})
	if _, err := orphan.Get("a"); err == nil || !strings.Contains(err.Error(), `extends "ghost", which does not exist`) {
		t.Errorf("unknown parent: err = %v", err)
	}
	if _, err := orphan.Get("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown profile: err = %v; want ErrUnknown", err)
	}
}

func TestStrictDecoding(t *testing.T) {
	for name, content := range map[string]string{
		"unknown top-level key": "name: a\ncolour: red\n",
		"unknown setting":       "name: a\nsettings:\n  compose: {restrat: always}\n",
		"bad variable type":     "name: a\nvariables:\n  v: {type: float}\n",
		"default breaks rules":  "name: a\nvariables:\n  v: {type: int, default: 9, max: 5}\n",
		"name not file name":    "name: b\n",
	} {
		_, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(content)}}, ".")
		if err == nil {
			t.Errorf("%s: loaded without error", name)
		} else if !strings.Contains(err.Error(), "a.yaml") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
}

func TestSettingsValidation(t *testing.T) {
	set := testSet(t, map[string]string{"a.yaml": "name: a\nsettings:\n  app_env: prod\n  compose: {restart: \"no\"}\n  lint: {strictness: 1, run_timeout: 1m}\n"})
	if _, err := set.Get("a"); err == nil || !strings.Contains(err.Error(), "app_env") {
		t.Errorf("err = %v; want an app_env error", err)
	}
}

func TestVariableParse(t *testing.T) {
	lo, hi := 1, 10
	v := Variable{Type: TypeInt, Min: &lo, Max: &hi}
	if got, err := v.Parse(" 7 "); err != nil || got != 7 {
		t.Errorf("Parse(7) = %v, %v", got, err)
	}
	for _, bad := range []string{"0", "11", "x", "1.5"} {
		if _, err := v.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	b := Variable{Type: TypeBool}
	if got, err := b.Parse("true"); err != nil || got != true {
		t.Errorf("bool Parse = %v, %v", got, err)
	}
	s := Variable{Type: TypeString, Pattern: "^[a-z]+$"}
	if _, err := s.Parse("Upper"); err == nil {
		t.Error("pattern not enforced")
	}
	if got, err := v.Normalize(float64(3)); err != nil || got != 3 {
		t.Errorf("Normalize(JSON 3) = %v, %v", got, err)
	}
}

// A profile file without name: is named after the file.
func TestProfileNameDefaultsToTheFileName(t *testing.T) {
	fsys := fstest.MapFS{"production-eu.yaml": {Data: []byte("extends: production\ndescription: EU\n")}}
	set, err := Load(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	set = mustBuiltin(t).With(set)
	p, err := set.Get("production-eu")
	if err != nil || p.Name != "production-eu" {
		t.Fatalf("Get(production-eu) = %+v, %v", p, err)
	}
	if _, err := Load(fstest.MapFS{"a.yaml": {Data: []byte("name: b\n")}}, "."); err == nil {
		t.Error("a name that contradicts the file name was accepted")
	}
}

func mustBuiltin(t *testing.T) *Set {
	t.Helper()
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
