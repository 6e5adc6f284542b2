package vault

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // DecodeConfig for the formats phones send
	_ "image/jpeg"
	_ "image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/evanoberholster/imagemeta"
	"github.com/evanoberholster/imagemeta/exif2"
	"github.com/evanoberholster/imagemeta/jpeg"
	"github.com/evanoberholster/imagemeta/xmp"
)

// Metadata is what a file says about itself. It is a claim of the file, not
// a finding: cameras have wrong clocks and metadata can be forged. Empty
// fields were not found.
type Metadata struct {
	// CaptureTime is when the device says the picture or recording was
	// taken: RFC 3339 when the file gives a UTC offset, otherwise the
	// device's local time "2006-01-02T15:04:05" with the zone unknown (we
	// never invent one).
	CaptureTime string                      `json:"capture_time,omitempty"`
	GPS         *struct{ Lat, Lon float64 } `json:"gps,omitempty"`
	Make        string                      `json:"make,omitempty"`
	Model       string                      `json:"model,omitempty"`
	Software    string                      `json:"software,omitempty"`
	Width       int                         `json:"width,omitempty"`
	Height      int                         `json:"height,omitempty"`
	DurationSec float64                     `json:"duration_sec,omitempty"`
	Codecs      []string                    `json:"codecs,omitempty"`
	// CreationTime is the container's or document's own creation time
	// (video, audio, PDF), as the file writes it.
	CreationTime string `json:"creation_time,omitempty"`
	Text         string `json:"text,omitempty"` // PDF text layer, bidi controls removed
	// Raw holds further values by source, "exif:Artist", "xmp:CreatorTool",
	// "ffprobe:tag:location", "pdfinfo:Author".
	Raw map[string]string `json:"raw,omitempty"`
}

const (
	toolTimeout = 2 * time.Minute // per external command
	maxTextSize = 16 << 20        // PDF text kept, in bytes
	maxToolJSON = 8 << 20         // ffprobe output read, in bytes
)

// Extract reads the metadata of the file at path, whose MIME type is mime
// (Item.MIME). It never fails: what it could not do, and why, is listed in
// skipped (a tool not installed, a parser error, a timeout), so the record
// can say "not checked" rather than "none".
//
// Images are read in Go (imagemeta: EXIF, XMP, GPS). Audio and video need
// ffprobe, PDFs pdftotext and pdfinfo (Debian ffmpeg, poppler-utils); each
// runs with a timeout. The file is only read.
func Extract(ctx context.Context, path string, mime string) (Metadata, []string) {
	m := Metadata{Raw: map[string]string{}}
	var skipped []string
	abs, err := filepath.Abs(path) // also keeps a name starting with '-' from looking like a flag
	if err != nil {
		return m, []string{fmt.Sprintf("metadata: %v", err)}
	}
	mime, _, _ = strings.Cut(mime, ";")
	mime = strings.TrimSpace(mime)
	switch {
	case strings.HasPrefix(mime, "image/"):
		skipped = extractImage(abs, mime, &m)
	case strings.HasPrefix(mime, "video/"), strings.HasPrefix(mime, "audio/"), mime == "application/ogg":
		skipped = extractMedia(ctx, abs, &m)
	case mime == "application/pdf":
		skipped = extractPDF(ctx, abs, &m)
	default:
		skipped = []string{fmt.Sprintf("metadata: no extractor for %s", mime)}
	}
	if len(m.Raw) == 0 {
		m.Raw = nil
	}
	return m, skipped
}

