package ledger_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/tawthiq/tawthiq/internal/ledger"
)

func TestTilesMatchIndependentHashes(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	// 1300 entries: five full level-0 tiles, a partial one of width 20,
	// and a partial level-1 tile of width 5.
	var batches []int
	for i := 0; i < 13; i++ {
		batches = append(batches, 100)
	}
	leaves := appendBatches(t, db, l, 0, batches)
	h := rfc6962.DefaultHasher

	// want is MTH(D[(index*256+i)*256^level : …+256^level]) for i < width,
	// each computed from scratch.
	want := func(level, index int64, width int) []byte {
		span := int64(1) << (8 * level)
		var out []byte
		for i := int64(0); i < int64(width); i++ {
			lo := (index*256 + i) * span
			out = append(out, subtreeRoot(leaves[lo:lo+span])...)
		}
		return out
	}
	for _, c := range []struct {
		level, index int64
		width        int
	}{
		{0, 0, 256}, {0, 0, 0}, {0, 3, 256}, {0, 4, 256}, {0, 5, 20}, {0, 5, 1}, {0, 2, 100},
		{1, 0, 5}, {1, 0, 1}, {1, 0, 3},
	} {
		got, err := l.Tile(ctx, c.level, c.index, c.width)
		if err != nil {
			t.Fatalf("tile %d/%d width %d: %v", c.level, c.index, c.width, err)
		}
		w := c.width
		if w == 0 {
			w = 256
		}
		if !bytes.Equal(got, want(c.level, c.index, w)) {
			t.Fatalf("tile %d/%d width %d differs from the independent hashes", c.level, c.index, w)
		}
	}
	for _, c := range []struct {
		level, index int64
		width        int
	}{
		{0, 5, 21}, {0, 5, 0}, {0, 6, 1}, {1, 0, 6}, {1, 0, 0}, {1, 1, 1}, {2, 0, 1},
		{-1, 0, 1}, {64, 0, 1}, {0, -1, 1}, {0, 0, 257}, {0, 0, -1}, {7, 1 << 60, 255}, {0, 1<<63 - 1, 256},
	} {
		if _, err := l.Tile(ctx, c.level, c.index, c.width); !errors.Is(err, ledger.ErrNotFound) {
			t.Errorf("tile %d/%d width %d: %v, want ErrNotFound", c.level, c.index, c.width, err)
		}
	}

	// Entry bundles hold the leaves, and each hashes to its level-0 tile
	// entry.
	for _, c := range []struct {
		index int64
		width int
	}{{0, 256}, {4, 0}, {5, 20}, {5, 7}} {
		bundle, err := l.EntryBundle(ctx, c.index, c.width)
		if err != nil {
			t.Fatalf("entries %d width %d: %v", c.index, c.width, err)
		}
		tile, err := l.Tile(ctx, 0, c.index, c.width)
		if err != nil {
			t.Fatal(err)
		}
		entries := splitBundle(t, bundle)
		if len(entries)*32 != len(tile) {
			t.Fatalf("entries %d: %d entries for a tile of %d hashes", c.index, len(entries), len(tile)/32)
		}
		for i, e := range entries {
			idx := c.index*256 + int64(i)
			if !bytes.Equal(e, leaves[idx]) {
				t.Fatalf("entry %d differs from leaf", idx)
			}
			if !bytes.Equal(h.HashLeaf(e), tile[i*32:(i+1)*32]) {
				t.Fatalf("entry %d does not hash to its tile hash", idx)
			}
		}
	}
	if _, err := l.EntryBundle(ctx, 5, 21); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("entries 5 width 21: %v, want ErrNotFound", err)
	}
}

func splitBundle(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			t.Fatal("bundle ends inside a length")
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			t.Fatal("bundle ends inside an entry")
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	return out
}

