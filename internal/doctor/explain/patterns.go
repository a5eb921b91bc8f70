package explain

import (
	"regexp"
	"strings"
)

// Pattern is one row of the table: an error text the go command (or a
// library it calls) prints, the cause it means, the Go versions that
// print it, the source that prints it, and how to fix it.
type Pattern struct {
	ID     string         // stable name, in --json as "pattern"
	Cause  Cause          //
	Re     *regexp.Regexp // matched against one error record (a line and its tab-indented continuation)
	Go     string         // the go command versions that print it
	Source string         // the files that print it, under GOROOT/src (golang.org/x/mod: its copy in cmd/vendor), comma-separated
	// Literal is a piece of the text as the source spells it (a format
	// string or its fragment); a test finds it in Source in each Go
	// version the row names. Empty for text from outside Go (git's).
	Literal string
	Fix     func(m *Match) Fix
	// GoContext: the text is one any program prints (a TLS or network
	// error), so it counts only in a record that is the go command's: see
	// goContext.
	GoContext bool
	// CouldBe and HowToTell: the text alone cannot tell Cause from these.
	CouldBe   []Cause
	HowToTell string
}

// Fix is the one thing to do: a sentence and, where there is one, the
// command to copy.
type Fix struct {
	Text    string `json:"text"`
	Command string `json:"command,omitempty"`
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// goContext is what makes a record the go command's: a module@version,
// a module proxy or checksum database URL, a go-get or toolchain fetch,
// git run by the go command, or the go command's "go: " and "verifying"
// prefixes.
var goContext = re(`[A-Za-z0-9.\-]+\.[A-Za-z]{2,}(/\S*)?@v\d|/@v/|/@latest|/lookup/|/tile/|go-get=1|golang\.org/toolchain|(^|\n)(go: |verifying )|git ls-remote|/pkg/mod/`)

// Table is every pattern, in match order: a record takes the first row
// that matches, so the specific rows come before the general ones. The
// error strings were read from the go command's source (cmd/go/internal,
// golang.org/x/mod, and the standard library packages it reports through)
// of Go 1.21.13 and Go 1.26.8; "1.21-1.26" means both print it word for
// word. The corpus in testdata/corpus.txtar holds an example of each row.
var Table = []Pattern{
	// --- misconfigured_env -------------------------------------------------
	// cmd/go/internal/modfetch/repo.go: errProxyOff
	{ID: "goproxy-off", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/repo.go", Literal: `module lookup disabled by GOPROXY=off`,
		Re: re(`module lookup disabled by GOPROXY=off`), Fix: fixGOPROXY},
	// cmd/go/internal/modfetch/proxy.go: proxyList
	{ID: "goproxy-empty", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/proxy.go", Literal: `GOPROXY list is not the empty string, but contains no entries`,
		Re: re(`GOPROXY list is not the empty string, but contains no entries`), Fix: fixGOPROXY},
	// cmd/go/internal/modfetch/proxy.go: newProxyRepo
	{ID: "goproxy-url", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/proxy.go", Literal: `invalid proxy URL missing scheme`,
		Re: re(`invalid proxy URL (missing scheme|scheme \(must be https, http, file\))|invalid file:// proxy URL`), Fix: fixGOPROXY},
	// cmd/go/internal/modfetch/sumdb.go: dbDial
	{ID: "gosumdb-invalid", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/sumdb.go", Literal: `invalid GOSUMDB`,
		Re: re(`invalid GOSUMDB|missing GOSUMDB|invalid sumdb name|checksum database disabled by GOSUMDB=off`), Fix: fixUnset("GOSUMDB")},
	// cmd/go/internal/base/goflags.go: InitGOFLAGS
	{ID: "goflags-invalid", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/base/goflags.go", Literal: `parsing $GOFLAGS`,
		Re: re(`parsing \$GOFLAGS: `), Fix: fixUnset("GOFLAGS")},
	// cmd/go/internal/toolchain/select.go: Select
	{ID: "gotoolchain-invalid", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/toolchain/select.go", Literal: `invalid GOTOOLCHAIN %q`,
		Re: re(`invalid GOTOOLCHAIN "`), Fix: fixUnset("GOTOOLCHAIN")},
	// cmd/go/internal/gover/toolchain.go: TooNewError.Error with GOTOOLCHAIN=local
	{ID: "gotoolchain-local", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/gover/toolchain.go", Literal: `requires go >= %v (running go %v%v)`,
		Re: re(`requires go >= (?P<want>\S+) \(running go \S+; GOTOOLCHAIN=local`), Fix: func(m *Match) Fix {
			return Fix{"GOTOOLCHAIN=local forbids switching to go " + m.Named["want"] + "; let the go command download it", "export GOTOOLCHAIN=auto"}
		}},
	// cmd/go/internal/modload/import.go: importFromModules; cmd/go/internal/modfetch/fetch.go: ErrGoSumDirty
	{ID: "gomod-readonly", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modload/import.go, cmd/go/internal/modload/init.go, cmd/go/internal/modload/vendor.go", Literal: `import lookup disabled by -mod=%s`,
		Re: re(`import lookup disabled by -mod=(readonly|vendor)|updates to go\.(mod|sum) needed|inconsistent vendoring in `), Fix: fixModFlag},
	// cmd/go/internal/modload/import.go: ImportMissingSumError
	{ID: "gosum-missing", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modload/import.go", Literal: `missing go.sum entry`,
		Re: re(`missing go\.sum entry`), Fix: func(*Match) Fix {
			return Fix{"go.sum lacks the entry and -mod=readonly (the default) forbids adding it; add the missing sums", "go mod tidy"}
		}},
	// net/http/transport.go: "proxyconnect" OpError (HTTPS_PROXY/HTTP_PROXY)
	{ID: "http-proxy", GoContext: true, Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "net/http/transport.go", Literal: `proxyconnect`,
		Re: re(`proxyconnect tcp: `), Fix: func(*Match) Fix {
			return Fix{"HTTPS_PROXY/HTTP_PROXY names a proxy that does not answer; correct it or unset it", "unset HTTPS_PROXY HTTP_PROXY https_proxy http_proxy"}
		}},
	// net/http/client.go: ErrSchemeMismatch; crypto/tls/conn.go: a plain-HTTP server on an https:// URL
	{ID: "https-to-http", GoContext: true, Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "net/http/client.go, crypto/tls/conn.go", Literal: `server gave HTTP response to HTTPS client`,
		Re: re(`server gave HTTP response to HTTPS client|first record does not look like a TLS handshake`), Fix: func(m *Match) Fix {
			return Fix{"an https:// URL points at a plain-HTTP server (GOPROXY or HTTPS_PROXY): use http:// for that entry, or the server's TLS port", "go env GOPROXY HTTPS_PROXY"}
		}},
	// cmd/go/internal/modfetch/cache.go: checkCacheDir
	{ID: "modcache-dir", Cause: MisconfiguredEnv, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/cache.go", Literal: `could not create module cache`,
		Re: re(`could not create module cache|module cache not found: neither GOMODCACHE nor GOPATH|GOMODCACHE entry is relative`), Fix: func(*Match) Fix {
			return Fix{"GOMODCACHE is not a writable absolute folder; reset it to the default", "unset GOMODCACHE && go env -u GOMODCACHE"}
		}},

	// --- clock_skew (or the server's certificate really expired) -----------
	// crypto/x509/verify.go: CertificateInvalidError{Reason: Expired}
	{ID: "x509-expired", GoContext: true, Cause: ClockSkew, Go: "1.21-1.26", Source: "crypto/x509/verify.go", Literal: `certificate has expired or is not yet valid`,
		Re:      re(`x509: certificate has expired or is not yet valid(: current time (?P<now>\S+) is (?P<rel>before|after) (?P<bound>\S+))?`),
		CouldBe: []Cause{ClockSkew, MirrorOutage},
		HowToTell: "compare this machine's clock (date -u) with the server's Date header (curl -sI https://HOST | grep -i ^date), " +
			"or run envgen doctor explain --probe: a clock minutes or more off is clock_skew; a right clock means the server's certificate expired (mirror_outage)",
		Fix: func(m *Match) Fix {
			return Fix{"if the clock is wrong, turn on time synchronisation; if it is right, the server's certificate expired: use another GOPROXY entry until it is renewed", "sudo timedatectl set-ntp true"}
		}},

	// --- tls_interception --------------------------------------------------
	// crypto/x509/verify.go: UnknownAuthorityError (with "tls: failed to verify certificate: " from crypto/tls since 1.20)
	{ID: "x509-unknown-authority", GoContext: true, Cause: TLSInterception, Go: "1.21-1.26", Source: "crypto/x509/verify.go", Literal: `certificate signed by unknown authority`,
		Re: re(`x509: certificate signed by unknown authority|x509: .*certificate is not trusted|x509: certificate is not standards compliant`), Fix: fixCA},
	// crypto/x509/verify.go: HostnameError
	{ID: "x509-hostname", GoContext: true, Cause: TLSInterception, Go: "1.21-1.26", Source: "crypto/x509/verify.go", Literal: `certificate is valid for `,
		Re: re(`x509: certificate is valid for .*(, not |but none matched )|x509: certificate is not valid for any names`), Fix: fixCA},

	// --- proxy_unreachable -------------------------------------------------
	// net/dnsclient_unix.go, net/net.go: DNSError
	{ID: "dns", GoContext: true, Cause: ProxyUnreachable, Go: "1.21-1.26", Source: "net/net.go", Literal: `no such host`,
		Re: re(`dial tcp: lookup (?P<host>[^\s:]+)( on \S+)?: (no such host|server misbehaving|i/o timeout|Temporary failure in name resolution|no such host)`), Fix: fixUnreachable},
	// git's own message, passed through by cmd/go/internal/modfetch/codehost/git.go (GOPROXY=direct or GONOPROXY)
	{ID: "git-unreachable", GoContext: true, Cause: ProxyUnreachable, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/codehost/git.go",
		Re: re(`Could not resolve host: (?P<host>[^\s']+)|Failed to connect to (?P<host>[^\s']+) port|Connection timed out after \d+ milliseconds`), Fix: fixUnreachable},
	// net/net.go: OpError from connect(2): ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EHOSTUNREACH; Windows connectex
	{ID: "connect", GoContext: true, Cause: ProxyUnreachable, Go: "1.21-1.26", Source: "syscall/zerrors_linux_amd64.go", Literal: `connection refused`,
		Re: re(`dial tcp \S+: (connect: (connection refused|connection timed out|network is unreachable|no route to host)|i/o timeout|connectex: )`), Fix: fixUnreachable},
	// net/http/transport.go, net/http/client.go: timeouts while talking to the server
	{ID: "http-timeout", GoContext: true, Cause: ProxyUnreachable, Go: "1.21-1.26", Source: "net/http/transport.go", Literal: `TLS handshake timeout`,
		Re: re(`net/http: TLS handshake timeout|Client\.Timeout exceeded|context deadline exceeded|net/http: request canceled|: i/o timeout`), Fix: fixUnreachable},
	// net/net.go: ECONNRESET, EOF mid-response (a middlebox cutting the connection)
	{ID: "reset", GoContext: true, Cause: ProxyUnreachable, Go: "1.21-1.26", Source: "syscall/zerrors_linux_amd64.go", Literal: `connection reset by peer`,
		Re: re(`read: connection reset by peer|wsarecv: An existing connection was forcibly closed|connection reset by peer`), Fix: fixUnreachable},

	// --- toolchain_not_available -------------------------------------------
	// cmd/go/internal/toolchain/select.go: Exec (absent from 1.21.0 and 1.22.0, present in 1.21.13 and 1.23.0 on)
	{ID: "toolchain-lang-version", Cause: ToolchainNotAvailable, Go: "1.21.13-1.21, 1.23-1.26", Source: "cmd/go/internal/toolchain/select.go", Literal: `is a language version but not a toolchain version`,
		Re: re(`invalid toolchain: (?P<tc>go\S+) is a language version but not a toolchain version`), Fix: fixToolchain},
	// cmd/go/internal/toolchain/select.go: Exec (the proxy has no such golang.org/toolchain module)
	{ID: "toolchain-not-available", Cause: ToolchainNotAvailable, Go: "1.21-1.26", Source: "cmd/go/internal/toolchain/select.go", Literal: `toolchain not available`,
		Re: re(`download (?P<tc>go[0-9][^\s:]*)( for \S+)?: toolchain not available`), Fix: fixToolchain},
	// cmd/go/internal/toolchain/select.go: Exec, the module error from modfetch (a 403/404/410 for golang.org/toolchain)
	{ID: "toolchain-proxy-404", Cause: ToolchainNotAvailable, Go: "1.21-1.26", Source: "cmd/go/internal/toolchain/select.go, cmd/go/internal/web/api.go", Literal: `download %s: %v`,
		Re: re(`download (?P<tc>go[0-9][^\s:]*): golang\.org/toolchain@\S+: reading \S+: (403 Forbidden|404 Not Found|410 Gone)`), Fix: fixToolchain},
	// cmd/go/internal/toolchain/switch.go: Switcher.Switch
	{ID: "toolchain-no-release", Cause: ToolchainNotAvailable, Go: "1.21-1.26", Source: "cmd/go/internal/toolchain/switch.go", Literal: `no releases found for go >= %v`,
		Re: re(`switching to go >= (?P<want>\S+): no releases found`), Fix: func(m *Match) Fix {
			return Fix{"no released toolchain satisfies go >= " + m.Named["want"] + " (the proxy's golang.org/toolchain list): the go line names a future version; set it to the toolchain you run", `go mod edit -go="$(go env GOVERSION | sed 's/^go//')"`}
		}},

	// --- mirror_outage -----------------------------------------------------
	// cmd/go/internal/web/api.go: HTTPError.Error, a 5xx status
	{ID: "http-5xx", Cause: MirrorOutage, Go: "1.21-1.26", Source: "cmd/go/internal/web/api.go", Literal: `reading %s: %v`,
		Re: re(`reading (?P<url>https?://\S+): (500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|5\d\d )`), Fix: fixOutage},
	// cmd/go/internal/modfetch/proxy.go: proxyRepo.Stat, Latest
	{ID: "proxy-invalid-response", Cause: MirrorOutage, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/proxy.go", Literal: `invalid response from proxy %q`,
		Re: re(`invalid response from proxy "(?P<url>[^"]+)"|proxy returned info for version \S+ instead of requested version`), Fix: fixOutage},

	// --- private_module ----------------------------------------------------
	// cmd/go/internal/modfetch/codehost/git.go (git's own messages, passed through in "server response:")
	{ID: "git-auth", Cause: PrivateModule, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/codehost/git.go", Literal: `If this is a private repository`,
		Re: re(`terminal prompts disabled|could not read (Username|Password) for|Repository not found|Permission denied \(publickey\)|Host key verification failed|If this is a private repository|Authentication failed for`), Fix: fixPrivate,
		HowToTell: "GitHub and others ask for credentials for a repository that does not exist too (golang/go#79494: a misspelt path): " +
			"open the repository's page logged in; if it exists, it is private (GOPRIVATE); if not, the module path is wrong"},
	// cmd/go/internal/web/api.go via modfetch/sumdb.go: the checksum database cannot see the module
	{ID: "sumdb-lookup-404", Cause: PrivateModule, Go: "1.21-1.26", Source: "cmd/go/internal/web/api.go, cmd/go/internal/modfetch/sumdb.go", Literal: `reading %s: %v`,
		Re: re(`reading (?P<url>https?://[^/\s]+/lookup/\S+): (404 Not Found|410 Gone)`), Fix: fixPrivate},
	// cmd/go/internal/vcs/vcs.go: repoRootForImportDynamic (no go-import meta tag: a login page)
	{ID: "unrecognized-import", Cause: PrivateModule, Go: "1.21-1.26", Source: "cmd/go/internal/vcs/vcs.go", Literal: `unrecognized import path`,
		Re: re(`unrecognized import path "[^"]+": (https fetch|reading|parse)`), Fix: fixPrivate},

	// --- mirror_lag --------------------------------------------------------
	// cmd/go/internal/web/api.go: HTTPError.Error for a proxy file (info, mod, zip, list, latest)
	{ID: "proxy-404", Cause: MirrorLag, Go: "1.21-1.26", Source: "cmd/go/internal/web/api.go", Literal: `reading %s: %v`,
		Re: re(`reading (?P<url>https?://\S+/@(v/\S+|latest)): (404 Not Found|410 Gone)`), Fix: fixLag, HowToTell: lagHowToTell},
	// cmd/go/internal/modload/query.go: NoMatchingVersionError
	{ID: "no-matching-versions", Cause: MirrorLag, Go: "1.21-1.26", Source: "cmd/go/internal/modload/query.go", Literal: `no matching versions for query %q`,
		Re: re(`no matching versions for query "(?P<query>[^"]+)"`), Fix: fixLag, HowToTell: lagHowToTell},

	// --- corrupt_cache -----------------------------------------------------
	// cmd/go/internal/modfetch/cache.go: DownloadDirPartialError; fetch.go: checkMod; modcmd/verify.go
	{ID: "cache-partial", Cause: CorruptCache, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/cache.go, cmd/go/internal/modfetch/fetch.go, cmd/go/internal/modcmd/verify.go", Literal: `not completely extracted`,
		Re: re(`not completely extracted|ziphash file is missing|unexpected ziphash|missing ziphash`), Fix: fixCache},
	// cmd/go/internal/modcmd/verify.go: verifyMod
	{ID: "cache-modified", Cause: CorruptCache, Go: "1.21-1.26", Source: "cmd/go/internal/modcmd/verify.go", Literal: `has been modified`,
		Re: re(`(zip|dir) has been modified \(`), Fix: fixCache},
	// archive/zip/reader.go: ErrFormat, ErrChecksum (a truncated or damaged zip in the cache)
	{ID: "cache-zip", Cause: CorruptCache, Go: "1.21-1.26", Source: "archive/zip/reader.go", Literal: `not a valid zip file`,
		Re: re(`zip: not a valid zip file|zip: checksum error|pkg/mod/cache/download/\S+: unexpected EOF`), Fix: fixCache},
	// golang.org/x/mod/sumdb/tlog/tile.go: a damaged local copy of the checksum database tiles
	{ID: "sumdb-tile", Cause: CorruptCache, Go: "1.21-1.26", Source: "cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go", Literal: `downloaded inconsistent tile`,
		Re: re(`downloaded inconsistent tile`), Fix: func(*Match) Fix {
			return Fix{"the cached checksum database tiles disagree; remove only that cache (the go command fetches them again)", `rm -rf "$(go env GOMODCACHE)/cache/download/sumdb"`}
		}},

	// --- checksum_mismatch -------------------------------------------------
	// cmd/go/internal/modfetch/fetch.go: checkSumDB (against the checksum database) and haveModSumLocked (against go.sum)
	{ID: "checksum-mismatch", Cause: ChecksumMismatch, Go: "1.21-1.26", Source: "cmd/go/internal/modfetch/fetch.go", Literal: `checksum mismatch`,
		Re: re(`verifying \S+: checksum mismatch|verifying (module|go\.mod): checksum mismatch`), Fix: fixMismatch},
	// cmd/go/internal/modfetch/fetch.go: checkSumDB, sumdbAbsent (absent from 1.21.0 to 1.25.0)
	{ID: "sumdb-absent", Cause: ChecksumMismatch, Go: "1.26", Source: "cmd/go/internal/modfetch/fetch.go", Literal: `checksum missing from sumdb response`,
		Re: re(`checksum missing from sumdb response`), Fix: fixMismatch},
	// golang.org/x/mod/sumdb/client.go: checkTrees (a fork in the checksum database's log: the server, or a mirror of it, is inconsistent with what this machine saw before)
	{ID: "sumdb-misbehavior", Cause: ChecksumMismatch, Go: "1.21-1.26", Source: "cmd/vendor/golang.org/x/mod/sumdb/client.go", Literal: `go.sum database server misbehavior detected!`,
		Re: re(`go\.sum database server misbehavior detected!|security error: misbehaving server`), Fix: func(*Match) Fix {
			return Fix{"the checksum database (or the proxy mirroring it) served a log inconsistent with the one this machine recorded: do not delete the record to make it pass; check through the public checksum database and report it",
				"GOPROXY=https://proxy.golang.org,direct GOSUMDB=sum.golang.org go mod download"}
		}},
}

// lagHowToTell: a version the mirror lacks may not exist at all.
const lagHowToTell = "ask the checksum database (curl -s https://sum.golang.org/lookup/MODULE@VERSION, or envgen doctor explain --probe): " +
	"a record means the mirror lags; none means the version is not published (a typo, a tag not pushed), which is no download failure"

// --- fixes ---

func fixModFlag(m *Match) Fix {
	switch {
	case strings.Contains(m.Text, "inconsistent vendoring") || strings.Contains(m.Text, "-mod=vendor"):
		return Fix{"vendor/ does not match go.mod, and the go command uses it instead of downloading; bring it up to date (or ignore it for this run with GOFLAGS=-mod=mod)", "go mod vendor"}
	case strings.Contains(m.Text, "updates to go.mod needed") && !strings.Contains(m.Text, "disabled by"):
		return Fix{"go.mod is out of date and the go command may not change it (-mod=readonly, the default); update it and commit go.mod and go.sum", "go mod tidy"}
	default:
		return Fix{"-mod=readonly forbids the download; allow it for this run (or run go mod tidy and commit go.mod and go.sum)", "GOFLAGS=-mod=mod go mod download"}
	}
}

func fixGOPROXY(*Match) Fix {
	return Fix{"GOPROXY forbids or breaks the lookup; set it to the default (a proxy, then the origin)", "export GOPROXY=https://proxy.golang.org,direct"}
}

func fixUnset(name string) func(*Match) Fix {
	return func(*Match) Fix {
		return Fix{name + " is invalid; go back to the default", "unset " + name + " && go env -u " + name}
	}
}

func fixCA(m *Match) Fix {
	h := orDefault(m.Host, "the server")
	return Fix{"a TLS-inspecting proxy or antivirus presents its own certificate for " + h +
		"; give Go its root certificate (PEM) instead of turning verification off", "export SSL_CERT_FILE=/path/to/corporate-root-ca.pem"}
}

func fixUnreachable(m *Match) Fix {
	h := m.Host
	sumdb := h == "sum.golang.org" || strings.Contains(m.URL, "/lookup/") || strings.Contains(m.URL, "/tile/") || strings.Contains(m.URL, "/sumdb/")
	proxy := strings.Contains(m.URL, "/@v/") || strings.Contains(m.URL, "/@latest")
	switch {
	case sumdb && h != "" && h != "sum.golang.org":
		return Fix{"the checksum database GOSUMDB names (" + h + ") is unreachable; go back to the default", "unset GOSUMDB && go env -u GOSUMDB"}
	case sumdb:
		return Fix{"the checksum database is unreachable; use a proxy that serves it (the go command fetches the checksum database through GOPROXY when the proxy supports it)", "export GOPROXY=https://goproxy.cn,direct"}
	case h == "proxy.golang.org":
		return Fix{"proxy.golang.org is unreachable from here; use a mirror you can reach", "export GOPROXY=https://goproxy.cn,direct"}
	case proxy:
		return Fix{h + " (a GOPROXY entry) is unreachable; fall back to the next entry on any error with '|'", "export GOPROXY='" + proxyEntry(m) + "|https://proxy.golang.org,direct'"}
	case h != "":
		return Fix{h + " (the module's origin) is unreachable; fetch through the public proxy instead", "export GOPROXY=https://proxy.golang.org,direct"}
	default:
		return Fix{"the network is unreachable from here; check it against the default proxy", "curl -sI https://proxy.golang.org"}
	}
}

func fixOutage(m *Match) Fix {
	h := orDefault(m.Host, "the proxy")
	other := "https://proxy.golang.org"
	if m.Host == "proxy.golang.org" {
		other = "https://goproxy.cn"
	}
	return Fix{h + " answered with a server error; fall back to another proxy on any error with '|'", "export GOPROXY='" + proxyEntry(m) + "|" + other + ",direct'"}
}

// proxyEntry is the GOPROXY entry a proxy URL in the evidence belongs
// to: the URL up to the module path (https://host/prefix).
func proxyEntry(m *Match) string {
	u := m.URL
	if u == "" {
		return "https://" + orDefault(m.Host, "proxy.example.com")
	}
	if m.Module != "" {
		if i := strings.Index(u, "/"+escapePath(m.Module)+"/@"); i > 0 {
			return u[:i]
		}
	}
	if i := strings.Index(u, "/@"); i > 0 {
		// A module path we could not read: keep scheme and host.
		scheme, rest, _ := strings.Cut(u, "://")
		host, _, _ := strings.Cut(rest, "/")
		return scheme + "://" + host
	}
	return strings.TrimRight(u, "/")
}

func fixPrivate(m *Match) Fix {
	p := privatePrefix(m.Module)
	if p == "" {
		return Fix{"the module is private: list its path prefix in GOPRIVATE so the go command fetches it from the origin (with your git credentials) and skips the checksum database", "export GOPRIVATE=git.example.com/yourorg"}
	}
	return Fix{"the module is private: list its prefix in GOPRIVATE so the go command fetches it from the origin (with your git credentials) and skips the public proxy and checksum database", "export GOPRIVATE=" + p}
}

func fixLag(m *Match) Fix {
	target := m.Module
	if target != "" && m.Version != "" {
		target += "@" + m.Version
	}
	if target == "" {
		target = "MODULE@VERSION"
	}
	return Fix{"the mirror does not have this version (yet, or it cached a \"not found\" for up to 30 minutes): fetch it from the origin once; envgen doctor explain --probe checks the checksum database's record", "GOPROXY=direct go mod download " + target}
}

func fixToolchain(m *Match) Fix {
	tc := m.Named["tc"]
	v := strings.TrimPrefix(tc, "go")
	if strings.Count(v, ".") == 1 && !strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyz") {
		// go1.24: a language version, which no toolchain is named after
		// (the go 1.21 and 1.22 commands try to download it; golang/go#62278).
		return Fix{"go " + v + " is a language version, not a release; name the release in go.mod (or GOTOOLCHAIN=go" + v + ".0)", "go mod edit -go=" + v + ".0"}
	}
	return Fix{"the proxy has no " + tc + " toolchain (golang.org/toolchain@v0.0.1-" + tc + ".GOOS-GOARCH): either no such release (see https://go.dev/dl/; then correct GOTOOLCHAIN or go.mod's go/toolchain line), " +
		"or GOPROXY is a mirror that does not serve golang.org/toolchain; this fetches it from the public proxy, or proves it does not exist",
		"GOPROXY=https://proxy.golang.org,direct GOTOOLCHAIN=" + tc + " go version"}
}

