# make dist: envgen's release in dist/ (included by the Makefile).
# VERSION: the newest v* tag describing HEAD (v1.2.0, v1.2.0-3-gabc1234);
# without a tag, the source default of internal/version. DATE is the
# commit's time, so the same commit gives the same binaries and packages.
DIST_VERSION ?= $(patsubst v%,%,$(shell git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null))
DIST_COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
DIST_DATE    ?= $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null)

.PHONY: dist
dist: ## build static binaries, .deb/.rpm/.apk, completions, man pages and SHA256SUMS into dist/
	go run ./internal/release/mkdist -out dist \
	  $(if $(DIST_VERSION),-version $(DIST_VERSION)) \
	  $(if $(DIST_COMMIT),-commit $(DIST_COMMIT)) \
	  $(if $(DIST_DATE),-date $(DIST_DATE))
	cd dist && sha256sum -c --quiet SHA256SUMS
