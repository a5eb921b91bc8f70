package goversion

import (
	"io/fs"
	"sort"
	"strings"

	goversion "go/version"

	"github.com/envgen/envgen/templates"
)

// supportedMinors reads the minors from the built-in template's
// dependency sets: deps/go1.26.mod and deps/go1.26.sum make 1.26 a
// supported minor.
func supportedMinors() []string {
	mods, err := fs.Glob(templates.FS(), "deps/go*.mod")
	if err != nil {
		panic("goversion: " + err.Error())
	}
	var out []string
	for _, m := range mods {
		minor := strings.TrimSuffix(strings.TrimPrefix(m, "deps/go"), ".mod")
		if _, err := fs.Stat(templates.FS(), "deps/go"+minor+".sum"); err != nil {
			panic("goversion: " + m + " has no go.sum beside it")
		}
		out = append(out, minor)
	}
	sort.Slice(out, func(i, j int) bool { return goversion.Compare("go"+out[i], "go"+out[j]) < 0 })
	return out
}

// defaultRelease is the newest known patch of the newest supported minor.
func defaultRelease() string {
	if len(Supported) == 0 {
		panic("goversion: no dependency set in templates/deps")
	}
	newest := Supported[len(Supported)-1]
	r, ok := NewestKnown(newest)
	if !ok {
		panic("goversion: releases.txt has no release of Go " + newest)
	}
	return r.String()
}
