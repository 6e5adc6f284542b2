package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/audit"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/evidence/bundle"
	"github.com/tawthiq/tawthiq/internal/record"
)

func cmdEvidence(ctx context.Context, e *env, args []string) error {
	subs := map[string]func(context.Context, *env, []string) error{
		"add": evidenceAdd, "get": evidenceGet, "show": evidenceShow,
		"custody": evidenceShow, "check": evidenceCheck, "copy": evidenceCopy,
	}
	if len(args) == 0 || subs[args[0]] == nil {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprint(e.stdout, evidenceHelp)
			return nil
		}
		return usagef("expected: evidence add|get|show|custody|check|copy", "المتوقع: evidence add|get|show|custody|check|copy")
	}
	return subs[args[0]](ctx, e, args[1:])
}

const evidenceHelp = `Usage / الاستخدام:
  tawthiq evidence add REPORT_ID FILE     attach a file to a report / إرفاق ملف بتقرير
  tawthiq evidence get ID -o FILE         write the original (recorded) / استخراج الأصل (يُسجَّل)
  tawthiq evidence show ID                the record and its chain of custody / السجل وسلسلة العهدة
  tawthiq evidence custody ID             the same / مثله
  tawthiq evidence check ID               re-hash the stored original (recorded) / فحص سلامة الأصل (يُسجَّل)
  tawthiq evidence copy ID -o FILE        a copy without identifying metadata / نسخة للنشر دون البيانات الوصفية
  tawthiq evidence <sub> --help
`

func evidenceAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "evidence add", "[--data DIR] [--reason TEXT] [--sha256 HEX] REPORT_ID FILE",
		"Store FILE in the vault under its SHA-256 and attach it to a report. The original is kept byte\n"+
			"for byte; its metadata (EXIF/GPS, duration, PDF text) is read when the tools are installed.\n"+
			"With --sha256 the file must hash to it or nothing is stored. Adding the same file again to the\n"+
			"same report records that it was received again and stores nothing twice.\n"+
			"حفظ الملف في الخزنة ببصمته وإرفاقه بتقرير، مع تسجيل الاستلام والحفظ في سلسلة العهدة.")
	data := dataFlag(fs)
	author := fs.String("author", defaultAuthor(), "who adds the file / من يضيف الملف")
	reason := fs.String("reason", "", "why (default: \"file attached to the report\") / السبب")
	sha := fs.String("sha256", "", "the SHA-256 the sender gave; refused if the file differs / البصمة المعلنة")
	notes := fs.String("notes", "", "notes on the file / ملاحظات")
	conf := fs.String("confidentiality", "", "confidentiality (default restricted) / درجة السرية")
	name := fs.String("name", "", "the file's original name (default: FILE's base name) / اسم الملف الأصلي")
	maxSize := fs.Int64("max-size", 0, "largest file accepted, in bytes (default 4 GiB) / أكبر حجم مقبول بالبايت")
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("expected REPORT_ID FILE", "المتوقع: معرّف التقرير ثم الملف")
	}
	f, err := os.Open(fs.Arg(1))
	if err != nil {
		return fmt.Errorf("%w: %v", errInvalidInput, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %v", errInvalidInput, err)
	}
	if st.IsDir() {
		return fmt.Errorf("%w: %s is a folder, not a file / مجلد وليس ملفاً", errInvalidInput, fs.Arg(1))
	}
	if *name == "" {
		*name = filepath.Base(fs.Arg(1))
	}
	if *reason == "" {
		*reason = "file attached to the report"
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if *maxSize > 0 {
		a.SetMaxUpload(*maxSize)
	}
	// Uploads an earlier run left unfinished (killed, crashed) go first.
	if _, err := a.Vault.Sweep(ctx, time.Hour); err != nil {
		return err
	}
	var size int64
	if st.Mode().IsRegular() {
		size = st.Size() // a file that shrinks or grows while read is refused
	}
	added, err := a.Evidence.Add(ctx, evidence.AddInput{
		ReportID: fs.Arg(0), Body: f, Name: *name, DeclaredSHA256: *sha, DeclaredSize: size,
		Notes: *notes, Confidentiality: *conf, Actor: *author, Purpose: *reason,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, map[string]any{"record": added.Record, "custody": added.Events, "existed": added.Existed})
	}
	b, err := added.Record.Decode()
	if err != nil {
		return err
	}
	ev := b.(*record.Evidence)
	if added.Existed {
		fmt.Fprintf(e.stdout, "already attached, recorded as received again / مرفق مسبقاً، سُجّل استلامه مجدداً\n")
	}
	fmt.Fprintf(e.stdout, "evidence %s\nsha256 %s\nsize %d bytes, %s\n", added.Record.ID, ev.SHA256, ev.Size, ev.MIME)
	if len(ev.Skipped) > 0 {
		fmt.Fprintf(e.stdout, "metadata not read / بيانات وصفية لم تُقرأ:\n")
		for _, s := range ev.Skipped {
			fmt.Fprintf(e.stdout, "  %s\n", s)
		}
	}
	return nil
}

// openForOneID checks that the command got exactly one evidence ID
// (fs.Arg(0)) and opens the data folder.
func openForOneID(ctx context.Context, fs *flag.FlagSet, data string) (*app.App, error) {
	if fs.NArg() != 1 {
		return nil, usagef("expected one evidence ID", "المتوقع معرّف دليل واحد")
	}
	return open(ctx, data)
}

// writeOut writes what fill produces to path ("-": stdout) through a
// temporary file renamed into place, so a failure leaves no partial file.
func writeOut(e *env, path string, fill func(io.Writer) error) error {
	if path == "-" {
		return fill(e.stdout)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tawthiq-*.part")
	if err != nil {
		return fmt.Errorf("%w: %v", errInvalidInput, err)
	}
	defer os.Remove(tmp.Name())
	if err := fill(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func evidenceGet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "evidence get", "[--data DIR] --purpose TEXT -o FILE ID",
		"Write the original bytes of an evidence item to FILE (- for standard output), checking its\n"+
			"SHA-256 on the way. The access is recorded in the chain of custody with your purpose.\n"+
			"استخراج الملف الأصلي مع التحقق من بصمته؛ يُسجَّل الاطلاع وسببه في سلسلة العهدة.")
	data := dataFlag(fs)
	author := fs.String("author", defaultAuthor(), "who reads it / من يطّلع")
	purpose := fs.String("purpose", "", "why (required, recorded) / السبب (مطلوب ويُسجَّل)")
	out := fs.String("o", "", "output file, - for standard output / ملف الإخراج")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" {
		return usagef("expected -o FILE and one evidence ID", "المتوقع: -o ملف ومعرّف دليل واحد")
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rc, ev, err := a.Evidence.Open(ctx, fs.Arg(0), *author, *purpose)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := writeOut(e, *out, func(w io.Writer) error { _, err := io.Copy(w, rc); return err }); err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(e.stdout, "wrote %s (%d bytes, sha256 %s)\n", *out, ev.Size, ev.SHA256)
	}
	return nil
}

func evidenceShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "evidence show", "[--data DIR] [--json] ID",
		"Show an evidence item and its chain of custody. / عرض الدليل وسلسلة عهدته.")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	a, err := openForOneID(ctx, fs, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rec, ev, err := a.Evidence.Get(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	events, err := a.Evidence.Custody(ctx, rec.ID)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, map[string]any{"record": rec, "custody": events})
	}
	fmt.Fprintf(e.stdout, "evidence %s (revision %d) of report %s\nname: %s\nsha256: %s\nsize: %d bytes, %s\n",
		rec.ID, rec.Revision, ev.ReportID, dash(ev.Name), ev.SHA256, ev.Size, ev.MIME)
	for _, d := range ev.Derivatives {
		fmt.Fprintf(e.stdout, "copy / نسخة: sha256 %s, %d bytes, %s\n", d.SHA256, d.Size, d.Transformation)
	}
	fmt.Fprintf(e.stdout, "\nchain of custody / سلسلة العهدة:\n")
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME (UTC)\tACTION\tBY\tPURPOSE\tDETAIL\tLEAF")
	for _, ev := range events {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", ev.Seq, strings.Replace(ev.At[:19], "T", " ", 1),
			ev.Action, ev.Actor, oneLine(ev.Purpose, 40), oneLine(ev.Detail, 60), ev.LedgerIndex)
	}
	return tw.Flush()
}

func evidenceCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "evidence check", "[--data DIR] ID",
		"Re-hash the stored original and record the outcome in the chain of custody (exit 7 if damaged).\n"+
			"إعادة حساب بصمة الأصل المخزّن وتسجيل النتيجة في سلسلة العهدة.")
	data := dataFlag(fs)
	author := fs.String("author", defaultAuthor(), "who checks / من يفحص")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	a, err := openForOneID(ctx, fs, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	ev, err := a.Evidence.Check(ctx, fs.Arg(0), *author)
	if ev.Seq > 0 {
		fmt.Fprintf(e.stdout, "%s (custody event %d)\n", ev.Detail, ev.Seq)
	}
	return err
}

func evidenceCopy(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "evidence copy", "[--data DIR] --purpose TEXT -o FILE ID",
		"Make (once) the copy of a JPEG or PNG original that may be published: the same pixels without\n"+
			"EXIF/GPS/XMP and other identifying metadata. The original is not changed; the copy is listed on\n"+
			"the record and recorded in the chain of custody.\n"+
			"إنشاء نسخة للنشر من صورة JPEG أو PNG دون البيانات الوصفية التي قد تكشف الشاهد أو مكانه.")
	data := dataFlag(fs)
	author := fs.String("author", defaultAuthor(), "who makes the copy / من ينشئ النسخة")
	purpose := fs.String("purpose", "publication", "why / السبب")
	out := fs.String("o", "", "write the copy to this file, - for standard output / ملف الإخراج")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	a, err := openForOneID(ctx, fs, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	_, d, err := a.Evidence.PublishedCopy(ctx, fs.Arg(0), *author, *purpose)
	if err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintf(e.stdout, "copy sha256 %s, %d bytes, %s\n", d.SHA256, d.Size, d.Transformation)
		return nil
	}
	rc, _, err := a.Evidence.OpenCopy(ctx, fs.Arg(0), d.SHA256)
	if err != nil {
		return err
	}
	defer rc.Close()
	return writeOut(e, *out, func(w io.Writer) error { _, err := io.Copy(w, rc); return err })
}

