package starter

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func lintableStarter() map[string]string {
	files := minimalStarter("1.0.0")
	files["testdata/envgen-test.yaml"] = "module: github.com/acme/orders\nset: {team: payments}\nprofiles: [acme, development]\n"
	return files
}

func TestLintPassesAGoodStarterAndCatchesABrokenTemplate(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, lintableStarter())
	rep, err := Lint(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || strings.Join(rep.Profiles, ",") != "acme,development,production,staging" {
		t.Fatalf("good starter: %+v", rep)
	}

	writeFiles(t, dir, map[string]string{"templates/docs/broken.md.tmpl": "line one\n{{ .Vars.team \n"})
	rep, err = Lint(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Message, "docs/broken.md.tmpl:2") {
		t.Errorf("broken template: problems %v, want one naming docs/broken.md.tmpl:2", rep.Problems)
	}
}

func TestLintReportsMissingRequiredVariableAndUnsafeFiles(t *testing.T) {
	files := lintableStarter()
	files["testdata/envgen-test.yaml"] = "module: github.com/acme/orders\n"
	dir := t.TempDir()
	writeFiles(t, dir, files)
	rep, err := Lint(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(rep.Problems[0].String(), `variable "team" is required`) {
		t.Errorf("problems = %v", rep.Problems)
	}

	writeFiles(t, dir, map[string]string{"templates/x": "->/etc/passwd"})
	rep, err = Lint(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(rep.Problems[0].Message, "outside the starter") {
		t.Errorf("problems = %v", rep.Problems)
	}
}

func TestGoldenTestUpdateThenCatchChange(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, lintableStarter())
	rep, err := Test(dir, Limits{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() != 2 || rep.Results[0].Status != "missing" {
		t.Fatalf("no goldens yet: %+v", rep.Results)
	}
	if rep, err = Test(dir, Limits{}, true); err != nil || rep.Failed() != 0 {
		t.Fatalf("update: %+v, %v", rep, err)
	}
	golden, err := os.ReadFile(filepath.Join(dir, "testdata", "golden", "acme.txtar"))
	if err != nil || !strings.Contains(string(golden), "-- once docs/OWNERS.md --\nowner: payments (orders, 1.0.0)\n") {
		t.Fatalf("golden acme.txtar: %v\n%s", err, golden)
	}
	if rep, err = Test(dir, Limits{}, false); err != nil || rep.Failed() != 0 {
		t.Fatalf("unchanged starter: %+v, %v", rep, err)
	}

	writeFiles(t, dir, map[string]string{"templates/docs/OWNERS.md.tmpl": "owners: {{ .Vars.team }}\n"})
	rep, err = Test(dir, Limits{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() != 2 || strings.Join(rep.Results[0].Diffs, ",") != "changed once docs/OWNERS.md" {
		t.Errorf("changed template: %+v", rep.Results)
	}

	writeFiles(t, dir, map[string]string{"templates/docs/OWNERS.md.tmpl": "{{ .Vars.nope }}\n"})
	rep, err = Test(dir, Limits{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Status != "error" || !strings.Contains(rep.Results[0].Error, "nope") {
		t.Errorf("failing render: %+v", rep.Results[0])
	}
}

func TestHooksRunOnlyWhenTrusted(t *testing.T) {
	dir := t.TempDir()
	hooks := [][]string{{"sh", "-c", "echo ran > hook.txt"}}
	runs, err := RunHooks(context.Background(), dir, hooks, HookOptions{})
	if err != nil || runs[0].Status != "skipped" {
		t.Fatalf("untrusted: %+v, %v", runs, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hook.txt")); err == nil {
		t.Fatal("an untrusted hook ran")
	}
	runs, err = RunHooks(context.Background(), dir, hooks, HookOptions{Trust: true, DryRun: true})
	if err != nil || runs[0].Status != "would run" {
		t.Fatalf("dry run: %+v, %v", runs, err)
	}
	runs, err = RunHooks(context.Background(), dir, append(hooks, []string{"false"}, []string{"true"}), HookOptions{Trust: true})
	if err == nil || runs[0].Status != "ran" || runs[1].Status != "failed" || runs[2].Status != "skipped" {
		t.Fatalf("trusted: %+v, %v", runs, err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "hook.txt")); err != nil || string(data) != "ran\n" {
		t.Errorf("hook.txt = %q, %v", data, err)
	}
}

func TestParseSpec(t *testing.T) {
	local := t.TempDir()
	atDir := filepath.Join(t.TempDir(), "odd@name")
	if err := os.Mkdir(atDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]Spec{
		"https://github.com/acme/starter":            {Source: "https://github.com/acme/starter", Git: true},
		"https://github.com/acme/starter@v1.2.0":     {Source: "https://github.com/acme/starter", Ref: "v1.2.0", Git: true},
		"ssh://git@github.com/acme/starter.git@main": {Source: "ssh://git@github.com/acme/starter.git", Ref: "main", Git: true},
		"ssh://git@github.com/acme/starter.git":      {Source: "ssh://git@github.com/acme/starter.git", Git: true},
		"git@github.com:acme/starter.git":            {Source: "git@github.com:acme/starter.git", Git: true},
		"git@github.com:acme/starter.git@feature/x":  {Source: "git@github.com:acme/starter.git", Ref: "feature/x", Git: true},
		"file:///srv/starter@0123456789abcdef":       {Source: "file:///srv/starter", Ref: "0123456789abcdef", Git: true},
		local:                                        {Source: local},
		local + "@v1":                                {Source: local, Ref: "v1", Git: true},
		atDir:                                        {Source: atDir},
	} {
		got, err := ParseSpec(in)
		if err != nil || got != want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "https://x.example/y@", filepath.Join(local, "missing")} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("ParseSpec(%q) accepted", bad)
		}
	}
}
