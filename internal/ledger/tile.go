package ledger

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger/logfmt"
)

// The C2SP tlog-tiles geometry (c2sp.org/tlog-tiles): tiles of height 8,
// 256 hashes wide.
const (
	TileHeight = 8
	TileWidth  = 1 << TileHeight
)

// Tile kinds returned by ParseTilePath.
const (
	TileHashes  = "hashes"  // tile/<L>/<N>[.p/<W>]
	TileEntries = "entries" // tile/entries/<N>[.p/<W>]
)

// maxTileLevel is the largest level C2SP allows in a path.
const maxTileLevel = 63

// Tile returns hash tile (level, index) of the given width (1–256; 0
// means 256): the concatenated Merkle tree hashes
// MTH(D[(index*256+i)*256^level : (index*256+i+1)*256^level]) for i below
// width. ErrNotFound if the log is not yet large enough for all of them.
func (l *Log) Tile(ctx context.Context, level, index int64, width int) ([]byte, error) {
	w, err := l.checkTile(ctx, level, index, width)
	if err != nil {
		return nil, err
	}
	t := tlog.Tile{H: TileHeight, L: int(level), N: index, W: w}
	data, err := tlog.ReadTileData(t, hashReader(ctx, l.db))
	if err != nil {
		return nil, fmt.Errorf("ledger: tile %s: %w", TilePath(level, index, w), err)
	}
	return data, nil
}

// EntryBundle returns entries index*256 … index*256+width-1 (width 1–256;
// 0 means 256), each as a big-endian uint16 length and the leaf bytes.
func (l *Log) EntryBundle(ctx context.Context, index int64, width int) ([]byte, error) {
	w, err := l.checkTile(ctx, 0, index, width)
	if err != nil {
		return nil, err
	}
	first := index * TileWidth
	rows, err := l.db.Query(ctx, `SELECT idx, data FROM ledger_leaves WHERE idx >= $1 AND idx < $2 ORDER BY idx`,
		first, first+int64(w))
	if err != nil {
		return nil, fmt.Errorf("ledger: entries %d: %w", index, err)
	}
	defer rows.Close()
	var out []byte
	next := first
	for rows.Next() {
		var idx int64
		var data []byte
		if err := rows.Scan(&idx, &data); err != nil {
			return nil, fmt.Errorf("ledger: entries %d: %w", index, err)
		}
		if idx != next || len(data) > 0xffff {
			return nil, fmt.Errorf("ledger: entries %d: entry %d is missing or too long", index, next)
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(data)))
		out = append(out, data...)
		next++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: entries %d: %w", index, err)
	}
	if next != first+int64(w) {
		return nil, fmt.Errorf("ledger: entries %d: entry %d is missing", index, next)
	}
	return out, nil
}

// checkTile returns the width to read, or ErrNotFound unless every hash
// of the tile is of a complete subtree of the committed tree.
func (l *Log) checkTile(ctx context.Context, level, index int64, width int) (int, error) {
	if width == 0 {
		width = TileWidth
	}
	if level < 0 || level > maxTileLevel || index < 0 || width < 1 || width > TileWidth {
		return 0, fmt.Errorf("%w: tile level %d index %d width %d", ErrNotFound, level, index, width)
	}
	n, err := l.Size(ctx)
	if err != nil {
		return 0, err
	}
	// Hashes at this level that the tree of size n has complete:
	// n / 256^level (shifting a positive int64 right by ≥ 63 leaves 0).
	have := n >> uint(TileHeight*level)
	if index > (have-int64(width))/TileWidth || index*TileWidth+int64(width) > have {
		return 0, fmt.Errorf("%w: tile %s (the log has %d entries)", ErrNotFound, TilePath(level, index, width), n)
	}
	return width, nil
}

// TilePath is the C2SP path of hash tile (level, index, width), such as
// "tile/0/x001/x234/067.p/8"; width 256 (or 0) is a full tile.
func TilePath(level, index int64, width int) string {
	return "tile/" + strconv.FormatInt(level, 10) + "/" + tileIndexPath(index, width)
}

// EntriesPath is the C2SP path of an entry bundle, such as
// "tile/entries/x001/x234/067".
func EntriesPath(index int64, width int) string {
	return "tile/entries/" + tileIndexPath(index, width)
}

func tileIndexPath(index int64, width int) string {
	s := fmt.Sprintf("%03d", index%1000)
	for index >= 1000 {
		index /= 1000
		s = fmt.Sprintf("x%03d/%s", index%1000, s)
	}
	if width > 0 && width < TileWidth {
		s += ".p/" + strconv.Itoa(width)
	}
	return s
}

// ParseTilePath reads a C2SP tlog-tiles path, relative to the log's
// prefix: "tile/<L>/<N>[.p/<W>]" (kind TileHashes) or
// "tile/entries/<N>[.p/<W>]" (kind TileEntries, level -1). N is written in
// 3-digit groups, all but the last prefixed with x (1234067 is
// x001/x234/067); the width is 256 for a full tile, 1–255 for a partial
// one. Only the canonical spelling of each tile is accepted; anything
// else is ErrMalformed.
func ParseTilePath(p string) (kind string, level, index int64, width int, err error) {
	bad := func() (string, int64, int64, int, error) {
		return "", 0, 0, 0, fmt.Errorf("%w: tile path %q", ErrMalformed, p)
	}
	f := strings.Split(p, "/")
	if len(f) < 3 || f[0] != "tile" {
		return bad()
	}
	kind, level = TileHashes, -1
	if f[1] == "entries" {
		kind = TileEntries
	} else {
		if !logfmt.IsDecimal(f[1]) || len(f[1]) > 2 {
			return bad()
		}
		level, _ = strconv.ParseInt(f[1], 10, 64)
		if level > maxTileLevel {
			return bad()
		}
	}
	f = f[2:]
	width = TileWidth
	if last := len(f) - 1; last >= 1 && strings.HasSuffix(f[last-1], ".p") {
		if !logfmt.IsDecimal(f[last]) || len(f[last]) > 3 {
			return bad()
		}
		width, _ = strconv.Atoi(f[last])
		if width < 1 || width >= TileWidth {
			return bad()
		}
		f[last-1] = strings.TrimSuffix(f[last-1], ".p")
		f = f[:last]
	}
	for i, s := range f {
		digits, hasX := strings.CutPrefix(s, "x")
		if hasX != (i < len(f)-1) || len(digits) != 3 || !isAllDigits(digits) {
			return bad()
		}
		d, _ := strconv.ParseInt(digits, 10, 64)
		if index > (1<<63-1-d)/1000 {
			return bad() // does not fit an int64
		}
		index = index*1000 + d
	}
	// One spelling per tile: no leading x000 groups.
	canonical := TilePath(level, index, width)
	if kind == TileEntries {
		canonical = EntriesPath(index, width)
	}
	if p != canonical {
		return bad()
	}
	return kind, level, index, width, nil
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
