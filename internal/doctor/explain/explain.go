package explain

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/module"
)

// Finding is one Go download failure found in the text: its cause, the
// evidence, and the one fix. It is what --json prints, one object a line.
type Finding struct {
	Cause Cause `json:"cause"`
	// CouldBe lists the causes the text cannot tell apart (Cause is the
	// first of them), and HowToTell how to decide; both are empty when
	// the text decides.
	CouldBe   []Cause  `json:"could_be,omitempty"`
	HowToTell string   `json:"how_to_tell,omitempty"`
	Summary   string   `json:"summary"`  // what the cause means
	Pattern   string   `json:"pattern"`  // the ID of the table row that matched ("" for unknown)
	Go        string   `json:"go"`       // the go command versions that print the text
	Source    string   `json:"source"`   // the source files that print it
	Line      int      `json:"line"`     // 1-based line of the first evidence line
	Evidence  []string `json:"evidence"` // the matched lines, verbatim (CI prefixes removed)
	Module    string   `json:"module,omitempty"`
	Version   string   `json:"version,omitempty"`
	Host      string   `json:"host,omitempty"`
	Fix       Fix      `json:"fix"`
	// SeeFirst is a more fundamental cause found in the same text that
	// can produce this failure (an intercepting proxy serving altered
	// bits): fix that one first.
	SeeFirst Cause        `json:"see_first,omitempty"`
	Probe    *ProbeResult `json:"probe,omitempty"` // set by Probe (--probe)
}

// Match is what a fix sees: the record's text and what was extracted.
type Match struct {
	Text    string
	Named   map[string]string
	Module  string
	Version string
	Host    string
	URL     string
}

// record is one error: a line and the tab-indented lines after it.
type record struct {
	line  int
	lines []string
}

func (r record) text() string { return strings.Join(r.lines, "\n") }

// ciPrefix is what CI systems put before each line of a log: GitHub
// Actions timestamps and annotations, BuildKit step prefixes, GitLab
// section markers.
var ciPrefix = regexp.MustCompile(`^(\x1b\[[0-9;]*[A-Za-z])*(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ?)?(##\[(error|warning)\])?(#\d+ \d+(\.\d+)? )?(Error: )?`)

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func clean(line string) string {
	line = strings.TrimRight(line, "\r")
	line = ciPrefix.ReplaceAllString(line, "")
	return ansi.ReplaceAllString(line, "")
}

func records(r io.Reader) ([]record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var recs []record
	n := 0
	for sc.Scan() {
		n++
		line := clean(sc.Text())
		if len(recs) > 0 && len(recs[len(recs)-1].lines) < 20 && continues(recs[len(recs)-1], line) {
			last := &recs[len(recs)-1]
			last.lines = append(last.lines, line)
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		recs = append(recs, record{line: n, lines: []string{line}})
	}
	if err := sc.Err(); err != nil {
		return recs, fmt.Errorf("explain: after line %d: %w", n, err)
	}
	return recs, nil
}

// helpText is the advice the go command appends, unindented, to a git
// error (cmd/go/internal/modfetch/codehost/git.go): part of that error.
var helpText = regexp.MustCompile(`^(Confirm the import path was entered correctly\.|If this is a private repository, see )`)

// continues says whether line belongs to the record before it: a tab
// indent (the go command's continuation lines), the go command's help
// text, or a space indent (a paste that turned tabs into spaces) after a
// go command error.
func continues(prev record, line string) bool {
	if strings.HasPrefix(line, "\t") || helpText.MatchString(line) {
		return true
	}
	if !strings.HasPrefix(line, "  ") || strings.TrimSpace(line) == "" {
		return false
	}
	first := prev.lines[0]
	return goErr.MatchString(first) || goContext.MatchString(first) || strings.HasSuffix(first, " imports")
}

var (
	modOnlyRe = regexp.MustCompile(`module ([A-Za-z0-9][A-Za-z0-9.\-_~]*\.[A-Za-z]{2,}(?:/[A-Za-z0-9.\-_~!+]+)+):`)
	modVerRe  = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9.\-_~]*\.[A-Za-z]{2,}(?:/[A-Za-z0-9.\-_~!+]+)*)@(v\d+\.\d+\.\d+[^\s:/]*)`)
	urlRe     = regexp.MustCompile(`https?://[^\s"/]+[^\s"]*`)
	hostRe    = regexp.MustCompile(`lookup ([A-Za-z0-9.\-]+\.[A-Za-z]{2,})|https?://([^\s"/:]+)`)
	// goErr is a line the go command prints for an error ("go: ..." other
	// than its progress notes, or "verifying ...").
	goErr   = regexp.MustCompile(`^(go: |verifying \S+: )`)
	goNotes = regexp.MustCompile(`^go: (downloading|finding|extracting|added|upgraded|downgraded|removed|warning|found|to add|creating|switching to|module \S+ found)`)
)

