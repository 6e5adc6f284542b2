// Package sqldb opens Tawthiq's SQL databases, applies the embedded
// migrations and keeps every difference between SQL dialects in one place.
//
// Invariant: every write goes through WriteTx, which runs the whole function
// in one transaction on the single writer connection, so a change commits
// whole or not at all.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
)

// Dialect names an SQL engine and holds what differs between engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// numbered reports whether the engine understands $1, $2 … as written.
	numbered bool
}

// The dialects Tawthiq supports. PostgreSQL arrives with the scale-out
// store; its differences belong beside SQLite's here.
var (
	SQLite   = Dialect{Name: "sqlite"}
	Postgres = Dialect{Name: "postgres", numbered: true}
)

var dollarParam = regexp.MustCompile(`\$(\d+)`)

// Rebind rewrites a query written with PostgreSQL's $N placeholders for the
// dialect. SQLite binds "$2" as a named parameter in order of appearance, so
// it gets the numbered form ?N, which both SQLite drivers bind by number.
func (d Dialect) Rebind(q string) string {
	if d.numbered {
		return q
	}
	return dollarParam.ReplaceAllString(q, "?$1")
}

// DB is an open database: a single writer connection and a pool of readers.
type DB struct {
	Dialect Dialect
	// write has exactly one connection: writers queue here instead of
	// failing with "database is locked".
	write *sql.DB
	// read serves queries; with WAL they never wait for the writer.
	read *sql.DB
}

// ErrNotInitialised means the database file does not exist yet: run init.
var ErrNotInitialised = errors.New("sqldb: database not initialised")

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.write.Close(), db.read.Close())
}

// Reader is what queries need: a read pool or a transaction.
type Reader interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// Tx is a write transaction with its dialect.
type Tx struct {
	*sql.Tx
	Dialect Dialect
}

// Exec runs a $N-style statement inside the transaction.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, tx.Dialect.Rebind(q), args...)
}

// QueryRow runs a $N-style query inside the transaction.
func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.QueryRowContext(ctx, tx.Dialect.Rebind(q), args...)
}

// Query runs a $N-style query inside the transaction.
func (tx *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(ctx, tx.Dialect.Rebind(q), args...)
}

// WriteTx runs fn in one write transaction and commits if fn returns nil.
// Any error, or a panic, rolls everything back.
func (db *DB) WriteTx(ctx context.Context, fn func(*Tx) error) (err error) {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqldb: begin: %w", err)
	}
	tx := &Tx{Tx: stx, Dialect: db.Dialect}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("sqldb: commit: %w", err)
	}
	return nil
}

// Query runs a $N-style query on the read pool.
func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, db.Dialect.Rebind(q), args...)
}

// QueryRow runs a $N-style query on the read pool.
func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.Dialect.Rebind(q), args...)
}

// Exec runs a $N-style statement on the writer outside any transaction
// (maintenance such as checkpoints). Record changes use WriteTx.
func (db *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, db.Dialect.Rebind(q), args...)
}

// RawWriter exposes the writer pool for benchmarks that compare the
// mutation service against raw inserts into the same database.
func (db *DB) RawWriter() *sql.DB { return db.write }
