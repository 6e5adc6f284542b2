package record

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// crockford is the base-32 alphabet of ULIDs: no I, L, O or U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewID returns a ULID-shaped id: 48 bits of milliseconds then 80 random
// bits, 26 characters, so ids sort by creation time and never collide in
// practice, on one server or many.
func NewID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("record: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	// 128 bits → 26 base-32 digits (the first digit holds 3 bits).
	var out [26]byte
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}
