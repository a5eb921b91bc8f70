package generator

import (
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// unsafeFuncs are sprig functions a template may not call. Rendering must
// be pure and reproducible: nothing that reads the environment or the
// network, nothing random, nothing that depends on the clock.
var unsafeFuncs = []string{
	// environment and network
	"env", "expandenv", "getHostByName",
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
// unsafe ones.
func FuncMap() template.FuncMap {
	funcs := sprig.TxtFuncMap()
	for _, name := range unsafeFuncs {
		delete(funcs, name)
	}
	return funcs
}
