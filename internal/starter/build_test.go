package starter

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// acmeBuiltinStarter extends the built-in template: it replaces the
// Makefile, drops .editorconfig and the toxiproxy folder, adds a dashboard
// and a chain of profiles across its own and the built-in ones.
func acmeBuiltinStarter() map[string]string {
	return map[string]string{
		"envgen-template.yaml": `name: acme-starter
version: 1.2.0
extends: builtin
variables:
  team: {type: string, required: true, pattern: "^[a-z-]+$", help: owning team}
  replicas: {type: int, default: 2}
files:
  docs/OWNERS.md: {mode: once}
  deploy/grafana/dashboards/acme.json: {mode: managed}
remove: [".editorconfig", "deploy/toxiproxy/**"]
`,
		"templates/Makefile.tmpl":                       "# acme make for {{ .Name }}\n",
		"templates/docs/OWNERS.md.tmpl":                 "{{ .Vars.team }} x{{ .Vars.replicas }}\n",
		"templates/deploy/grafana/dashboards/acme.json": "{}\n",
		"templates/docs/profile.txt.tmpl": "{{ .Profile.Name }} {{ .Profile.AppEnv }} strictness={{ .Profile.Lint.Strictness }} " +
			"timeout={{ .Profile.Lint.RunTimeout }} memory={{ .Profile.Compose.ResourceLimits.Memory }} tls={{ .Profile.Compose.TLS }}\n",
		// production is overridden by the starter (still extending the
		// built-in staging); production-eu extends it.
		"profiles/production.yaml":    "name: production\nextends: staging\ndescription: acme production\nsettings:\n  app_env: production\n  lint: {strictness: 3, run_timeout: 2m}\n  compose: {tls: true, restart: always}\n",
		"profiles/production-eu.yaml": "name: production-eu\nextends: production\ndescription: EU region\nsettings:\n  compose:\n    resource_limits: {memory: 1G}\n",
	}
}

func TestExtendsBuiltinOverlaysRemovesAndChainsProfiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, acmeBuiltinStarter())
	src, err := Open(ctx, dir, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	p, err := src.Profiles.Get("production-eu")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Chain, " > "); got != "production-eu > production > staging > base" {
		t.Errorf("chain = %s", got)
	}
	files := render(t, src, generator.Inputs{Profile: "production-eu", Set: map[string]string{"team": "payments"}})

	if got := string(files["docs/profile.txt"].Data); got != "production-eu production strictness=3 timeout=2m memory=1G tls=true\n" {
		t.Errorf("profile.txt = %q", got)
	}
	if got := string(files["Makefile"].Data); got != "# acme make for orders\n" {
		t.Errorf("Makefile = %q: the starter's file must win", got)
	}
	for _, gone := range []string{".editorconfig", "deploy/toxiproxy/toxiproxy.json"} {
		if _, ok := files[gone]; ok {
			t.Errorf("%s rendered although removed", gone)
		}
	}
	for path, mode := range map[string]generator.Mode{
		"docker-compose.yml":                  generator.Merged,  // built-in tree
		"cmd/orders/main.go":                  generator.Once,    // built-in rule
		".golangci.yml":                       generator.Managed, // built-in rule
		"docs/OWNERS.md":                      generator.Once,    // starter rule
		"deploy/grafana/dashboards/acme.json": generator.Managed,
		"go.mod":                              generator.Merged,
	} {
		if f, ok := files[path]; !ok || f.Mode != mode {
			t.Errorf("%s: present %v, mode %q; want mode %s", path, ok, f.Mode, mode)
		}
	}
	if got := string(files["docs/OWNERS.md"].Data); got != "payments x2\n" {
		t.Errorf("OWNERS.md = %q", got)
	}
	// built-in variables still declared: http_port comes from base.yaml
	if _, ok := src.Variables(p)["smtp_from"]; !ok {
		t.Error("the built-in manifest's variables are lost")
	}
}

func TestBuildErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(map[string]string)
		want string
	}{
		"remove matches nothing": {func(f map[string]string) {
			f["envgen-template.yaml"] = strings.Replace(f["envgen-template.yaml"], `".editorconfig"`, `".editorconfig", "no/such/file"`, 1)
		}, "no/such/file match(es) no file"},
		"extends unknown": {func(f map[string]string) {
			f["envgen-template.yaml"] = strings.Replace(f["envgen-template.yaml"], "extends: builtin", "extends: cookiecutter", 1)
		}, `extends is "cookiecutter"`},
		"declares env": {func(f map[string]string) {
			f["envgen-template.yaml"] += "functions: [env]\n"
		}, `function "env" is never allowed`},
		"needs newer envgen": {func(f map[string]string) {
			f["envgen-template.yaml"] += "min_envgen: 99.0.0\n"
		}, "needs envgen 99.0.0 or newer"},
		"unknown key": {func(f map[string]string) {
			f["envgen-template.yaml"] += "hookz: {}\n"
		}, "field hookz not found"},
		"no manifest": {func(f map[string]string) { delete(f, "envgen-template.yaml") }, "no envgen-template.yaml"},
		"profile cycle": {func(f map[string]string) {
			f["profiles/staging.yaml"] = "name: staging\nextends: production-eu\n"
		}, "extends cycle"},
	} {
		t.Run(name, func(t *testing.T) {
			files := acmeBuiltinStarter()
			tc.edit(files)
			dir := t.TempDir()
			writeFiles(t, dir, files)
			src, err := Open(ctx, dir, testOptions(t))
			if err == nil {
				_, err = src.Profiles.Get("production-eu")
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDeclaredClockFunctionIsAllowed(t *testing.T) {
	files := minimalStarter("1.0.0")
	files["envgen-template.yaml"] += "functions: [now]\n"
	files["templates/year.txt.tmpl"] = `{{ now | date "2006" }}`
	dir := t.TempDir()
	writeFiles(t, dir, files)
	src, err := Open(ctx, dir, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	// date reads the clock too, and is not declared
	r, err := src.Resolve(generator.Inputs{Module: "example.com/x", Profile: "acme", Set: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Render(src, r); err == nil || !strings.Contains(err.Error(), `"date" not defined`) {
		t.Fatalf("undeclared date: %v", err)
	}
	files["envgen-template.yaml"] = strings.Replace(files["envgen-template.yaml"], "functions: [now]", "functions: [now, date]", 1)
	writeFiles(t, dir, files)
	if src, err = Open(ctx, dir, testOptions(t)); err != nil {
		t.Fatal(err)
	}
	out := render(t, src, generator.Inputs{Profile: "acme", Set: map[string]string{"team": "a"}})
	if len(out["year.txt"].Data) != 4 {
		t.Errorf("year.txt = %q", out["year.txt"].Data)
	}
}

// TestBuiltinIsAStarter loads envgen's own template folder as a starter
// folder, under the sandbox rules: one layout, so it renders exactly what
// the built-in source renders, for every profile.
func TestBuiltinIsAStarter(t *testing.T) {
	asStarter, err := Load(filepath.Join("..", "..", "templates"), project.Origin{Kind: "folder"}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := generator.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, profile := range builtin.Profiles.Names() {
		t.Run(profile, func(t *testing.T) {
			want := render(t, builtin, generator.Inputs{Profile: profile})
			got := render(t, asStarter, generator.Inputs{Profile: profile})
			if len(got) != len(want) {
				t.Errorf("%d files as a starter, %d built in", len(got), len(want))
			}
			for p, w := range want {
				g, ok := got[p]
				switch {
				case !ok:
					t.Errorf("%s: rendered built in, not as a starter", p)
				case !bytes.Equal(g.Data, w.Data) || g.Mode != w.Mode || g.Perm != w.Perm:
					t.Errorf("%s: differs between the built-in source and the same folder loaded as a starter", p)
				}
			}
		})
	}
}
