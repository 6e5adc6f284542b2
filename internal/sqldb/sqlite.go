package sqldb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"github.com/ncruces/go-sqlite3/driver" // database/sql driver "sqlite3"
)

// sqlitePragmas are applied to every connection. WAL lets readers work while
// a write is under way; synchronous=FULL makes a commit durable once it
// returns, which matters more here than write speed; foreign keys on.
var sqlitePragmas = []string{
	"busy_timeout(15000)",
	"journal_mode(wal)",
	"synchronous(full)",
	"foreign_keys(on)",
}

func sqliteDSN(path string, txlock string, readOnly bool) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	if txlock != "" {
		q.Set("_txlock", txlock)
	}
	if readOnly {
		q.Set("mode", "ro")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// CreateSQLite creates (or opens) the database file at path and brings its
// schema up to date.
func CreateSQLite(ctx context.Context, path string) (*DB, error) {
	return openSQLite(ctx, path, true)
}

// OpenSQLite opens an existing database file and applies any pending
// migrations. A missing file is ErrNotInitialised.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	return openSQLite(ctx, path, false)
}

func openSQLite(ctx context.Context, path string, create bool) (*DB, error) {
	if !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotInitialised, path)
		}
	}
	// Write transactions start IMMEDIATE so a transaction never has to
	// upgrade a read lock, which is where SQLITE_BUSY deadlocks come from.
	w, err := driver.Open(sqliteDSN(path, "immediate", false), initConn)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	r, err := driver.Open(sqliteDSN(path, "", false), initConn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqldb: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	db := &DB{Dialect: SQLite, write: w, read: r}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
