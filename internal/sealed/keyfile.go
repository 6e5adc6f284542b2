package sealed

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"

	"filippo.io/age"
)

// ScryptWorkFactor is log2 of the scrypt cost used to encrypt key files
// with the passphrase: 18 takes about a second. Tests lower it.
var ScryptWorkFactor = 18

// MinPassphrase is the fewest characters (not bytes: Arabic letters are two
// bytes each) a passphrase may have.
const MinPassphrase = 12

// maxKeyFile bounds what is read of a key file or a passphrase file.
const maxKeyFile = 64 << 10

func checkPassphrase(p []byte) error {
	if utf8.RuneCount(p) < MinPassphrase {
		return ErrShortPassphrase
	}
	return nil
}

func keyFilePath(dir, keyID string) string {
	return filepath.Join(dir, "org-"+keyID+".age")
}

// keyFileText is what a key file holds once decrypted: the format of
// age-keygen, so `age -d` on the file gives an identity file the age
// command line accepts, for disaster recovery with standard tools.
func keyFileText(id *age.X25519Identity) []byte {
	return []byte("# Tawthiq organisation key " + keyIDOf(id.Recipient().String()) +
		"\n# public key: " + id.Recipient().String() + "\n" + id.String() + "\n")
}

// parseIdentityText reads one X25519 secret key from text in age-keygen
// format ("#" comments and blank lines skipped). Its errors never quote the
// text.
func parseIdentityText(b []byte) (*age.X25519Identity, error) {
	var id *age.X25519Identity
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if id != nil {
			return nil, errors.New("more than one secret key")
		}
		var err error
		if id, err = age.ParseX25519Identity(line); err != nil {
			return nil, errors.New("not an age secret key (AGE-SECRET-KEY-1…)")
		}
	}
	if sc.Err() != nil || id == nil {
		return nil, errors.New("no age secret key (AGE-SECRET-KEY-1…)")
	}
	return id, nil
}

// writeKeyFile encrypts id with the passphrase into dir/org-<keyid>.age,
// replacing any file of that name whole (temporary file, fsync, rename,
// fsync of the directory). It returns the path.
func writeKeyFile(dir string, id *age.X25519Identity, passphrase []byte) (string, error) {
	if ScryptWorkFactor < 1 || ScryptWorkFactor > 30 {
		return "", fmt.Errorf("sealed: ScryptWorkFactor %d out of range 1–30", ScryptWorkFactor)
	}
	if err := ensureDir(dir); err != nil {
		return "", err
	}
	r, err := age.NewScryptRecipient(string(passphrase))
	if err != nil {
		return "", ErrShortPassphrase
	}
	r.SetWorkFactor(ScryptWorkFactor)
	path := keyFilePath(dir, keyIDOf(id.Recipient().String()))
	f, err := os.CreateTemp(dir, ".org-*.tmp") // mode 0600
	if err != nil {
		return "", fmt.Errorf("sealed: key file in %s: %w", dir, err)
	}
	tmp := f.Name()
	err = func() error {
		w, err := age.Encrypt(f, r)
		if err != nil {
			return err
		}
		text := keyFileText(id)
		defer clear(text)
		if _, err := w.Write(text); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		return f.Sync()
	}()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("sealed: write key file %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("sealed: write key file %s: %w", path, err)
	}
	return path, nil
}

// readKeyFile decrypts the key file at path with the passphrase and checks
// it holds the secret of the recipient pub.
func readKeyFile(path string, passphrase []byte, pub string) (*age.X25519Identity, error) {
	b, err := readLimited(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeyFile, err) // err names the path
	}
	sid, err := age.NewScryptIdentity(string(passphrase))
	if err != nil {
		return nil, ErrWrongPassphrase // empty
	}
	sid.SetMaxWorkFactor(max(22, ScryptWorkFactor))
	r, err := age.Decrypt(bytes.NewReader(b), sid)
	if nm, ok := errors.AsType[*age.NoIdentityMatchError](err); ok {
		if len(nm.StanzaTypes) == 1 && nm.StanzaTypes[0] == "scrypt" {
			return nil, ErrWrongPassphrase
		}
		return nil, fmt.Errorf("%w: %s: not passphrase-encrypted", ErrKeyFile, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeyFile, path, err)
	}
	text, err := io.ReadAll(io.LimitReader(r, maxKeyFile))
	defer clear(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeyFile, path, err)
	}
	id, err := parseIdentityText(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeyFile, path, err)
	}
	if id.Recipient().String() != pub {
		return nil, fmt.Errorf("%w: %s: holds another key than %s", ErrKeyFile, path, keyIDOf(pub))
	}
	return id, nil
}

// removeKeyFile deletes an old key file; one already gone is fine. This is
// not a secure erase: the file stays protected by its old passphrase.
func removeKeyFile(dir, keyID string) error {
	path := keyFilePath(dir, keyID)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("sealed: remove old key file %s: %w", path, err)
	}
	return syncDir(dir)
}

// removeNew deletes a key file just written for a change that failed.
func removeNew(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("sealed: remove unused key file %s: %w", path, err)
	}
	return nil
}

// ensureDir makes the key directory with mode 0700 and refuses one that
// other users can enter.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("sealed: key directory: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("sealed: key directory: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("sealed: key directory %s is open to other users (mode %04o): chmod 700 it", dir, fi.Mode().Perm())
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && runtime.GOOS != "windows" {
		return err
	}
	return nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyFile {
		clear(b)
		return nil, fmt.Errorf("%s: more than %d bytes", path, maxKeyFile)
	}
	return b, nil
}

// ReadPassphraseFile reads a passphrase from a secret file (a systemd
// credential, a Docker secret), without one trailing "\n" or "\r\n". An
// empty passphrase is ErrEmptyPassphrase. Errors name the path only.
func ReadPassphraseFile(path string) ([]byte, error) {
	b, err := readLimited(path)
	if err != nil {
		return nil, fmt.Errorf("sealed: passphrase file: %w", err) // *PathError names the path
	}
	n := len(b)
	if bytes.HasSuffix(b, []byte("\r\n")) {
		n -= 2
	} else if bytes.HasSuffix(b, []byte("\n")) {
		n--
	}
	clear(b[n:])
	if n == 0 {
		return nil, fmt.Errorf("%w: %s", ErrEmptyPassphrase, path)
	}
	return b[:n], nil
}
