package starter

// For the command-line tests in package starter_test, which run envgen
// itself against the test servers of this package.

var (
	NewTestRepo    = newStarterRepo
	MinimalStarter = minimalStarter
	ServeRepo      = serveRepo
	SecretToken    = secretToken
	AssertNoSecret = assertNoSecret
)

func TagRepo(r *starterRepo, name string)             { r.tag(name) }
func RequireAuth(s *gitHTTPServer, user, pass string) { s.require(user, pass) }
func SentAuth(s *gitHTTPServer) bool                  { return s.sentAuth() }
