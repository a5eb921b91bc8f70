package exitcode

import (
	"errors"
	"fmt"
	"testing"
)

type drift struct{}

func (drift) Error() string { return "drift" }
func (drift) ExitCode() int { return Drift }

func TestOfFindsTheCodeInTheChain(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, OK},
		{errors.New("disk full"), Failure},
		{Usagef("--go", "", "bad"), Usage},
		{fmt.Errorf("sync: %w", Usagef("--profile", "", "unknown")), Usage},
		{fmt.Errorf("check: %w", drift{}), Drift},
	} {
		if got := Of(tc.err); got != tc.want {
			t.Errorf("Of(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestTableListsEveryCodeOnce(t *testing.T) {
	seen := map[int]bool{}
	for _, r := range Table {
		if seen[r.Code] || r.Meaning == "" {
			t.Errorf("row %d repeated or empty", r.Code)
		}
		seen[r.Code] = true
	}
	for _, c := range []int{OK, Failure, Usage, Drift, Conflict} {
		if !seen[c] {
			t.Errorf("code %d is not documented", c)
		}
	}
}
