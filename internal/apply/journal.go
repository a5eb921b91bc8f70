package apply

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/envgen/envgen/internal/project"
)

// Journal is an apply in progress (.envgen/journal).
type Journal struct {
	Version int       `json:"version"`
	Label   string    `json:"label"` // what was running: "sync --profile production"
	Started time.Time `json:"started"`
	Steps   []Step    `json:"steps"`
}

const journalVersion = 1

// maxJournalSize bounds what envgen reads back (a whole project twice).
const maxJournalSize = 512 << 20

// JournalError is a journal envgen cannot replay.
type JournalError struct{ Problem string }

func (e *JournalError) Error() string { return project.JournalFile + ": " + e.Problem }

// Hint says how to go on.
func (e *JournalError) Hint() string {
	return "it is not one envgen wrote on this machine: delete " + project.JournalFile + " after checking the project with git status"
}

// ExitCode is 2: invalid .envgen/ state.
func (e *JournalError) ExitCode() int { return 2 }

// Pending returns the unfinished apply of a project, or nil. It only reads.
func Pending(d *project.Dir) (*Journal, error) {
	data, _, err := d.ReadFile(project.JournalFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return parseJournal(data)
}

func parseJournal(data []byte) (*Journal, error) {
	if len(data) > maxJournalSize {
		return nil, &JournalError{Problem: "too large"}
	}
	var j Journal
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, &JournalError{Problem: err.Error()}
	}
	if j.Version != journalVersion {
		return nil, &JournalError{Problem: fmt.Sprintf("version %d, this envgen writes %d", j.Version, journalVersion)}
	}
	for i, s := range j.Steps {
		if err := checkPath(s.Path); err != nil {
			return nil, &JournalError{Problem: fmt.Sprintf("steps[%d]: %v", i, err)}
		}
		switch s.Op {
		case OpWrite, OpRemove, OpChmod:
		default:
			return nil, &JournalError{Problem: fmt.Sprintf("steps[%d]: unknown op %q", i, s.Op)}
		}
		if s.Prev == nil {
			return nil, &JournalError{Problem: fmt.Sprintf("steps[%d]: no previous state recorded", i)}
		}
	}
	return &j, nil
}
