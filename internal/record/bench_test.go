package record_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/record/recordtest"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// BenchmarkWrite measures records written per second through the mutation
// service (validation, revision, index, one transaction per change) beside
// raw INSERTs of the same JSON into the same SQLite database, one
// transaction each, in the same run. It reports both rates and their ratio.
func BenchmarkWrite(b *testing.B) {
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchWrite(b, batch) })
	}
}

func benchWrite(b *testing.B, batch int) {
	ctx := context.Background()
	db := openSQLite(b)
	vs, err := vocab.Load()
	if err != nil {
		b.Fatal(err)
	}
	svc := record.NewService(db, vs)
	raw := db.RawWriter()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE raw_bench (id TEXT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	body := recordtest.Incident("قصف جوي على حي الدرعية في الرقة")
	canon, err := record.Canonical(body)
	if err != nil {
		b.Fatal(err)
	}
	meta := record.Meta{Author: "bench", Reason: "benchmark"}
	n := b.N * batch
	b.ResetTimer()

	start := time.Now()
	for i := 0; i < b.N; i++ {
		changes := make([]record.Change, batch)
		for j := range changes {
			changes[j] = record.Change{Action: record.ActionCreate, Body: recordtest.Incident("قصف جوي على حي الدرعية في الرقة")}
		}
		if _, err := svc.Apply(ctx, meta, changes); err != nil {
			b.Fatal(err)
		}
	}
	svcDur := time.Since(start)

	start = time.Now()
	for i := 0; i < b.N; i++ {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < batch; j++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO raw_bench (id, body) VALUES (?1, ?2)`, record.NewID(time.Now()), string(canon)); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	rawDur := time.Since(start)
	b.StopTimer()

	svcRate := float64(n) / svcDur.Seconds()
	rawRate := float64(n) / rawDur.Seconds()
	b.ReportMetric(svcRate, "service_rec/s")
	b.ReportMetric(rawRate, "raw_rec/s")
	b.ReportMetric(svcRate/rawRate, "service/raw")
}
