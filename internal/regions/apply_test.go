package regions

import (
	"errors"
	"reflect"
	"testing"
)

func TestApplyReplacesOnlyRegions(t *testing.T) {
	local := "# My service\n\nMy own words.\n\n" +
		"<!-- envgen:begin profile -->\n" +
		"The development passwords are `app`.\n" +
		"<!-- envgen:end profile -->\n\n" +
		"More of mine.\n" +
		"<!-- envgen:begin ports -->\n" +
		"port 8080\n" +
		"<!-- envgen:end ports -->\n"
	rendered := "# svc\n\nTemplate words.\n\n" +
		"<!-- envgen:begin profile -->\n" +
		"Passwords come from `.env`.\n" +
		"<!-- envgen:end profile -->\n" +
		"<!-- envgen:begin ports -->\n" +
		"port 8080\n" +
		"<!-- envgen:end ports -->\n"
	want := "# My service\n\nMy own words.\n\n" +
		"<!-- envgen:begin profile -->\n" +
		"Passwords come from `.env`.\n" +
		"<!-- envgen:end profile -->\n\n" +
		"More of mine.\n" +
		"<!-- envgen:begin ports -->\n" +
		"port 8080\n" +
		"<!-- envgen:end ports -->\n"
	out, changed, missing, err := Apply([]byte(local), []byte(rendered))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != want {
		t.Fatalf("Apply =\n%s\nwant\n%s", out, want)
	}
	if !reflect.DeepEqual(changed, []string{"profile"}) || missing != nil {
		t.Fatalf("changed %q, missing %q; want [profile], none", changed, missing)
	}
	if string(Outside(out)) != string(Outside([]byte(local))) {
		t.Fatal("Apply changed text outside the regions")
	}
}

func TestApplyRoundTrip(t *testing.T) {
	local := []byte("a\n// envgen:begin x\nold\n// envgen:end x\nb\n")
	rendered := []byte("// envgen:begin x\nnew\nlines\n// envgen:end x\n")
	out, _, _, err := Apply(local, rendered)
	if err != nil {
		t.Fatal(err)
	}
	again, changed, missing, err := Apply(out, rendered)
	if err != nil || string(again) != string(out) || changed != nil || missing != nil {
		t.Fatalf("second Apply = %q, %q, %q, %v; want no change", again, changed, missing, err)
	}
	// Applying the old local content back restores the original file.
	back, changed, _, err := Apply(out, local)
	if err != nil || string(back) != string(local) || !reflect.DeepEqual(changed, []string{"x"}) {
		t.Fatalf("Apply back = %q, %q, %v; want %q, [x]", back, changed, err, local)
	}
}

func TestApplyIdentity(t *testing.T) {
	for _, data := range []string{
		"",
		"no regions\n",
		"# envgen:begin a\nx\n# envgen:end a",
		"# envgen:begin a\r\nx\n# envgen:end a\r\n",
	} {
		out, changed, missing, err := Apply([]byte(data), []byte(data))
		if err != nil || string(out) != data || changed != nil || missing != nil {
			t.Errorf("Apply(%q, itself) = %q, %q, %q, %v", data, out, changed, missing, err)
		}
	}
}

func TestApplyMissingAndExtra(t *testing.T) {
	// The user removed the markers of "gone"; the template no longer has
	// "old". Both are left as they are.
	local := "mine about gone\n# envgen:begin old\nkept\n# envgen:end old\n# envgen:begin kept\nv1\n# envgen:end kept\n"
	rendered := "# envgen:begin gone\nrendered\n# envgen:end gone\n# envgen:begin kept\nv2\n# envgen:end kept\n"
	out, changed, missing, err := Apply([]byte(local), []byte(rendered))
	if err != nil {
		t.Fatal(err)
	}
	want := "mine about gone\n# envgen:begin old\nkept\n# envgen:end old\n# envgen:begin kept\nv2\n# envgen:end kept\n"
	if string(out) != want || !reflect.DeepEqual(changed, []string{"kept"}) || !reflect.DeepEqual(missing, []string{"gone"}) {
		t.Fatalf("Apply = %q, changed %q, missing %q", out, changed, missing)
	}
}

func TestApplyKeepsLocalLineEndings(t *testing.T) {
	local := "top\r\n# envgen:begin r\r\nold\r\n# envgen:end r\r\nbottom\r\n"
	rendered := "# envgen:begin r\nnew\nmore\n# envgen:end r\n"
	out, changed, _, err := Apply([]byte(local), []byte(rendered))
	if err != nil {
		t.Fatal(err)
	}
	if want := "top\r\n# envgen:begin r\r\nnew\r\nmore\r\n# envgen:end r\r\nbottom\r\n"; string(out) != want {
		t.Fatalf("Apply = %q, want %q", out, want)
	}
	if !reflect.DeepEqual(changed, []string{"r"}) {
		t.Fatalf("changed = %q", changed)
	}

	// The same content in other line endings is no change.
	lf := "# envgen:begin r\nnew\nmore\n# envgen:end r\n"
	crlf := "# envgen:begin r\r\nnew\r\nmore\r\n# envgen:end r\r\n"
	out, changed, _, err = Apply([]byte(crlf), []byte(lf))
	if err != nil || string(out) != crlf || changed != nil {
		t.Fatalf("Apply(crlf, lf) = %q, %q, %v; want unchanged", out, changed, err)
	}
	out, _, _, err = Apply([]byte("# envgen:begin r\nx\n# envgen:end r\n"), []byte(crlf))
	if err != nil || string(out) != lf {
		t.Fatalf("Apply(lf, crlf) = %q, %v; want %q", out, err, lf)
	}
}

func TestApplyNoTrailingNewline(t *testing.T) {
	local := "a\n# envgen:begin r\nold\n# envgen:end r"
	rendered := "# envgen:begin r\nnew\n# envgen:end r\n"
	out, _, _, err := Apply([]byte(local), []byte(rendered))
	if err != nil || string(out) != "a\n# envgen:begin r\nnew\n# envgen:end r" {
		t.Fatalf("Apply = %q, %v", out, err)
	}
}

func TestApplyErrorsSayWhichFile(t *testing.T) {
	good := []byte("# envgen:begin a\n# envgen:end a\n")
	bad := []byte("x\n# envgen:begin a\n")
	for _, tt := range []struct {
		local, rendered []byte
		file            string
	}{
		{bad, good, "the local file"},
		{good, bad, "the render"},
	} {
		out, _, _, err := Apply(tt.local, tt.rendered)
		var fe *FileError
		var se *SyntaxError
		if out != nil || !errors.As(err, &fe) || fe.File != tt.file || !errors.As(err, &se) || se.Line != 2 {
			t.Errorf("Apply error = %v (out %q); want %s, line 2", err, out, tt.file)
		}
	}
}
