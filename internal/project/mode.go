package project

import "fmt"

// Mode is a file's ownership: what sync may do to it later.
type Mode string

const (
	// Managed files are envgen's: a local edit is drift, which sync shows,
	// backs up and replaces (lint floor, dashboards, alert rules).
	Managed Mode = "managed"
	// Merged files are shared: template changes are merged with local edits.
	Merged Mode = "merged"
	// Once files are scaffolded once and then the user's; sync only
	// rewrites their managed regions (envgen:begin NAME ... envgen:end NAME).
	Once Mode = "once"
)

// Valid reports whether m is one of the three modes.
func (m Mode) Valid() error {
	switch m {
	case Managed, Merged, Once:
		return nil
	}
	return fmt.Errorf("unknown mode %q (want managed, merged or once)", m)
}

// KeepsBase reports whether envgen keeps the last-written content of a
// file of this mode under BaseDir: what a three-way merge (merged) or a
// floor with the user's additions (managed) starts from.
func (m Mode) KeepsBase() bool { return m == Managed || m == Merged }