// extractImage reads dimensions with the standard library and EXIF/XMP
// with imagemeta.
func extractImage(path, mime string, m *Metadata) []string {
	var skipped []string
	f, err := os.Open(path)
	if err != nil {
		return []string{fmt.Sprintf("image metadata: %v", err)}
	}
	defer f.Close()
	if cfg, _, err := image.DecodeConfig(bufio.NewReader(f)); err == nil {
		m.Width, m.Height = cfg.Width, cfg.Height
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return []string{fmt.Sprintf("image metadata: %v", err)}
	}
	ex, xm, err := decodeImageMeta(f, mime)
	switch {
	case errors.Is(err, imagemeta.ErrMetadataNotSupported):
		skipped = append(skipped, fmt.Sprintf("image metadata: EXIF not read: %s not supported by imagemeta", mime))
	case err != nil:
		skipped = append(skipped, fmt.Sprintf("image metadata: EXIF parser failed: %v", err))
	}
	skipped = append(skipped, fillEXIF(m, ex)...)
	if xm != nil {
		fillXMP(m, xm)
	}
	if mime == "image/png" {
		if _, err := f.Seek(0, io.SeekStart); err == nil {
			if err := readPNGText(f, m); err != nil {
				skipped = append(skipped, fmt.Sprintf("image metadata: PNG text not read: %v", err))
			}
		}
	}
	return skipped
}

// decodeImageMeta runs imagemeta on an untrusted file: a panic in the
// parser is turned into an error.
func decodeImageMeta(f *os.File, mime string) (ex exif2.Exif, xm *xmp.XMP, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parser panic: %v", p)
		}
	}()
	switch mime {
	case "image/jpeg":
		ir := exif2.NewIfdReader(exif2.Logger)
		defer ir.Close()
		err = jpeg.ScanJPEG(bufio.NewReader(f), ir.DecodeJPEGIfd, func(r io.Reader) error {
			if x, err := xmp.ParseXmp(r); err == nil {
				xm = &x
			}
			return nil // a bad XMP packet must not hide the EXIF
		})
		if errors.Is(err, jpeg.ErrEndOfImage) {
			err = nil
		}
		return ir.Exif, xm, err
	case "image/png":
		ex, err = imagemeta.DecodePng(f)
		if errors.Is(err, imagemeta.ErrNoExif) {
			err = nil
		}
		return ex, nil, err
	default:
		ex, err = imagemeta.Decode(f)
		if errors.Is(err, imagemeta.ErrNoExif) {
			err = nil
		}
		return ex, nil, err
	}
}

func fillEXIF(m *Metadata, ex exif2.Exif) (skipped []string) {
	m.Make, m.Model, m.Software = strings.TrimSpace(ex.Make), strings.TrimSpace(ex.Model), strings.TrimSpace(ex.Software)
	if m.Width == 0 && ex.ImageWidth > 0 {
		m.Width, m.Height = int(ex.ImageWidth), int(ex.ImageHeight)
	}
	if t := ex.DateTimeOriginal(); !t.IsZero() {
		m.CaptureTime = formatDeviceTime(t)
	} else if t := ex.CreateDate(); !t.IsZero() {
		m.CaptureTime = formatDeviceTime(t)
	}
	if t := ex.ModifyDate(); !t.IsZero() {
		m.Raw["exif:ModifyDate"] = formatDeviceTime(t)
	}
	if lat, lon := ex.GPS.Latitude(), ex.GPS.Longitude(); lat != 0 || lon != 0 {
		if s := setGPS(m, lat, lon); s != "" {
			skipped = append(skipped, "exif: "+s)
		}
		m.Raw["exif:GPSAltitude"] = strconv.FormatFloat(float64(ex.GPS.Altitude()), 'f', -1, 32)
		if t := ex.GPS.Date(); !t.IsZero() {
			m.Raw["exif:GPSDateTime"] = t.UTC().Format(time.RFC3339) // GPS time is UTC by definition
		}
	}
	if ex.Orientation > 1 {
		// A stripped working copy loses this; a viewer applies it from here.
		m.Raw["exif:Orientation"] = strconv.Itoa(int(ex.Orientation))
	}
	for k, v := range map[string]string{
		"exif:Artist": ex.Artist, "exif:Copyright": ex.Copyright, "exif:ImageDescription": ex.ImageDescription,
		"exif:LensMake": ex.LensMake, "exif:LensModel": ex.LensModel, "exif:BodySerialNumber": ex.CameraSerial,
		"exif:LensSerialNumber": ex.LensSerial, "exif:OwnerName": ex.OwnerName, "exif:ImageUniqueID": ex.ImageUniqueID,
		"exif:ProcessingSoftware": ex.ProcessingSoftware,
	} {
		if v = strings.TrimSpace(v); v != "" {
			m.Raw[k] = v
		}
	}
	return skipped
}

