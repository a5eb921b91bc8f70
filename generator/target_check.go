package generator

import (
	"fmt"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/envgen/envgen/internal/project"
)

// The longest names file systems take: a path element (ext4, APFS, NTFS
// all stop at 255) and a whole path (Linux's PATH_MAX).
const (
	MaxNameBytes = 255
	MaxPathBytes = 4096
)

// checkTarget checks a render as a whole, so that it is refused before
// anything is written rather than failing half way through the writing:
// at most caps.MaxFiles files, no path or path element longer than file
// systems take, no path that is a file and also a folder of another file
// (a and a/b), and no two paths that differ only in letter case, Unicode
// normalisation, ignorable code points or trailing dots (one file on
// macOS and Windows). sources maps a rendered path to the template it
// came from, to name it. files is sorted by path.
func checkTarget(files []File, sources map[string]string, caps Caps) error {
	if len(files) > caps.MaxFiles {
		ce := &capError{key: CapFiles, problem: fmt.Sprintf("%d, above the render limit of %d (%s)", len(files), caps.MaxFiles, CapFiles)}
		return &InputError{Subject: "rendered files", Problem: ce.problem, Hint: raiseHint(ce)}
	}
	name := func(p string) string {
		if src, ok := sources[p]; ok && src != p {
			return fmt.Sprintf("%s (from template %s)", p, src)
		}
		return p
	}
	const hint = "fix the starter's template paths so that every file can be written on every file system (nothing was written)"
	refuse := func(p, problem string, args ...any) error {
		return &InputError{Subject: "template path " + name(p), Problem: fmt.Sprintf(problem, args...), Hint: hint}
	}

	isFile := make(map[string]bool, len(files))
	for _, f := range files {
		isFile[f.Path] = true
	}
	type seenAs struct{ path, file string }
	folded := map[string]seenAs{} // folded prefix -> the prefix as rendered, and a file under it
	caser := cases.Fold()
	for _, f := range files {
		p := f.Path
		if len(p) > MaxPathBytes {
			return refuse(p, "is %d bytes long, above the %d bytes file systems take for a path", len(p), MaxPathBytes)
		}
		elems := strings.Split(p, "/")
		var key strings.Builder
		for i, el := range elems {
			if len(el) > MaxNameBytes {
				return refuse(p, "has an element of %d bytes, above the %d bytes file systems take for a name", len(el), MaxNameBytes)
			}
			prefix := strings.Join(elems[:i+1], "/")
			if i < len(elems)-1 && isFile[prefix] {
				return refuse(prefix, "is a file, and also the folder of %s", name(p))
			}
			if i > 0 {
				key.WriteByte('/')
			}
			key.WriteString(foldElement(caser, el))
			k := key.String()
			if prev, ok := folded[k]; ok && prev.path != prefix {
				one := "a file and a folder of one name"
				switch prevFile, file := prev.path == prev.file, i == len(elems)-1; {
				case prevFile && file:
					one = "one file"
				case !prevFile && !file:
					one = "one folder"
				}
				return &InputError{Subject: "template paths " + name(prev.file) + " and " + name(p),
					Problem: fmt.Sprintf("%+q and %+q differ only in letter case, Unicode normalisation or trailing dots: on macOS and Windows they are %s",
						prev.path, prefix, one),
					Hint: hint}
			}
			if _, ok := folded[k]; !ok {
				folded[k] = seenAs{path: prefix, file: p}
			}
		}
	}
	return nil
}

// foldElement is the key under which file systems that ignore case and
// normalisation compare a path element.
func foldElement(c cases.Caser, el string) string {
	return norm.NFD.String(c.String(norm.NFD.String(project.FoldName(el))))
}
