package api

import (
	"errors"
	"net/http"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
)

// ledgerRoutes serve the log: the C2SP checkpoint and tlog-tiles resources
// under /ledger/ (plain bytes, as followers and witnesses expect them) and
// proofs as JSON under /api/v1/ledger.
func (a *API) ledgerRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/ledger/checkpoint", Summary: "The latest signed checkpoint (C2SP tlog-checkpoint signed note)",
			Handler: a.checkpoint, Produces: "text/plain; charset=utf-8"},
		{Method: "GET", Pattern: "/ledger/key", Summary: "The public key that verifies checkpoints (signed-note verifier key)",
			Handler: a.ledgerKey, Produces: "text/plain; charset=utf-8"},
		{Method: "GET", Pattern: "/ledger/tile/{path...}", Summary: "Hash tiles and entry bundles in the C2SP tlog-tiles layout",
			Handler: a.tile, Produces: "application/octet-stream"},
		{Method: "GET", Pattern: "/api/v1/ledger", Summary: "The log's origin, size, key and latest checkpoint", Handler: a.ledgerInfo},
		{Method: "GET", Pattern: "/api/v1/ledger/entries/{index}", Summary: "One leaf's bytes", Handler: a.ledgerEntry},
		{Method: "GET", Pattern: "/api/v1/ledger/proofs/inclusion", Summary: "Inclusion proof of a leaf: query index, or record and revision, or evidence and seq; size (default: the latest checkpoint's)",
			Handler: a.inclusionProof, Query: []string{"index", "record", "revision", "evidence", "seq", "size"}},
		{Method: "GET", Pattern: "/api/v1/ledger/proofs/consistency", Summary: "Consistency proof between two tree sizes: query from, to",
			Handler: a.consistencyProof, Query: []string{"from", "to"}},
	}
}

// signedCheckpoint returns the checkpoint of the current size (signed
// now if the log has grown since the last one) with its body.
func (a *API) signedCheckpoint(r *http.Request) ([]byte, ledger.Checkpoint, error) {
	signed, err := a.Ledger.Checkpoint(r.Context())
	if err != nil {
		return nil, ledger.Checkpoint{}, err
	}
	cp, err := ledger.VerifyCheckpoint(signed, a.Ledger.VerifierKey())
	return signed, cp, err
}

func (a *API) checkpoint(w http.ResponseWriter, r *http.Request) {
	signed, _, err := a.signedCheckpoint(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeText(w, signed)
}

func writeText(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (a *API) ledgerKey(w http.ResponseWriter, r *http.Request) {
	writeText(w, []byte(a.Ledger.VerifierKey()+"\n"))
}

func (a *API) tile(w http.ResponseWriter, r *http.Request) {
	p := "tile/" + r.PathValue("path")
	kind, level, index, width, err := ledger.ParseTilePath(p)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var b []byte
	if kind == ledger.TileEntries {
		b, err = a.Ledger.EntryBundle(r.Context(), index, width)
	} else {
		b, err = a.Ledger.Tile(r.Context(), level, index, width)
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	if width == ledger.TileWidth {
		// A full tile never changes: it may be cached for ever.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (a *API) ledgerInfo(w http.ResponseWriter, r *http.Request) {
	signed, cp, err := a.signedCheckpoint(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"origin": a.Ledger.Origin(), "size": cp.Size,
		"root": cp.Root[:], "key": a.Ledger.VerifierKey(), "checkpoint": string(signed)})
}

func (a *API) ledgerEntry(w http.ResponseWriter, r *http.Request) {
	idx, err := strconv.ParseInt(r.PathValue("index"), 10, 64)
	if err != nil || idx < 0 {
		a.badRequest(w, r, "index", "invalid_number", "must be a leaf index ≥ 0", "يجب أن يكون رقم ورقة ≥ 0")
		return
	}
	leaf, err := a.Ledger.Leaf(r.Context(), idx)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"index": idx, "leaf": string(leaf), "leaf_hash": hashBytes(tlog.RecordHash(leaf))})
}

func hashBytes(h tlog.Hash) []byte { return h[:] }

// int64Param reads an optional non-negative integer query parameter.
func int64Param(r *http.Request, name string) (int64, bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false, errBadNumber(name)
	}
	return n, true, nil
}

func errBadNumber(name string) error {
	return record.Invalid(name, "invalid_number", "must be a whole number ≥ 0", "يجب أن يكون عدداً صحيحاً ≥ 0")
}

func (a *API) inclusionProof(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), "index", "record", "revision", "evidence", "seq", "size"); err != nil {
		a.writeError(w, r, err)
		return
	}
	ctx := r.Context()
	idx, haveIdx, err := int64Param(r, "index")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	switch {
	case haveIdx:
	case q.Get("record") != "":
		n, ok, err := int64Param(r, "revision")
		if err == nil && !ok {
			err = record.Invalid("revision", "required", "is required with record", "مطلوب مع record")
		}
		if err == nil {
			idx, err = a.Ledger.Find(ctx, ledger.KindRevision, q.Get("record"), n)
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
	case q.Get("evidence") != "":
		n, ok, err := int64Param(r, "seq")
		if err == nil && !ok {
			err = record.Invalid("seq", "required", "is required with evidence", "مطلوب مع evidence")
		}
		if err == nil {
			idx, err = a.Ledger.Find(ctx, ledger.KindCustody, q.Get("evidence"), n)
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
	default:
		a.badRequest(w, r, "index", "required", "give index, or record and revision, or evidence and seq",
			"حدّد index أو record وrevision أو evidence وseq")
		return
	}
	signed, cp, err := a.signedCheckpoint(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	size, haveSize, err := int64Param(r, "size")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if !haveSize {
		size = cp.Size
	}
	leaf, err := a.Ledger.Leaf(ctx, idx)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	proof, err := a.Ledger.InclusionProof(ctx, idx, size)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	out := map[string]any{"index": idx, "tree_size": size, "leaf": string(leaf), "proof": hashList(proof)}
	if size == cp.Size {
		out["checkpoint"] = string(signed)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) consistencyProof(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r.URL.Query(), "from", "to"); err != nil {
		a.writeError(w, r, err)
		return
	}
	from, okFrom, err1 := int64Param(r, "from")
	to, okTo, err2 := int64Param(r, "to")
	switch {
	case err1 != nil || err2 != nil:
		a.writeError(w, r, errors.Join(err1, err2))
		return
	case !okFrom:
		a.badRequest(w, r, "from", "required", "is required", "حقل مطلوب")
		return
	case !okTo:
		a.badRequest(w, r, "to", "required", "is required", "حقل مطلوب")
		return
	case from > to:
		a.badRequest(w, r, "from", "invalid_range", "must not be larger than to", "يجب ألا يكون أكبر من to")
		return
	}
	proof, err := a.Ledger.ConsistencyProof(r.Context(), from, to)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "proof": hashList(proof)})
}

// hashList is a proof as a JSON list of base64 hashes.
func hashList(p []tlog.Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}
