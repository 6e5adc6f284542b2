package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrations embed.FS

// Migration is one embedded schema step. Files are named NNNN_what.sql under
// migrations/<dialect>/ and run in number order, each in its own transaction.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the dialect's embedded migrations in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", d.Name)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("sqldb: migrations for %s: %w", d.Name, err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqldb: migration %s: name must start with a positive number and _", name)
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("sqldb: two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

// Migrate applies every migration the database has not seen yet. A database
// newer than this binary (a version it does not know) is refused, so an old
// binary never writes to a schema it does not understand.
func Migrate(ctx context.Context, db *DB) error {
	ms, err := Migrations(db.Dialect)
	if err != nil {
		return err
	}
	err = db.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqldb: migrations table: %w", err)
	}
	current, err := SchemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if n := len(ms); n > 0 && current > ms[n-1].Version {
		return fmt.Errorf("sqldb: database schema version %d is newer than this program (%d): upgrade tawthiq", current, ms[n-1].Version)
	}
	for _, m := range ms {
		if m.Version <= current {
			continue
		}
		err := db.WriteTx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.Version, m.Name, time.Now().UTC().Format(time.RFC3339Nano))
			return err
		})
		if err != nil {
			return fmt.Errorf("sqldb: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// SchemaVersion is the highest migration applied, 0 for a new database.
func SchemaVersion(ctx context.Context, db *DB) (int, error) {
	var v int
	err := db.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqldb: schema version: %w", err)
	}
	return v, nil
}
