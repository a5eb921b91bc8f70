package cli

import (
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
)

func TestPromptAsksAgainUntilValidAndOffersDefaults(t *testing.T) {
	// a bad module path, then a good one; the default name; a bad profile, then staging
	in := strings.NewReader("not a path\ngithub.com/acme/orders\n\nqa\nstaging\n")
	var out strings.Builder
	p := &prompter{in: in, out: &out}
	inputs := generator.Inputs{Profile: "development"}
	if err := p.askInputs(&inputs, false); err != nil {
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
	if err := p.askInputs(&inputs, true); err == nil {
		t.Fatal("no error although input ended without a valid answer")
	}
}
