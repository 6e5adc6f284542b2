package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/review"
	"github.com/tawthiq/tawthiq/internal/vault"
)

// errorBody is every error answer: a stable code, messages in English and
// Arabic, and for invalid input the fields at fault.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Status    int                 `json:"status"`
	Code      string              `json:"code"`
	Message   string              `json:"message"`
	MessageAR string              `json:"message_ar"`
	Fields    []record.FieldError `json:"fields,omitempty"`
	Current   *int                `json:"current_revision,omitempty"`
	RecordID  string              `json:"record_id,omitempty"`
}

// arabic is implemented by errors that carry an Arabic message.
type arabic interface{ Arabic() string }

// writeError answers err with the status and body errorDetail gives it.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	d := a.errorDetail(r, err)
	writeJSON(w, d.Status, errorBody{Error: d})
}

// errorDetail is the one place that maps error kinds to HTTP statuses.
// Unexpected errors are logged (without request bodies) and answered with
// a generic 500 that leaks nothing.
func (a *API) errorDetail(r *http.Request, err error) errorDetail {
	d := errorDetail{Status: http.StatusInternalServerError, Code: "internal",
		Message: "internal error", MessageAR: "خطأ داخلي"}
	var ve *record.ValidationError
	var ce *record.ConflictError
	var de *record.DuplicateError
	var ale *review.AlreadyLinkedError
	var mbe *http.MaxBytesError
	var oe *offsetError
	switch {
	case errors.Is(err, errUnauthorized):
		d = errorDetail{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "sign-in required", MessageAR: "يلزم تسجيل الدخول"}
	case errors.Is(err, errSealedForbidden):
		d = errorDetail{Status: http.StatusForbidden, Code: "sealed_forbidden",
			Fields:  []record.FieldError{{Field: "unseal", Code: "forbidden", Message: "your role is not cleared to read sealed fields; the request was recorded", MessageAR: "دورك غير مخوَّل بقراءة الحقول المختومة؛ سُجِّل الطلب"}},
			Message: "your role is not cleared to read sealed fields", MessageAR: "دورك غير مخوَّل بقراءة الحقول المختومة"}
	case errors.Is(err, record.ErrNoSealer), errors.Is(err, record.ErrSealedLocked):
		d = errorDetail{Status: http.StatusServiceUnavailable, Code: "sealed_unavailable",
			Message:   "sealed fields cannot be written or read: the organisation key is not loaded or is locked (tawthiq key init; serve unlocks it)",
			MessageAR: "لا يمكن كتابة الحقول المختومة أو قراءتها: مفتاح المنظمة غير محمّل أو مقفل (tawthiq key init؛ ويفتحه serve)"}
	case errors.Is(err, record.ErrSealedDamaged):
		a.Log.ErrorContext(r.Context(), "sealed part does not decrypt", "path", r.URL.Path)
		d = errorDetail{Status: http.StatusInternalServerError, Code: "sealed_damaged",
			Message:   "the sealed part of this record does not decrypt: it was altered or its data key is missing; run tawthiq audit",
			MessageAR: "الجزء المختوم من هذا السجل لا يُفك: عُدِّل أو فُقد مفتاحه؛ شغّل tawthiq audit"}
	case errors.As(err, &ve):
		d = errorDetail{Status: http.StatusBadRequest, Code: "invalid", Fields: ve.Errors,
			Message:   "the request is invalid: " + ve.Errors[0].Field + " " + ve.Errors[0].Message,
			MessageAR: "الطلب غير صالح: " + ve.Errors[0].Field + " " + ve.Errors[0].MessageAR}
		if ve.Errors[0].Code == "too_large" {
			d.Status = http.StatusRequestEntityTooLarge
		}
	case errors.As(err, &mbe):
		d = errorDetail{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Fields:  []record.FieldError{{Field: "body", Code: "too_large", Message: "the request body is too large", MessageAR: "جسم الطلب كبير جداً"}},
			Message: "the request body is too large", MessageAR: "جسم الطلب كبير جداً"}
	case errors.As(err, new(*evidence.TooLargeError)):
		d = errorDetail{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Fields:  []record.FieldError{{Field: "body", Code: "too_large", Message: "the file is over the size limit; nothing was stored", MessageAR: "الملف أكبر من الحد المسموح؛ لم يُحفظ شيء"}},
			Message: "the file is over the size limit; nothing was stored", MessageAR: "الملف أكبر من الحد المسموح؛ لم يُحفظ شيء"}
	case errors.Is(err, vault.ErrUnsupported):
		d = errorDetail{Status: http.StatusUnprocessableEntity, Code: "unsupported",
			Fields:  []record.FieldError{{Field: "mime", Code: "unsupported", Message: "no published copy can be made of this type of file (JPEG and PNG only)", MessageAR: "لا يمكن إنشاء نسخة للنشر من هذا النوع من الملفات (JPEG وPNG فقط)"}},
			Message: "no published copy can be made of this type of file (JPEG and PNG only)", MessageAR: "لا يمكن إنشاء نسخة للنشر من هذا النوع من الملفات (JPEG وPNG فقط)"}
	case errors.Is(err, vault.ErrCorrupt):
		// Not a generic 500: an operator must learn that evidence is damaged.
		a.Log.ErrorContext(r.Context(), "evidence damaged", "path", r.URL.Path, "err", err)
		d = errorDetail{Status: http.StatusInternalServerError, Code: "evidence_damaged",
			Message:   "the stored original no longer matches its SHA-256; run tawthiq audit and restore it from a backup",
			MessageAR: "الأصل المخزّن لم يعد يطابق بصمته؛ شغّل tawthiq audit واستعده من نسخة احتياطية"}
	case errors.Is(err, evidence.ErrLost):
		a.Log.ErrorContext(r.Context(), "evidence missing from the vault", "path", r.URL.Path, "err", err)
		d = errorDetail{Status: http.StatusInternalServerError, Code: "evidence_missing",
			Message:   "the stored original is missing from the vault; run tawthiq audit and restore it from a backup",
			MessageAR: "الأصل المخزّن مفقود من الخزنة؛ شغّل tawthiq audit واستعده من نسخة احتياطية"}
	case errors.Is(err, vault.ErrNotFound), errors.Is(err, ledger.ErrNotFound):
		d = errorDetail{Status: http.StatusNotFound, Code: "not_found", Message: err.Error(), MessageAR: "غير موجود"}
	case errors.Is(err, ledger.ErrMalformed):
		d = errorDetail{Status: http.StatusNotFound, Code: "not_found", Message: "no such ledger resource", MessageAR: "لا يوجد مورد كهذا في السجل"}
	case errors.As(err, &ce):
		cur := ce.Current
		d = errorDetail{Status: http.StatusConflict, Code: "conflict", Message: ce.Error(), MessageAR: ce.Arabic(), Current: &cur, RecordID: ce.ID}
	case errors.As(err, &ale):
		// record_id is the incident to link the report to instead.
		d = errorDetail{Status: http.StatusConflict, Code: "already_linked", RecordID: ale.IncidentIDs[0],
			Message: ale.Error(), MessageAR: ale.Arabic()}
	case errors.As(err, &de):
		d = errorDetail{Status: http.StatusConflict, Code: "duplicate", RecordID: de.RecordID,
			Message: de.Error(), MessageAR: "مخزّن مسبقاً في السجل " + de.RecordID}
	case errors.Is(err, record.ErrNotFound):
		d = errorDetail{Status: http.StatusNotFound, Code: "not_found", Message: err.Error(), MessageAR: "غير موجود"}
		var a arabic
		if errors.As(err, &a) {
			d.MessageAR = a.Arabic()
		}
	case errors.As(err, &oe):
		en := fmt.Sprintf("the upload is at byte %d, not %d: send from byte %d (header %s)", oe.have, oe.sent, oe.have, HeaderUploadOffset)
		ar := fmt.Sprintf("وصل الرفع إلى البايت %d لا %d: أرسل ابتداءً من البايت %d (الترويسة %s)", oe.have, oe.sent, oe.have, HeaderUploadOffset)
		d = errorDetail{Status: http.StatusConflict, Code: "offset_mismatch", Message: en, MessageAR: ar,
			Fields: []record.FieldError{{Field: HeaderUploadOffset, Code: "offset_mismatch", Message: en, MessageAR: ar}}}
	case errors.Is(err, errUploadBusy):
		d = errorDetail{Status: http.StatusLocked, Code: "upload_busy",
			Message:   "another request is writing to this upload; ask for its offset (HEAD) and try again shortly",
			MessageAR: "طلب آخر يكتب في هذا الرفع؛ اسأل عن موضعه (HEAD) وأعد المحاولة بعد قليل"}
	default:
		a.Log.ErrorContext(r.Context(), "api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return d
}

// notFound answers 404 for a path or id that names nothing.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	a.writeError(w, r, &record.NotFoundError{ID: r.PathValue("id")})
}

// badRequest answers 400 for one field.
func (a *API) badRequest(w http.ResponseWriter, r *http.Request, field, code, en, ar string) {
	a.writeError(w, r, record.Invalid(field, code, en, ar))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		slog.Error("api: encode response", "err", err)
	}
}

