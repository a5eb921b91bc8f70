package starter

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
)

// credential is a user name and secret for one repository's host. It
// prints as where it came from, never as its secret; it is held by pointer
// so that a struct holding one prints an address, not its fields.
type credential struct {
	user, secret string
	from         string // for messages: "the URL", "ENVGEN_GIT_TOKEN_X", "git credential fill"
}

func (c credential) String() string   { return "credential from " + c.from }
func (c credential) GoString() string { return c.String() }

// Format prints c as String does, whatever the verb.
func (c credential) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// sensitive is the part of c that must never be shown: the secret, or the
// user name when it stands alone (https://TOKEN@host/repo).
func (c *credential) sensitive() string {
	if c.secret != "" {
		return c.secret
	}
	return c.user
}

// scpPassword is user:password@host:path, git's scp-like ssh form with a
// password (scpLike does not match it).
var scpPassword = regexp.MustCompile(`^([A-Za-z0-9._-]+):([^@/]*)@[A-Za-z0-9.-]+:`)

// splitUserinfo takes the credential out of a repository URL. An http(s)
// URL loses its whole userinfo (user:token@, or token@ alone: either may be
// the secret); an ssh URL keeps its user name, which picks the account and
// is no secret, and loses its password. git:// and file:// carry no
// credential; their userinfo is dropped. clean is the URL to store, show
// and key the cache by; cred is nil when the URL held none.
func splitUserinfo(raw string) (clean string, cred *credential) {
	if prefix := urlScheme.FindString(raw); prefix != "" {
		rest := raw[len(prefix):]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		at := strings.LastIndexByte(rest[:end], '@')
		if at < 0 {
			return raw, nil
		}
		info, tail := rest[:at], rest[at+1:]
		user, pass, hasPass := strings.Cut(info, ":")
		c := &credential{user: unescapeUserinfo(user), secret: unescapeUserinfo(pass), from: "the URL"}
		switch strings.TrimSuffix(prefix, "://") {
		case "ssh":
			if !hasPass {
				return raw, nil
			}
			if c.secret == "" {
				c = nil
			}
			return prefix + user + "@" + tail, c
		case "http", "https":
			if c.user == "" && c.secret == "" {
				c = nil
			}
			return prefix + tail, c
		default:
			return prefix + tail, nil
		}
	}
	if m := scpPassword.FindStringSubmatch(raw); m != nil {
		clean = m[1] + "@" + raw[len(m[1])+1+len(m[2])+1:]
		if m[2] == "" {
			return clean, nil
		}
		return clean, &credential{user: m[1], secret: unescapeUserinfo(m[2]), from: "the URL"}
	}
	return raw, nil
}

func unescapeUserinfo(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// Redact returns a starter source or URL without the credential it may
// carry (https://user:token@host/repo becomes https://host/repo), for
// anything that is shown or stored.
func Redact(source string) string {
	clean, _ := splitUserinfo(source)
	return clean
}

// scrubbedError is an error whose text had a secret in it, replaced. It
// answers errors.Is like the error it replaces, but does not unwrap to it,
// so the original text cannot be printed by way of the chain.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string        { return e.msg }
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }

// scrub replaces every secret in err's text with ***. Servers can echo
// what they were sent into an error body, and go-git puts bodies into its
// errors: nothing a server says reaches a message with the secret in it.
func scrub(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := scrubText(msg, secrets)
	if clean == msg {
		return err
	}
	return &scrubbedError{msg: clean, err: err}
}

func scrubText(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		s = strings.ReplaceAll(s, secret, "***")
		if esc := url.QueryEscape(secret); esc != secret {
			s = strings.ReplaceAll(s, esc, "***")
		}
	}
	return s
}
