package sealed

import "errors"

// Error is a kind of failure with a message for people in English and
// Arabic. The sentinels below are the kinds; the errors the package returns
// wrap one of them with internal detail (a file path, a record id) that is
// for the log, never key material, a passphrase or plaintext.
type Error struct {
	text   string // for logs
	EN, AR string // for people
}

func (e *Error) Error() string { return "sealed: " + e.text }

// The kinds of failure, with what the caller should do.
var (
	// ErrNoKey: no organisation key yet; create one.
	ErrNoKey = &Error{"no organisation key",
		"No organisation key has been set up yet.",
		"لم يُنشأ مفتاح المنظمة بعد."}
	// ErrExists: Create was called when an org key is already active.
	ErrExists = &Error{"an organisation key already exists",
		"An organisation key already exists.",
		"يوجد مفتاح للمنظمة بالفعل."}
	// ErrShortPassphrase: ask for a passphrase of MinPassphrase characters or more.
	ErrShortPassphrase = &Error{"passphrase too short",
		"The passphrase must be at least 12 characters long.",
		"يجب ألا تقل عبارة المرور عن 12 حرفًا."}
	// ErrEmptyPassphrase: the passphrase file holds nothing.
	ErrEmptyPassphrase = &Error{"passphrase file is empty",
		"The passphrase file is empty.",
		"ملف عبارة المرور فارغ."}
	// ErrLocked: unlock the keyring with the passphrase first.
	ErrLocked = &Error{"keyring is locked",
		"The organisation key is locked: enter the passphrase to unlock it.",
		"مفتاح المنظمة مقفل: أدخل عبارة المرور لفتحه."}
	// ErrWrongPassphrase: ask again; nothing was changed.
	ErrWrongPassphrase = &Error{"wrong passphrase",
		"The passphrase is wrong.",
		"عبارة المرور غير صحيحة."}
	// ErrKeyFile: the key file is missing, unreadable or damaged; restore
	// it from a backup, or use the recovery key (Recover).
	ErrKeyFile = &Error{"organisation key file missing or damaged",
		"The organisation key file is missing or damaged: restore it from a backup or use the recovery key.",
		"ملف مفتاح المنظمة مفقود أو تالف: استعده من نسخة احتياطية أو استخدم مفتاح الاسترداد."}
	// ErrNoDataKey: nothing was ever sealed for this record.
	ErrNoDataKey = &Error{"record has no data key",
		"This record has no encryption key, so it holds no sealed data.",
		"لا يوجد مفتاح تشفير لهذا السجل، فلا توجد فيه بيانات مشفّرة."}
	// ErrTampered: the envelope was altered, is malformed or belongs to
	// another record. Treat as an integrity incident.
	ErrTampered = &Error{"sealed data failed authentication",
		"The sealed data failed its integrity check: it was altered or belongs to another record.",
		"فشل التحقق من سلامة البيانات المشفّرة: فقد عُدّلت أو أنها تعود إلى سجل آخر."}
	// ErrWrongRecoveryKey: the recovery key is malformed, not the active
	// one, or cannot unwrap a data key; nothing was changed.
	ErrWrongRecoveryKey = &Error{"wrong recovery key",
		"The recovery key is not valid for this organisation.",
		"مفتاح الاسترداد غير صالح لهذه المنظمة."}
	// ErrStale: the org key was replaced by another process since this
	// keyring was loaded; Load and Unlock again.
	ErrStale = &Error{"organisation key changed elsewhere",
		"The organisation key was changed elsewhere: reload it and try again.",
		"تغيّر مفتاح المنظمة في مكان آخر: أعد تحميله وحاول مجددًا."}
	// ErrBadRecipient: the text is not an age X25519 public key.
	ErrBadRecipient = &Error{"not an age public key",
		"This is not a valid public key (it should start with age1).",
		"هذا ليس مفتاحًا عامًا صالحًا (يجب أن يبدأ بـ age1)."}
)

// Message returns the English and Arabic text to show for err: that of the
// kind it wraps, or a general one for anything else (whose detail belongs
// in the log only).
func Message(err error) (en, ar string) {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.EN, e.AR
	}
	return "An internal error occurred with the encryption keys.",
		"حدث خطأ داخلي في مفاتيح التشفير."
}
