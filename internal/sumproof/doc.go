// Package sumproof makes a checksum database's answers travel.
//
// Online, Collect asks a go.sum database (sum.golang.org's protocol) for
// the records of some modules and keeps exactly what proves them: the
// signed tree head, the record texts and the tiles whose hashes lead from
// each record to the tree head. Offline, Check proves such a Proof again
// with nothing but a verifier key the caller trusts: the note's signature,
// then every tile against the tree hash, then every record against its
// tile. Consistent proves two tree heads are one log (a fork is a
// SecurityError) from whatever tiles are at hand, and says when they are
// not enough rather than guessing.
//
// It is the go command's sumdb client turned inside out: the same
// golang.org/x/mod/sumdb/tlog checks, but the evidence is kept, so that a
// machine that cannot reach the database can still check it.
package sumproof
