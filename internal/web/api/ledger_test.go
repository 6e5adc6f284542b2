package api_test

// HTTP tests of the ledger routes, checked the way an outside follower
// would: signatures with golang.org/x/mod/sumdb/note, Merkle proofs and
// roots with the independent github.com/transparency-dev/merkle, and tree
// hashes recomputed here from the leaf bytes the server serves.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

var hasher = rfc6962.DefaultHasher

// getJSON decodes the JSON answer of GET path into v and returns the status.
func (s *server) getJSON(path string, v any) int {
	s.t.Helper()
	resp, data := s.send("GET", path, nil)
	if err := json.Unmarshal(data, v); err != nil {
		s.t.Fatalf("GET %s: answer is not JSON: %.200q", path, data)
	}
	return resp.StatusCode
}

// populate writes a report, an incident and an evidence item, so the log
// has revision and custody leaves besides the seeded actors'.
func (s *server) populate() (report, evidenceID string) {
	s.t.Helper()
	report = s.newReport()
	if code, out := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`); code != http.StatusCreated {
		s.t.Fatalf("incident: %d %v", code, out)
	}
	evidenceID, _ = s.attach(report, "photo.png", pngImage(s.t, 20))
	return report, evidenceID
}

// signedCheckpoint is what a follower holds: the checkpoint fetched from
// /ledger/checkpoint, verified with the key from /ledger/key.
type signedCheckpoint struct {
	origin string
	size   int64
	root   []byte
	text   string // the whole signed note
}

func (s *server) checkpoint() signedCheckpoint {
	s.t.Helper()
	resp, key := s.send("GET", "/ledger/key", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		s.t.Fatalf("key: %d %v", resp.StatusCode, resp.Header)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(key)))
	if err != nil {
		s.t.Fatalf("key %q: %v", key, err)
	}
	resp, signed := s.send("GET", "/ledger/checkpoint", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		s.t.Fatalf("checkpoint: %d %v", resp.StatusCode, resp.Header)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		s.t.Fatalf("checkpoint does not verify with the served key: %v\n%s", err, signed)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[3] != "" || lines[0] != v.Name() {
		s.t.Fatalf("checkpoint body is not origin, size, root: %q", n.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		s.t.Fatalf("checkpoint size %q: %v", lines[1], err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		s.t.Fatalf("checkpoint root %q: %v", lines[2], err)
	}
	return signedCheckpoint{origin: lines[0], size: size, root: root, text: string(signed)}
}

// leaves reads every entry through /api/v1/ledger/entries/{i}, checking
// the leaf hash the server gives with it.
func (s *server) leaves() [][]byte {
	s.t.Helper()
	n, err := s.a.Ledger.Size(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	out := make([][]byte, n)
	for i := range n {
		var e struct {
			Index    int64  `json:"index"`
			Leaf     string `json:"leaf"`
			LeafHash []byte `json:"leaf_hash"`
		}
		if code := s.getJSON(fmt.Sprintf("/api/v1/ledger/entries/%d", i), &e); code != http.StatusOK || e.Index != i {
			s.t.Fatalf("entry %d: %d %+v", i, code, e)
		}
		if !bytes.Equal(e.LeafHash, hasher.HashLeaf([]byte(e.Leaf))) {
			s.t.Fatalf("entry %d: leaf_hash is not the RFC 6962 hash of the leaf", i)
		}
		out[i] = []byte(e.Leaf)
	}
	return out
}

// mth is the RFC 6962 Merkle tree hash of leaves, computed here from
// nothing but the leaf bytes.
func mth(leaves [][]byte) []byte {
	switch len(leaves) {
	case 0:
		return hasher.EmptyRoot()
	case 1:
		return hasher.HashLeaf(leaves[0])
	}
	k := 1
	for k<<1 < len(leaves) {
		k <<= 1
	}
	return hasher.HashChildren(mth(leaves[:k]), mth(leaves[k:]))
}

func TestLedgerCheckpoint(t *testing.T) {
	s := newServer(t)
	s.populate()
	cp := s.checkpoint()
	var rows int64
	if err := s.a.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM ledger_leaves").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if cp.size != rows || rows == 0 {
		t.Errorf("checkpoint size %d, ledger_leaves has %d rows", cp.size, rows)
	}
	if !bytes.Equal(cp.root, mth(s.leaves())) {
		t.Error("checkpoint root is not the tree hash of the served leaves")
	}

	var info struct {
		Origin     string `json:"origin"`
		Size       int64  `json:"size"`
		Root       []byte `json:"root"`
		Key        string `json:"key"`
		Checkpoint string `json:"checkpoint"`
	}
	if code := s.getJSON("/api/v1/ledger", &info); code != http.StatusOK {
		t.Fatalf("ledger info: %d", code)
	}
	_, key := s.send("GET", "/ledger/key", nil)
	if info.Origin != cp.origin || info.Size != cp.size || !bytes.Equal(info.Root, cp.root) ||
		info.Key != strings.TrimSpace(string(key)) || info.Checkpoint != cp.text {
		t.Errorf("ledger info %+v does not match the checkpoint %+v", info, cp)
	}

	// The checkpoint follows the log: one more upload, a larger one.
	before := cp.size
	s.attach(s.newReport(), "second.png", pngImage(t, 21))
	if cp = s.checkpoint(); cp.size != before+4 { // report revision, evidence revision, received, stored
		t.Errorf("checkpoint size %d after four appends to %d", cp.size, before)
	}
	_, otherKey, err := ledger.GenerateKey(cp.origin)
	if err != nil {
		t.Fatal(err)
	}
	other, err := note.NewVerifier(otherKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open([]byte(cp.text), note.VerifierList(other)); err == nil {
		t.Error("the checkpoint verifies with another key of the same name")
	}
}

// inclusion is the JSON answer of /api/v1/ledger/proofs/inclusion.
type inclusion struct {
	Index      int64    `json:"index"`
	TreeSize   int64    `json:"tree_size"`
	Leaf       string   `json:"leaf"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

func TestLedgerInclusionProof(t *testing.T) {
	s := newServer(t)
	report, ev := s.populate()
	cp := s.checkpoint()
	leaves := s.leaves()
	cases := []struct {
		query, want string // want: lines the leaf must have
	}{
		{"record=" + report + "&revision=1", "kind revision\ntype report\nid " + report + "\nnumber 1\naction create\n"},
		{"evidence=" + ev + "&seq=1", "kind custody\ntype evidence\nid " + ev + "\nnumber 1\naction received\n"},
		{"evidence=" + ev + "&seq=2", "kind custody\ntype evidence\nid " + ev + "\nnumber 2\naction stored\n"},
		{"index=0", "\nnumber 1\n"},
		{fmt.Sprintf("index=%d", cp.size-1), "kind custody"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			var p inclusion
			if code := s.getJSON("/api/v1/ledger/proofs/inclusion?"+tc.query, &p); code != http.StatusOK {
				t.Fatalf("status %d: %+v", code, p)
			}
			if !strings.Contains(p.Leaf, tc.want) || p.TreeSize != cp.size || p.Checkpoint != cp.text {
				t.Fatalf("answer %+v, want a leaf with %q in a tree of %d", p, tc.want, cp.size)
			}
			if !bytes.Equal([]byte(p.Leaf), leaves[p.Index]) {
				t.Fatalf("leaf %d differs from /api/v1/ledger/entries/%d", p.Index, p.Index)
			}
			if err := proof.VerifyInclusion(hasher, uint64(p.Index), uint64(p.TreeSize), hasher.HashLeaf([]byte(p.Leaf)), p.Proof, cp.root); err != nil {
				t.Fatalf("proof does not verify: %v", err)
			}
			// A proof is for its leaf only.
			forged := strings.Replace(p.Leaf, "number ", "number 9", 1)
			if proof.VerifyInclusion(hasher, uint64(p.Index), uint64(p.TreeSize), hasher.HashLeaf([]byte(forged)), p.Proof, cp.root) == nil {
				t.Fatal("the proof verifies a changed leaf")
			}
		})
	}

	// In an older tree: no checkpoint in the answer, the root of that size.
	for _, size := range []int64{1, 2, 3, 7, cp.size - 1} {
		var p inclusion
		path := fmt.Sprintf("/api/v1/ledger/proofs/inclusion?index=0&size=%d", size)
		if code := s.getJSON(path, &p); code != http.StatusOK || p.TreeSize != size || p.Checkpoint != "" {
			t.Fatalf("%s: %d %+v", path, code, p)
		}
		if err := proof.VerifyInclusion(hasher, 0, uint64(size), hasher.HashLeaf(leaves[0]), p.Proof, mth(leaves[:size])); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestLedgerProofsRefuseBadInput(t *testing.T) {
	s := newServer(t)
	report, _ := s.populate()
	inc := "/api/v1/ledger/proofs/inclusion"
	con := "/api/v1/ledger/proofs/consistency"
	cases := []struct {
		path   string
		status int
		field  string
	}{
		{inc + "?index=-1", 400, "index"},
		{inc + "?index=abc", 400, "index"},
		{inc + "?index=1.5", 400, "index"},
		{inc + "?record=x", 400, "revision"},
		{inc + "?record=" + report + "&revision=one", 400, "revision"},
		{inc + "?evidence=x", 400, "seq"},
		{inc, 400, "index"},
		{inc + "?index=0&size=-3", 400, "size"},
		{inc + "?index=0&colour=red", 400, "colour"},
		{inc + "?index=999999", 404, ""},
		{inc + "?index=5&size=5", 404, ""},
		{inc + "?index=0&size=999999", 404, ""},
		{inc + "?record=" + report + "&revision=2", 404, ""},
		{inc + "?record=01NOSUCH&revision=1", 404, ""},
		{inc + "?evidence=01NOSUCH&seq=1", 404, ""},
		{con + "?from=3&to=2", 400, "from"},
		{con + "?to=2", 400, "from"},
		{con + "?from=1", 400, "to"},
		{con + "?from=abc&to=2", 400, "from"},
		{con + "?from=1&to=-2", 400, "to"},
		{con + "?from=1&to=2&size=3", 400, "size"},
		{con + "?from=1&to=999999", 404, ""},
		{"/api/v1/ledger/entries/-1", 400, "index"},
		{"/api/v1/ledger/entries/abc", 400, "index"},
		{"/api/v1/ledger/entries/999999", 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp, data := s.send("GET", tc.path, nil)
			out := decodeJSON(t, tc.path, data)
			e, _ := out["error"].(map[string]any)
			if resp.StatusCode != tc.status || e == nil || e["message_ar"] == "" {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, out)
			}
			if f, _ := fieldOf(out); f != tc.field {
				t.Fatalf("error names %q, want %q: %v", f, tc.field, out)
			}
		})
	}
}

