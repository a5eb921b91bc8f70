package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/profiles"
)

// prompter asks for missing values on a terminal, offering defaults and
// asking again until the answer is valid.
type prompter struct {
	in  io.Reader
	out io.Writer
	r   *bufio.Reader
}

// ask prints the question and returns the answer, or def for an empty one.
// check rejects an answer with a reason; the question is then asked again.
func (p *prompter) ask(question, def string, check func(string) error) (string, error) {
	if p.r == nil {
		p.r = bufio.NewReader(p.in)
	}
	for {
		if def != "" {
			fmt.Fprintf(p.out, "%s [%s]: ", question, def)
		} else {
			fmt.Fprintf(p.out, "%s: ", question)
		}
		line, err := p.r.ReadString('\n')
		if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
			if errors.Is(err, io.EOF) {
				return "", errors.New("no answer: input ended")
			}
			return "", fmt.Errorf("read the answer: %w", err)
		}
		answer := strings.TrimSpace(line)
		if answer == "" {
			answer = def
		}
		if answer == "" {
			fmt.Fprintln(p.out, "  an answer is required")
			continue
		}
		if cerr := check(answer); cerr != nil {
			fmt.Fprintf(p.out, "  %v\n", cerr)
			if errors.Is(err, io.EOF) {
				return "", errors.New("no valid answer: input ended")
			}
			continue
		}
		return answer, nil
	}
}

// askInputs fills the module path, the name and (unless given) the
// profile, offering the template's profiles.
func (p *prompter) askInputs(in *generator.Inputs, profileGiven bool, src *generator.Source) error {
	var err error
	in.Module, err = p.ask("Go module path (e.g. github.com/acme/orders)", "", module.CheckPath)
	if err != nil {
		return err
	}
	if in.Name == "" {
		in.Name, err = p.ask("Service name", generator.DefaultName(in.Module), func(s string) error {
			if !generator.ValidName(s) {
				return errors.New("use lower-case letters, digits and '-', starting with a letter")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if !profileGiven {
		names := src.Profiles.Names()
		in.Profile, err = p.ask("Profile ("+strings.Join(names, ", ")+")", in.Profile, func(s string) error {
			if !slices.Contains(names, s) {
				return fmt.Errorf("choose one of: %s", strings.Join(names, ", "))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// askRequired asks for every required variable the chosen profile and the
// template declare that --set did not give, checking each answer against
// its declaration. Problems with the profile itself are left to Resolve,
// which reports them with a hint.
func (p *prompter) askRequired(src *generator.Source, in *generator.Inputs) error {
	name := in.Profile
	if name == "" {
		name = profiles.DefaultName
	}
	prof, err := src.Profiles.Get(name)
	if err != nil {
		return nil //nolint:nilerr // problems with the profile are Resolve's to report, with a hint (see above)
	}
	decls := src.Variables(prof)
	for _, v := range decls.Names() {
		decl := decls[v]
		if _, given := in.Set[v]; given || !decl.Required {
			continue
		}
		question := v
		if decl.Help != "" {
			question += " (" + decl.Help + ")"
		}
		answer, err := p.ask(question, "", func(s string) error {
			_, perr := decl.Parse(s)
			return perr
		})
		if err != nil {
			return err
		}
		if in.Set == nil {
			in.Set = map[string]string{}
		}
		in.Set[v] = answer
	}
	return nil
}
