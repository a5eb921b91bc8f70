// Package testtemplate is a small envgen template that exercises every
// rendering rule (modes, when, delims, private files, a dependency set),
// so that the generator, planner and workflow are tested apart from the
// built-in template.
package testtemplate

import "testing/fstest"

// FS returns the template's files plus extra (which may replace them).
func FS(extra fstest.MapFS) fstest.MapFS {
	fsys := fstest.MapFS{
		"envgen-template.yaml": {Data: []byte(`name: test
version: 1.0.0
variables:
  greeting: {type: string, default: hello}
files:
  policy.yml: {mode: managed}
  cmd/**: {mode: once}
  alerts/**:
    when: "{{ .Profile.Alertmanager.Enabled }}"
  alerts/rules.yml.tmpl:
    delims: ["[[", "]]"]
  secret.env: {mode: once, private: true}
`)},
		"templates/.gitignore":                   {Data: []byte("secret.env\n")},
		"templates/policy.yml":                   {Data: []byte("static: true\n")},
		"templates/config.yaml.tmpl":             {Data: []byte("name: {{ .Name }}\nport: {{ .Vars.http_port }}\ngreeting: {{ .Vars.greeting | upper }}\n")},
		"templates/cmd/{{ .Name }}/main.go.tmpl": {Data: []byte("package main // {{ .Module }}\n")},
		"templates/alerts/rules.yml":             {Data: []byte("summary: '{{ $labels.instance }}'\n")},
		"templates/secret.env.tmpl":              {Data: []byte("PASSWORD={{ .Secrets.postgres_password }}\n")},
		"deps/go1.26.mod":                        {Data: []byte("module example.com/envgen-deps\n\ngo 1.26.0\n\nrequire example.com/dep v1.0.0\n")},
		"deps/go1.26.sum":                        {Data: []byte("example.com/dep v1.0.0 h1:x=\n")},
	}
	for k, v := range extra {
		fsys[k] = v
	}
	return fsys
}