func TestLedgerConsistencyProof(t *testing.T) {
	s := newServer(t)
	s.populate()
	older := s.checkpoint()
	s.populate()
	newer := s.checkpoint()
	if newer.size <= older.size {
		t.Fatalf("the log did not grow: %d → %d", older.size, newer.size)
	}
	var p struct {
		From  int64    `json:"from"`
		To    int64    `json:"to"`
		Proof [][]byte `json:"proof"`
	}
	path := fmt.Sprintf("/api/v1/ledger/proofs/consistency?from=%d&to=%d", older.size, newer.size)
	if code := s.getJSON(path, &p); code != http.StatusOK || p.From != older.size || p.To != newer.size {
		t.Fatalf("%s: %d %+v", path, code, p)
	}
	// What a witness does with two signed checkpoints.
	if err := proof.VerifyConsistency(hasher, uint64(older.size), uint64(newer.size), p.Proof, older.root, newer.root); err != nil {
		t.Fatalf("consistency between the two checkpoints: %v", err)
	}
	forged := append([]byte{}, older.root...)
	forged[0] ^= 1
	if proof.VerifyConsistency(hasher, uint64(older.size), uint64(newer.size), p.Proof, forged, newer.root) == nil {
		t.Fatal("the proof verifies a changed older root")
	}

	// Every older size, against roots computed here from the leaves.
	leaves := s.leaves()
	n := int64(len(leaves))
	for from := int64(0); from <= n; from++ {
		path := fmt.Sprintf("/api/v1/ledger/proofs/consistency?from=%d&to=%d", from, n)
		if code := s.getJSON(path, &p); code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		if err := proof.VerifyConsistency(hasher, uint64(from), uint64(n), p.Proof, mth(leaves[:from]), mth(leaves)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// getTile fetches a tile path and returns its status, type and bytes.
func (s *server) getTile(path string) (int, http.Header, []byte) {
	s.t.Helper()
	resp, data := s.send("GET", "/ledger/"+path, nil)
	return resp.StatusCode, resp.Header, data
}

// bundle splits a C2SP entry bundle into its entries.
func bundle(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			t.Fatalf("entry bundle ends inside a length")
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			t.Fatalf("entry bundle ends inside an entry of %d bytes", n)
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	return out
}

func TestLedgerTiles(t *testing.T) {
	s := newServer(t)
	s.populate()
	leaves := s.leaves()
	n := len(leaves)
	if n >= ledger.TileWidth {
		t.Fatalf("the log has %d entries; this test wants a partial first tile", n)
	}
	code, h, tile := s.getTile(fmt.Sprintf("tile/0/000.p/%d", n))
	if code != http.StatusOK || h.Get("Content-Type") != "application/octet-stream" || len(tile) != n*32 {
		t.Fatalf("hash tile: %d %v, %d bytes, want %d", code, h, len(tile), n*32)
	}
	if strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Error("a partial tile is cached for ever")
	}
	for i, l := range leaves {
		if !bytes.Equal(tile[i*32:(i+1)*32], hasher.HashLeaf(l)) {
			t.Errorf("tile hash %d is not the leaf hash of entry %d", i, i)
		}
	}
	if code, _, one := s.getTile("tile/0/000.p/1"); code != http.StatusOK || !bytes.Equal(one, tile[:32]) {
		t.Errorf("tile of width 1: %d %x", code, one)
	}
	code, h, b := s.getTile(fmt.Sprintf("tile/entries/000.p/%d", n))
	if code != http.StatusOK || h.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("entry bundle: %d %v", code, h)
	}
	entries := bundle(t, b)
	if len(entries) != n {
		t.Fatalf("entry bundle holds %d entries, want %d", len(entries), n)
	}
	for i := range entries {
		if !bytes.Equal(entries[i], leaves[i]) {
			t.Errorf("bundle entry %d differs from /api/v1/ledger/entries/%d", i, i)
		}
	}

	for _, path := range []string{
		"tile/0/1", "tile/x/000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/05",
		"tile/00/000.p/1", "tile/0/x000/000.p/1", "tile/0/0000.p/1", "tile/-1/000.p/1",
		"tile/64/000.p/1", "tile/entries/000.p/", "tile/", "tile/0", "tile/0/000.p", "tile/0/000.q/1",
		"tile/0/000.p/1/extra", "tile/data/000.p/1",
		// Well formed, but beyond the log.
		"tile/0/000", fmt.Sprintf("tile/0/000.p/%d", n+1), "tile/0/001.p/1", "tile/1/000.p/1",
		"tile/entries/000", fmt.Sprintf("tile/entries/000.p/%d", n+1), "tile/entries/001.p/1",
	} {
		t.Run(path, func(t *testing.T) {
			code, h, data := s.getTile(path)
			var out struct{ Error struct{ Code string } }
			if code != http.StatusNotFound || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
				json.Unmarshal(data, &out) != nil || out.Error.Code != "not_found" {
				t.Errorf("status %d %s: %.200q", code, h.Get("Content-Type"), data)
			}
		})
	}
}

// TestLedgerFullTiles grows the log past one tile and follows it through
// the tiles alone, as a witness would: full tiles are immutable, the
// level-1 tile holds the first 256 entries' root, and the root recomputed
// from the entry bundles is the checkpoint's.
func TestLedgerFullTiles(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	err := s.a.DB.WriteTx(ctx, func(tx *sqldb.Tx) error {
		for i := range 300 {
			leaf := ledger.Leaf{Kind: ledger.KindAudit, Type: "test", ID: fmt.Sprintf("audit-%d", i), Number: int64(i + 1),
				Action: "read", ContentHash: "sha256:" + sha256Hex([]byte{byte(i), byte(i >> 8)})}
			if _, err := s.a.Ledger.Append(ctx, tx, leaf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cp := s.checkpoint()
	rest := int(cp.size) - ledger.TileWidth
	if rest < 1 || rest >= ledger.TileWidth {
		t.Fatalf("log of %d entries", cp.size)
	}
	code, h, b := s.getTile("tile/entries/000")
	if code != http.StatusOK || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Fatalf("full entry bundle: %d %v", code, h)
	}
	leaves := bundle(t, b)
	code, _, b = s.getTile(fmt.Sprintf("tile/entries/001.p/%d", rest))
	if code != http.StatusOK {
		t.Fatalf("partial entry bundle: %d", code)
	}
	leaves = append(leaves, bundle(t, b)...)
	if int64(len(leaves)) != cp.size || !bytes.Equal(mth(leaves), cp.root) {
		t.Fatalf("%d leaves from the bundles do not hash to the checkpoint's root", len(leaves))
	}

	code, h, full := s.getTile("tile/0/000")
	if code != http.StatusOK || len(full) != ledger.TileWidth*32 || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Fatalf("full hash tile: %d %v %d bytes", code, h, len(full))
	}
	code, _, part := s.getTile(fmt.Sprintf("tile/0/001.p/%d", rest))
	if code != http.StatusOK || len(part) != rest*32 {
		t.Fatalf("partial hash tile: %d, %d bytes", code, len(part))
	}
	tiles := append(full, part...)
	for i, l := range leaves {
		if !bytes.Equal(tiles[i*32:(i+1)*32], hasher.HashLeaf(l)) {
			t.Fatalf("level-0 hash %d is not its leaf's hash", i)
		}
	}
	code, _, up := s.getTile("tile/1/000.p/1")
	if code != http.StatusOK || !bytes.Equal(up, mth(leaves[:ledger.TileWidth])) {
		t.Errorf("level-1 tile: %d %x, want the root of the first 256 entries", code, up)
	}
	for _, path := range []string{"tile/1/000", "tile/1/000.p/2", "tile/2/000.p/1", "tile/0/001"} {
		if code, _, _ := s.getTile(path); code != http.StatusNotFound {
			t.Errorf("%s beyond the log: %d", path, code)
		}
	}
}

func TestOpenAPIEvidenceAndLedger(t *testing.T) {
	s := newServer(t)
	code, doc := s.do("GET", "/api/openapi.json", "")
	if code != http.StatusOK {
		t.Fatalf("openapi: %d", code)
	}
	paths := doc["paths"].(map[string]any)
	op := func(path, method string) map[string]any {
		p, _ := paths[path].(map[string]any)
		o, _ := p[method].(map[string]any)
		if o == nil {
			t.Errorf("%s %s is not described", strings.ToUpper(method), path)
		}
		return o
	}
	if tile := op("/ledger/tile/{path}", "get"); tile != nil {
		raw, _ := json.Marshal(tile)
		if !strings.Contains(string(raw), `"name":"path"`) || !strings.Contains(string(raw), "application/octet-stream") {
			t.Errorf("tile route: %s", raw)
		}
	}
	if up := op("/api/v1/reports/{id}/evidence", "post"); up != nil {
		body, _ := up["requestBody"].(map[string]any)
		content, _ := body["content"].(map[string]any)
		if _, ok := content["application/octet-stream"]; !ok {
			t.Errorf("upload request body: %v", body)
		}
		raw, _ := json.Marshal(up)
		for _, want := range []string{`"401"`, `"403"`, `"name":"sha256"`, `"name":"name"`, `"413"`, `"201"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("upload description lacks %s: %s", want, raw)
			}
		}
	}
	op("/api/v1/evidence/{id}/original", "get")
	op("/api/v1/ledger/proofs/inclusion", "get")
	op("/ledger/checkpoint", "get")
	for _, m := range []string{"post", "put"} {
		for _, p := range []string{"/api/v1/evidence", "/api/v1/evidence/{id}"} {
			if o, _ := paths[p].(map[string]any)[m]; o != nil {
				t.Errorf("%s %s is described, but evidence is made by upload only", strings.ToUpper(m), p)
			}
		}
	}
}
