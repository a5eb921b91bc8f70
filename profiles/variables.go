package profiles

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// VarType is the type of a template variable set with --set.
type VarType string

// The variable types a profile or template may declare.
const (
	TypeString VarType = "string"
	TypeInt    VarType = "int"
	TypeBool   VarType = "bool"
)

// Variable declares a value the user may set with --set name=value.
type Variable struct {
	Type     VarType `yaml:"type" json:"type"`
	Default  any     `yaml:"default,omitempty" json:"default,omitempty"`
	Required bool    `yaml:"required,omitempty" json:"required,omitempty"`
	Pattern  string  `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	Min      *int    `yaml:"min,omitempty" json:"min,omitempty"`
	Max      *int    `yaml:"max,omitempty" json:"max,omitempty"`
	Help     string  `yaml:"help,omitempty" json:"help,omitempty"`
	// Distinct names a group of variables that must all have different
	// values (the ports one process or host listens on).
	Distinct string `yaml:"distinct,omitempty" json:"distinct,omitempty"`
}

// Variables maps a variable's name to its declaration.
type Variables map[string]Variable

// Names returns the declared names, sorted.
func (vs Variables) Names() []string {
	names := make([]string, 0, len(vs))
	for name := range vs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Check reports a declaration that cannot work: an unknown type, a pattern
// that does not compile, or a default that its own rules reject.
func (v Variable) Check(name string) error {
	switch v.Type {
	case TypeString, TypeInt, TypeBool:
	default:
		return fmt.Errorf("variable %q: unknown type %q (want string, int or bool)", name, v.Type)
	}
	if v.Pattern != "" {
		if v.Type != TypeString {
			return fmt.Errorf("variable %q: pattern only applies to string variables", name)
		}
		if _, err := regexp.Compile(v.Pattern); err != nil {
			return fmt.Errorf("variable %q: pattern: %w", name, err)
		}
	}
	if v.Default != nil {
		if _, err := v.Normalize(v.Default); err != nil {
			return fmt.Errorf("variable %q: default: %w", name, err)
		}
	}
	return nil
}

// Parse converts a --set value given as text into the declared type and
// checks it against the declaration's rules.
func (v Variable) Parse(text string) (any, error) {
	switch v.Type {
	case TypeInt:
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", text)
		}
		return v.Normalize(n)
	case TypeBool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", text)
		}
		return b, nil
	default:
		return v.Normalize(text)
	}
}

// Normalize checks a value that already has a Go type (a YAML default, or a
// value read back from envgen.lock) and returns it in its canonical type.
func (v Variable) Normalize(value any) (any, error) {
	switch v.Type {
	case TypeInt:
		var n int
		switch x := value.(type) {
		case int:
			n = x
		case int64:
			n = int(x)
		case json.Number: // envgen.lock's numbers, exact at any size
			return v.Parse(string(x))
		case float64: // JSON numbers decoded without UseNumber
			if x != float64(int(x)) {
				return nil, fmt.Errorf("%v is not a whole number", x)
			}
			n = int(x)
		case string:
			return v.Parse(x)
		default:
			return nil, fmt.Errorf("%v is not a whole number", value)
		}
		if v.Min != nil && n < *v.Min {
			return nil, fmt.Errorf("%d is below the minimum %d", n, *v.Min)
		}
		if v.Max != nil && n > *v.Max {
			return nil, fmt.Errorf("%d is above the maximum %d", n, *v.Max)
		}
		return n, nil
	case TypeBool:
		switch x := value.(type) {
		case bool:
			return x, nil
		case string:
			return v.Parse(x)
		}
		return nil, fmt.Errorf("%v is not true or false", value)
	default:
		s, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("%v is not a string", value)
		}
		if v.Pattern != "" && !regexp.MustCompile(v.Pattern).MatchString(s) {
			return nil, fmt.Errorf("%q does not match %s", s, v.Pattern)
		}
		return s, nil
	}
}
