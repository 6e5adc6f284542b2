package stats

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Item is one record in a dashboard list.
type Item struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// At (RFC 3339) is, in Received, when the report was received; in
	// the other lists, when the record last changed.
	At string `json:"at"`
}

// Queue is how many records are in a dashboard list, and the latest.
type Queue struct {
	Count  int    `json:"count"`
	Latest []Item `json:"latest"`
}

// Dashboard is what the dashboard page shows.
type Dashboard struct {
	// Received is the live reports received in the 7 days up to now.
	Received Queue `json:"received"`
	// Pending is the live incidents graded pending: waiting for review.
	Pending Queue `json:"pending"`
	// Unlinked is the live reports linked to no live incident: not in an
	// incident's report_ids, naming none in their incident_ids, with no
	// live claim naming one.
	Unlinked Queue `json:"unlinked"`
	// Month is now's month (YYYY-MM, in now's location); MonthByKind and
	// MonthByParty count the live incidents that started in it, the way
	// KilledByPartyMonth puts an incident in the month of its start.
	Month        string       `json:"month"`
	MonthByKind  []Group      `json:"month_by_kind"`
	MonthByParty []PartyMonth `json:"month_by_party"`
}

// Dashboard returns the dashboard at time now, each list with its latest
// n items (n ≤ 0 lists none; at most 100).
func (s *Stats) Dashboard(ctx context.Context, now time.Time, n int) (*Dashboard, error) {
	n = min(max(n, 0), 100)
	d := &Dashboard{Month: now.Format("2006-01")}
	var err error
	if d.Received, err = s.received(ctx, now, n); err != nil {
		return nil, err
	}
	if err := s.db.QueryRow(ctx, `SELECT coalesce(sum(`+pending+`), 0), coalesce(sum(`+unlinked+`), 0)
		FROM records r WHERE r.retracted = 0 AND +r.type IN ('incident', 'report')`).Scan(&d.Pending.Count, &d.Unlinked.Count); err != nil {
		return nil, fmt.Errorf("stats: dashboard: %w", err)
	}
	if d.Pending.Latest, err = s.latest(ctx, pending, n); err != nil {
		return nil, err
	}
	if d.Unlinked.Latest, err = s.latest(ctx, unlinked, n); err != nil {
		return nil, err
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	incs, err := s.load(ctx, query{fields: fKinds | fKilled, links: true, startFrom: first.Format(time.DateOnly),
		startBefore: first.AddDate(0, 1, 0).Format(time.DateOnly)})
	if err != nil {
		return nil, err
	}
	d.MonthByKind = s.byKind(incs)
	if d.MonthByParty, err = s.partyMonths(ctx, incs); err != nil {
		return nil, err
	}
	return d, nil
}

// pending and unlinked are the conditions on a live record r of the two
// queues. The counts take one pass over the table (a status and a link
// are in no index); the latest come from the index on the time of the last
// change, newest first, until there are enough.
const (
	pending = `r.type = 'incident' AND r.status = 'pending'`
	// unlinked: a report no live incident is linked to, whichever side
	// holds the link.
	unlinked = `r.type = 'report'
	AND NOT EXISTS (SELECT 1 FROM record_refs x JOIN records i ON i.id = x.target_id AND i.retracted = 0
		WHERE x.record_id = r.id AND x.field = 'incident_ids')
	AND NOT EXISTS (SELECT 1 FROM record_refs x JOIN records i ON i.id = x.record_id
			AND i.type = 'incident' AND i.retracted = 0
		WHERE x.target_id = r.id AND x.field = 'report_ids')
	AND NOT EXISTS (SELECT 1 FROM record_refs x
		JOIN records c ON c.id = x.record_id AND c.type = 'claim' AND c.retracted = 0
		JOIN record_refs y ON y.record_id = c.id AND y.field = 'incident_id'
		JOIN records i ON i.id = y.target_id AND i.retracted = 0
		WHERE x.target_id = r.id AND x.field = 'report_id')`
)

// latest lists the n live records matching cond that changed last.
func (s *Stats) latest(ctx context.Context, cond string, n int) ([]Item, error) {
	out := []Item{}
	rows, err := s.db.Query(ctx, `SELECT r.id, r.title, r.updated_at FROM records r
		WHERE r.retracted = 0 AND `+cond+` ORDER BY r.updated_at DESC, r.id DESC LIMIT $1`, n)
	if err != nil {
		return nil, fmt.Errorf("stats: dashboard: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Title, &it.At); err != nil {
			return nil, fmt.Errorf("stats: dashboard: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: dashboard: %w", err)
	}
	return out, nil
}

// received counts the live reports received in the 7 days up to now and
// lists the n latest. A report's received time is its received_at, else
// when it was recorded. Only reports changed in the window are read: a
// report is received before it is recorded, so one received in the window
// was recorded (and so last changed) in it too — a received_at later than
// the record's creation, which only a wrong clock makes, may be missed.
func (s *Stats) received(ctx context.Context, now time.Time, n int) (Queue, error) {
	q := Queue{Latest: []Item{}}
	from := now.Add(-7 * 24 * time.Hour)
	// One second of slack: RFC 3339 strings with and without fractions do
	// not sort as times at the same second.
	rows, err := s.db.Query(ctx, `SELECT id, title, body, created_at
		FROM records WHERE type = 'report' AND retracted = 0 AND updated_at >= $1`,
		from.UTC().Add(-time.Second).Format(time.RFC3339))
	if err != nil {
		return q, fmt.Errorf("stats: received: %w", err)
	}
	defer rows.Close()
	type dated struct {
		Item
		t time.Time
	}
	var all []dated
	var body sql.RawBytes
	for rows.Next() {
		var it dated
		var created string
		if err := rows.Scan(&it.ID, &it.Title, &body, &created); err != nil {
			return q, fmt.Errorf("stats: received: %w", err)
		}
		received, err := parseReceived(body)
		if err != nil {
			return q, fmt.Errorf("stats: report %s: %w", it.ID, err)
		}
		if received == "" {
			received = created
		}
		if it.t, err = time.Parse(time.RFC3339Nano, received); err != nil {
			return q, fmt.Errorf("stats: received: report %s: %w", it.ID, err)
		}
		if it.t.Before(from) || it.t.After(now) {
			continue
		}
		it.At = received
		all = append(all, it)
	}
	if err := rows.Err(); err != nil {
		return q, fmt.Errorf("stats: received: %w", err)
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].t.Equal(all[j].t) {
			return all[i].t.After(all[j].t)
		}
		return all[i].ID > all[j].ID
	})
	q.Count = len(all)
	for _, it := range all[:min(n, len(all))] {
		q.Latest = append(q.Latest, it.Item)
	}
	return q, nil
}
