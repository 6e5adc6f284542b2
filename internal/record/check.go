package record

import (
	"bytes"
	"context"
	"fmt"
)

// Problem is one inconsistency found by Check.
type Problem struct {
	RecordID string `json:"record_id"`
	Revision int    `json:"revision,omitempty"`
	What     string `json:"what"`
}

func (p Problem) String() string {
	if p.Revision > 0 {
		return fmt.Sprintf("%s/%d: %s", p.RecordID, p.Revision, p.What)
	}
	return p.RecordID + ": " + p.What
}

// Check re-reads every record and its history and reports each
// inconsistency: a revision whose hash does not match its body, a gap in
// the revision numbers, a history that does not start with a create, or a
// current state that is not its last revision. A store written only by
// the Service has none.
func (s *Store) Check(ctx context.Context) ([]Problem, error) {
	var problems []Problem
	rows, err := s.db.Query(ctx, `SELECT `+revisionColumns+` FROM revisions ORDER BY record_id, revision`)
	if err != nil {
		return nil, fmt.Errorf("record: check: %w", err)
	}
	last := map[string]*Revision{}
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("record: check: %w", err)
		}
		prev := last[rev.RecordID]
		want := 1
		if prev != nil {
			want = prev.Revision + 1
		}
		if rev.Revision != want {
			problems = append(problems, Problem{rev.RecordID, rev.Revision, fmt.Sprintf("revision %d follows %d", rev.Revision, want-1)})
		}
		if (rev.Revision == 1) != (rev.Action == ActionCreate) {
			problems = append(problems, Problem{rev.RecordID, rev.Revision, "action " + string(rev.Action) + " out of place"})
		}
		if ContentHash(rev.Body) != rev.ContentHash {
			problems = append(problems, Problem{rev.RecordID, rev.Revision, "content hash does not match the body"})
		}
		last[rev.RecordID] = rev
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record: check: %w", err)
	}
	recs, err := s.db.Query(ctx, `SELECT `+recordColumns+` FROM records ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("record: check: %w", err)
	}
	defer recs.Close()
	for recs.Next() {
		r, err := scanRecord(recs)
		if err != nil {
			return nil, fmt.Errorf("record: check: %w", err)
		}
		rev := last[r.ID]
		delete(last, r.ID)
		switch {
		case rev == nil:
			problems = append(problems, Problem{RecordID: r.ID, What: "record has no history"})
		case rev.Revision != r.Revision || rev.Retracted != r.Retracted || rev.ContentHash != r.ContentHash ||
			!bytes.Equal(rev.Body, r.Body) || rev.Type != r.Type:
			problems = append(problems, Problem{RecordID: r.ID, Revision: r.Revision, What: "current state differs from the last revision"})
		}
	}
	for id := range last {
		problems = append(problems, Problem{RecordID: id, What: "history without a record"})
	}
	return problems, recs.Err()
}
