package extract

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// PublishedOf is the date a report's relative dates resolve against: its
// publication date, else the day it was received, else the revision's day.
func PublishedOf(r *record.Report, fallback time.Time) time.Time {
	for _, s := range []string{r.Published, r.ReceivedAt} {
		if len(s) >= 10 {
			if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
				return t
			}
		}
	}
	return fallback.UTC()
}

// Hook stores the extraction of every report revision in the revision's
// transaction, so intake proposes facts as it stores reports; a retracted
// report's proposals are removed.
func Hook(x *Extractor) record.Hook {
	return func(ctx context.Context, tx *sqldb.Tx, rev *record.Revision) error {
		if rev.Type != record.TypeReport {
			return nil
		}
		if rev.Retracted {
			_, err := tx.Exec(ctx, `DELETE FROM report_extractions WHERE report_id = $1`, rev.RecordID)
			return err
		}
		b, err := record.DecodeBody(rev.Type, rev.Body)
		if err != nil {
			return fmt.Errorf("extract: decode %s: %w", rev.RecordID, err)
		}
		return x.store(ctx, tx, rev.RecordID, b.(*record.Report), rev.CreatedAt)
	}
}

func (x *Extractor) store(ctx context.Context, tx *sqldb.Tx, id string, r *record.Report, at time.Time) error {
	res := x.Extract(r.Text, PublishedOf(r, at))
	data, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("extract: %s: %w", id, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO report_extractions (report_id, version, result, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (report_id) DO UPDATE SET version = excluded.version, result = excluded.result, updated_at = excluded.updated_at`,
		id, Version, string(data), at.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("extract: store %s: %w", id, err)
	}
	return nil
}

// ErrNone: the report has no stored extraction (it is retracted, or was
// stored before extraction existed and reindex has not run).
var ErrNone = errors.New("extract: no extraction stored for this report")

// Get returns the stored extraction of a report.
func Get(ctx context.Context, db *sqldb.DB, reportID string) (*Result, error) {
	var data string
	err := db.QueryRow(ctx, `SELECT result FROM report_extractions WHERE report_id = $1`, reportID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNone
	}
	if err != nil {
		return nil, fmt.Errorf("extract: %s: %w", reportID, err)
	}
	var r Result
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return nil, fmt.Errorf("extract: %s: stored result: %w", reportID, err)
	}
	return &r, nil
}

// Recompute extracts every live report again, a page at a time, each page
// in its own transaction. It returns how many it extracted.
func (x *Extractor) Recompute(ctx context.Context, db *sqldb.DB) (int, error) {
	n, after := 0, ""
	for {
		type row struct {
			id      string
			body    []byte
			updated string
		}
		var page []row
		rows, err := db.Query(ctx, `SELECT id, body, updated_at FROM records
			WHERE type = 'report' AND retracted = 0 AND id > $1 ORDER BY id LIMIT 200`, after)
		if err != nil {
			return n, fmt.Errorf("extract: recompute: %w", err)
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.body, &r.updated); err != nil {
				rows.Close()
				return n, fmt.Errorf("extract: recompute: %w", err)
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, fmt.Errorf("extract: recompute: %w", err)
		}
		if len(page) == 0 {
			return n, nil
		}
		err = db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			for _, r := range page {
				b, err := record.DecodeBody(record.TypeReport, r.body)
				if err != nil {
					return fmt.Errorf("extract: recompute %s: %w", r.id, err)
				}
				at, _ := time.Parse(time.RFC3339Nano, r.updated)
				if err := x.store(ctx, tx, r.id, b.(*record.Report), at); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(page)
		after = page[len(page)-1].id
	}
}
