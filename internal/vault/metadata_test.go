package vault

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func TestExtractJPEG(t *testing.T) {
	path := writeFile(t, "photo.jpg", metaJPEG(t, 64, 48))
	m, skipped := Extract(t.Context(), path, "image/jpeg")
	if len(skipped) != 0 {
		t.Errorf("skipped = %q, want nothing", skipped)
	}
	if m.GPS == nil || !near(m.GPS.Lat, fixtureLat) || !near(m.GPS.Lon, fixtureLon) {
		t.Errorf("GPS = %+v, want %v,%v", m.GPS, fixtureLat, fixtureLon)
	}
	checks := []struct{ field, got, want string }{
		{"CaptureTime", m.CaptureTime, fixtureTime},
		{"Make", m.Make, fixtureMake},
		{"Model", m.Model, fixtureModel},
		{"Software", m.Software, "FieldApp 2.1"},
		{"Artist", m.Raw["exif:Artist"], fixtureArtist},
		{"Orientation", m.Raw["exif:Orientation"], "6"},
		{"BodySerialNumber", m.Raw["exif:BodySerialNumber"], "SERIAL-12345"},
		{"xmp:CreatorTool", m.Raw["xmp:CreatorTool"], secretComment},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if m.Width != 64 || m.Height != 48 {
		t.Errorf("size = %dx%d, want 64x48", m.Width, m.Height)
	}
}

func TestExtractImageWithoutMetadata(t *testing.T) {
	for _, tc := range []struct {
		name, mime string
		data       []byte
	}{
		{"plain.jpg", "image/jpeg", plainJPEG(t, 10, 20)},
		{"plain.png", "image/png", plainPNG(t, 10, 20)},
	} {
		m, skipped := Extract(t.Context(), writeFile(t, tc.name, tc.data), tc.mime)
		if m.GPS != nil || m.CaptureTime != "" || m.Width != 10 || m.Height != 20 {
			t.Errorf("%s: %+v", tc.name, m)
		}
		t.Logf("%s: skipped %q", tc.name, skipped)
	}
}

func TestExtractGarbage(t *testing.T) {
	// Bytes that claim to be an image must not crash the extractor.
	for _, b := range [][]byte{
		{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', '*', 0, 0xFF, 0xFF, 0xFF, 0xFF},
		{0xFF, 0xD8},
		[]byte("not an image"),
		metaJPEG(t, 16, 16)[:300],
	} {
		Extract(t.Context(), writeFile(t, "x.jpg", b), "image/jpeg")
		Extract(t.Context(), writeFile(t, "x.heic", b), "image/heic")
		Extract(t.Context(), writeFile(t, "x.png", b), "image/png")
	}
}

func TestExtractToolsAbsent(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // an empty folder: no tool can be found
	for _, tc := range []struct {
		name, mime string
		data       []byte
		want       []string
	}{
		{"a.wav", "audio/wav", wav(), []string{"ffprobe not installed"}},
		{"v.mp4", "video/mp4", []byte("\x00\x00\x00\x18ftypisom"), []string{"ffprobe not installed"}},
		{"r.pdf", "application/pdf", minimalPDF(), []string{"pdftotext not installed", "pdfinfo not installed"}},
		{"d.bin", "application/octet-stream", []byte{1}, []string{"no extractor for application/octet-stream"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, skipped := Extract(t.Context(), writeFile(t, tc.name, tc.data), tc.mime)
			joined := strings.Join(skipped, "\n")
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("skipped = %q, want it to say %q", skipped, w)
				}
			}
		})
	}
	// Images need no tool.
	m, skipped := Extract(t.Context(), writeFile(t, "p.jpg", metaJPEG(t, 8, 8)), "image/jpeg")
	if m.GPS == nil || len(skipped) != 0 {
		t.Errorf("JPEG without tools: GPS %v, skipped %q", m.GPS, skipped)
	}
}

func TestExtractAudioWithFFprobe(t *testing.T) {
	needTool(t, "ffprobe")
	m, skipped := Extract(t.Context(), writeFile(t, "-starts-with-dash.wav", wav()), "audio/wav")
	if len(skipped) != 0 {
		t.Errorf("skipped = %q", skipped)
	}
	if !near(m.DurationSec, 1) || !slices.Equal(m.Codecs, []string{"pcm_s16le"}) || m.Raw["ffprobe:format_name"] != "wav" {
		t.Errorf("got duration %v, codecs %v, raw %v; want 1 s of pcm_s16le wav", m.DurationSec, m.Codecs, m.Raw)
	}
}

