// Package project is the on-disk state envgen keeps in a project, as a
// leaf every other package can read: the envgen.lock schema (parsing it
// is validating untrusted input), the layout of the .envgen/ folder, and
// the ownership modes of files. It renders nothing and writes nothing.
package project
