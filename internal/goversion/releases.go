package goversion

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed releases.txt
var releasesTxt string

// newestKnown maps a minor ("1.26") to its newest patch envgen knows.
var newestKnown = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	for _, line := range strings.Split(releasesTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r, err := parse(line)
		if err != nil {
			panic("goversion: releases.txt: " + err.Error())
		}
		out[r.MinorString()] = r.Patch
	}
	return out
})

// Known reports whether r is a release envgen's embedded list knows
// exists: no network needed to pin it.
func Known(r Release) bool {
	newest, ok := newestKnown()[r.MinorString()]
	return ok && r.Patch <= newest
}

// NewestKnown returns the newest known patch of a minor, if any.
func NewestKnown(minor string) (Release, bool) {
	newest, ok := newestKnown()[minor]
	if !ok {
		return Release{}, false
	}
	r, err := parse(minor + "." + itoa(newest))
	return r, err == nil
}
