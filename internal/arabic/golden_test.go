package arabic

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestGolden runs everything the package reads over the project's own sample
// reports (testdata/sample_*.txt) and compares the result with
// testdata/sample_*.golden; go test -run TestGolden -update rewrites them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/sample_*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := describe(string(in), testRef)
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update and read the diff):\n%s", golden, got)
			}
		})
	}
}

// describe lists, one per line, the language, terms, numbers and dates of s.
func describe(s string, ref time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "language %s\n", Language(s))
	for _, term := range Analyze(s) {
		fmt.Fprintf(&b, "term %d %s\t%s\n", term.Position, term.Text, s[term.Start:term.End])
	}
	for _, n := range Numbers(s) {
		fmt.Fprintf(&b, "number %s value=%d min=%d max=%d noun=%s\t%s\n",
			n.Qualifier, n.Value, n.Min, n.Max, n.Noun, n.Text)
	}
	for _, d := range Dates(s, ref) {
		fmt.Fprintf(&b, "date %s %s..%s\t%s\n",
			d.Precision, d.From.Format(time.DateOnly), d.To.Format(time.DateOnly), d.Text)
	}
	return b.Bytes()
}
