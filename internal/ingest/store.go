package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
)

// Ingester stores read documents as reports through the mutation service.
// It is idempotent: a document whose original bytes were stored before
// (same SHA-256) is counted as a duplicate and not stored again.
type Ingester struct {
	Service *record.Service
	Store   *record.Store
	Author  string
	// BatchSize is how many reports share one transaction (default 200).
	BatchSize int
	// Progress, if set, is told the bytes read so far and in all.
	Progress func(done, total int64)
}

// Result counts what a run did.
type Result struct {
	Files      int
	Added      int
	Duplicates int
	// SkippedFiles had extensions ingest does not read (inside folders).
	SkippedFiles int
	// Failed lists documents or files that could not be stored, each error
	// naming the file (and line or item); the rest of the run went on.
	Failed []error
	// IDs of the reports added, in order.
	IDs []string
}

// pending is a read document waiting for its batch.
type pending struct {
	doc  Doc
	body *record.Report
}

// Run reads every file under paths and stores each document as a report.
// Errors in one file are collected in Result.Failed and the run goes on;
// the returned error is for what stops the run (a bad path, the database,
// cancellation).
func (in *Ingester) Run(ctx context.Context, paths []string) (*Result, error) {
	files, skipped, err := Walk(paths)
	if err != nil {
		return nil, err
	}
	res := &Result{Files: len(files), SkippedFiles: skipped}
	var total, done int64
	for _, f := range files {
		total += f.Size
	}
	batchSize := in.BatchSize
	if batchSize <= 0 {
		batchSize = 200
	}
	now := time.Now().UTC().Format(time.RFC3339)
	var batch []pending
	seen := map[string]bool{} // hashes already in this batch
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := in.store(ctx, batch, res)
		batch, seen = batch[:0], map[string]bool{}
		return err
	}
	for _, f := range files {
		var fileDone int64
		err := Read(ctx, f, func(d Doc) error {
			fileDone = min(fileDone+d.Size, f.Size)
			if in.Progress != nil {
				in.Progress(done+fileDone, total)
			}
			if seen[d.SHA256] || in.known(ctx, d.SHA256) {
				res.Duplicates++
				return nil
			}
			seen[d.SHA256] = true
			batch = append(batch, pending{doc: d, body: reportOf(d, now)})
			if len(batch) >= batchSize {
				return flush()
			}
			return nil
		})
		if err != nil {
			failed, fatal := splitReadErrors(err)
			if fatal != nil {
				return res, fatal
			}
			res.Failed = append(res.Failed, failed...)
		}
		done += f.Size
		if in.Progress != nil {
			in.Progress(done, total)
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	return res, nil
}

// known reports whether a report with this original hash is stored.
func (in *Ingester) known(ctx context.Context, sha string) bool {
	_, err := in.Store.ByKey(ctx, "report.sha256:"+sha)
	return err == nil
}

// store writes one batch in one transaction. If the batch is refused
// because one document is invalid or was stored meanwhile by another
// process, it stores the documents one by one so only the faulty one fails.
func (in *Ingester) store(ctx context.Context, batch []pending, res *Result) error {
	changes := make([]record.Change, len(batch))
	for i, p := range batch {
		changes[i] = record.Change{Action: record.ActionCreate, Body: p.body}
	}
	meta := record.Meta{Author: in.Author, Reason: "ingested from files"}
	recs, err := in.Service.Apply(ctx, meta, changes)
	if err == nil {
		for _, r := range recs {
			res.IDs = append(res.IDs, r.ID)
		}
		res.Added += len(recs)
		return nil
	}
	if !errors.Is(err, record.ErrInvalid) && !errors.Is(err, record.ErrDuplicate) {
		return err
	}
	for _, p := range batch {
		r, err := in.Service.Create(ctx, meta, p.body)
		switch {
		case err == nil:
			res.IDs = append(res.IDs, r.ID)
			res.Added++
		case errors.Is(err, record.ErrDuplicate):
			res.Duplicates++
		case errors.Is(err, record.ErrInvalid):
			res.Failed = append(res.Failed, fmt.Errorf("%s: %w", where(p.doc), err))
		default:
			return err
		}
	}
	return nil
}

// where names a document for a person: the file, and for JSON the item
// counted from 1 (a JSON Lines item is its line).
func where(d Doc) string {
	if d.Format == "json" {
		return fmt.Sprintf("%s item %d", d.Path, d.Item+1)
	}
	return d.Path
}

// reportOf turns a read document into a report body.
func reportOf(d Doc, receivedAt string) *record.Report {
	return &record.Report{
		Title:      d.Title,
		Text:       d.Text,
		Language:   d.Language,
		ReceivedAt: receivedAt,
		Published:  d.Published,
		URL:        d.URL,
		Outlet:     d.Outlet,
		Original: &record.Original{SHA256: d.SHA256, Size: d.Size, Format: d.Format,
			Name: filepath.Base(d.Path), Item: d.Item},
	}
}

// splitReadErrors separates the problems of single files or items (which
// are reported and skipped) from an error that must stop the run.
func splitReadErrors(err error) (failed []error, fatal error) {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var re *ReadError
		if !errors.As(e, &re) {
			return nil, err
		}
		failed = append(failed, e)
	}
	return failed, nil
}
