package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	units "github.com/docker/go-units"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/starter"
)

// renderLimitsEnv holds --render-limits for every command that renders,
// when the flag is not given.
const renderLimitsEnv = "ENVGEN_RENDER_LIMITS"

const renderLimitsUsage = "raise the render limits for a starter you trust: KEY=VALUE[,KEY=VALUE], keys " +
	"file-bytes (default 8MiB), total-bytes (64MiB), files (5000), time (10s); sizes as 16MiB or 20MB; " +
	"default from " + renderLimitsEnv

// parseRenderLimits reads KEY=VALUE[,KEY=VALUE]. Keys not given keep
// their default (a zero field of generator.Caps).
func parseRenderLimits(spec string) (generator.Caps, error) {
	var caps generator.Caps
	bad := func(problem string) (generator.Caps, error) {
		return generator.Caps{}, &generator.InputError{Subject: "--render-limits " + spec, Problem: problem,
			Hint: "write KEY=VALUE[,KEY=VALUE] with keys file-bytes, total-bytes, files and time, e.g. --render-limits file-bytes=32MiB,time=1m (or set " + renderLimitsEnv + ")"}
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(spec, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(kv), "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" || value == "" {
			return bad(fmt.Sprintf("%q is not KEY=VALUE", kv))
		}
		if seen[key] {
			return bad(key + " is given twice")
		}
		seen[key] = true
		switch key {
		case generator.CapFileBytes, generator.CapTotalBytes:
			n, err := parseSize(value)
			if err != nil {
				return bad(fmt.Sprintf("%s: %v", key, err))
			}
			if key == generator.CapFileBytes {
				caps.MaxFileBytes = n
			} else {
				caps.MaxTotalBytes = n
			}
		case generator.CapFiles:
			n, err := strconv.Atoi(value)
			if err != nil || n <= 0 {
				return bad(fmt.Sprintf("files: %q is not a positive whole number", value))
			}
			caps.MaxFiles = n
		case generator.CapTime:
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return bad(fmt.Sprintf("time: %q is not a positive duration such as 30s or 2m", value))
			}
			caps.MaxTemplateTime = d
		default:
			return bad(fmt.Sprintf("unknown key %q", key))
		}
	}
	return caps, nil
}

// parseSize reads 10MiB (binary: 10×2^20), 10MB (decimal: 10×10^6) or a
// plain number of bytes.
func parseSize(s string) (int64, error) {
	parse := units.FromHumanSize
	if strings.ContainsAny(s, "iI") {
		parse = units.RAMInBytes
	}
	n, err := parse(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size such as 16MiB", s)
	}
	return n, nil
}

// renderCaps are the render limits --render-limits asks for, else
// ENVGEN_RENDER_LIMITS, else the defaults.
func renderCaps(flag string) (generator.Caps, error) {
	spec := flag
	if spec == "" {
		spec = os.Getenv(renderLimitsEnv)
	}
	if strings.TrimSpace(spec) == "" {
		return generator.Caps{}, nil
	}
	caps, err := parseRenderLimits(spec)
	if ie, ok := errors.AsType[*generator.InputError](err); ok && flag == "" {
		ie.Subject = renderLimitsEnv + "=" + spec
	}
	return caps, err
}

// withCaps returns src with caps (a copy: the built-in source is shared).
func withCaps(src *generator.Source, caps generator.Caps) *generator.Source {
	if src == nil || caps == (generator.Caps{}) {
		return src
	}
	c := *src
	c.Caps = caps
	return &c
}

// openStarterWith is openStarter with the render limits of flag (see
// renderCaps).
func openStarterWith(flag string) func(ctx context.Context, o project.Origin) (*generator.Source, error) {
	return func(ctx context.Context, o project.Origin) (*generator.Source, error) {
		caps, err := renderCaps(flag)
		if err != nil {
			return nil, err
		}
		src, err := starter.OpenOrigin(ctx, o, starter.Options{})
		if err != nil {
			return nil, err
		}
		return withCaps(src, caps), nil
	}
}
