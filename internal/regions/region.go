// Package regions finds and refreshes the managed regions of a file that
// otherwise belongs to the user.
//
// A `once` file (service code, README.md) is scaffolded by envgen init and
// is the user's from then on, except between a pair of marker lines:
//
//	<!-- envgen:begin NAME -->   (Markdown)
//	// envgen:begin NAME          (Go)
//	# envgen:begin NAME           (YAML, shell, Makefile, Dockerfile, .env)
//	...content envgen owns...
//	# envgen:end NAME
//
// What lies between a pair belongs to envgen: sync renders it again and an
// edit there is drift. Everything outside the pairs, the marker lines
// included, is the user's.
package regions

// Region is one managed region of a file. Begin and End are byte offsets
// of its content: the lines between the begin and the end marker, the
// marker lines themselves excluded. data[Begin:End] is the content, with
// its line endings; an empty region has Begin == End.
type Region struct {
	Name       string
	Begin, End int
}
