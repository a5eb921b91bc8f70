package cli

import "github.com/spf13/pflag"

// projectDirFlag is the one spelling of "the project folder" on every
// command that works in a project: -C DIR / --chdir DIR, as git and go
// have it. oldName, when set, is an earlier spelling kept as a hidden,
// deprecated alias for one release.
func projectDirFlag(fl *pflag.FlagSet, dir *string, usage, oldName string) {
	fl.StringVarP(dir, "chdir", "C", ".", usage)
	if oldName != "" {
		fl.StringVar(dir, oldName, ".", usage)
		_ = fl.MarkHidden(oldName)
		_ = fl.MarkDeprecated(oldName, "use -C/--chdir")
	}
}
