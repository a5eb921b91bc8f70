package cli

import (
	"encoding/json"
	"fmt"
	"io"
)

// writeJSON prints v as indented JSON: the machine view of a result whose
// human view the command prints otherwise.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("JSON output: %w", err)
	}
	return nil
}
