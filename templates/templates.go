// Package templates embeds envgen's built-in template: its manifest, the
// tree rendered into the project and the tested dependency sets. This
// folder is laid out as a starter repository is (README.md in it documents
// the format), so the built-in template opens like any starter.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed envgen-template.yaml all:templates deps
var embedded embed.FS

// FS returns the built-in template as a read-only file system rooted at
// this folder: envgen-template.yaml, templates/ and deps/.
func FS() fs.FS { return embedded }
