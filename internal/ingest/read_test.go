package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fixtures under testdata/ are sample reports written for these tests
// (بيانات تجريبية / sample data); testdata/.gitattributes keeps Git from
// changing their bytes, which the hashes below pin.

// readAll reads a file the way the ingest command does, collecting its docs.
func readAll(t *testing.T, path string) ([]Doc, error) {
	t.Helper()
	format, ok := formatOf(path)
	if !ok {
		t.Fatalf("formatOf(%q): unknown", path)
	}
	var docs []Doc
	err := Read(context.Background(), File{Path: path, Format: format}, func(d Doc) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

func mustFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadDocuments(t *testing.T) {
	crlf := strings.ReplaceAll(strings.TrimPrefix(mustFile(t, "testdata/crlf-bom.txt"), "\uFEFF"), "\r\n", "\n")
	tests := []struct {
		path string
		want Doc // Path, Item and Format are checked from path
		text string
	}{{
		path: "testdata/reports/raqqa-shelling.txt",
		want: Doc{
			Format: "text", Title: "قصف مدفعي على حي المشلب في الرقة «بيانات تجريبية / sample data»",
			Language: "ar", SHA256: "b2f79ab8d468da9a91d06cad287b61743bb41af8cde225986f0a19559ab41e17", Size: 775,
		},
		text: mustFile(t, "testdata/reports/raqqa-shelling.txt"),
	}, {
		// The first line is a paragraph, too long for a title.
		path: "testdata/reports/archive/tabqa-flooding.txt",
		want: Doc{
			Format: "text", Language: "ar",
			SHA256: "7168ce137e3a0f1f323e244f43e87db3a41cd06a7ddadd6e118aa304b460c64d", Size: 663,
		},
		text: mustFile(t, "testdata/reports/archive/tabqa-flooding.txt"),
	}, {
		path: "testdata/crlf-bom.txt",
		want: Doc{
			Format: "text", Title: "Sniper fire on the old bridge in Raqqa «بيانات تجريبية / sample data»",
			Language: "en", SHA256: "c815899e8c6fe5ab5fa5bad224c08eca251cba58ad32e3f0cb8af6ed2bac9002", Size: 309,
		},
		text: crlf,
	}, {
		path: "testdata/reports/deir-ezzor-airstrike.md",
		want: Doc{
			Format: "markdown", Title: "Air strike on the vegetable market in al-Mayadin «بيانات تجريبية / sample data»",
			Language: "en", SHA256: "78b4a3acf7cd16aaf0154861fdb5e389c22562e3ce7d5212254b7bbdd96c1a3d", Size: 477,
		},
		text: mustFile(t, "testdata/reports/deir-ezzor-airstrike.md"),
	}, {
		path: "testdata/reports/tabqa-displacement.html",
		want: Doc{
			Format: "html", Title: "تهجير قسري لعائلات من قرية قرب الطبقة", Language: "ar",
			Published: "2017-03-14", // the meta tag, not the <time> in the text
			URL:       "https://example.org/ar/reports/2017/03/tabqa-displacement",
			Outlet:    "شبكة الرصد الميداني",
			SHA256:    "61229ec33a4c218ccc96b4a2fc1742bb17f9304165edb46e239961d2f8ac5b8a", Size: 1724,
		},
		text: "تهجير قسري لعائلات من قرية قرب الطبقة\n" +
			"بيانات تجريبية / sample data\n" +
			"أجبرت مجموعة مسلحة نحو ٤٠ عائلة على مغادرة منازلها في قرية قريبة من مدينة الطبقة، بعد إنذار شفهي بالإخلاء «خلال 24 ساعة».\n" +
			"وقال أحد السكان لـ«الرصد الميداني»: \"خرجنا بما نحمله على ظهورنا & تركنا المواشي\".\n" +
			"وأكد ناشطان محليان الرواية نفسها.\n" +
			"عدد العائلات: نحو ٤٠\n" +
			"تاريخ الحادثة: ١٢ آذار ٢٠١٧",
	}, {
		// No <title>, meta or canonical link: title from <h1>, date from <time>.
		path: "testdata/reports/hospital-strike.htm",
		want: Doc{
			Format: "html", Title: "Hospital in Idlib countryside hit by two missiles", Language: "en",
			Published: "2016-11-18",
			SHA256:    "cfc533cf1a68f413050aad851ae52ae8ee26ff13f4e3152fe7486fb9e118df81", Size: 653,
		},
		text: "Hospital in Idlib countryside hit by two missiles\n" +
			"Posted 18 November 2016 · sample data\n" +
			"Two missiles struck the surgical hospital in a town in the Idlib countryside early on Friday, " +
			"putting it out of service. Staff said one nurse was killed and four patients injured.\n" +
			"Killed Injured\n" +
			"1 4",
	}}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			docs, err := readAll(t, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 {
				t.Fatalf("got %d docs, want 1", len(docs))
			}
			got := docs[0]
			if got.Text != tt.text {
				t.Errorf("Text:\n%s\nwant:\n%s", got.Text, tt.text)
			}
			got.Text = ""
			want := tt.want
			want.Path = tt.path
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// item is what TestReadJSON checks of a JSON doc; the text by its start.
type item struct {
	Doc
	textStart string
}

var (
	// n-1 is in field-notes.jsonl (line 1) and statements.json (item 3).
	itemN1 = item{Doc{
		Format: "json", Title: "استهداف سيارة مدنية على طريق الرقة – تل أبيض", Language: "ar",
		Published: "2017-06-07", URL: "https://example.org/ar/notes/n-1", Outlet: "ناشط ميداني (مستعار)",
		// printf '%s' "$(sed -n 1p field-notes.jsonl)" | sha256sum
		SHA256: "1e13cf20a3e86c9fe9e2ea2f9c76e06566a6880609696164913e5bea5121a27d", Size: 591,
	}, "قُتل رجل وامرأة وأصيب طفلهما"}
	fieldNotes = []item{itemN1, {Doc{
		Format: "json", Item: 1, Title: "اعتقال شابين عند حاجز في حي الدرعية", Language: "ar",
		URL: "https://example.org/ar/notes/n-2", Outlet: "شبكة الرصد الميداني", // from "link", "outlet"
	}, "أفاد ناشطون بأن عناصر حاجز"}, {Doc{
		Format: "json", Item: 2, Title: "Shelling on a school in al-Bab", Language: "en",
		Published: "", // "01/02/2017" could be January or February
		Outlet:    "Field reporter",
	}, "Three children were injured"}}
)

func TestReadJSON(t *testing.T) {
	n1 := itemN1
	n1.Item = 2
	tests := []struct {
		path string
		want []item
	}{{
		path: "testdata/reports/statements.json",
		want: []item{{Doc{
			Format: "json", Title: "بيان: نفي الاتهامات بقصف حي سكني", Language: "ar",
			Published: "2017-06-06", URL: "https://example.org/ar/statements/s-1", Outlet: "وكالة أنباء محلية",
		}, "نفت الجهة المتهمة في بيان مقتضب"}, {Doc{
			Format: "json", Item: 1, Title: "Statement: coalition reviewing reports of civilian casualties", Language: "en",
			Published: "2017-06-06", URL: "https://example.org/en/statements/s-2", Outlet: "Wire service",
		}, "A coalition spokesperson said"}, n1},
	}, {
		path: "testdata/reports/field-notes.jsonl",
		want: fieldNotes,
	}, {
		path: "testdata/reports/field-notes.jsonl.gz",
		want: fieldNotes,
	}}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			docs, err := readAll(t, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != len(tt.want) {
				t.Fatalf("got %d docs, want %d", len(docs), len(tt.want))
			}
			for i, got := range docs {
				want := tt.want[i]
				if !strings.HasPrefix(got.Text, want.textStart) || strings.Contains(got.Text, "\r") {
					t.Errorf("doc %d: Text %q, want it to start with %q and have no CR", i, got.Text, want.textStart)
				}
				if len(got.SHA256) != 64 || got.Size == 0 {
					t.Errorf("doc %d: SHA256 %q, Size %d", i, got.SHA256, got.Size)
				}
				if want.SHA256 == "" { // not pinned: compare the rest
					got.SHA256, got.Size = "", 0
				}
				got.Text = ""
				want.Path = tt.path
				if got != want.Doc {
					t.Errorf("doc %d:\ngot  %+v\nwant %+v", i, got, want.Doc)
				}
			}
		})
	}
}

func TestJSONItemHashIgnoresPosition(t *testing.T) {
	array, err := readAll(t, "testdata/reports/statements.json")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := readAll(t, "testdata/reports/field-notes.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	a, l := array[2], lines[0]
	if a.Item == l.Item || a.SHA256 != l.SHA256 || a.Size != l.Size || a.Text != l.Text {
		t.Errorf("same item, array item %d: %s %d; JSON Lines item %d: %s %d",
			a.Item, a.SHA256, a.Size, l.Item, l.SHA256, l.Size)
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"قصف مدفعي على حي المشلب", "ar"},
		{"Shelling on al-Mishlab neighbourhood", "en"},
		{"قالت منظمة Human Rights Watch إن القصف استهدف حياً سكنياً", "ar"},
		{"The activist, writing as «أبو يزن», said two shells hit the bakery", "en"},
		{"هەڵەبجە", "ar"}, // Kurdish in Arabic script: the script is what counts
		{"Обстрел жилого квартала", "other"},
		{"2017-06-07 — 12 / 40", "other"},
		{"", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.text, func(t *testing.T) {
			if got := detectLanguage(tt.text); got != tt.want {
				t.Errorf("detectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestNormaliseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2015-01-01", "2015-01-01"},
		{"2015-07-21 02:51:32", "2015-07-21"},
		{"2015-01-01T23:30:00-05:00", "2015-01-01"}, // the date as written, not in UTC
		{"2015-01-01T00:00:00Z", "2015-01-01"},
		{" 2015/07/21 ", "2015-07-21"},
		{"2015-07", "2015-07"},
		{"2015", "2015"},
		{"٢٠١٧-٠٣-١٢", "2017-03-12"},
		{"Tue, 06 Jun 2017 18:20:00 +0300", "2017-06-06"},
		{"Tue, 06 Jun 2017 18:20:00 GMT", "2017-06-06"},
		{"Tue, 6 Jun 2017 18:20:00 GMT", "2017-06-06"},
		{"01/02/2015", ""}, // day or month first? cannot tell
		{"12-03-2017", ""},
		{"2015-02-30", ""},
		{"2015-13-01", ""},
		{"0000-00-00 00:00:00", ""},
		{"1 Jan 0000 00:00:00 +0000", ""},
		{"2015-07-21garbage", ""},
		{"2015-7-3", ""},
		{"yesterday", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normaliseDate(tt.in); got != tt.want {
				t.Errorf("normaliseDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFirstLineTitle(t *testing.T) {
	tests := []struct {
		text     string
		markdown bool
		want     string
	}{
		{"\n\n  قصف على حي الرميلة  \nنص", false, "قصف على حي الرميلة"},
		{"# قصف على حي الرميلة\nنص", true, "قصف على حي الرميلة"},
		{"### Shelling on al-Rumaila ###\ntext", true, "Shelling on al-Rumaila"},
		{"# Issue C#\ntext", true, "Issue C#"},
		{"#الرقة_تذبح_بصمت\nنص", true, "#الرقة_تذبح_بصمت"}, // a hashtag, not a heading
		{"# Title", false, "# Title"},
		{strings.Repeat("قصف ", 60) + "\nنص", false, ""},
	}
	for _, tt := range tests {
		if got := firstLineTitle(tt.text, tt.markdown); got != tt.want {
			t.Errorf("firstLineTitle(%q, %v) = %q, want %q", tt.text, tt.markdown, got, tt.want)
		}
	}
}

func TestWalk(t *testing.T) {
	const dir = "testdata/reports"
	inDir := []File{
		{Path: dir + "/archive/tabqa-flooding.txt", Format: "text", Size: 663},
		{Path: dir + "/deir-ezzor-airstrike.md", Format: "markdown", Size: 477},
		{Path: dir + "/field-notes.jsonl", Format: "json", Size: 1418},
		{Path: dir + "/field-notes.jsonl.gz", Format: "json", Size: 728},
		{Path: dir + "/hospital-strike.htm", Format: "html", Size: 653},
		// photo.jpg: skipped and counted; .draft.txt, .cache/: hidden
		{Path: dir + "/raqqa-shelling.txt", Format: "text", Size: 775},
		{Path: dir + "/statements.json", Format: "json", Size: 1619},
		{Path: dir + "/tabqa-displacement.html", Format: "html", Size: 1724},
	}
	draft := File{Path: dir + "/.draft.txt", Format: "text", Size: 73}
	tests := []struct {
		name        string
		paths       []string
		want        []File
		wantSkipped int
	}{
		{"folder", []string{"./" + dir + "/"}, inDir, 1},
		{"file first, then its folder", []string{dir + "/raqqa-shelling.txt", dir},
			append([]File{inDir[5]}, append(inDir[:5:5], inDir[6:]...)...), 1},
		{"folder twice", []string{dir, dir + "/archive"}, inDir, 1},
		{"hidden file named explicitly", []string{dir + "/.draft.txt"}, []File{draft}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, skipped, err := Walk(tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			if skipped != tt.wantSkipped {
				t.Errorf("skipped %d, want %d", skipped, tt.wantSkipped)
			}
			if len(files) != len(tt.want) {
				t.Fatalf("got %d files %+v\nwant %d %+v", len(files), files, len(tt.want), tt.want)
			}
			for i := range files {
				if files[i] != tt.want[i] {
					t.Errorf("file %d: got %+v, want %+v", i, files[i], tt.want[i])
				}
			}
		})
	}
}

func TestWalkErrors(t *testing.T) {
	tests := []struct {
		path    string
		problem problem
	}{
		{"testdata/bad/report.pdf", probUnsupported},
		{"testdata/reports/photo.jpg", probUnsupported},
		{"testdata/no-such-folder", probNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, _, err := Walk([]string{"testdata/reports", tt.path})
			var re *ReadError
			if !errors.As(err, &re) || re.Path != tt.path || re.Problem != tt.problem.en {
				t.Fatalf("err = %v, want a ReadError for %s: %s", err, tt.path, tt.problem.en)
			}
			if !strings.HasPrefix(re.Error(), "ingest: "+tt.path+": ") ||
				!strings.HasPrefix(re.Arabic(), "استيراد: "+tt.path+": "+tt.problem.ar) {
				t.Errorf("messages:\n%s\n%s", re.Error(), re.Arabic())
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		path       string
		line, item int
		problem    problem
		docs       int    // read besides the problem
		secret     string // from the document: must not be in the messages
	}{
		{path: "testdata/bad/binary.txt", problem: probBinary, secret: "IHDR"},
		{path: "testdata/bad/cp1256.txt", line: 2, problem: probUTF8, secret: "windows-1256"},
		{path: "testdata/bad/utf16.txt", problem: probUTF16},
		{path: "testdata/bad/blank.md", problem: probEmpty},
		{path: "testdata/bad/no-text.html", problem: probEmpty, secret: "الرئيسية"},
		{path: "testdata/bad/no-text.jsonl", line: 3, problem: probNoText, docs: 1, secret: "ملخص سري"},
		{path: "testdata/bad/malformed.jsonl", line: 2, problem: probJSON, docs: 2, secret: "al-Bab"},
		{path: "testdata/bad/invalid-utf8.jsonl", line: 2, problem: probUTF8, docs: 1},
		{path: "testdata/bad/nul-text.jsonl", line: 1, problem: probNUL, secret: "شاهد"},
		{path: "testdata/bad/not-object.json", line: 1, item: 1, problem: probObject, secret: "الرميلة"},
		{path: "testdata/bad/broken-array.json", line: 3, item: 2, problem: probJSON, docs: 1, secret: "الدرعية"},
		{path: "testdata/bad/truncated-array.json", line: 4, problem: probJSON, docs: 2}, // the end
		{path: "testdata/bad/empty-array.json", problem: probNoItems},
		{path: "testdata/bad/text-number.json", line: 1, problem: probNotString("text"), secret: "رقم بدل النص"},
		{path: "testdata/bad/empty-text.json", line: 1, problem: probEmpty},
		{path: "testdata/bad/not-gzip.jsonl.gz", problem: probGzip, secret: "تل أبيض"},
		{path: "testdata/bad/truncated.jsonl.gz", line: 2, problem: probGzip, docs: 1, secret: "الدرعية"},
		{path: "testdata/bad/missing.txt", problem: probNotFound},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			docs, err := readAll(t, tt.path)
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *ReadError", err)
			}
			want := ReadError{Path: tt.path, Line: tt.line, Item: tt.item, Problem: tt.problem.en}
			if re.Path != want.Path || re.Line != want.Line || re.Item != want.Item || re.Problem != want.Problem {
				t.Errorf("got  %+v\nwant %+v", *re, want)
			}
			if len(docs) != tt.docs {
				t.Errorf("%d docs read, want %d", len(docs), tt.docs)
			}
			en, ar := re.Error(), re.Arabic()
			if !strings.HasPrefix(en, "ingest: "+tt.path) || !strings.Contains(en, tt.problem.en) ||
				!strings.HasPrefix(ar, "استيراد: "+tt.path) || !strings.Contains(ar, tt.problem.ar) {
				t.Errorf("messages:\n%s\n%s", en, ar)
			}
			if tt.secret != "" && (strings.Contains(en, tt.secret) || strings.Contains(ar, tt.secret)) {
				t.Errorf("a message quotes the document:\n%s\n%s", en, ar)
			}
		})
	}
}

// TestReadBadItems: in JSON Lines, a bad line spoils only itself.
func TestReadBadItems(t *testing.T) {
	const path = "testdata/bad/mixed.jsonl"
	docs, err := readAll(t, path)
	var items []int
	for _, d := range docs {
		items = append(items, d.Item)
	}
	if len(items) != 2 || items[0] != 0 || items[1] != 3 {
		t.Errorf("read items %v, want [0 3]: positions count the bad items", items)
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("err = %v, want the problems joined", err)
	}
	want := []ReadError{
		{Path: path, Line: 2, Problem: probNoText.en},
		{Path: path, Line: 3, Problem: probJSON.en},
		{Path: path, Line: 6, Problem: probNotString("text").en},
	}
	errs := joined.Unwrap()
	if len(errs) != len(want) {
		t.Fatalf("%d problems, want %d: %v", len(errs), len(want), err)
	}
	for i, e := range errs {
		re, ok := e.(*ReadError)
		if !ok || re.Path != want[i].Path || re.Line != want[i].Line || re.Problem != want[i].Problem {
			t.Errorf("problem %d: %v, want %+v", i, e, want[i])
		}
	}
}

func TestReadManyBadItems(t *testing.T) {
	const bad, good = `{"title": "بلا نص"}` + "\n", `{"text": "نص"}` + "\n"
	tests := []struct {
		name        string
		input       string
		docs        int
		lastProblem problem
	}{
		{"all bad: stop", strings.Repeat(bad, maxBadItems+50) + good, 0, probAllBad},
		{"some good: go on, list the first ones", good + strings.Repeat(bad, maxBadItems+50) + good, 2, probMoreBad(50)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var docs int
			j := &jsonReader{ctx: context.Background(), path: "x.jsonl", maxItem: MaxFileSize, srcProblem: probRead,
				fn: func(Doc) error { docs++; return nil }}
			err := j.read(sourceReader{strings.NewReader(tt.input)}, true)
			errs := err.(interface{ Unwrap() []error }).Unwrap()
			var last *ReadError
			if docs != tt.docs || len(errs) != maxBadItems+1 || !errors.As(errs[maxBadItems], &last) || last.Problem != tt.lastProblem.en {
				t.Errorf("%d docs, %d problems, the last %v; want %d, %d, %q",
					docs, len(errs), errs[len(errs)-1], tt.docs, maxBadItems+1, tt.lastProblem.en)
			}
		})
	}
}

func TestReadHTMLTooDeep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep.html")
	page := "<!-- sample data -->" + strings.Repeat("<div>", 1000) + "قصف على حي الرميلة"
	if err := os.WriteFile(path, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := readAll(t, path)
	var re *ReadError
	if !errors.As(err, &re) || re.Problem != probHTML.en || strings.Contains(err.Error(), "الرميلة") {
		t.Errorf("err = %v, want %q", err, probHTML.en)
	}
}

func TestReadErrorMessages(t *testing.T) {
	tests := []struct {
		path   string
		en, ar string
	}{{
		"testdata/bad/no-text.jsonl",
		`ingest: testdata/bad/no-text.jsonl line 3: no "text", "content" or "body" field`,
		`استيراد: testdata/bad/no-text.jsonl السطر 3: لا يوجد حقل "text" أو "content" أو "body"`,
	}, {
		"testdata/bad/broken-array.json",
		`ingest: testdata/bad/broken-array.json line 3, item 2: malformed JSON`,
		`استيراد: testdata/bad/broken-array.json السطر 3، العنصر 2: صيغة JSON غير صحيحة`,
	}, {
		"testdata/bad/text-number.json",
		`ingest: testdata/bad/text-number.json line 1: the "text" field is not a string`,
		`استيراد: testdata/bad/text-number.json السطر 1: الحقل "text" ليس نصاً`,
	}}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			_, err := readAll(t, tt.path)
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v", err)
			}
			if re.Error() != tt.en || re.Arabic() != tt.ar {
				t.Errorf("got\n%s\n%s\nwant\n%s\n%s", re.Error(), re.Arabic(), tt.en, tt.ar)
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: no disk space, no time. Read must refuse it before reading.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = readAll(t, path)
	var re *ReadError
	if !errors.As(err, &re) || re.Problem != probTooLarge.en {
		t.Fatalf("err = %v, want %q", err, probTooLarge.en)
	}
}

func TestJSONItemTooLarge(t *testing.T) {
	small := `{"text": "قصف على حي الرميلة"}`
	big := `{"text": "` + strings.Repeat("قصف ", 100) + `"}`
	tests := []struct {
		name  string
		lines bool
		input string
		line  int
	}{
		{"lines", true, small + "\n" + big + "\n", 2},
		{"array", false, "[" + small + ",\n" + big + "]", 2},
		{"stream", false, small + "\n" + big, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var docs int
			j := &jsonReader{ctx: context.Background(), path: "x.json", maxItem: 256, srcProblem: probRead,
				fn: func(Doc) error { docs++; return nil }}
			err := j.read(sourceReader{strings.NewReader(tt.input)}, tt.lines)
			var re *ReadError
			if !errors.As(err, &re) || re.Problem != probItemTooLarge.en {
				t.Fatalf("err = %v, want %q", err, probItemTooLarge.en)
			}
			if docs != 1 || re.Line != tt.line {
				t.Errorf("%d docs, line %d; want 1 doc, line %d", docs, re.Line, tt.line)
			}
		})
	}
}

func TestReadCancel(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range []File{
		{Path: "testdata/reports/raqqa-shelling.txt", Format: "text"},
		{Path: "testdata/reports/statements.json", Format: "json"},
	} {
		t.Run("before/"+filepath.Base(f.Path), func(t *testing.T) {
			err := Read(cancelled, f, func(Doc) error {
				t.Error("fn called after cancel")
				return nil
			})
			var re *ReadError
			if !errors.Is(err, context.Canceled) || errors.As(err, &re) {
				t.Errorf("err = %v, want context.Canceled, not a ReadError", err)
			}
		})
	}
	t.Run("between docs", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var docs int
		err := Read(ctx, File{Path: "testdata/reports/field-notes.jsonl.gz", Format: "json"}, func(Doc) error {
			docs++
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || docs != 1 {
			t.Errorf("err = %v after %d docs, want context.Canceled after 1", err, docs)
		}
	})
	t.Run("fn error returned as is", func(t *testing.T) {
		stop := errors.New("stop")
		err := Read(context.Background(), File{Path: "testdata/reports/field-notes.jsonl", Format: "json"},
			func(Doc) error { return stop })
		if err != stop {
			t.Errorf("err = %v, want %v", err, stop)
		}
	})
}

// TestReadCorpus reads real Arabic news (SaudiNewsNet), kept outside the
// repository.
func TestReadCorpus(t *testing.T) {
	const path = "../../../shared/data/corpus/saudinewsnet.jsonl.gz"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	const want = 200
	errEnough := errors.New("enough")
	var docs int
	err := Read(context.Background(), File{Path: path, Format: "json"}, func(d Doc) error {
		if d.Language != "ar" || strings.TrimSpace(d.Text) == "" || d.Published == "" {
			t.Errorf("item %d: language %q, %d bytes of text, published %q", d.Item, d.Language, len(d.Text), d.Published)
		}
		if docs++; docs == want {
			return errEnough
		}
		return nil
	})
	if err != errEnough {
		t.Fatalf("err = %v after %d docs", err, docs)
	}
}

// BenchmarkReadCorpus reads all of SaudiNewsNet (31k articles, 106 MB of
// JSON Lines, gzipped): the reading half of the ingest benchmark.
func BenchmarkReadCorpus(b *testing.B) {
	const path = "../../../shared/data/corpus/saudinewsnet.jsonl.gz"
	if _, err := os.Stat(path); err != nil {
		b.Skip(err)
	}
	var docs int
	for b.Loop() {
		err := Read(context.Background(), File{Path: path, Format: "json"}, func(Doc) error {
			docs++
			return nil
		})
		var re *ReadError
		if !errors.As(err, &re) { // the corpus holds some empty articles
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}

func FuzzReadJSONLines(f *testing.F) {
	for _, path := range []string{
		"testdata/reports/field-notes.jsonl",
		"testdata/reports/statements.json",
		"testdata/bad/malformed.jsonl",
		"testdata/bad/broken-array.json",
		"testdata/bad/invalid-utf8.jsonl",
		"testdata/bad/nul-text.jsonl",
	} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\uFEFF{\"text\": \"\\ud800 غارة\"}\r\n[]\nnull\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lines := range []bool{true, false} {
			j := &jsonReader{ctx: context.Background(), path: "fuzz.jsonl", maxItem: 1 << 16, srcProblem: probRead,
				fn: func(d Doc) error {
					if !utf8.ValidString(d.Text) || strings.TrimSpace(d.Text) == "" || strings.ContainsRune(d.Text, 0) {
						t.Errorf("bad text %q", d.Text)
					}
					if len(d.SHA256) != 64 || d.Size <= 0 || !utf8.ValidString(d.Title) {
						t.Errorf("bad doc %+v", d)
					}
					return nil
				}}
			err := j.read(sourceReader{bytes.NewReader(data)}, lines)
			var re *ReadError
			if err != nil && !errors.As(err, &re) {
				t.Errorf("lines=%v: err = %v, want a *ReadError", lines, err)
			}
		}
	})
}

func FuzzReadHTML(f *testing.F) {
	for _, path := range []string{"testdata/reports/tabqa-displacement.html", "testdata/reports/hospital-strike.htm"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("<pre>  a\n b</pre><p hidden>x</p><table><td>1<td>2</table>&nbsp;<br><br><br>")
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			return // decodeText refuses it before readHTML
		}
		text, p, err := readHTML(src)
		if err != nil {
			return
		}
		for _, s := range []string{text, p.title, p.url, p.outlet} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8: %q", s)
			}
		}
		if text != strings.TrimSpace(text) || strings.Contains(text, "\n\n\n") {
			t.Errorf("white space not collapsed: %q", text)
		}
	})
}

func FuzzNormaliseDate(f *testing.F) {
	for _, s := range []string{"2015-07-21 02:51:32", "2015/07", "Tue, 06 Jun 2017 18:20:00 +0300", "٢٠١٧-٠٣-١٢", "01/02/2015"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := normaliseDate(s)
		if d == "" {
			return
		}
		if len(d) != 4 && len(d) != 7 && len(d) != 10 || normaliseDate(d) != d {
			t.Errorf("normaliseDate(%q) = %q: not YYYY[-MM[-DD]]", s, d)
		}
	})
}
