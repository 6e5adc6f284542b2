package places

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tawthiq/tawthiq/internal/places/build"
)

func TestAncestors(t *testing.T) {
	for id, want := range map[string][]string{
		"SY020206": {"SY0202", "SY02"},
		"SY0202":   {"SY02"},
		"SY02":     nil,
		"N0466":    {"C5710", "SY110100", "SY1101", "SY11"}, // Hettin, Ar-Raqqa city
		"C1001":    {"SY010000", "SY0100", "SY01"},
		"":         nil,
		"X":        nil,
		"SY0a":     nil,
	} {
		if got := Ancestors(id); !slices.Equal(got, want) {
			t.Errorf("Ancestors(%q) = %v, want %v", id, got, want)
		}
	}
}

// The embedded table is what the generator makes of the shared gazetteer.
func TestTableIsGenerated(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "gazetteer")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs ../shared beside the repository: %v", err)
		}
		t.Skipf("no shared gazetteer at %s", dir)
	}
	table, _, err := build.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	if string(table) != parentsTSV {
		t.Fatal("data/parents.tsv is stale: run go run ./internal/places/gen")
	}
}
