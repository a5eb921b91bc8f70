// Package explain reads the output of a failed go command and says, per
// Go download failure in it, the cause, the evidence and the one fix.
// It probes nothing unless asked (Probe): a pasted log may come from
// another machine.
package explain

// Cause is one of a fixed vocabulary, stable in --json.
type Cause string

// The causes. Adding one is a minor change; renaming or removing one is
// a breaking change of --json.
const (
	MisconfiguredEnv      Cause = "misconfigured_env"
	ClockSkew             Cause = "clock_skew"
	TLSInterception       Cause = "tls_interception"
	ProxyUnreachable      Cause = "proxy_unreachable"
	MirrorOutage          Cause = "mirror_outage"
	PrivateModule         Cause = "private_module"
	MirrorLag             Cause = "mirror_lag"
	ToolchainNotAvailable Cause = "toolchain_not_available"
	CorruptCache          Cause = "corrupt_cache"
	ChecksumMismatch      Cause = "checksum_mismatch"
	Unknown               Cause = "unknown"
)

// Causes lists the vocabulary, most fundamental first: findings are
// printed in this order, since a cause earlier in the list can produce
// the symptoms of a later one (an intercepting TLS proxy can serve bits
// that then fail the checksum check; a wrong GOPROXY makes everything
// after it fail).
var Causes = []Cause{
	MisconfiguredEnv, ClockSkew, TLSInterception, ProxyUnreachable, MirrorOutage,
	PrivateModule, MirrorLag, ToolchainNotAvailable, CorruptCache, ChecksumMismatch, Unknown,
}

// Descriptions says in one line what each cause means (help text, docs).
var Descriptions = map[Cause]string{
	MisconfiguredEnv:      "a go environment setting (GOPROXY, GOSUMDB, GOFLAGS, GOTOOLCHAIN, HTTPS_PROXY) forbids or breaks the download",
	ClockSkew:             "the local clock is wrong, so valid certificates look expired or not yet valid",
	TLSInterception:       "something between this machine and the server presents its own certificate (corporate proxy, antivirus, captive portal)",
	ProxyUnreachable:      "the proxy, checksum database or origin cannot be reached (DNS, refused, timeout, reset)",
	MirrorOutage:          "the proxy answered with a server error (5xx) or a broken response",
	PrivateModule:         "the module is private: the public proxy and checksum database cannot see it",
	MirrorLag:             "the mirror does not have this version (yet): a new tag, or a cached \"not found\"",
	ToolchainNotAvailable: "the Go toolchain the go command was asked to switch to does not exist or cannot be downloaded",
	CorruptCache:          "the local module cache holds a damaged or incomplete entry",
	ChecksumMismatch:      "the downloaded bits differ from go.sum or the checksum database",
	Unknown:               "a go command error that matches no known download failure",
}

func rank(c Cause) int {
	for i, x := range Causes {
		if x == c {
			return i
		}
	}
	return len(Causes)
}
