package record_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tawthiq/tawthiq/internal/record/recordtest"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

func openSQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.CreateSQLite(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSQLiteStore runs the shared store suite on the embedded SQLite store.
func TestSQLiteStore(t *testing.T) {
	recordtest.Run(t, func(t *testing.T) *sqldb.DB { return openSQLite(t) })
}
