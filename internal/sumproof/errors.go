package sumproof

import (
	"errors"
	"fmt"
)

// SecurityError is a proof that something lies or was altered: a note
// whose signature does not verify, a tile that does not hash to the tree,
// a record that is not the one the tree holds, a hash that disagrees with
// the record, or two tree heads of one database that are not one log.
// It is a hard stop: nothing that depends on it is used.
type SecurityError struct {
	Subject string      // what was being checked
	Hashes  []NamedHash // the hashes that disagree, each with who holds it
	Detail  string
}

// NamedHash is a hash and who vouches for it ("downloaded", "checksum
// database sum.golang.org", "envgen.lock").
type NamedHash struct{ Who, Hash string }

func (e *SecurityError) Error() string {
	if len(e.Hashes) == 0 {
		return "SECURITY ERROR: " + e.Subject + ": " + e.Detail
	}
	msg := "SECURITY ERROR: " + e.Subject + ": checksum mismatch"
	for _, h := range e.Hashes {
		msg += "\n\t" + h.Who + ": " + h.Hash
	}
	if e.Detail != "" {
		msg += "\n" + e.Detail
	}
	return msg
}

// Hint says what to do about it.
func (e *SecurityError) Hint() string {
	return "the data may have been tampered with or corrupted by a proxy, mirror, cache or copy; nothing was installed or trusted: do not use it, and report it if it happens again"
}

// ErrUnproven says the tiles needed to prove two tree heads consistent are
// not at hand (offline). It is not a security failure: nothing was shown
// to be wrong, only not shown to be right.
var ErrUnproven = errors.New("consistency unproven")

// errMissingTile is a tile a proof needs and no source has.
var errMissingTile = errors.New("missing tile")

func securityf(subject, format string, args ...any) *SecurityError {
	return &SecurityError{Subject: subject, Detail: fmt.Sprintf(format, args...)}
}
