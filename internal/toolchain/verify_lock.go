package toolchain

import (
	"errors"
	"io/fs"
	"sort"

	"github.com/envgen/envgen/internal/goversion"
)

// LockProof is the verdict on one platform a project pins.
type LockProof struct {
	Platform string `json:"platform"`
	Lock     string `json:"lock"`
	Proved   string `json:"proved,omitempty"` // the h1 the witness proves
	OK       bool   `json:"ok"`
	Note     string `json:"note,omitempty"`
}

// LockVerdict is verify --lock's result.
type LockVerdict struct {
	Version   string      `json:"version"`
	Witness   string      `json:"witness"`
	Platforms []LockProof `json:"platforms"`
	OK        bool        `json:"ok"`
}

// VerifyLock proves every platform hash a project pins against the
// witness (the checksum database, or pb with no network). A platform the
// witness has no record of is reported, not fatal; a hash that disagrees
// is a SecurityError naming both.
func (m *Manager) VerifyLock(r goversion.Release, hashes map[string]string, pb *ProvedBundle) (*LockVerdict, error) {
	var w witness = dbWitness{m}
	if pb != nil {
		w = bundleWitness{pb}
	}
	res := &LockVerdict{Version: r.Toolchain(), Witness: w.describe(), OK: true}
	platforms := make([]string, 0, len(hashes))
	for p := range hashes {
		platforms = append(platforms, p)
	}
	sort.Strings(platforms)
	for _, ps := range platforms {
		p, err := ParsePlatform(ps)
		if err != nil {
			return nil, err
		}
		mod := Module(r, p)
		lp := LockProof{Platform: ps, Lock: hashes[ps]}
		lp.Proved, err = w.expected(mod)
		switch {
		case err != nil && (errors.Is(err, fs.ErrNotExist) || NotFound(err) || isNotInBundle(err)):
			lp.Note = "the " + w.describe() + " has no record of it: not proved"
			res.OK = false
		case err != nil:
			return nil, err
		case lp.Proved != lp.Lock:
			return nil, &SecurityError{Subject: mod.Path + "@" + mod.Version, Hashes: []NamedHash{
				{Who: "envgen.lock", Hash: lp.Lock}, {Who: w.describe(), Hash: lp.Proved}},
				Detail: "the lock and the " + w.describe() + " disagree"}
		default:
			lp.OK = true
		}
		res.Platforms = append(res.Platforms, lp)
	}
	return res, nil
}

func isNotInBundle(err error) bool {
	_, ok := errors.AsType[*notInBundleError](err)
	return ok
}