func fixCache(m *Match) Fix {
	if m.Module == "" || m.Version == "" {
		return Fix{"a module cache entry is damaged; remove the cache (every module is downloaded again)", "go clean -modcache"}
	}
	esc := escapePath(m.Module)
	return Fix{"the cache entry of " + m.Module + "@" + m.Version + " is damaged; remove just that entry (the download files and the read-only extracted folder); the go command downloads it again",
		`rm -f "$(go env GOMODCACHE)/cache/download/` + esc + `/@v/` + m.Version + `."*` +
			` && chmod -R u+w "$(go env GOMODCACHE)/` + esc + `@` + m.Version + `" && rm -rf "$(go env GOMODCACHE)/` + esc + `@` + m.Version + `"`}
}

func fixMismatch(m *Match) Fix {
	target := orDefault(m.Module, "MODULE")
	if m.Version != "" {
		target += "@" + m.Version
	}
	if strings.Contains(m.Text, "go.sum:") || strings.Contains(m.Text, "go.work.sum:") {
		return Fix{"the download differs from go.sum: ask the checksum database which is right; if it agrees with go.sum, the download was altered (check GOPROXY and any TLS proxy); if it agrees with the download, go.sum was edited: remove that module's lines from go.sum and run go mod tidy",
			"curl -s https://sum.golang.org/lookup/" + target}
	}
	return Fix{"the proxy (or, with GOPROXY=direct, the origin: a moved tag) served bits that differ from the checksum database's record: do not use them; fetch through the public proxy, which serves the recorded bits, and report the mirror if it persists",
		"GOPROXY=https://proxy.golang.org,direct GOFLAGS=-mod=mod go mod download " + target}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// privatePrefix is the GOPRIVATE pattern for a module: host and owner for
// the code hosts that have owners, else the host.
func privatePrefix(mod string) string {
	if mod == "" {
		return ""
	}
	parts := strings.Split(mod, "/")
	if len(parts) >= 2 && strings.Contains(parts[0], ".") {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}