func extract(text string) *Match {
	m := &Match{Text: text, Named: map[string]string{}}
	if s := modVerRe.FindStringSubmatch(text); s != nil {
		m.Module, m.Version = s[1], strings.TrimSuffix(s[2], "/go.mod")
		if strings.HasPrefix(m.Module, "golang.org/toolchain") {
			m.Module, m.Version = "", ""
		}
	}
	if m.Module == "" {
		if s := modOnlyRe.FindStringSubmatch(text); s != nil {
			m.Module = s[1]
		}
	}
	if u := urlRe.FindString(text); u != "" {
		m.URL = strings.TrimRight(u, ":.,)")
		if m.Module == "" {
			// https://proxy/github.com/x/y/@v/list: the module is the escaped path.
			if i := strings.Index(m.URL, "/@"); i > 0 {
				if rest := strings.SplitN(strings.SplitN(m.URL, "://", 2)[1], "/", 2); len(rest) == 2 {
					if j := strings.Index(rest[1], "/@"); j >= 0 {
						if up, err := module.UnescapePath(rest[1][:j]); err == nil {
							m.Module = up
						}
					}
				}
			}
		}
	}
	// The host that failed: prefer the one in "lookup HOST", then the URL's.
	for _, s := range hostRe.FindAllStringSubmatch(text, -1) {
		if s[1] != "" {
			m.Host = s[1]
			break
		}
		if m.Host == "" {
			m.Host = s[2]
		}
	}
	return m
}

// Explain reads a go command's output (or a log with it inside) and
// returns one finding per Go download failure, most fundamental first.
// Lines that are go command errors but match no row are one unknown
// finding each; text that holds no go command error gives no finding.
func Explain(r io.Reader) ([]Finding, error) {
	recs, err := records(r)
	if err != nil {
		return nil, err
	}
	var out []Finding
	lastDownload := ""
	for _, rec := range recs {
		text := rec.text()
		if d, ok := strings.CutPrefix(rec.lines[0], "go: downloading "); ok && strings.Count(d, " ") == 1 && strings.Contains(d, " v") {
			lastDownload = d
			continue
		}
		f, ok := classify(text)
		if !ok {
			first := rec.lines[0]
			if !goErr.MatchString(first) || goNotes.MatchString(first) {
				continue
			}
			f = Finding{Cause: Unknown, Summary: Descriptions[Unknown],
				Fix: Fix{Text: "no known Go download failure matches; run envgen doctor on the machine that printed it"}}
			m := extract(text)
			f.Module, f.Version, f.Host = m.Module, m.Version, m.Host
		}
		f.Line = rec.line
		f.Evidence = rec.lines
		if f.Cause == CorruptCache && f.Module == "" && lastDownload != "" {
			// The error names no module; the last download before it is
			// the likely one, but only likely: keep the sure fix.
			mod, ver, _ := strings.Cut(lastDownload, " ")
			c := fixCache(&Match{Module: mod, Version: ver})
			f.Fix.Text += "; the error names no module, the last download before it was " + mod + "@" + ver +
				": removing just its entry may be enough: " + c.Command
		}
		out = merge(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return rank(a.Cause) - rank(b.Cause) })
	for i := range out {
		for _, c := range producedBy[out[i].Cause] {
			if slices.ContainsFunc(out[:i], func(f Finding) bool { return f.Cause == c }) {
				out[i].SeeFirst = c
				break
			}
		}
	}
	return out, nil
}

// producedBy: the causes that can produce a failure of another cause.
var producedBy = map[Cause][]Cause{
	ChecksumMismatch: {TLSInterception, MirrorOutage, CorruptCache},
	MirrorLag:        {MisconfiguredEnv},
	PrivateModule:    {MisconfiguredEnv},
	ProxyUnreachable: {MisconfiguredEnv},
}

func classify(text string) (Finding, bool) {
	for i := range Table {
		p := &Table[i]
		sub := p.Re.FindStringSubmatch(text)
		if sub == nil || p.GoContext && !goContext.MatchString(text) {
			continue
		}
		m := extract(text)
		for j, name := range p.Re.SubexpNames() {
			if name != "" && sub[j] != "" {
				m.Named[name] = sub[j]
			}
		}
		if h := m.Named["host"]; h != "" {
			m.Host = h
		}
		f := Finding{Cause: p.Cause, Summary: Descriptions[p.Cause], Pattern: p.ID, Go: p.Go, Source: p.Source,
			Module: m.Module, Version: m.Version, Host: m.Host, Fix: p.Fix(m),
			CouldBe: p.CouldBe, HowToTell: p.HowToTell}
		if f.HowToTell != "" && m.Host != "" {
			f.HowToTell = strings.ReplaceAll(f.HowToTell, "HOST", m.Host)
		}
		if f.HowToTell != "" && m.Module != "" && m.Version != "" {
			f.HowToTell = strings.ReplaceAll(f.HowToTell, "MODULE@VERSION", m.Module+"@"+m.Version)
		}
		if p.ID == "x509-expired" && m.Named["rel"] == "before" {
			f.Summary = "the certificate is not yet valid by this machine's clock: most likely the clock is behind"
		}
		return f, true
	}
	return Finding{}, false
}

// merge adds f to fs, folding it into an earlier finding of the same
// cause, pattern, module and host (a go command repeats an error per
// package that needs the module).
func merge(fs []Finding, f Finding) []Finding {
	for i := range fs {
		g := &fs[i]
		if g.Cause == f.Cause && g.Pattern == f.Pattern && g.Module == f.Module && g.Host == f.Host && f.Cause != Unknown {
			for _, l := range f.Evidence {
				if len(g.Evidence) < 8 && !slices.Contains(g.Evidence, l) {
					g.Evidence = append(g.Evidence, l)
				}
			}
			return fs
		}
	}
	return append(fs, f)
}

func escapePath(p string) string {
	if e, err := module.EscapePath(p); err == nil {
		return e
	}
	return p
}