// fillXMP adds what EXIF did not give.
func fillXMP(m *Metadata, x *xmp.XMP) {
	if m.CaptureTime == "" && !x.Exif.DateTimeOriginal.IsZero() {
		m.CaptureTime = formatDeviceTime(x.Exif.DateTimeOriginal)
	}
	if m.GPS == nil && (x.Exif.GPSLatitude != 0 || x.Exif.GPSLongitude != 0) {
		setGPS(m, x.Exif.GPSLatitude, x.Exif.GPSLongitude)
	}
	m.Make = cmpOr(m.Make, strings.TrimSpace(x.Tiff.Make))
	m.Model = cmpOr(m.Model, strings.TrimSpace(x.Tiff.Model))
	m.Software = cmpOr(m.Software, strings.TrimSpace(x.Tiff.Software))
	if s := strings.TrimSpace(x.Basic.CreatorTool); s != "" {
		m.Raw["xmp:CreatorTool"] = s
	}
	if len(x.DC.Creator) > 0 {
		m.Raw["xmp:Creator"] = strings.Join(x.DC.Creator, "; ")
	}
	if len(x.DC.Description) > 0 {
		m.Raw["xmp:Description"] = strings.Join(x.DC.Description, "; ")
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// setGPS sets m.GPS if lat/lon are on the globe; otherwise it keeps them in
// Raw and says why they were not used.
func setGPS(m *Metadata, lat, lon float64) (skipped string) {
	if math.IsNaN(lat) || math.IsNaN(lon) || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		m.Raw["gps:invalid"] = fmt.Sprintf("%g,%g", lat, lon)
		return fmt.Sprintf("GPS %g,%g is off the globe; not used", lat, lon)
	}
	m.GPS = &struct{ Lat, Lon float64 }{lat, lon}
	return ""
}

// formatDeviceTime writes a device clock reading. imagemeta returns UTC
// when the file gave no offset, so UTC here means "zone unknown".
func formatDeviceTime(t time.Time) string {
	if t.Location() == time.UTC {
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format(time.RFC3339)
}

// ffprobeOutput is the part of `ffprobe -print_format json -show_format
// -show_streams` that we read.
type ffprobeOutput struct {
	Format struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
	Streams []struct {
		CodecType string            `json:"codec_type"`
		CodecName string            `json:"codec_name"`
		Width     int               `json:"width"`
		Height    int               `json:"height"`
		Tags      map[string]string `json:"tags"`
	} `json:"streams"`
}

func extractMedia(ctx context.Context, path string, m *Metadata) []string {
	out, truncated, err := runTool(ctx, maxToolJSON, "ffprobe", "-v", "quiet", "-print_format", "json", "-show_format", "-show_streams", path)
	if err != nil {
		return []string{err.Error()}
	}
	if truncated {
		return []string{fmt.Sprintf("ffprobe: output over %d MiB; not read", maxToolJSON>>20)}
	}
	return parseFFprobe(out, m)
}

func parseFFprobe(out []byte, m *Metadata) []string {
	var p ffprobeOutput
	if err := json.Unmarshal(out, &p); err != nil {
		return []string{fmt.Sprintf("ffprobe: unreadable output: %v", err)}
	}
	var skipped []string
	if d, err := strconv.ParseFloat(p.Format.Duration, 64); err == nil && d >= 0 && !math.IsInf(d, 0) {
		m.DurationSec = d
	}
	if p.Format.FormatName != "" {
		m.Raw["ffprobe:format_name"] = p.Format.FormatName
	}
	for _, s := range p.Streams {
		if s.CodecName != "" && !contains(m.Codecs, s.CodecName) {
			m.Codecs = append(m.Codecs, s.CodecName)
		}
		if s.CodecType == "video" && m.Width == 0 && s.Width > 0 {
			m.Width, m.Height = s.Width, s.Height
		}
		if m.CreationTime == "" {
			m.CreationTime = s.Tags["creation_time"]
		}
	}
	tags := map[string]string{}
	for k, v := range p.Format.Tags {
		tags[strings.ToLower(k)] = v
		m.Raw["ffprobe:tag:"+k] = v
	}
	m.CreationTime = cmpOr(tags["creation_time"], m.CreationTime)
	m.CaptureTime = tags["com.apple.quicktime.creationdate"] // the device's own clock, with its offset
	m.Make = cmpOr(tags["com.apple.quicktime.make"], tags["make"])
	m.Model = cmpOr(tags["com.apple.quicktime.model"], tags["model"])
	m.Software = cmpOr(tags["com.apple.quicktime.software"], tags["software"])
	for _, k := range []string{"com.apple.quicktime.location.iso6709", "location", "location-eng"} {
		if loc := tags[k]; loc != "" {
			lat, lon, ok := parseISO6709(loc)
			if !ok {
				skipped = append(skipped, fmt.Sprintf("ffprobe: location %q not in ISO 6709 decimal degrees; not used", loc))
			} else if s := setGPS(m, lat, lon); s != "" {
				skipped = append(skipped, "ffprobe: "+s)
			}
			break
		}
	}
	return skipped
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseISO6709 reads the decimal-degree form phones write,
// "+33.5138+036.2765/" or "+33.5138+036.2765+123.4/".
func parseISO6709(s string) (lat, lon float64, ok bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "/")
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return 0, 0, false
	}
	i := strings.IndexAny(s[1:], "+-") + 1
	if i == 0 {
		return 0, 0, false
	}
	j := strings.IndexAny(s[i+1:], "+-") + i + 1
	if j == i {
		j = len(s)
	}
	lat, err1 := strconv.ParseFloat(s[:i], 64)
	lon, err2 := strconv.ParseFloat(s[i:j], 64)
	if err1 != nil || err2 != nil || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}

func extractPDF(ctx context.Context, path string, m *Metadata) []string {
	var skipped []string
	text, truncated, err := runTool(ctx, maxTextSize, "pdftotext", "-enc", "UTF-8", path, "-")
	switch {
	case err != nil:
		skipped = append(skipped, err.Error())
	default:
		m.Text = stripBidi(string(bytes.ToValidUTF8(text, nil)))
		if truncated {
			skipped = append(skipped, fmt.Sprintf("pdftotext: text cut at %d MiB", maxTextSize>>20))
		}
	}
	info, _, err := runTool(ctx, 1<<20, "pdfinfo", "-isodates", "-enc", "UTF-8", path)
	if err != nil {
		return append(skipped, err.Error())
	}
	fields := map[string]string{}
	for line := range strings.Lines(stripBidi(string(bytes.ToValidUTF8(info, nil)))) {
		k, v, ok := strings.Cut(line, ":")
		if v = strings.TrimSpace(v); ok && v != "" {
			fields[k] = v
			m.Raw["pdfinfo:"+k] = v
		}
	}
	m.Software = cmpOr(fields["Creator"], fields["Producer"])
	m.CreationTime = fields["CreationDate"]
	return skipped
}

// stripBidi removes the bidi embedding, override and isolate controls
// (U+202A–U+202E, U+2066–U+2069) that pdftotext scatters through Arabic
// text; left in, they break search and copy-paste.
func stripBidi(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' {
			return -1
		}
		return r
	}, s)
}

// runTool runs an external command with a timeout and returns up to limit
// bytes of its output. A missing tool is reported as "<name> not
// installed". Errors never include the tool's output, which may quote the
// file.
func runTool(ctx context.Context, limit int, name string, args ...string) (out []byte, truncated bool, err error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return nil, false, fmt.Errorf("%s not installed: skipped", name)
	}
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	w := &cappedBuffer{limit: limit}
	cmd.Stdout = w
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, false, fmt.Errorf("%s: timed out after %v", name, toolTimeout)
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s failed: %v", name, err)
	}
	return w.buf.Bytes(), w.truncated, nil
}

// cappedBuffer keeps the first limit bytes written to it and drops the rest,
// so that a huge output cannot exhaust memory or block the tool.
type cappedBuffer struct {
	buf       bytes.Buffer
	limit     int
	truncated bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.limit - c.buf.Len(); room < len(p) {
		c.truncated = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}
