package plan

import (
	"errors"
	"io/fs"

	"github.com/envgen/envgen/internal/project"
)

// decideObsolete is the rule for a file envgen wrote that the render no
// longer produces: removed if nobody changed it, else kept and no longer
// tracked. nil means there is nothing to do or say.
func decideObsolete(r Reader, le project.LockedFile) (*Change, error) {
	if le.Deleted {
		return nil, nil
	}
	c := &Change{Path: le.Path, Mode: le.Mode, DropBase: le.Mode.KeepsBase()}
	disk, _, err := r.ReadFile(le.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.Action, c.Detail = Unchanged, "no longer rendered, already gone"
		return c, nil
	case err != nil:
		return nil, err
	}
	c.Before, c.Size = disk, len(disk)
	if project.HashBytes(disk) == le.Hash {
		c.Action, c.Drift, c.Detail, c.Remove = Delete, Behind, "no longer rendered", true
		return c, nil
	}
	c.Action, c.Drift, c.Detail = KeepObsolete, Behind, "no longer rendered, but edited locally: kept, no longer tracked"
	return c, nil
}
