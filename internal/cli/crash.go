package cli

import (
	"os"
	"strconv"

	"github.com/envgen/envgen/internal/apply"
)

// crashSeamEnv names the test seam of the one writer: with
// ENVGEN_TEST_CRASH_AT=N, envgen kills itself with SIGKILL just before its
// N-th change to the file system, so that end-to-end tests can prove a
// crash at any point is recovered. Unset, it costs nothing.
const crashSeamEnv = "ENVGEN_TEST_CRASH_AT"

func crashSeam() apply.Options {
	n, err := strconv.Atoi(os.Getenv(crashSeamEnv))
	if err != nil || n <= 0 {
		return apply.Options{}
	}
	return apply.Options{BeforeMutation: func(i int) error {
		if i == n {
			killSelf()
			select {} // the signal is on its way
		}
		return nil
	}}
}
