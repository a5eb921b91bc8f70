package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/toolchain"
)

// releaseLookupTimeout bounds the one question asked about a Go release
// envgen's embedded list does not know.
const releaseLookupTimeout = 15 * time.Second

// releaseExists asks the checksum database whether a Go release exists
// (its linux/amd64 toolchain module has a record): true, false, or an
// error when the database could not be asked.
type releaseExists func(ctx context.Context, r goversion.Release) (bool, error)

// confirmRelease makes sure a pin names a Go release that exists, so a
// project never pins go1.26.99 and fails on its first build. envgen's
// embedded release list answers offline; a release newer than the list
// is looked up in the checksum database with a timeout, and the note on
// stderr says so. A proxy's version list is not asked: mirrors list only
// some releases, so a missing entry there proves nothing.
func confirmRelease(ctx context.Context, s *streams, flag, text string, exists releaseExists) error {
	r, err := goversion.Parse(text)
	if err != nil || goversion.Known(r) {
		return nil // a malformed or unsupported release is the resolver's to refuse
	}
	newest, _ := goversion.NewestKnown(r.MinorString())
	ctx, cancel := context.WithTimeout(ctx, releaseLookupTimeout)
	defer cancel()
	ok, err := exists(ctx, r)
	switch {
	case err != nil:
		return &exitError{code: exitcode.Failure,
			err:  fmt.Errorf("%s %s: envgen's release list ends at %s, and the checksum database could not be asked whether %s exists: %w", flag, text, newest, r.Toolchain(), err),
			hint: fmt.Sprintf("pin a release envgen knows (%s %s) to work offline, or fix the network (envgen doctor says why)", flag, newest)}
	case !ok:
		return exitcode.Usagef(flag+" "+text, fmt.Sprintf("pin a release that exists, for example %s %s", flag, newest),
			"%s is not a Go release: envgen's release list ends at %s and the checksum database has no record of it", r.Toolchain(), newest)
	}
	fmt.Fprintf(s.stderr, "envgen: note: %s is newer than envgen's release list (%s); the checksum database knows it\n", r.Toolchain(), newest)
	return nil
}

// sumdbReleaseExists is releaseExists through GOPROXY and GOSUMDB.
func sumdbReleaseExists(ctx context.Context, r goversion.Release) (bool, error) {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil {
		return false, err
	}
	m := toolchain.NewManager(ctx, env, toolchain.NewHTTPClient(), "", nil)
	db, err := m.ChecksumDB()
	if err != nil {
		return false, err
	}
	if _, err := db.Lookup(toolchain.Module(r, toolchain.Platform{GOOS: "linux", GOARCH: "amd64"})); err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// isNotFound tells the checksum database's "no such module version"
// (404 or 410 from its lookup endpoint) from failing to reach it.
func isNotFound(err error) bool { return toolchain.NotFound(err) }

// latestTimeout bounds what `--go latest` asks: the proxy's list and a
// few lookups in the checksum database.
const latestTimeout = 30 * time.Second

// latestRelease resolves `latest` (toolchain.Manager.LatestProven).
type latestRelease func(ctx context.Context) (toolchain.Proven, error)

// resolveGo turns `latest` into the release to pin, the newest of a
// supported minor that the proxy lists and the checksum database proves,
// and says on stderr which one it took and why; any other text comes back
// as it is (init's default needs no network). flag names the input in
// messages ("--go"; "" for toolchain pin's argument).
func resolveGo(ctx context.Context, s *streams, flag, text string, latest latestRelease) (string, error) {
	if strings.TrimSpace(text) != "latest" {
		return text, nil
	}
	ctx, cancel := context.WithTimeout(ctx, latestTimeout)
	defer cancel()
	subject := strings.TrimSpace(flag + " latest")
	p, err := latest(ctx)
	if err != nil {
		pin := goversion.Default
		if flag != "" {
			pin = flag + " " + goversion.Default
		}
		return "", &exitError{code: exitcode.Failure,
			err:  fmt.Errorf("%s: %w", subject, err),
			hint: fmt.Sprintf("pin a release envgen knows to work offline (%s), or fix the network (envgen doctor says why)", pin)}
	}
	prefix := ""
	if flag != "" {
		prefix = flag + " "
	}
	fmt.Fprintf(s.stderr, "envgen: note: %s%s\n", prefix, p.Note())
	return p.Release.String(), nil
}

// proxyLatest is latestRelease through GOPROXY and GOSUMDB, proven for
// linux/amd64 (the release exists).
func proxyLatest(ctx context.Context) (toolchain.Proven, error) { return latestOn()(ctx) }

// latestOn is latestRelease proven for every platform given.
func latestOn(platforms ...toolchain.Platform) latestRelease {
	return func(ctx context.Context) (toolchain.Proven, error) {
		env, err := goenv.Load(os.Getenv, "")
		if err != nil {
			return toolchain.Proven{}, err
		}
		return toolchain.NewManager(ctx, env, toolchain.NewHTTPClient(), "", nil).LatestProven(platforms...)
	}
}

// warnGoSupport prints the warning of a Go pin out of upstream support or
// behind the newest patch of its minor, with the sync that fixes it
// (fix: that command). Not an error: envgen renders every minor it has a
// dependency set for.
func warnGoSupport(w io.Writer, a *goversion.Support, fix string) {
	if a == nil {
		return
	}
	line := "envgen: warning: " + a.Warning
	if a.Fix != "" && fix != "" {
		line += "; fix: " + fix
	}
	fmt.Fprintln(w, line)
}