// NotFound answers any path no route matches.
func NotFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, errorBody{Error: errorDetail{Status: http.StatusNotFound, Code: "not_found",
		Message: "no such path", MessageAR: "لا يوجد مسار كهذا"}})
}

// MisdirectedHost answers a request whose Host the server does not serve.
func MisdirectedHost(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusMisdirectedRequest, errorBody{Error: errorDetail{Status: http.StatusMisdirectedRequest, Code: "unknown_host",
		Fields:  []record.FieldError{{Field: "Host", Code: "unknown_host", Message: "this server does not answer to that host name (serve --host adds one)", MessageAR: "هذا الخادم لا يجيب على اسم المضيف هذا (أضفه بـ serve --host)"}},
		Message: "this server does not answer to that host name", MessageAR: "هذا الخادم لا يجيب على اسم المضيف هذا"}})
}

// CrossOrigin answers a state-changing request another site's page made
// in the user's browser (cross-site request forgery): refused, 403.
func CrossOrigin(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusForbidden, errorBody{Error: errorDetail{Status: http.StatusForbidden, Code: "cross_origin",
		Fields:  []record.FieldError{{Field: "Origin", Code: "cross_origin", Message: "a request from another site's page may not change anything here", MessageAR: "لا يجوز لطلب من صفحة موقع آخر أن يغيّر شيئاً هنا"}},
		Message: "cross-origin request refused", MessageAR: "رُفض طلب من مصدر آخر"}})
}

