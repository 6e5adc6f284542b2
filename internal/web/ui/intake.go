package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
)

// IntakeData is the intake form and, after a submission without
// JavaScript, what was stored.
type IntakeData struct {
	Form      IntakeForm
	Languages []Option
	Materials []Option
	Error     *ErrorInfo
	Stored    *IntakeResult
}

// IntakeForm is what the reporter typed.
type IntakeForm struct {
	Title, Text, Language, Published, Outlet, URL, Material string
}

// IntakeResult is what intake stored: the report with its hash, and each
// file with its own.
type IntakeResult struct {
	ReportID    string       `json:"report_id"`
	SHA256      string       `json:"sha256"`       // of the report's text as received
	ContentHash string       `json:"content_hash"` // of the stored record
	Existed     bool         `json:"existed"`      // the same text was already stored
	URL         string       `json:"url"`
	Files       []IntakeFile `json:"files,omitempty"`
}

// IntakeFile is one stored file.
type IntakeFile struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

func (u *UI) intakeForm(w http.ResponseWriter, r *http.Request) {
	d := u.intakeData(lang(r), IntakeForm{Language: string(lang(r))})
	u.render(w, r, http.StatusOK, "intake", u.page(r, "intake", "intake.title", d))
}

func (u *UI) intakeData(l Lang, f IntakeForm) *IntakeData {
	return &IntakeData{Form: f, Languages: u.vocabOptions(l, "language", f.Language), Materials: u.vocabOptions(l, "material_type", f.Material)}
}

