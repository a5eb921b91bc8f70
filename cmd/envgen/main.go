// Command envgen bootstraps Go services and keeps their development
// environment honest. See 'envgen --help'.
package main

import (
	"os"

	"github.com/envgen/envgen/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
