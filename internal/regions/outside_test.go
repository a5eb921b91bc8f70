package regions

import "testing"

func TestOutside(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain\n", "plain\n"},
		{"a\n# envgen:begin r\nx\ny\n# envgen:end r\nb\n", "a\n# envgen:begin r\n# envgen:end r\nb\n"},
		{"# envgen:begin r\nx\n# envgen:end r", "# envgen:begin r\n# envgen:end r"},
		{"<!-- envgen:begin a -->\r\n1\r\n<!-- envgen:end a -->\r\nmid\r\n<!-- envgen:begin b -->\r\n2\r\n<!-- envgen:end b -->\r\n",
			"<!-- envgen:begin a -->\r\n<!-- envgen:end a -->\r\nmid\r\n<!-- envgen:begin b -->\r\n<!-- envgen:end b -->\r\n"},
		// Unparsable markers: nothing is envgen's, the whole file is kept.
		{"# envgen:begin r\nx\n", "# envgen:begin r\nx\n"},
	}
	for _, tt := range tests {
		if got := string(Outside([]byte(tt.in))); got != tt.want {
			t.Errorf("Outside(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOutsideIgnoresRegionContent(t *testing.T) {
	a := "mine\n// envgen:begin v\nconst port = 8080\n// envgen:end v\nmine too\n"
	b := "mine\n// envgen:begin v\nconst port = 9000\nconst debug = 6060\n// envgen:end v\nmine too\n"
	if string(Outside([]byte(a))) != string(Outside([]byte(b))) {
		t.Fatal("files that differ only inside a region differ Outside")
	}
	c := "mine, edited\n// envgen:begin v\nconst port = 8080\n// envgen:end v\nmine too\n"
	if string(Outside([]byte(a))) == string(Outside([]byte(c))) {
		t.Fatal("an edit outside the regions does not show Outside")
	}
}
