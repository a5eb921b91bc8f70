package plan

import "io/fs"

// Empty is a project folder that does not exist yet (init --dry-run into a
// new folder): every file is absent.
type Empty struct{}

func (Empty) ReadFile(string) ([]byte, fs.FileMode, error) { return nil, 0, fs.ErrNotExist }
func (Empty) ReadBase(string) ([]byte, error)              { return nil, fs.ErrNotExist }
