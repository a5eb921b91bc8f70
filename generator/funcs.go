package generator

import (
	"fmt"
	"slices"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// forbiddenFuncs are sprig functions no template may ever call, whatever
// it declares: they read the environment or the network, so a template
// could leak a user's secrets into a project.
var forbiddenFuncs = []string{"env", "expandenv", "getHostByName"}

// nondeterministicFuncs depend on the clock or on randomness. Rendering
// must be reproducible (same inputs, byte-identical output), so templates
// do without them unless a starter declares, in its manifest's
// `functions:`, that it wants one and accepts renders that differ.
var nondeterministicFuncs = []string{
	// clock
	"now", "date", "dateInZone", "date_in_zone", "dateModify", "date_modify",
	"mustDateModify", "must_date_modify", "ago", "toDate", "mustToDate",
	"unixEpoch", "htmlDate", "htmlDateInZone",
	// randomness (also the crypto helpers, which draw random keys or salts)
	"randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randBytes", "randInt",
	"uuidv4", "shuffle", "bcrypt", "htpasswd", "encryptAES",
	"genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert",
	"genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey",
}

// FuncMap returns the functions templates may use: sprig's, minus the
// forbidden and the non-deterministic ones.
func FuncMap() template.FuncMap { return FuncMapAllowing(nil) }

// FuncMapAllowing is FuncMap plus the non-deterministic functions named in
// allowed. Forbidden functions stay out whatever allowed says. Render
// executes capped versions of these functions (see capfuncs.go).
func FuncMapAllowing(allowed []string) template.FuncMap {
	funcs := sprig.TxtFuncMap()
	for _, name := range forbiddenFuncs {
		delete(funcs, name)
	}
	for _, name := range nondeterministicFuncs {
		if !slices.Contains(allowed, name) {
			delete(funcs, name)
		}
	}
	return funcs
}

// checkAllowedFunc says why a template may not declare name in functions:.
func checkAllowedFunc(name string) error {
	switch {
	case slices.Contains(forbiddenFuncs, name):
		return fmt.Errorf("function %q is never allowed: it reads the environment or the network", name)
	case slices.Contains(nondeterministicFuncs, name):
		return nil
	case sprig.TxtFuncMap()[name] != nil:
		return fmt.Errorf("function %q is always available; only clock and random functions need declaring", name)
	}
	return fmt.Errorf("unknown function %q", name)
}
