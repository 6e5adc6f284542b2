package auth

import (
	"container/list"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// maxClients bounds the rate limiter's memory: past it, the client seen
// longest ago is forgotten (and starts again with a full bucket).
const maxClients = 10000

// limiter is a token bucket per client key, in memory: burst attempts at
// once, refilled at rate per second. An empty key is one shared bucket. Keys are kept only as a salted hash,
// so the process holds no list of addresses.
type limiter struct {
	mu    sync.Mutex
	rate  float64 // attempts per second
	burst float64
	salt  [16]byte
	order *list.List // of *bucket, most recently used first
	byKey map[[sha256.Size]byte]*list.Element
}

type bucket struct {
	key    [sha256.Size]byte
	tokens float64
	last   time.Time
	// refused is set at the first refusal after an allowed attempt, so a
	// flood is audited once, not once per request.
	refused bool
}

func newLimiter(perMinute int) *limiter {
	l := &limiter{
		rate:  float64(perMinute) / 60,
		burst: float64(perMinute),
		order: list.New(),
		byKey: make(map[[sha256.Size]byte]*list.Element),
	}
	_, _ = rand.Read(l.salt[:]) // crypto/rand never fails on supported systems
	return l
}

// allow takes one attempt for client at now. When it refuses, wait is how
// long until the next attempt is allowed and first says whether this is
// the first refusal since the client's last allowed attempt.
func (l *limiter) allow(client string, now time.Time) (ok bool, wait time.Duration, first bool) {
	key := sha256.Sum256(append(l.salt[:], client...))
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.get(key, now)
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(l.burst, b.tokens+dt*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.refused = false
		return true, 0, false
	}
	first = !b.refused
	b.refused = true
	wait = time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait, first
}

// get returns the client's bucket, making a full one (and forgetting the
// least recently seen client if the map is full).
func (l *limiter) get(key [sha256.Size]byte, now time.Time) *bucket {
	if e, ok := l.byKey[key]; ok {
		l.order.MoveToFront(e)
		return e.Value.(*bucket)
	}
	if l.order.Len() >= maxClients {
		old := l.order.Back()
		l.order.Remove(old)
		delete(l.byKey, old.Value.(*bucket).key)
	}
	b := &bucket{key: key, tokens: l.burst, last: now}
	l.byKey[key] = l.order.PushFront(b)
	return b
}
