package workflow

import (
	"github.com/envgen/envgen/internal/apply"
)

// AbortResult says what Abort rolled back.
type AbortResult struct {
	Dir string `json:"dir"`
	// Label names the interrupted run that was rolled back; "" if there
	// was none.
	Label string `json:"label"`
	Paths int    `json:"paths"`
}

// Abort rolls an interrupted run back: every path it had changed is put
// back as it was before the run started.
func Abort(dir string, opts apply.Options) (*AbortResult, error) {
	d, err := openProject(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close() //nolint:errcheck // the project folder's os.Root: a failed close loses nothing
	held, err := lockProject(d)
	if err != nil {
		return nil, err
	}
	defer held.Unlock() //nolint:errcheck // closing the descriptor releases the lock; a failed close loses nothing
	if err := refusePlanted(d); err != nil {
		return nil, err
	}
	j, err := apply.Abort(d, opts)
	if err != nil {
		return nil, err
	}
	res := &AbortResult{Dir: d.Path}
	if j != nil {
		res.Label, res.Paths = j.Label, len(j.Steps)
	}
	return res, nil
}
