// Package lintfloor keeps a rendered golangci-lint v2 configuration a
// floor: the profile's entries are always there, whatever the user added
// on top stays, unless it silences a rule the profile requires.
//
// Three inputs are needed to tell those apart. next is the new render, the
// policy. local is the file on disk. base is what envgen wrote last time:
// local minus base is what the user did; base minus next is what the
// profile no longer wants, and goes even if the user never touched it
// (switching development to staging must not keep development's weaker
// gosec and gocritic settings as if they were the user's).
//
// The user's changes are judged by the silencer table (table.go): a change
// a row matches and condemns is removed and reported as a Violation, every
// other change is kept. The result is written with as much of the user's
// text as can be kept (output.go): comments and formatting are not policy.
package lintfloor
