package sealed

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"golang.org/x/crypto/chacha20poly1305"
)

// Envelope format, version 1 (EnvelopeVersion):
//
//	{"v":1,"alg":"xchacha20poly1305","nonce":"<base64>","ct":"<base64>"}
//
// ct is XChaCha20-Poly1305 (ciphertext and 16-byte tag) of the field's
// plaintext under the record's 32-byte data key, with a random 24-byte
// nonce and associated data "tawthiq-sealed/1\x00" followed by the record
// id, so an envelope copied onto another record does not open. The data key
// is stored in data_keys as an age file (X25519 recipients) whose payload is
// exactly the 32 key bytes.
const (
	EnvelopeVersion = 1
	AlgXChaCha      = "xchacha20poly1305"
	adPrefix        = "tawthiq-sealed/1\x00"
	dataKeySize     = chacha20poly1305.KeySize
)

// Envelope is one sealed field; encoding/json writes the bytes as base64.
type Envelope struct {
	V     int    `json:"v"`
	Alg   string `json:"alg"`
	Nonce []byte `json:"nonce"`
	CT    []byte `json:"ct"`
}

func associatedData(recordID string) []byte {
	return []byte(adPrefix + recordID)
}

// Seal encrypts plaintext for the record inside the caller's transaction.
// A record's first Seal makes its data key and wraps it to the active
// recipients, which needs no secret, so it works while locked; later Seals
// unwrap the key and need the keyring unlocked (ErrLocked).
func (k *Keyring) Seal(ctx context.Context, tx *sqldb.Tx, recordID string, plaintext []byte) (*Envelope, error) {
	if recordID == "" {
		return nil, errors.New("sealed: seal: empty record id")
	}
	// k.mu is held until the data key is read and unwrapped, so a
	// rotation cannot commit in between (see writeAndSwap).
	k.mu.RLock()
	dk, err := k.sealKey(ctx, tx, recordID)
	k.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	defer clear(dk)
	aead, err := chacha20poly1305.NewX(dk)
	if err != nil {
		return nil, fmt.Errorf("sealed: seal %s: %w", recordID, err)
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("sealed: seal %s: %w", recordID, err)
	}
	ct := aead.Seal(nil, nonce, plaintext, associatedData(recordID))
	return &Envelope{V: EnvelopeVersion, Alg: AlgXChaCha, Nonce: nonce, CT: ct}, nil
}

// sealKey returns the record's data key, making and storing it if the
// record has none. The caller holds k.mu for reading and clears the key.
func (k *Keyring) sealKey(ctx context.Context, tx *sqldb.Tx, recordID string) ([]byte, error) {
	wrapped, keyIDs, err := loadDataKey(ctx, tx, recordID)
	if err == nil {
		if k.id == nil {
			return nil, ErrLocked
		}
		return unwrapForOrg(recordID, wrapped, keyIDs, k.id, k.org.id)
	}
	if !errors.Is(err, ErrNoDataKey) {
		return nil, err
	}
	// The recipients come from the transaction, not from this keyring's
	// memory, so a key added by another process is never left out.
	org, rec, err := activeKeys(ctx, tx)
	if err != nil {
		return nil, err
	}
	if org == nil {
		return nil, ErrNoKey
	}
	to := []keyRef{*org}
	if rec != nil {
		to = append(to, *rec)
	}
	dk := make([]byte, dataKeySize)
	if _, err := rand.Read(dk); err != nil {
		return nil, fmt.Errorf("sealed: data key: %w", err)
	}
	wrapped, err = wrapDataKey(dk, to)
	if err == nil {
		_, err = tx.Exec(ctx, `INSERT INTO data_keys (record_id, wrapped, key_ids, updated_at) VALUES ($1, $2, $3, $4)`,
			recordID, wrapped, joinIDs(to), stamp(time.Now()))
	}
	if err != nil {
		clear(dk)
		return nil, fmt.Errorf("sealed: store data key of %s: %w", recordID, err)
	}
	return dk, nil
}

