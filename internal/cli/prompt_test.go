package cli

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

func TestPromptAsksAgainUntilValidAndOffersDefaults(t *testing.T) {
	// a bad module path, then a good one; the default name; a bad profile, then staging
	in := strings.NewReader("not a path\ngithub.com/acme/orders\n\nqa\nstaging\n")
	var out strings.Builder
	p := &prompter{in: in, out: &out}
	inputs := generator.Inputs{Profile: "development"}
	src, err := generator.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.askInputs(&inputs, false, src); err != nil {
		t.Fatal(err)
	}
	if inputs.Module != "github.com/acme/orders" || inputs.Name != "orders" || inputs.Profile != "staging" {
		t.Errorf("inputs = %+v", inputs)
	}
	text := out.String()
	for _, want := range []string{"Service name [orders]: ", "invalid char ' '", "choose one of: development, production, staging"} {
		if !strings.Contains(text, want) {
			t.Errorf("prompt output lacks %q:\n%s", want, text)
		}
	}
}

func TestPromptFailsWhenInputEnds(t *testing.T) {
	p := &prompter{in: strings.NewReader("not a path\n"), out: &strings.Builder{}}
	inputs := generator.Inputs{}
	src, _ := generator.Builtin()
	if err := p.askInputs(&inputs, true, src); err == nil {
		t.Fatal("no error although input ended without a valid answer")
	}
}

func TestPromptAsksForRequiredVariables(t *testing.T) {
	fsys := fstest.MapFS{
		"envgen-template.yaml": {Data: []byte("name: t\nversion: 1.0.0\nvariables:\n  team: {type: string, required: true, pattern: '^[a-z-]+$', help: owning team}\n  size: {type: int, default: 2}\n")},
		"templates/x.txt":      {Data: []byte("x")},
		"deps/go1.26.mod":      {Data: []byte("module m\n\ngo 1.26.0\n")},
		"deps/go1.26.sum":      {Data: []byte("")},
	}
	src, err := generator.NewSource(fsys, nil, project.Origin{Kind: "dir"})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	p := &prompter{in: strings.NewReader("Payments\npayments\n"), out: &out}
	in := generator.Inputs{Profile: "staging"}
	if err := p.askRequired(src, &in); err != nil {
		t.Fatal(err)
	}
	if in.Set["team"] != "payments" {
		t.Errorf("team = %q, want payments", in.Set["team"])
	}
	if _, asked := in.Set["size"]; asked {
		t.Error("asked for a variable that has a default")
	}
	if !strings.Contains(out.String(), "team (owning team): ") || !strings.Contains(out.String(), "does not match") {
		t.Errorf("prompt output:\n%s", out.String())
	}
}