func cmdExportEvidence(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export-evidence", "[--data DIR] [--purpose TEXT] ID -o FILE",
		"Write one evidence package (a zip): the original file, its record and every revision, the chain\n"+
			"of custody (this export included), their ledger leaves with inclusion proofs, a signed\n"+
			"checkpoint and the ledger's public key. Check it anywhere with: tawthiq verify --key @ledger.pub FILE\n"+
			"The package carries the record's notes, the file's metadata (EXIF/GPS, PNG text) and the names in the\n"+
			"chain of custody: check what may leave before you hand it over. Retracted evidence is not exported.\n"+
			"تصدير حزمة دليل واحدة يمكن التحقق منها دون خادم.")
	data := dataFlag(fs)
	author := fs.String("author", defaultAuthor(), "who exports / من يصدّر")
	purpose := fs.String("purpose", "evidence package export", "why (recorded) / السبب (يُسجَّل)")
	out := fs.String("o", "", "the package file to write / ملف الحزمة")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *out == "" || *out == "-" {
		return usagef("expected one evidence ID and -o FILE", "المتوقع معرّف دليل واحد و-o ملف")
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	var m *evidence.Manifest
	err = writeOut(e, *out, func(w io.Writer) error {
		var err error
		m, err = a.Evidence.Export(ctx, fs.Arg(0), *author, *purpose, w)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: evidence %s, original sha256 %s\nكُتبت الحزمة %s\n", *out, m.EvidenceID, m.Original.SHA256, *out)
	return nil
}

func cmdVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "verify", "[--key KEY|@FILE] [--json] PACKAGE",
		"Check an evidence package with no server and no database: every file against the manifest, the\n"+
			"original against its SHA-256, the record and the chain of custody against their ledger leaves,\n"+
			"each leaf's inclusion proof against the signed checkpoint. Give --key, the organisation's\n"+
			"published ledger key (or @file holding it); without it the package is checked only against\n"+
			"the key it carries. Exit 0: verified; 7: something is wrong (each problem is listed).\n"+
			"التحقق من حزمة دليل دون خادم ولا قاعدة بيانات.")
	key := fs.String("key", "", "the ledger's public key, or @FILE / المفتاح العام للسجل أو @ملف")
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("expected one package file", "المتوقع ملف حزمة واحد")
	}
	if rest, ok := strings.CutPrefix(*key, "@"); ok {
		b, err := os.ReadFile(rest)
		if err != nil {
			return fmt.Errorf("%w: key file: %v", errInvalidInput, err)
		}
		*key = strings.TrimSpace(string(b))
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("%w: %v", errInvalidInput, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	v, err := evidence.VerifyPackage(f, st.Size(), *key)
	if err != nil {
		fmt.Fprintf(e.stderr, "NOT VERIFIED / لم يتم التحقق: %v\n", err)
		return errUnverified
	}
	if *asJSON {
		if err := printJSON(e, map[string]any{"ok": v.OK(), "trusted_key": v.Trusted, "key": v.Key, "retracted": v.Retracted,
			"tree_size": v.TreeSize, "revisions": v.Revisions, "custody_events": v.Events,
			"manifest": v.Manifest, "problems": nonNilStrings(v.Problems)}); err != nil {
			return err
		}
	} else if v.OK() {
		m, c := v.Manifest, bundle.Clean // the package's own text: shown, never obeyed
		fmt.Fprintf(e.stdout, "VERIFIED / تم التحقق\nevidence %s of report %s\noriginal %s: sha256 %s, %d bytes\n"+
			"%d revision(s), %d custody event(s), all in the ledger %s of %d entries\nkey: %s\n",
			c(m.EvidenceID), c(m.ReportID), c(m.Original.Path), c(m.Original.SHA256), m.Original.Size,
			v.Revisions, v.Events, c(m.Origin), v.TreeSize, c(v.Key))
		if v.Retracted {
			fmt.Fprintf(e.stdout, "warning: the evidence record was retracted by the organisation in the last revision the package holds\n"+
				"تنبيه: سحبت المنظمة سجل هذا الدليل في آخر مراجعة تحملها الحزمة\n")
		}
		if !v.Trusted {
			fmt.Fprintf(e.stdout, "warning: checked against the key inside the package; compare it with the organisation's published key, or pass --key\n"+
				"تنبيه: فُحصت الحزمة بالمفتاح الذي بداخلها؛ قارنه بالمفتاح المنشور للمنظمة أو مرّره بـ --key\n")
		}
	} else {
		fmt.Fprintf(e.stdout, "NOT VERIFIED / لم يتم التحقق: %d problem(s)\n", len(v.Problems))
		for _, p := range v.Problems {
			fmt.Fprintf(e.stdout, "  - %s\n", p)
		}
	}
	if !v.OK() {
		return errUnverified
	}
	return nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func cmdAudit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "audit", "[--data DIR] [--json]",
		"Recompute everything: every record revision against its body and its ledger leaf, every custody\n"+
			"event against its leaf, every leaf against what it attests, the Merkle tree against every signed\n"+
			"checkpoint, and every file in the vault against its SHA-256. Each discrepancy is named.\n"+
			"Exit 0: all is well; 7: something is wrong. It changes nothing it checks.\n"+
			"تدقيق كل ما هو مخزّن وتسمية كل خلل.")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := audit.Run(ctx, audit.Inputs{DB: a.DB, Store: a.Store, Ledger: a.Ledger, Vault: a.Vault})
	if err != nil {
		return err
	}
	if *asJSON {
		if err := printJSON(e, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "revisions: %d, custody events: %d, ledger leaves: %d, files in the vault: %d\n",
			rep.Revisions, rep.Events, rep.Leaves, rep.Blobs)
		fmt.Fprintf(e.stdout, "المراجعات: %d، أحداث العهدة: %d، أوراق السجل: %d، ملفات الخزنة: %d\n",
			rep.Revisions, rep.Events, rep.Leaves, rep.Blobs)
		if rep.OK() {
			fmt.Fprintf(e.stdout, "OK: everything checks out / سليم: كل شيء مطابق\n")
		} else {
			fmt.Fprintf(e.stdout, "FOUND %d PROBLEM(S) / وُجد %d خلل:\n", len(rep.Findings), len(rep.Findings))
			for _, f := range rep.Findings {
				fmt.Fprintf(e.stdout, "  - %s\n", f)
			}
		}
	}
	if !rep.OK() {
		return errUnverified
	}
	return nil
}