// Open decrypts an envelope of the record. q is the read pool or the
// transaction the envelope was read in. ErrLocked, ErrNoDataKey, or
// ErrTampered for any envelope that is malformed or fails authentication.
func (k *Keyring) Open(ctx context.Context, q Querier, recordID string, env *Envelope) ([]byte, error) {
	k.mu.RLock()
	dk, err := k.openKey(ctx, q, recordID, env)
	k.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	defer clear(dk)
	aead, err := chacha20poly1305.NewX(dk)
	if err != nil {
		return nil, fmt.Errorf("sealed: open %s: %w", recordID, err)
	}
	pt, err := aead.Open(nil, env.Nonce, env.CT, associatedData(recordID))
	if err != nil {
		return nil, fmt.Errorf("%w: record %s", ErrTampered, recordID)
	}
	return pt, nil
}

// openKey checks the envelope's shape and returns the record's data key.
// The caller holds k.mu for reading and clears the key.
func (k *Keyring) openKey(ctx context.Context, q Querier, recordID string, env *Envelope) ([]byte, error) {
	if k.id == nil {
		return nil, ErrLocked
	}
	if env == nil || env.V != EnvelopeVersion || env.Alg != AlgXChaCha ||
		len(env.Nonce) != chacha20poly1305.NonceSizeX || len(env.CT) < chacha20poly1305.Overhead {
		return nil, fmt.Errorf("%w: record %s: malformed envelope", ErrTampered, recordID)
	}
	wrapped, keyIDs, err := loadDataKey(ctx, q, recordID)
	if err != nil {
		return nil, err
	}
	return unwrapForOrg(recordID, wrapped, keyIDs, k.id, k.org.id)
}

// loadDataKey reads a record's wrapped data key; ErrNoDataKey if none.
func loadDataKey(ctx context.Context, q Querier, recordID string) (wrapped []byte, keyIDs string, err error) {
	err = q.QueryRow(ctx, `SELECT wrapped, key_ids FROM data_keys WHERE record_id = $1`, recordID).
		Scan(&wrapped, &keyIDs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("%w: record %s", ErrNoDataKey, recordID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("sealed: data key of %s: %w", recordID, err)
	}
	return wrapped, keyIDs, nil
}

// unwrapForOrg unwraps a data key with the org identity: ErrStale when it
// is not wrapped for that key (replaced by another process since Load).
func unwrapForOrg(recordID string, wrapped []byte, keyIDs string, id age.Identity, orgID string) ([]byte, error) {
	if !slices.Contains(strings.Split(keyIDs, ","), orgID) {
		return nil, fmt.Errorf("%w: data key of %s is not wrapped for key %s", ErrStale, recordID, orgID)
	}
	dk, err := unwrapDataKey(wrapped, id)
	if errors.Is(err, age.ErrIncorrectIdentity) {
		return nil, fmt.Errorf("%w: data key of %s does not open with key %s", ErrStale, recordID, orgID)
	}
	if err != nil {
		return nil, fmt.Errorf("sealed: data key of %s: %w", recordID, err)
	}
	return dk, nil
}

// wrapDataKey age-encrypts a data key to the recipients.
func wrapDataKey(dk []byte, to []keyRef) ([]byte, error) {
	rs := make([]age.Recipient, len(to))
	for i, ref := range to {
		r, err := ParseRecipient(ref.pub)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", ref.id, err)
		}
		rs[i] = r
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(dk); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unwrapDataKey decrypts a wrapped data key. An error wrapping
// age.ErrIncorrectIdentity means it is not wrapped for id.
func unwrapDataKey(wrapped []byte, id age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(wrapped), id)
	if err != nil {
		return nil, err
	}
	dk := make([]byte, dataKeySize+1)
	n, err := io.ReadFull(r, dk)
	if n != dataKeySize || !errors.Is(err, io.ErrUnexpectedEOF) {
		clear(dk)
		if err == nil || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = fmt.Errorf("wrapped data key is %d bytes, not %d", n, dataKeySize)
		}
		return nil, err
	}
	return dk[:dataKeySize], nil
}

func joinIDs(refs []keyRef) string {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.id
	}
	return strings.Join(ids, ",")
}
