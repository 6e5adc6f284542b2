package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/record"
)

func cmdIncidents(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return incidentsList(ctx, e, args[1:])
		case "show":
			return incidentsShow(ctx, e, args[1:])
		case "-h", "--help":
			fmt.Fprint(e.stdout, "Usage / الاستخدام:\n  tawthiq incidents list [flags]\n  tawthiq incidents show [flags] ID\n  (tawthiq incidents list --help, tawthiq incidents show --help)\n")
			return nil
		}
	}
	return usagef("expected: incidents list | incidents show ID", "المتوقع: incidents list أو incidents show ID")
}

func incidentsList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "incidents list", "[--data DIR] [--kind K] [--actor A] [--grading G] [--from D] [--to D] [--limit N] [--json]",
		"List incidents, latest date first. / عرض الحوادث، الأحدث تاريخاً أولاً.")
	data := dataFlag(fs)
	kind := fs.String("kind", "", "incident kind code, e.g. air_strike / نوع الحادثة")
	actor := fs.String("actor", "", "actor id, e.g. isis / الجهة")
	grading := fs.String("grading", "", "grading code, e.g. confirmed / التقييم")
	from := fs.String("from", "", "from date YYYY-MM-DD / من تاريخ")
	to := fs.String("to", "", "to date YYYY-MM-DD / إلى تاريخ")
	limit := fs.Int("limit", 50, "how many / العدد")
	offset := fs.Int("offset", 0, "skip this many / تخطي هذا العدد")
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	if *limit < 1 || *limit > record.MaxLimit {
		return usagef("--limit must be between 1 and %d", "يجب أن يكون --limit بين 1 و%d", record.MaxLimit)
	}
	for name, d := range map[string]string{"--from": *from, "--to": *to} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return usagef("%s must be a date YYYY-MM-DD", "يجب أن يكون %s تاريخاً بالشكل YYYY-MM-DD", name)
		}
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if *kind != "" && !a.Vocab.Has("incident_kind", *kind) {
		return usagef("--kind %q is not an incident kind code", "--kind «%s» ليس رمزاً لنوع حادثة", *kind)
	}
	q := record.Query{Type: record.TypeIncident, Actor: *actor, Status: *grading, DateFrom: *from, DateTo: *to,
		Sort: "date", Limit: *limit, Offset: *offset}
	if *kind != "" {
		q.Terms = []record.Term{{Field: "kind", Value: *kind}}
	}
	recs, total, err := a.Store.List(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, map[string]any{"items": nonNil(recs), "total": total})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tKINDS\tGRADING\tTITLE")
	for _, r := range recs {
		var inc record.Incident
		if err := json.Unmarshal(r.Body, &inc); err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, dash(inc.When.Start), strings.Join(inc.Kinds, ","), inc.Grading, oneLine(r.Title, 70))
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d of %d incidents / %d من أصل %d حادثة\n", len(recs), total, len(recs), total)
	return nil
}

func incidentsShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "incidents show", "[--data DIR] [--json] ID",
		"Show one incident with its acts, victims, parties, claims and assessments.\nعرض حادثة مع أفعالها وضحاياها وأطرافها وادعاءاتها وتقييماتها.")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("expected one incident ID", "المتوقع معرّف حادثة واحد")
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rec, err := a.Store.Get(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if rec.Type != record.TypeIncident {
		return &record.NotFoundError{ID: fs.Arg(0)}
	}
	related, _, err := a.Store.List(ctx, record.Query{RefersTo: rec.ID, Limit: record.MaxLimit})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, map[string]any{"incident": rec, "related": nonNil(related)})
	}
	return printIncident(ctx, e, a, rec, related)
}

func printIncident(ctx context.Context, e *env, a *app.App, rec *record.Record, related []record.Record) error {
	var inc record.Incident
	if err := json.Unmarshal(rec.Body, &inc); err != nil {
		return err
	}
	w := e.stdout
	label := func(list, code string) string {
		if l, ok := a.Vocab.List(list); ok {
			if t, ok := l.Term(code); ok {
				return t.Labels.EN + " / " + t.Labels.AR
			}
		}
		return code
	}
	fmt.Fprintf(w, "Incident / حادثة %s (revision %d", rec.ID, rec.Revision)
	if rec.Retracted {
		fmt.Fprint(w, ", RETRACTED / مسحوبة")
	}
	fmt.Fprintln(w, ")")
	if inc.TitleAR != "" {
		fmt.Fprintf(w, "  %s\n", inc.TitleAR)
	}
	if inc.TitleEN != "" {
		fmt.Fprintf(w, "  %s\n", inc.TitleEN)
	}
	for _, k := range inc.Kinds {
		fmt.Fprintf(w, "  kind / النوع: %s\n", label("incident_kind", k))
	}
	fmt.Fprintf(w, "  when / التاريخ: %s%s (%s)\n", dash(inc.When.Start), endPart(inc.When.End), inc.When.Precision)
	for _, p := range inc.Where {
		fmt.Fprintf(w, "  where / المكان: %s %s (%s)\n", p.NameAR, p.NameEN, p.Precision)
	}
	fmt.Fprintf(w, "  grading / التقييم: %s\n", label("grading", inc.Grading))
	for _, c := range inc.Casualties {
		fmt.Fprintf(w, "  %s %s: %s\n", c.Category, c.Outcome, c.Count)
	}
	if len(related) > 0 {
		fmt.Fprintln(w, "\nRelated records / سجلات مرتبطة:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, r := range related {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Type, r.ID, relatedSummary(r))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nHistory / السجل: tawthiq history %s\n", rec.ID)
	return nil
}

// relatedSummary is one line about a related record, without personal data.
func relatedSummary(r record.Record) string {
	b, err := r.Decode()
	if err != nil {
		return ""
	}
	switch x := b.(type) {
	case *record.Act:
		return x.ActType + " " + x.Outcome
	case *record.VictimGroup:
		return fmt.Sprintf("%s %s %s", x.Category, x.Outcome, x.Count)
	case *record.Involvement:
		return fmt.Sprintf("%s %s (%s)", x.ActorID, x.Degree, x.Confidence)
	case *record.Claim:
		s := x.ClaimType
		if x.AssertedByID != "" {
			s += " by " + x.AssertedByID
		}
		return s
	case *record.Assessment:
		return x.Kind + " = " + x.Value
	}
	return r.Title
}

func endPart(end string) string {
	if end == "" {
		return ""
	}
	return " → " + end
}
