//go:build ruleguard

// Package gorules holds the ruleguard rules envgen lints itself with: the
// same rules as the ones it generates into every service
// (templates/templates/lint/ruleguard/rules.go.tmpl). golangci-lint runs them
// through gocritic's ruleguard checker (.golangci.yml:
// linters.settings.gocritic.settings.ruleguard.rules). The build tag keeps
// the file out of ordinary builds; go.mod still lists
// github.com/quasilyte/go-ruleguard/dsl for it, because ruleguard resolves
// that import through this module.
//
// Everything from the import on must equal the template's rules: a test in
// package templates compares them.
package gorules

import "github.com/quasilyte/go-ruleguard/dsl"

// httpClientWithoutTimeout flags an http.Client made without a Timeout.
//
// The zero http.Client never times out: one slow or silent peer holds the
// calling goroutine, and the request handler waiting on it, for ever. Use
// the service's shared outbound client (outbound.timeout), or set Timeout
// in the literal itself.
//
// Types are resolved, so a renamed import of net/http is caught too.
func httpClientWithoutTimeout(m dsl.Matcher) {
	m.Import("net/http")

	// http.Client{...} and &http.Client{...} (the & form contains the plain
	// one, so one pattern covers both).
	m.Match(`$pkg.Client{$*fields}`).
		Where(m["$$"].Type.Is(`http.Client`) && !m["fields"].Contains(`Timeout: $_`)).
		Report(`http.Client without Timeout never times out: set Timeout in the literal or use the shared outbound client`)

	m.Match(`new($t)`).
		Where(m["t"].Type.Is(`http.Client`)).
		Report(`new(http.Client) has no Timeout and never times out: use &http.Client{Timeout: ...} or the shared outbound client`)

	m.Match(`var $_ $t`).
		Where(m["t"].Type.Is(`http.Client`)).
		Report(`a zero http.Client never times out: build it with Timeout or use the shared outbound client`)
}

// httpServerWithoutTimeouts flags an http.Server literal that leaves one of
// ReadTimeout, WriteTimeout or IdleTimeout unset (gosec G112 already
// requires ReadHeaderTimeout). Without them a client that sends its body
// slowly, reads the response slowly or keeps an idle connection open holds
// a goroutine and a file descriptor for as long as it likes.
func httpServerWithoutTimeouts(m dsl.Matcher) {
	m.Import("net/http")

	m.Match(`$pkg.Server{$*fields}`).
		Where(m["$$"].Type.Is(`http.Server`) &&
			(!m["fields"].Contains(`ReadTimeout: $_`) ||
				!m["fields"].Contains(`WriteTimeout: $_`) ||
				!m["fields"].Contains(`IdleTimeout: $_`))).
		Report(`http.Server must set ReadTimeout, WriteTimeout and IdleTimeout: without them slow or idle clients hold connections for ever`)
}