func TestExtractPDFWithPoppler(t *testing.T) {
	needTool(t, "pdftotext", "pdfinfo")
	m, skipped := Extract(t.Context(), writeFile(t, "report.pdf", minimalPDF()), "application/pdf")
	if len(skipped) != 0 {
		t.Errorf("skipped = %q", skipped)
	}
	if !strings.Contains(m.Text, pdfText) {
		t.Errorf("Text = %q, want it to contain %q", m.Text, pdfText)
	}
	if m.Software != "tawthiq-test" || !strings.HasPrefix(m.CreationTime, "2024-03-15T14:30:00") || m.Raw["pdfinfo:Title"] != "Report" {
		t.Errorf("Software %q, CreationTime %q, raw %v", m.Software, m.CreationTime, m.Raw)
	}
}

func TestParseFFprobe(t *testing.T) {
	out := []byte(`{
	  "streams": [
	    {"codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080, "tags": {"creation_time": "2024-03-15T11:30:00.000000Z"}},
	    {"codec_type": "audio", "codec_name": "aac"},
	    {"codec_type": "data", "codec_name": ""}
	  ],
	  "format": {
	    "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
	    "duration": "12.345000",
	    "tags": {
	      "creation_time": "2024-03-15T11:30:00.000000Z",
	      "com.apple.quicktime.location.ISO6709": "+36.2021+037.1343+412.000/",
	      "com.apple.quicktime.make": "Apple",
	      "com.apple.quicktime.model": "iPhone 12",
	      "com.apple.quicktime.software": "17.2",
	      "com.apple.quicktime.creationdate": "2024-03-15T14:30:00+0300"
	    }
	  }
	}`)
	m := Metadata{Raw: map[string]string{}}
	if skipped := parseFFprobe(out, &m); len(skipped) != 0 {
		t.Errorf("skipped = %q", skipped)
	}
	if m.GPS == nil || !near(m.GPS.Lat, 36.2021) || !near(m.GPS.Lon, 37.1343) {
		t.Errorf("GPS = %+v", m.GPS)
	}
	if m.DurationSec != 12.345 || !slices.Equal(m.Codecs, []string{"h264", "aac"}) || m.Width != 1920 || m.Height != 1080 {
		t.Errorf("duration %v, codecs %v, size %dx%d", m.DurationSec, m.Codecs, m.Width, m.Height)
	}
	if m.Make != "Apple" || m.Model != "iPhone 12" || m.Software != "17.2" ||
		m.CreationTime != "2024-03-15T11:30:00.000000Z" || m.CaptureTime != "2024-03-15T14:30:00+0300" {
		t.Errorf("got %+v", m)
	}
	if skipped := parseFFprobe([]byte("not json"), &Metadata{Raw: map[string]string{}}); len(skipped) != 1 {
		t.Errorf("bad output: skipped = %q", skipped)
	}
}

func TestParseISO6709(t *testing.T) {
	for _, tc := range []struct {
		in       string
		lat, lon float64
		ok       bool
	}{
		{"+36.2021+037.1343/", 36.2021, 37.1343, true},
		{"+36.2021+037.1343+412.000/", 36.2021, 37.1343, true},
		{"-33.8688+151.2093/", -33.8688, 151.2093, true},
		{"+35.5-006.1", 35.5, -6.1, true},
		{"+3612.13+03708.06/", 0, 0, false}, // degrees-minutes form: not decimal degrees
		{"", 0, 0, false},
		{"36.2,37.1", 0, 0, false},
		{"+36.2021", 0, 0, false},
		{"+91+037/", 0, 0, false},
	} {
		lat, lon, ok := parseISO6709(tc.in)
		if ok != tc.ok || ok && (!near(lat, tc.lat) || !near(lon, tc.lon)) {
			t.Errorf("parseISO6709(%q) = %v, %v, %v; want %v, %v, %v", tc.in, lat, lon, ok, tc.lat, tc.lon, tc.ok)
		}
	}
}

func TestStripBidi(t *testing.T) {
	in := "\u202bقصف ر يف حلب\u202c \u2067(12)\u2069 \u200fok"
	if got, want := stripBidi(in), "قصف ر يف حلب (12) \u200fok"; got != want {
		t.Errorf("stripBidi = %q, want %q", got, want)
	}
}
