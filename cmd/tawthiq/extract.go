package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// maxExtractFile bounds a file given to extract: reports are short.
const maxExtractFile = 16 << 20

func cmdExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "[--published YYYY-MM-DD] FILE",
		"Propose the facts of a report (a UTF-8 text file, - for standard input) and print them as JSON:\n"+
			"incident kinds, casualties, parties and their roles, places, dates and claims, each with its\n"+
			"byte span in the text and a confidence, and the incidents they seem to describe. Relative dates\n"+
			"(أمس، 25 الشهر الجاري، last Friday) resolve against --published (default: today). Nothing is stored;\n"+
			"ingest stores the same proposals for every report.\n"+
			"استخراج الوقائع المقترحة من تقرير وطباعتها بصيغة JSON.")
	published := fs.String("published", "", "publication date YYYY-MM-DD / تاريخ النشر")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("expected one FILE", "المتوقع ملف واحد")
	}
	var pub time.Time
	if *published != "" {
		t, err := time.Parse(time.DateOnly, *published)
		if err != nil {
			return usagef("--published must be a date YYYY-MM-DD", "يجب أن يكون --published تاريخاً بالشكل YYYY-MM-DD")
		}
		pub = t
	}
	var r io.Reader = e.stdin
	if fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("%w: %v", errInvalidInput, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxExtractFile+1))
	if err != nil {
		return fmt.Errorf("%w: %v", errInvalidInput, err)
	}
	if len(data) > maxExtractFile {
		return fmt.Errorf("%w: the file is larger than %d bytes / الملف أكبر من الحد", errInvalidInput, maxExtractFile)
	}
	if !utf8.Valid(data) {
		return fmt.Errorf("%w: the file is not UTF-8 text / الملف ليس نصاً بترميز UTF-8", errInvalidInput)
	}
	vs, err := vocab.Load()
	if err != nil {
		return err
	}
	return printJSON(e, extract.New(vs).Extract(string(data), pub))
}
