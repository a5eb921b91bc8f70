package workflow

import (
	"bytes"
	"strings"

	"github.com/envgen/envgen/internal/apply"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
)

// steps turns a plan into the writer's steps, in the order that keeps a
// crash harmless even without the journal: backups of the user's files
// first, then the files, then their base copies, envgen.lock last.
// stamp names the backup folder.
func steps(d *project.Dir, p *plan.Plan, stamp string) ([]apply.Step, string, error) {
	var out []apply.Step
	backupDir := ""
	for _, c := range p.Changes {
		if c.Backup && c.Before != nil && c.Changes() {
			backupDir = project.BackupDir + "/" + stamp
			// Backups may hold secrets: readable by their owner only.
			out = append(out, apply.Step{Op: apply.OpWrite, Path: backupDir + "/" + c.Path, Data: c.Before, Perm: 0o600})
		}
	}
	for _, c := range p.Changes {
		switch {
		case c.Write:
			out = append(out, apply.Step{Op: apply.OpWrite, Path: c.Path, Data: c.After, Perm: c.Perm})
		case c.Remove:
			out = append(out, apply.Step{Op: apply.OpRemove, Path: c.Path})
		case c.SetExec:
			out = append(out, apply.Step{Op: apply.OpChmod, Path: c.Path, Perm: c.Perm})
		}
	}
	for _, c := range p.Changes {
		base := project.BaseDir + "/" + c.Path
		switch {
		case c.SetBase:
			if cur, err := d.ReadBase(c.Path); err == nil && bytes.Equal(cur, c.Base) {
				continue
			}
			out = append(out, apply.Step{Op: apply.OpWrite, Path: base, Data: c.Base, Perm: 0o644})
		case c.DropBase && d.Exists(base):
			out = append(out, apply.Step{Op: apply.OpRemove, Path: base})
		}
	}
	if cur, _, err := d.ReadFile(project.StateIgnoreFile); err != nil || string(cur) != project.StateIgnore {
		out = append(out, apply.Step{Op: apply.OpWrite, Path: project.StateIgnoreFile, Data: []byte(project.StateIgnore), Perm: 0o644})
	}
	lock, err := p.Lock.Marshal()
	if err != nil {
		return nil, "", err
	}
	if cur, _, err := d.ReadFile(project.LockFile); err != nil || !bytes.Equal(cur, lock) {
		out = append(out, apply.Step{Op: apply.OpWrite, Path: project.LockFile, Data: lock, Perm: 0o644})
	}
	return out, backupDir, nil
}

// touched lists the project paths a run created, changed or deleted
// that belong in git: what a commit of it must stage (envgen's committed
// state included; backups and git-ignored files such as secrets not).
func touched(ss []apply.Step, p *plan.Plan) []string {
	local := map[string]bool{}
	if p != nil {
		for _, c := range p.Changes {
			if c.LocalOnly {
				local[c.Path] = true
			}
		}
	}
	var out []string
	for _, s := range ss {
		if strings.HasPrefix(s.Path, project.BackupDir+"/") || local[s.Path] {
			continue
		}
		out = append(out, s.Path)
	}
	return out
}
