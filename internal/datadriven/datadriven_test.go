package datadriven

import "testing"

func TestParse(t *testing.T) {
	src := "# comment\n\ncmd one\nin 1\nin 2\n----\nout\n====\ncmd two\n----\n====\n"
	cases, err := Parse("f.txt", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("%d cases", len(cases))
	}
	c := cases[0]
	if c.Command != "cmd one" || c.Input != "in 1\nin 2\n" || c.expected != "out\n" || c.Line != 3 || c.preamble != "# comment\n\n" {
		t.Errorf("case 0 = %+v", c)
	}
	if cases[1].Command != "cmd two" || cases[1].Input != "" || cases[1].expected != "" || cases[1].Pos() != "f.txt:9" {
		t.Errorf("case 1 = %+v", cases[1])
	}
	if _, err := Parse("f.txt", "cmd\ninput\n----\nno end\n"); err == nil {
		t.Error("unterminated case accepted")
	}
}
