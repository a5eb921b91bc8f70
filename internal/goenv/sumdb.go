package goenv

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// SumDB is a parsed GOSUMDB.
type SumDB struct {
	Off  bool
	Name string // the database name, e.g. sum.golang.org
	Key  string // note verifier key "name+hash+keydata"
	// URL is the explicit database URL from GOSUMDB; "" means: through a
	// GOPROXY entry that answers <proxy>/sumdb/<name>/supported, else
	// https://<name>.
	URL string
}

// knownSumDBKeys are the keys the go command builds in
// (cmd/go/internal/modfetch/key.go).
var knownSumDBKeys = map[string]string{
	"sum.golang.org": GoSumDBKey,
}

// GoSumDBKey is the verifier key of sum.golang.org, built into the go command.
const GoSumDBKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

// ParseSumDB parses GOSUMDB as cmd/go does: "off", a known name
// ("sum.golang.org"), or a verifier key "name+hash+keydata", optionally
// followed by the database URL. "sum.golang.google.cn" is the go command's
// alias for sum.golang.org served from https://sum.golang.google.cn.
func ParseSumDB(s string) (SumDB, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return SumDB{Off: true}, nil
	}
	if s == "sum.golang.google.cn" {
		s = "sum.golang.org https://sum.golang.google.cn"
	}
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return SumDB{}, fmt.Errorf("missing GOSUMDB")
	}
	if len(fields) > 2 {
		return SumDB{}, fmt.Errorf("invalid GOSUMDB %q: too many fields", s)
	}
	key := fields[0]
	if k, ok := knownSumDBKeys[key]; ok {
		key = k
	}
	v, err := note.NewVerifier(key)
	if err != nil {
		return SumDB{}, fmt.Errorf("invalid GOSUMDB %q: %w", s, err)
	}
	name := v.Name()
	direct, err := url.Parse("https://" + name)
	if err != nil || strings.HasSuffix(name, "/") || direct.Host == "" || direct.RawPath != "" || direct.RawQuery != "" || direct.Fragment != "" || direct.User != nil {
		return SumDB{}, fmt.Errorf("invalid GOSUMDB %q: database name must be host[/path]: %s", s, name)
	}
	db := SumDB{Name: name, Key: key}
	if len(fields) == 2 {
		u, err := url.Parse(fields[1])
		if err != nil || u.Scheme == "" || u.Host == "" && u.Scheme != "file" {
			return SumDB{}, fmt.Errorf("invalid GOSUMDB URL %q", fields[1])
		}
		db.URL = strings.TrimSuffix(fields[1], "/")
	}
	return db, nil
}