func TestParseTilePath(t *testing.T) {
	for _, c := range []struct {
		path  string
		kind  string
		level int64
		index int64
		width int
	}{
		{"tile/0/000", ledger.TileHashes, 0, 0, 256},
		{"tile/0/001", ledger.TileHashes, 0, 1, 256},
		{"tile/0/999", ledger.TileHashes, 0, 999, 256},
		{"tile/0/x001/000", ledger.TileHashes, 0, 1000, 256},
		{"tile/1/x001/x234/067", ledger.TileHashes, 1, 1234067, 256},
		{"tile/3/x001/x234/067.p/8", ledger.TileHashes, 3, 1234067, 8},
		{"tile/0/005.p/20", ledger.TileHashes, 0, 5, 20},
		{"tile/0/000.p/1", ledger.TileHashes, 0, 0, 1},
		{"tile/0/000.p/255", ledger.TileHashes, 0, 0, 255},
		{"tile/63/000", ledger.TileHashes, 63, 0, 256},
		{"tile/0/x009/x223/x372/x036/x854/x775/807", ledger.TileHashes, 0, 1<<63 - 1, 256},
		{"tile/entries/000", ledger.TileEntries, -1, 0, 256},
		{"tile/entries/x001/x234/067.p/3", ledger.TileEntries, -1, 1234067, 3},
	} {
		kind, level, index, width, err := ledger.ParseTilePath(c.path)
		if err != nil || kind != c.kind || level != c.level || index != c.index || width != c.width {
			t.Errorf("ParseTilePath(%q) = %s %d %d %d, %v", c.path, kind, level, index, width, err)
			continue
		}
		back := ledger.TilePath(level, index, width)
		if kind == ledger.TileEntries {
			back = ledger.EntriesPath(index, width)
		}
		if back != c.path {
			t.Errorf("path of %q parsed is %q", c.path, back)
		}
	}
	for _, p := range []string{
		"", "tile", "tile/", "tile/0", "tile/0/", "tiles/0/000", "/tile/0/000", "tile/0/000/",
		"tile/00/000", "tile/64/000", "tile/-1/000", "tile/+1/000", "tile/a/000", "tile/data/000",
		"tile/8/0/000", // sumdb layout, with the height
		"tile/0/0", "tile/0/00", "tile/0/0000", "tile/0/1", "tile/0/x000", "tile/0/x001",
		"tile/0/001/002", "tile/0/x001/x002", "tile/0/X001/002", "tile/0/x000/001", "tile/0/x000/x001/002",
		"tile/0/00a", "tile/0/-01", "tile/0/ 01",
		"tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/010", "tile/0/000.p/", "tile/0/000.p",
		"tile/0/000.p/1/2", "tile/0/.p/1", "tile/0/000.q/1", "tile/0/000.p/-1", "tile/0/000.p/1000",
		"tile/0/x009/x223/x372/x036/x854/x775/808", // overflows int64
		"tile/0/x999/x999/x999/x999/x999/x999/x999/999",
		"tile/entries", "tile/entries/", "tile/entries/0", "tile/entries/000.p/256",
		"tile/0/000\n", "tile/0/000?x=1",
	} {
		if kind, level, index, width, err := ledger.ParseTilePath(p); !errors.Is(err, ledger.ErrMalformed) {
			t.Errorf("ParseTilePath(%q) = %s %d %d %d, %v; want ErrMalformed", p, kind, level, index, width, err)
		}
	}
}

// FuzzParseTilePath: never panics; what parses is in range and is the
// canonical path of what it names.
func FuzzParseTilePath(f *testing.F) {
	for _, p := range []string{"tile/0/000", "tile/1/x001/x234/067.p/8", "tile/entries/x001/000", "tile/0/x000/001", "tile/63/999.p/255"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		kind, level, index, width, err := ledger.ParseTilePath(p)
		if err != nil {
			if !errors.Is(err, ledger.ErrMalformed) {
				t.Fatalf("error is not ErrMalformed: %v", err)
			}
			return
		}
		if index < 0 || width < 1 || width > 256 {
			t.Fatalf("%q: index %d width %d out of range", p, index, width)
		}
		back := ledger.EntriesPath(index, width)
		switch {
		case kind == ledger.TileHashes && level >= 0 && level <= 63:
			back = ledger.TilePath(level, index, width)
		case kind == ledger.TileEntries && level == -1:
		default:
			t.Fatalf("%q: kind %q level %d", p, kind, level)
		}
		if back != p {
			t.Fatalf("%q parses to a tile whose path is %q", p, back)
		}
	})
}
