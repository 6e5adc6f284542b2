package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	pathPattern     = regexp.MustCompile(`^files/([0-9]{4})-([A-Za-z0-9][A-Za-z0-9._-]{0,79})$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
	sha256Pattern   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

const maxNameBytes = 255

func invalid(field, en, ar string) *Error {
	return &Error{Kind: ErrMalformed, Field: field, EN: field + ": " + en, AR: field + ": " + ar}
}

// checkHead checks everything but the files: what Write can check before
// reading any attachment.
func (m *Manifest) checkHead() error {
	if m.Format != Format {
		return invalid("format", "unknown bundle format version (this tool reads "+Format+")",
			"إصدار غير معروف لصيغة الحزمة (تقرأ هذه الأداة "+Format+")")
	}
	if t, err := time.Parse(time.RFC3339, m.SealedAt); err != nil || !strings.HasSuffix(m.SealedAt, "Z") || t.Nanosecond() != 0 {
		return invalid("sealed_at", "must be a UTC time such as 2026-05-01T10:00:00Z", "يجب أن يكون وقتاً بتوقيت UTC مثل 2026-05-01T10:00:00Z")
	}
	if len(m.Tool) > 200 || strings.ContainsFunc(m.Tool, unicode.IsControl) {
		return invalid("tool", "must be one short line", "يجب أن يكون سطراً قصيراً")
	}
	r := m.Report
	switch {
	case strings.TrimSpace(r.Text) == "":
		return invalid("report.text", "the report text is empty", "نص التقرير فارغ")
	case r.Language != "" && !languagePattern.MatchString(r.Language):
		return invalid("report.language", "must be a language code such as ar or en", "يجب أن تكون رمز لغة مثل ar أو en")
	case r.Published != "" && !isDate(r.Published):
		return invalid("report.published", "must be a date YYYY-MM-DD", "يجب أن يكون تاريخاً بصيغة YYYY-MM-DD")
	case r.URL != "" && !isWebURL(r.URL):
		return invalid("report.url", "must be an http or https address", "يجب أن يكون عنوان http أو https")
	}
	p := m.Reporter
	switch {
	case (p.Latitude == nil) != (p.Longitude == nil):
		return invalid("reporter.latitude", "give both latitude and longitude, or neither", "أعطِ خط العرض وخط الطول معاً أو لا تعطِ أياً منهما")
	case p.Latitude != nil && !(*p.Latitude >= -90 && *p.Latitude <= 90):
		return invalid("reporter.latitude", "must be between -90 and 90", "يجب أن يكون بين ‎-90 و90")
	case p.Longitude != nil && !(*p.Longitude >= -180 && *p.Longitude <= 180):
		return invalid("reporter.longitude", "must be between -180 and 180", "يجب أن يكون بين ‎-180 و180")
	}
	return nil
}

// validate checks the whole manifest, files included.
func (m *Manifest) validate() error {
	if err := m.checkHead(); err != nil {
		return err
	}
	if len(m.Files) > MaxFiles {
		return invalid("files", fmt.Sprintf("more than %d files", MaxFiles), fmt.Sprintf("أكثر من %d ملف", MaxFiles))
	}
	for i, f := range m.Files {
		field := fmt.Sprintf("files[%d]", i)
		sub := pathPattern.FindStringSubmatch(f.Path)
		switch {
		case sub == nil || sub[1] != fmt.Sprintf("%04d", i+1):
			return invalid(field+".path", fmt.Sprintf("must be files/%04d-NAME, NAME of letters A-Z, digits, . _ -", i+1),
				fmt.Sprintf("يجب أن يكون files/%04d-NAME بحروف لاتينية وأرقام و. _ -", i+1))
		case !validName(f.Name):
			return invalid(field+".name", "must be a file name (no / \\ or control characters, at most 255 bytes)",
				"يجب أن يكون اسم ملف (دون / أو \\ أو محارف تحكم، 255 بايت على الأكثر)")
		case f.Size < 0:
			return invalid(field+".size", "is negative", "سالب")
		case !sha256Pattern.MatchString(f.SHA256):
			return invalid(field+".sha256", "must be 64 lower-case hex digits", "يجب أن يكون 64 رقماً ست عشرياً بأحرف صغيرة")
		}
	}
	return nil
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func validName(s string) bool {
	return s != "" && s != "." && s != ".." && len(s) <= maxNameBytes && utf8.ValidString(s) &&
		!strings.ContainsAny(s, `/\`) && !strings.ContainsFunc(s, unicode.IsControl)
}

// cleanName makes a file's base name valid for File.Name, changing as
// little as possible: the name is for people and may be Arabic.
func cleanName(base string) string {
	s := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(base, "\uFFFD"))
	for len(s) > maxNameBytes {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	if s == "" || s == "." || s == ".." {
		return "file"
	}
	return s
}

// safeName is the part of an entry name after "files/NNNN-": ASCII letters,
// digits and . _ -, starting with a letter or digit, at most 80 bytes, with
// the extension kept when it is short and plain. It is what lands on disks
// and in tar tools, so it is kept dull; File.Name keeps the real name.
func safeName(name string) string {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	if len(ext) < 2 || len(ext) > 11 || strings.IndexFunc(ext[1:], func(r rune) bool { return !isAlnum(r) }) >= 0 {
		stem, ext = name, ""
	}
	var b strings.Builder
	for _, r := range stem {
		switch {
		case isAlnum(r) || r == '.' || r == '-' || r == '_':
			b.WriteRune(r)
		case !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "._-")
	if max := 80 - len(ext); len(s) > max {
		s = strings.TrimRight(s[:max], "._-")
	}
	if s == "" {
		s = "file"
	}
	return s + ext
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func entryPath(i int, name string) string {
	return "files/" + fmt.Sprintf("%04d", i+1) + "-" + safeName(name)
}

// encode is manifest.json as written.
func (m *Manifest) encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if buf.Len() > MaxManifest {
		return nil, invalid("report", "the manifest is over 1 MiB: attach long texts as files",
			"البيان أكبر من 1 ميغابايت: أرفق النصوص الطويلة كملفات")
	}
	return buf.Bytes(), nil
}

// decodeManifest parses and checks manifest.json. The version is checked
// before anything else, so a newer bundle is named as such.
func decodeManifest(data []byte) (*Manifest, error) {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fail(ErrMalformed, "manifest.json is not a JSON object", "manifest.json ليس كائن JSON", err)
	}
	if head.Format != Format {
		return nil, fail(ErrMalformed, "unknown bundle format "+strconv.Quote(clip(head.Format, 40))+" (this tool reads "+Format+")",
			"صيغة حزمة غير معروفة (تقرأ هذه الأداة "+Format+")", nil)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fail(ErrMalformed, "manifest.json does not follow "+Format, "manifest.json لا يتبع "+Format, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(ErrMalformed, "manifest.json has data after its object", "في manifest.json بيانات بعد الكائن", nil)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