// Fail answers err as any handler of a would (for the layers around the
// handlers).
func Fail(a *API, w http.ResponseWriter, r *http.Request, err error) { a.writeError(w, r, err) }

// Unauthorized answers a request that needs a signed-in user or an API
// token and has neither: 401.
func Unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="tawthiq"`)
	writeJSON(w, http.StatusUnauthorized, errorBody{Error: errorDetail{Status: http.StatusUnauthorized, Code: "unauthorized",
		Fields:  []record.FieldError{{Field: "Authorization", Code: "required", Message: "sign in, or send an API token (Authorization: Bearer …)", MessageAR: "سجّل الدخول أو أرسل رمز وصول (Authorization: Bearer …)"}},
		Message: "sign-in required", MessageAR: "يلزم تسجيل الدخول"}})
}

// BadToken answers a bearer token that is unknown, revoked or expired.
func BadToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="tawthiq", error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, errorBody{Error: errorDetail{Status: http.StatusUnauthorized, Code: "invalid_token",
		Fields:  []record.FieldError{{Field: "Authorization", Code: "invalid_token", Message: "the API token is unknown, revoked or expired", MessageAR: "رمز الوصول غير معروف أو ملغى أو منتهي الصلاحية"}},
		Message: "invalid API token", MessageAR: "رمز وصول غير صالح"}})
}

// Forbidden answers a signed-in caller whose role may not use the route.
func Forbidden(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusForbidden, errorBody{Error: errorDetail{Status: http.StatusForbidden, Code: "forbidden",
		Message: "your role may not do this", MessageAR: "دورك لا يسمح بهذا"}})
}
