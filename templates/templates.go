// Package templates embeds envgen's built-in template: the service tree,
// its manifest and the tested dependency sets. See README.md in this folder
// for the format, which organisations' starters share.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed envgen-template.yaml all:service deps
var embedded embed.FS

// FS returns the built-in template as a read-only file system rooted at
// this folder: envgen-template.yaml, service/ and deps/.
func FS() fs.FS { return embedded }