// intake stores a report typed into the form. Scripts post the fields
// alone and then upload files resumably (upload.js); without scripts the
// form posts the files in the same request, streamed into the vault. The
// report is known by the SHA-256 of its text, so a reporter who sends the
// same text again on a bad connection gets the report already stored,
// not a second one.
func (u *UI) intake(w http.ResponseWriter, r *http.Request) {
	author, err := needWho(r)
	if err != nil {
		u.intakeRefused(w, r, IntakeForm{}, err)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var f IntakeForm
	var mr multipartReader
	if ct == "multipart/form-data" {
		if mr.r, err = r.MultipartReader(); err == nil {
			f, err = mr.fields()
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 2<<20)
		if err = r.ParseForm(); err == nil {
			f = formOf(r.PostForm.Get)
		}
	}
	if err != nil {
		u.intakeRefused(w, r, f, badField("body", "the form could not be read; send it again", "تعذّرت قراءة النموذج؛ أرسله مرة أخرى"))
		return
	}
	var reporter *record.ReporterIdentity
	if roleOf(r) == auth.RoleReporter {
		// A reporter's network address is kept, sealed (never in clear).
		reporter = &record.ReporterIdentity{NetworkAddress: auth.ClientAddress(r)}
	}
	res, err := u.storeReport(r.Context(), f, author, reporter)
	if err != nil {
		u.intakeRefused(w, r, f, err)
		return
	}
	if mr.r != nil {
		if err := u.storeFiles(r.Context(), &mr, res, author); err != nil {
			// The report and the files before this one are stored: say so
			// beside the refusal, so nobody types the report again.
			u.intakeRefused(w, r, f, err, res)
			return
		}
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(res)
		return
	}
	d := u.intakeData(lang(r), IntakeForm{Language: f.Language})
	d.Stored = res
	u.render(w, r, http.StatusCreated, "intake", u.page(r, "intake", "intake.title", d))
}

// intakeRefused shows the form again with what was typed and the
// refusal; stored, when not nil, is what was stored before it.
func (u *UI) intakeRefused(w http.ResponseWriter, r *http.Request, f IntakeForm, err error, stored ...*IntakeResult) {
	info := u.errorInfo(r, err)
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(info.Status)
		body := map[string]any{"error": map[string]any{"status": info.Status, "message": info.Message, "fields": info.Fields}}
		if len(stored) > 0 {
			body["stored"] = stored[0]
		}
		json.NewEncoder(w).Encode(body)
		return
	}
	d := u.intakeData(lang(r), f)
	d.Error = &info
	if len(stored) > 0 {
		d.Stored = stored[0]
	}
	u.render(w, r, info.Status, "intake", u.page(r, "intake", "intake.title", d))
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func formOf(get func(string) string) IntakeForm {
	return IntakeForm{Title: strings.TrimSpace(get("title")), Text: get("text"), Language: get("language"),
		Published: strings.TrimSpace(get("published")), Outlet: strings.TrimSpace(get("outlet")),
		URL: strings.TrimSpace(get("url")), Material: get("material_type")}
}

// storeReport creates the report, or finds the one with the same text.
func (u *UI) storeReport(ctx context.Context, f IntakeForm, author string, reporter *record.ReporterIdentity) (*IntakeResult, error) {
	text := strings.ReplaceAll(f.Text, "\r\n", "\n")
	sum := sha256.Sum256([]byte(text))
	sha := hex.EncodeToString(sum[:])
	rep := &record.Report{Title: f.Title, Text: text, Language: f.Language, Published: f.Published,
		Outlet: f.Outlet, URL: f.URL, MaterialType: f.Material, ReceivedAt: time.Now().UTC().Format(time.RFC3339),
		Original: &record.Original{SHA256: sha, Size: int64(len(text)), Format: "text/plain", Name: "intake"}, Reporter: reporter}
	res := &IntakeResult{SHA256: sha}
	rec, err := u.Service.Create(ctx, record.Meta{Author: author, Reason: "استلام: تقرير أُدخل في نموذج الويب / intake: report typed into the web form"}, rep)
	var dup *record.DuplicateError
	if errors.As(err, &dup) {
		id, err2 := u.Store.ByKey(ctx, "report.sha256:"+sha)
		if err2 != nil {
			return nil, err
		}
		if rec, err = u.Store.Get(ctx, id); err != nil {
			return nil, err
		}
		res.Existed = true
	}
	if err != nil {
		return nil, err
	}
	res.ReportID, res.ContentHash, res.URL = rec.ID, rec.ContentHash, "/reports/"+rec.ID
	return res, nil
}

// multipartReader reads the form's fields, which come before its files.
type multipartReader struct {
	r    *multipart.Reader
	next *multipart.Part // the first file part, read while looking for fields
}

// fields reads the text fields up to the first file, at most 2 MiB of
// them in all.
func (mr *multipartReader) fields() (IntakeForm, error) {
	vals := map[string]string{}
	budget := int64(2 << 20)
	for {
		p, err := mr.r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return IntakeForm{}, err
		}
		if p.FileName() != "" {
			mr.next = p
			break
		}
		b, err := io.ReadAll(io.LimitReader(p, budget+1))
		if err != nil {
			return IntakeForm{}, err
		}
		if budget -= int64(len(b)); budget < 0 {
			return IntakeForm{}, errors.New("form fields too large")
		}
		vals[p.FormName()] = string(b)
	}
	return formOf(func(k string) string { return vals[k] }), nil
}

// storeFiles streams each file part into the vault, attached to the
// report; a part over the limit or cut short stores nothing of itself.
func (u *UI) storeFiles(ctx context.Context, mr *multipartReader, res *IntakeResult, author string) error {
	for {
		p := mr.next
		mr.next = nil
		if p == nil {
			var err error
			if p, err = mr.r.NextPart(); err == io.EOF {
				return nil
			} else if err != nil {
				return badField("files", "the upload was cut off; the report is stored, send the files again", "انقطع الرفع؛ حُفظ التقرير، أرسل الملفات مرة أخرى")
			}
		}
		if p.FormName() != "files" || p.FileName() == "" {
			continue
		}
		added, err := u.Evidence.Add(ctx, evidence.AddInput{ReportID: res.ReportID, Body: p, Name: p.FileName(),
			Actor: author, Purpose: "استلام: ملف أُرسل مع نموذج الويب / intake: file sent with the web form"})
		if err != nil {
			return err
		}
		ev, err := added.Record.Decode()
		if err != nil {
			return err
		}
		e := ev.(*record.Evidence)
		res.Files = append(res.Files, IntakeFile{ID: added.Record.ID, Name: e.Name, SHA256: e.SHA256, Size: e.Size})
	}
}
