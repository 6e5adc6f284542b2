package ingest

import (
	"fmt"
	"strconv"
	"strings"
)

// ReadError is a problem with one input file (or one item in it). The
// caller can report it and go on with the next file; any other error from
// Read (a cancelled context, or the error fn returned) should stop the run.
//
// A ReadError never quotes the document: reports may hold sealed personal
// data, and error messages end up in logs and terminals.
type ReadError struct {
	Path    string // the file, as given (cleaned)
	Line    int    // 1-based line of the problem (for a JSON item: the line it begins on); 0 if unknown
	Item    int    // 1-based position of the item in a JSON array; 0 if the problem is not about an array item
	Problem string // what is wrong, in English

	arabic string // Problem in Arabic
	err    error  // underlying system error (open, read, gzip), if any
}

// Error returns the message in English, e.g.
// `ingest: reports/a.jsonl line 12: no "text", "content" or "body" field`.
func (e *ReadError) Error() string {
	return e.message("ingest", "line", "item", ", ", e.Problem)
}

// Arabic returns the same message in Arabic. The underlying system error,
// if any, is appended as the operating system gave it.
func (e *ReadError) Arabic() string {
	problem := e.arabic
	if problem == "" {
		problem = e.Problem
	}
	return e.message("استيراد", "السطر", "العنصر", "، ", problem)
}

// Unwrap returns the underlying system error, so errors.Is(err,
// fs.ErrNotExist) and the like work.
func (e *ReadError) Unwrap() error { return e.err }

func (e *ReadError) message(prefix, line, item, sep, problem string) string {
	var b strings.Builder
	b.WriteString(prefix + ": " + e.Path)
	var where []string
	if e.Line > 0 {
		where = append(where, line+" "+strconv.Itoa(e.Line))
	}
	if e.Item > 0 {
		where = append(where, item+" "+strconv.Itoa(e.Item))
	}
	if len(where) > 0 {
		b.WriteString(" " + strings.Join(where, sep))
	}
	b.WriteString(": " + problem)
	if e.err != nil {
		b.WriteString(": " + e.err.Error())
	}
	return b.String()
}

// problem is one kind of ReadError, in both languages.
type problem struct{ en, ar string }

var (
	probUnsupported = problem{
		"unsupported file type (expected .txt, .md, .html, .json, .jsonl or .ndjson; JSON may be .gz)",
		"نوع ملف غير مدعوم (المقبول: txt وmd وhtml وjson وjsonl وndjson، ويجوز ضغط ملفات JSON بصيغة gz)",
	}
	probNotFound   = problem{"no such file or folder", "لا يوجد ملف أو مجلد بهذا الاسم"}
	probNotRegular = problem{"not a regular file or folder", "ليس ملفاً عادياً ولا مجلداً"}
	probRead       = problem{"cannot read the file", "تعذّرت قراءة الملف"}
	probGzip       = problem{"not valid gzip data, or cut short", "بيانات gzip غير صالحة أو مقطوعة"}
	probTooLarge   = problem{
		fmt.Sprintf("the file is larger than the %d MiB limit", MaxFileSize>>20),
		fmt.Sprintf("الملف أكبر من الحد المسموح به (%d ميغابايت)", MaxFileSize>>20),
	}
	probItemTooLarge = problem{
		fmt.Sprintf("the item is larger than the %d MiB limit", MaxFileSize>>20),
		fmt.Sprintf("العنصر أكبر من الحد المسموح به (%d ميغابايت)", MaxFileSize>>20),
	}
	probBinary  = problem{"looks like a binary file, not text", "يبدو ملفاً ثنائياً وليس نصاً"}
	probUTF16   = problem{"the text is UTF-16; save it as UTF-8", "النص بترميز UTF-16؛ احفظه بترميز UTF-8"}
	probUTF8    = problem{"not valid UTF-8 text; save it as UTF-8", "النص ليس بترميز UTF-8 صالح؛ احفظه بترميز UTF-8"}
	probNUL     = problem{"the text contains a NUL character", "النص يحتوي على المحرف NUL"}
	probEmpty   = problem{"the report text is empty", "نص التقرير فارغ"}
	probJSON    = problem{"malformed JSON", "صيغة JSON غير صحيحة"}
	probNoItems = problem{"the file holds no JSON items", "الملف لا يحتوي على أي عنصر JSON"}
	probObject  = problem{"the item is not a JSON object", "العنصر ليس كائن JSON"}
	probAllBad  = problem{
		fmt.Sprintf("the first %d items are all bad; stopped reading", maxBadItems),
		fmt.Sprintf("توقفت القراءة: العناصر الأولى كلها غير صالحة (%d)", maxBadItems),
	}
	probHTML   = problem{"cannot parse the HTML", "تعذّر تحليل HTML"}
	probNoText = problem{`no "text", "content" or "body" field`, `لا يوجد حقل "text" أو "content" أو "body"`}
)

func probNotString(field string) problem {
	return problem{
		fmt.Sprintf("the %q field is not a string", field),
		fmt.Sprintf("الحقل %q ليس نصاً", field),
	}
}

func probMoreBad(n int) problem {
	return problem{
		fmt.Sprintf("%d more bad items, not listed", n),
		fmt.Sprintf("عدد العناصر غير الصالحة الأخرى التي لم تُذكر: %d", n),
	}
}

func newError(path string, p problem, err error) *ReadError {
	return &ReadError{Path: path, Problem: p.en, arabic: p.ar, err: err}
}

// at sets where in the file the problem is.
func (e *ReadError) at(line, item int) *ReadError {
	e.Line, e.Item = line, item
	return e
}
