package generator

import "fmt"

// Mode is a rendered file's ownership: what sync may do to it later.
type Mode string

const (
	// Managed files are envgen's: a local edit is drift, which sync shows,
	// backs up and replaces (lint floor, dashboards, alert rules).
	Managed Mode = "managed"
	// Merged files are shared: template changes are merged with local edits.
	Merged Mode = "merged"
	// Once files are scaffolded once and then the user's; sync never touches them.
	Once Mode = "once"
)

func (m Mode) valid() error {
	switch m {
	case Managed, Merged, Once:
		return nil
	}
	return fmt.Errorf("unknown mode %q (want managed, merged or once)", m)
}
