package extract

import (
	"strings"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// A lexicon maps phrases (analysed like the text: normalised, light
// stemmed, stop words kept) to values, and finds them in a text's terms,
// longest first.
type lexicon struct {
	byFirst map[string][]entry
}

type entry struct {
	terms []string
	value string
	// weight ranks entries that match the same span; higher wins.
	weight float64
	// article: a one-word Arabic phrase written with the article
	// (التحالف، التنظيم).
	article bool
}

func newLexicon() *lexicon { return &lexicon{byFirst: map[string][]entry{}} }

// add registers each phrase (Arabic or English) for value.
func (l *lexicon) add(value string, weight float64, phrases ...string) {
	for _, p := range phrases {
		var ts []string
		for _, t := range arabic.AnalyzeKeepingStops(p) {
			ts = append(ts, t.Text)
		}
		if len(ts) == 0 {
			continue
		}
		article := len(ts) == 1 && strings.HasPrefix(arabic.Normalize(strings.TrimSpace(p)).Text, "ال")
		l.byFirst[ts[0]] = append(l.byFirst[ts[0]], entry{terms: ts, value: value, weight: weight, article: article})
	}
}

// match is a lexicon hit over terms[i:j].
type match struct {
	i, j   int
	value  string
	weight float64
	// article: every one-word phrase of the value that matches here is
	// written with the article.
	article bool
}

// find returns the non-overlapping matches in terms, scanning left to
// right and taking the longest (then heaviest) entry at each position.
func (l *lexicon) find(terms []arabic.Term) []match {
	var out []match
	for i := 0; i < len(terms); {
		best := match{i: -1}
		for _, e := range l.byFirst[terms[i].Text] {
			n := len(e.terms)
			if i+n > len(terms) {
				continue
			}
			ok := true
			for k := 1; k < n; k++ {
				if terms[i+k].Text != e.terms[k] {
					ok = false
					break
				}
			}
			if ok && (n > best.j-best.i || n == best.j-best.i && e.weight > best.weight) {
				best = match{i: i, j: i + n, value: e.value, weight: e.weight}
			}
		}
		if best.i < 0 {
			i++
			continue
		}
		if best.j == i+1 {
			best.article = true
			for _, e := range l.byFirst[terms[i].Text] {
				if len(e.terms) == 1 && e.value == best.value && !e.article {
					best.article = false
				}
			}
		}
		out = append(out, best)
		i = best.j
	}
	return out
}

// The lexicons. Phrases are written as they appear in reports; the
// analyser folds their forms (والقصف، بقصف، قصفت → قصف).
var (
	kinds      = newLexicon()
	outcomes   = newLexicon()
	categories = newLexicon()
	claimVerbs = newLexicon()
	actorCues  = newLexicon() // words that make the next actor the perpetrator
	behindCues = newLexicon() // words that make the actor before them the perpetrator
	outlets    = newLexicon()
)

func init() {
	k := kinds.add
	// Left out because the analyser folds them onto other words: المقاتلات
	// (jets) onto مقاتلين (fighters), levelled onto levels; "rubble" alone
	// is where rescuers dig, not what was destroyed.
	k("air_strike", 2, "jets", "fighter jets", "مسيرة", "مسيرات", "المسيرات", "بالمسيرات", "طائرة بدون طيار", "طائرات بدون طيار", "قصف جوي روسي", "غارة روسية", "قنابل عنقودية", "القنابل العنقودية", "drone", "drones", "air attack", "aerial attack", "cluster munitions", "cluster bombs", "قصف جوي", "غارة جوية", "غارات جوية", "غارة", "غارات", "الغارات", "ضربة جوية", "ضربات جوية",
		"الطيران الحربي", "طائرات حربية", "الطائرات الحربية", "طيران حربي", "قصف الطيران", "قصفت الطائرات", "قصف طيران",
		"طائرة مسيرة", "طائرات مسيرة", "الطيران المسير", "غارة بطائرة مسيرة", "قصفته الطائرات",
		"طائرات", "طائرة حربية", "طيران التحالف", "ضربات التحالف", "ضربة للتحالف", "قصف التحالف", "الطيران الروسي",
		"طيران النظام", "coalition strikes", "coalition strike", "Russian strikes", "Turkish strikes",
		"strikes by the coalition", "صواريخ إسرائيلية", "aircraft", "missiles struck", "missile strike", "missile strikes", "bombing raid",
		"air strike", "air strikes", "airstrike", "airstrikes", "air raid", "air raids", "warplanes", "warplane",
		"bombed from the air", "aerial bombardment", "drone strike", "drone strikes", "jets struck", "jets bombed")
	k("barrel_bomb", 3, "برميل متفجر", "براميل متفجرة", "البراميل المتفجرة", "برميلين متفجرين", "برميلا متفجرا", "برميلا", "برميل",
		"براميل", "بالبراميل", "barrel bomb", "barrel bombs", "barrel-bomb", "barrel-bombs", "barrel bombing")
	k("shelling", 2, "قذيفتي هاون", "قذيفتين", "قذيفتي", "صواريخ أرض-أرض", "صاروخ أرض-أرض", "surface-to-surface missile", "ballistic missile", "قذائف", "قذيفة", "مدفعية", "قصف بالمدفعية", "قصف مدفعي", "قصفا مدفعيا", "قصفاً صاروخياً", "صاروخ", "راجمة صواريخ", "قذائف الدبابات", "mortar rounds", "mortar round", "rocket attack", "bombardment", "tank fire", "missile attack", "قصف مدفعي", "قصف صاروخي", "القصف المدفعي", "قذائف مدفعية", "قذائف هاون", "قذيفة هاون", "قذائف الهاون",
		"قذيفة مدفعية", "قذائف صاروخية", "قذيفة صاروخية", "راجمات الصواريخ", "صواريخ غراد", "قصف بالمدفعية", "قصف بقذائف",
		"المدفعية الثقيلة", "قصف مدفعي وصاروخي", "استهدفت بقذائف",
		"shelling", "shelled", "artillery", "artillery fire", "mortar", "mortars", "mortar shells", "rocket fire", "rockets",
		"shells", "shell", "صواريخ", "الصواريخ", "بالصواريخ", "المدفعية", "بالمدفعية", "القصف المدفعي والصاروخي")
	k("chemical_attack", 3, "كيماوي", "كيميائي", "كيماوية", "كيميائية", "اختناق", "حالات اختناق", "مواد سامة", "chemical", "suffocation", "nerve agent", "breathing difficulties", "toxic", "هجوم كيماوي", "هجوم كيميائي", "السلاح الكيماوي", "سلاح كيماوي", "غازات سامة", "غاز سام", "غاز الكلور",
		"الكلور", "السارين", "chemical attack", "chemical weapons", "chlorine", "sarin", "toxic gas", "poison gas")
	k("explosive_device", 2, "عبوة", "عبوات", "مفخخ", "مفخختين", "انتحاري", "انتحاريا", "فجر نفسه", "تفجير انتحاري", "ذخائر غير منفجرة", "مخلفات الحرب", "suicide attack", "suicide bomb", "bomb attack", "roadside bomb", "unexploded", "unexploded ordnance", "bomb exploded", "عبوة ناسفة", "عبوات ناسفة", "سيارة مفخخة", "سيارات مفخخة", "دراجة نارية مفخخة", "لغم", "ألغام",
		"لغم أرضي", "الألغام", "انفجار عبوة", "تفجير", "تفجير انتحاري", "حزام ناسف", "مفخخة",
		"IED", "improvised explosive device", "car bomb", "car bombing", "landmine", "landmines", "land mine", "explosive device",
		"suicide bombing", "suicide bomber", "booby trap", "booby-trapped")
	k("armed_clash", 1, "ground assault", "repelled", "اقتتال", "الاقتتال", "fighting between", "battles", "gun battle", "اشتباكات", "اشتباك", "مواجهات مسلحة", "معارك عنيفة", "صدوا هجوما", "clashes", "clash", "firefight",
		"street fighting", "heavy fighting", "fierce fighting")
	k("attack_on_civilians", 1, "إطلاق النار على", "إطلاق نار", "برصاص", "قناص", "قناصة", "رصاص قناصة", "أطلقوا الرصاص", "الرصاص الحي", "اغتيال", "اغتال", "اغتالوا", "assassinated", "assassination", "sniper", "snipers", "fired on", "أطلق النار على", "أطلقوا النار على", "أطلقت النار على", "برصاص قناص", "رصاص قناص", "قنصا", "قنص",
		"opened fire on", "shot dead", "sniper fire", "gunned down")
	k("execution", 3, "رجما", "رجم", "stoned", "stoning", "يعدم", "يعدمون", "يعدمان", "تعدم", "crucified", "crucifixion", "إعداما", "أعدموا", "رميا بالرصاص", "إعدامهم", "summarily executed", "summary executions", "execution-style", "إعدام", "أعدم", "أعدمت", "إعدامات", "إعدام ميداني", "نفذ حكم الإعدام", "قطع رأس", "ذبح",
		"execution", "executions", "executed", "beheaded", "beheading")
	k("abduction", 2, "اختفاء", "اختفاء قسري", "disappearance", "disappearances", "took captive", "taken captive", "اختطافه", "اختطافهم", "خطفهم", "خطفوا", "مخطوفين", "المخطوفين", "إخفاء قسري", "الإخفاء القسري", "مختفين قسريا", "abducting", "enforced disappearance", "forcibly disappeared", "خطف", "اختطاف", "اختطف", "اختطفت", "اختطفوا", "مختطف", "خطفت", "abduction", "abducted", "kidnapped", "kidnapping")
	k("detention", 2, "مداهمة", "مداهمات", "حملة دهم", "اعتقالهم", "detaining", "detainees", "raids", "raid", "arresting", "اعتقال", "اعتقالات", "حملة اعتقالات", "اعتقل", "اعتقلت", "اعتقلوا", "احتجاز", "احتجزت", "احتجز", "احتجزوا",
		"يحتجز", "يحتجزون", "معتقل", "اقتادت", "اقتادوا",
		"arrested", "arrest", "arrests", "detained", "detention", "detentions", "raid and arrest", "rounded up")
	k("torture", 3, "beat him", "beat them", "beating", "with cables", "جلد", "جلدة", "الجلد", "جلدا", "الصعق بالكهرباء", "صعق", "flogged", "flogging", "lashes", "آثار ضرب", "آثار تعذيب واضحة", "بالكابلات", "burn marks", "electric shocks", "signs of torture", "عذبوا", "التعذيب", "تعرض للتعذيب", "آثار تعذيب", "ضرب مبرح", "died in custody", "death in custody", "beaten", "beatings", "تعذيب", "تحت التعذيب", "عذب", "torture", "tortured", "under torture")
	k("sexual_violence", 3, "sexually assaulted", "sexual abuse", "اعتداء جنسي", "raped", "للاغتصاب", "اغتصبت", "اغتصاب", "عنف جنسي", "اعتداء جنسي", "rape", "sexual violence", "sexual assault")
	k("siege", 2, "منعت إدخال", "منع إدخال", "يمنع دخول", "تمنع دخول", "منع دخول", "تمنع إدخال", "blocked food", "no food", "المحاصرة", "محاصرة", "حصارا", "الجوع", "جوعا", "سوء التغذية", "منع دخول المساعدات", "starvation", "starved", "hunger", "malnutrition", "blocked aid", "حصار", "الحصار", "محاصرة", "محاصر", "يحاصر", "تحاصر", "حاصرت", "يفرض حصارا", "siege", "besieged", "besieging",
		"under siege", "blockade", "encircled")
	k("forced_displacement", 3, "مهجري", "مهجرين", "المهجرين", "ترحيل", "تهجيرهم", "هجروا", "forcibly removed", "deported", "displacement deal", "evacuation deal", "تهجير", "التهجير", "تهجير قسري", "التهجير القسري", "إخراج الأهالي بالقوة", "إخراج أهالي",
		"أجبر الأهالي على الخروج", "إجبار الأهالي على", "إجبار المدنيين على الخروج", "لإجبار المدنيين على الخروج", "إخلاء الحي",
		"إخلاء قسري", "طرد الأهالي", "تهجير السكان", "بوجوب خروجهم", "بالقوة من منازلهم", "أخرجوا من منازلهم",
		"forced displacement", "forcibly displaced", "forced to leave", "forced out", "forcibly evicted", "expelled", "eviction",
		"evicted", "ordered to leave", "forced from their homes")
	k("property_destruction", 2, "إغراق المنازل", "إغراق منازل", "هدم المنازل", "هدم منازل", "تدمير المنازل", "تدمير منازل",
		"حرق المنازل", "حرق منازل", "تفجير المنازل", "تجريف", "دمر", "دمرت", "تدمير", "هدم", "إحراق", "سوت بالأرض", "سوى بالأرض",
		"دمار", "أضرار مادية", "احتراق", "أحرق", "أحرقت", "حرق", "جرف", "جرفت", "فجر مزارا", "تفجير مزار", "نسف", "نسفت",
		"burned homes", "burned houses", "burned down", "burnt down", "set ablaze", "blew up", "bulldozed", "flooding of homes", "flooded homes", "demolished", "demolition", "destroyed", "destroying",
		"destroyed homes", "burned homes", "razed", "destruction of homes", "houses destroyed", "reduced it to rubble", "reduced to rubble",
		"flattened", "torched", "set fire to", "setting fire to", "blown up", "ablaze", "on fire",
		// The vocabulary counts looting as destruction of property.
		"نهب", "نهبت", "عمليات نهب", "سلب", "سرقة المنازل", "looting", "looted", "pillaged", "plundered")
	// Property taken, not destroyed: the vocabulary's "other".
	// (Not مصادرة: the analyser folds it onto مصادر, sources.)
	k("other", 1, "استولى", "استولوا", "الاستيلاء", "استيلاء", "seized homes", "seized houses", "took over homes")
	k("attack_on_protected_object", 3, "استهداف مستشفى", "استهدفت مستشفى", "قصف مستشفى", "استهداف المشفى", "قصف المشفى", "استهداف مدرسة",
		"قصف مدرسة", "استهداف مسجد", "قصف مسجد", "استهداف فرن", "قصف فرن", "استهداف نقطة طبية", "استهداف مركز الدفاع المدني",
		"hospital was hit", "struck a hospital", "hit a hospital", "attack on a hospital", "struck a school", "hit a school",
		"struck a mosque", "bakery was hit", "struck a bakery")

	o := outcomes.add
	o("killed", 2, "قتل", "قتلت", "قتلوا", "قتلن", "قتلى", "قتيل", "قتيلا", "مقتل", "استشهد", "استشهاد", "شهيد", "شهداء", "لقي حتفه", "لقوا حتفهم", "لقي مصرعه",
		"لقوا مصرعهم", "مصرع", "ضحايا", "ضحية", "أودى بحياة", "أودت بحياة", "قضى", "قضوا", "توفي", "توفيت", "توفوا", "فارق الحياة",
		"فارقت الحياة", "وفاة", "جثث", "جثة", "صلب",
		"killed", "killing", "dead", "died", "deaths", "death", "death toll", "lost their lives", "bodies", "fatalities", "victims", "crucified", "shot dead", "toll")
	o("", 3, "death threats", "death threat", "death sentence", "death sentences", "death penalty", "death notices",
		"death certificate", "death certificates", "حكم بالإعدام", "أحكام بالإعدام", "تهديدات بالقتل", "شهادة وفاة", "شهادات وفاة")
	o("killed", 1, "أعدم", "أعدمت", "إعدام", "بإعدام", "ذبحا", "executed", "execution of", "beheaded")
	o("injured", 2, "جرح", "جرحت", "أصيبت", "جرحوا", "جرحى", "جريح", "إصابة", "إصابات", "أصيب", "أصيبوا", "مصاب", "مصابين", "إصابة آخرين", "بجروح",
		"injured", "injuring", "wounded", "wounding", "injuries", "hurt", "treated for", "were treated")
	o("missing", 2, "مفقود", "مفقودين", "فقدان", "فقد", "مجهول المصير", "في عداد المفقودين", "missing", "unaccounted for")
	o("detained", 1, "أسرى", "أسر", "رهائن", "captive", "captives", "hostage", "hostages", "اعتقال", "اعتقل", "اعتقلت", "اعتقلوا", "احتجز", "احتجزت", "احتجزوا", "اعتقالهم", "معتقل", "معتقلين", "احتجاز", "اختطاف", "خطف", "اختطفت", "اختطفوا",
		"خطفت", "اقتادت", "مخطوف", "مخطوفين",
		"arrested", "detained", "abducted", "kidnapped", "rounded up")
	o("displaced", 1, "نزوح", "نازح", "نازحين", "نزح", "تهجير", "مهجر", "مهجرين", "فرار", "displaced", "fled", "displacement")

	c := categories.add
	c("civilians", 1, "مدني", "مدنيين", "مدنيون", "المدنيين", "أهالي", "الأهالي", "سكان", "مواطن", "مواطنين",
		"أشخاص مدنيين", "civilian", "civilians", "residents", "civilian people",
		"عائلة", "عائلتين", "عائلات", "أسرة", "family", "families",
		// People named by what they do or where they live are civilians.
		"قرويين", "مزارعين", "عمال", "رعاة", "ركاب", "مصلين", "متظاهرين", "محتجين", "نازحين", "مريض", "مريضين", "مرضى", "مدنيات",
		"villagers", "farmers", "workers", "shepherds", "passengers", "worshippers", "protesters", "demonstrators",
		"patients", "displaced people", "refugees",
		"مسيحيين", "إيزيديين", "إيزيديات", "دروز", "آشوريين", "christians", "druze", "yazidis", "assyrians", "alawites")
	// Students are children at a school, civilians elsewhere (see
	// studentsAt).
	c("students", 1, "طلاب", "طالبات", "طالب", "طالبة", "طلبة", "students", "student", "schoolgirls", "schoolboys")
	// "People" says nothing of who they were.
	c("unknown", 1, "أشخاص", "شخص", "شخصين", "people", "persons")
	c("children", 2, "طفل", "أطفال", "طفلة", "طفلين", "الأطفال", "قاصر", "قاصرين", "رضيع", "child", "children", "kids", "boy",
		"girl", "boys", "girls", "minors", "infant", "toddler")
	c("women", 2, "امرأة", "نساء", "سيدة", "سيدات", "النساء", "امرأتين", "woman", "women")
	c("men", 1, "رجل", "رجال", "شاب", "شبان", "شباب", "شقيق", "أشقاء", "إخوة", "man", "men", "young men", "brothers")
	// Not أبناء: "من أبناء المدينة" are its natives.
	c("children", 1, "تلاميذ", "تلميذ", "ابن", "ابنة", "ابنتين", "ابنين", "pupils", "schoolchildren", "أطفالهما", "أطفالها", "أطفاله", "sons", "daughters")
	c("elderly", 2, "مسن", "مسنين", "مسنة", "كبار السن", "عجوز", "elderly", "old man", "old woman")
	c("medical_personnel", 2, "طبيب", "أطباء", "ممرض", "ممرضة", "مسعف", "مسعفين", "كوادر طبية", "كادر طبي",
		"doctor", "doctors", "nurse", "nurses", "medic", "medics", "paramedic", "paramedics", "health worker", "health workers", "medical staff", "medical workers",
		"عامل صحي", "عاملين صحيين", "كادر صحي")
	c("journalists", 2, "صحفي", "صحفيين", "إعلامي", "إعلاميين", "ناشط إعلامي", "ناشطين إعلاميين", "مصور", "journalist", "journalists",
		"reporter", "media activist", "photographer")
	c("civil_defence", 2, "الدفاع المدني", "متطوع في الدفاع المدني", "متطوعين في الدفاع المدني", "الخوذ البيضاء",
		"civil defence", "civil defense", "White Helmets", "rescue workers", "rescuers")
	c("humanitarian", 2, "عمال إغاثة", "عامل إغاثة", "موظف إغاثة", "متطوعي الهلال الأحمر", "متطوعين في الهلال الأحمر",
		"الهلال الأحمر", "aid workers", "aid worker", "humanitarian workers", "Red Crescent volunteers")
	c("fighters", 1, "عنصر", "عناصر", "مقاتل", "مقاتلين", "مقاتلو", "مسلح", "مسلحين", "جندي", "جنود", "عسكري", "عسكريين",
		"fighter", "fighters", "militants", "militant", "terrorists", "إرهابيين", "الإرهابيين", "soldiers", "soldier", "troops", "gunmen", "المهاجمين", "attackers", "assailants")

	v := claimVerbs.add
	v("denial", 3, "نفى", "نفت", "ينفي", "تنفي", "نفي", "أنكر", "denied", "denies", "deny", "rejected the accusations", "dismissed",
		"rejected",
		// The participle after the main verb: "قال قيادي … إن القتلى سقطوا
		// «خلال المعارك»، نافياً استهداف المدنيين", "…, denying any role".
		"نافيا", "نافية", "نافين", "denying")
	v("acknowledgement", 3, "اعترف", "اعترفت", "أقر", "أقرت", "admitted", "acknowledged", "conceded", "confirmed")
	v("accusation", 2, "اتهم", "اتهمت", "اتهموا", "يتهم", "تتهم", "حمل المسؤولية", "حملت المسؤولية", "accused", "accuses", "blamed")
	v("responsibility_claim", 3, "تبنى", "تبنت", "أعلن مسؤوليته", "أعلنت مسؤوليتها", "claimed responsibility", "claimed the attack",
		// The present, in what a party publishes: "نشر التنظيم بياناً يتبنى
		// فيه الهجوم", "a statement claiming the attack".
		"يتبنى", "تتبنى", "claiming responsibility", "claiming the attack")
	v("statement", 1, "قال", "قالت", "صرح", "صرحت", "أكد", "أكدت", "أعلن", "أعلنت", "أفاد", "أفادت", "أوضح",
		"said", "says", "stated", "announced", "statement", "told",
		// A condemnation states the condemner's account: "ودانت وزارة
		// الخارجية السورية الغارات", "the foreign ministry condemned".
		"دان", "دانت", "أدان", "أدانت", "ندد", "نددت", "condemned", "condemns", "denounced",
		// Describing the attack is an account of it: "ووصفت وزارة الخارجية
		// السورية التفجير بأنه «جريمة نكراء»", "the ministry described the raid as".
		"وصف", "وصفت", "described")
	v("report_by_outlet", 2, "ذكرت", "ذكر", "نقلت", "نقل", "بحسب", "حسب", "وفق", "وفقا", "نشرت", "نشر", "أوردت",
		"posted", "published",
		"according to", "reported", "reports", "quoted",
		// The participle names the source the report goes on: "SANA said,
		// citing a military source", "نقلت سانا … نقلاً عن مصدر".
		"citing", "quoting", "نقلا عن")

	a := actorCues.add
	a("perpetrator", 1, "مصدره", "مصدرها", "من قبل", "برصاص", "بنيران", "بقصف", "برصاص عناصر", "على أيدي", "بأيدي", "نفذه", "نفذها", "شنه", "شنها", "شنته", "شنتها", "على يد", "بقصف من",
		"by", "carried out by", "launched by", "conducted by", "blamed on", "attributed to",
		// Where the fire came from: "أُطلق الصاروخ من مواقع قوات النظام",
		// "the rockets were fired from SDF positions".
		"أطلق من", "أطلقت من", "fired from", "launched from")

	// Cues after the party: it stands behind the attack ("قالت وزارة
	// الداخلية إن «جبهة النصرة» تقف وراء الهجوم", "officials said the
	// Islamic State was behind the bombing").
	b := behindCues.add
	b("perpetrator", 1, "تقف وراء", "يقف وراء", "وقفت وراء", "وقف وراء", "تقف خلف", "يقف خلف", "المسؤولة عن الهجوم",
		"was behind", "were behind", "is behind", "are behind", "had been behind", "carried it out")

	out := outlets.add
	for slug, names := range map[string][]string{
		"reuters": {"رويترز", "Reuters"}, "afp": {"فرانس برس", "وكالة الصحافة الفرنسية", "AFP", "Agence France-Presse"},
		"ap": {"أسوشيتد برس", "Associated Press", "AP"}, "interfax": {"انترفاكس", "إنترفاكس", "إنترفاكاس", "Interfax"},
		"sana": {"سانا", "وكالة سانا", "SANA"}, "sohr": {"المرصد السوري لحقوق الإنسان", "المرصد السوري", "SOHR", "Syrian Observatory for Human Rights", "Syrian Observatory"},
		"al_jazeera": {"الجزيرة", "قناة الجزيرة", "Al Jazeera"}, "al_arabiya": {"العربية", "قناة العربية", "Al Arabiya"},
		"smart_news": {"سمارت", "وكالة سمارت", "SMART News", "Smart News Agency"}, "enab_baladi": {"عنب بلدي", "Enab Baladi"},
		"raqqa_is_being_slaughtered_silently": {"الرقة تذبح بصمت", "Raqqa is Being Slaughtered Silently", "RBSS"},
		"snhr":                                {"الشبكة السورية لحقوق الإنسان", "Syrian Network for Human Rights", "SNHR"},
		"airwars":                             {"إيروورز", "Airwars"}, "tass": {"تاس", "TASS"}, "sputnik": {"سبوتنيك", "Sputnik"},
		"hawar_news": {"هاوار", "وكالة هاوار", "ANHA", "Hawar News", "Hawar"}, "amaq": {"أعماق", "وكالة أعماق", "Amaq"},
		"furat_post": {"فرات بوست", "Furat Post"}, "al_ikhbariya": {"الإخبارية السورية", "قناة الإخبارية", "الإخبارية", "Al-Ikhbariya", "Syrian Ikhbariya"},
		"ayn_al_furat": {"عين الفرات", "Ayn al-Furat"}, "anadolu": {"الأناضول", "وكالة الأناضول", "Anadolu", "Anadolu Agency"},
		"al_manar": {"المنار", "قناة المنار", "Al-Manar", "Al Manar"}, "north_press": {"نورث برس", "North Press"},
		"syria_tv": {"تلفزيون سوريا", "Syria TV"}, "zaman_al_wasl": {"زمان الوصل", "Zaman al-Wasl"},
		"step_news": {"ستيب نيوز", "Step News"}, "orient": {"أورينت", "Orient News"}, "bbc": {"بي بي سي", "BBC"},
		"deir_ezzor_24": {"دير الزور 24", "Deir Ezzor 24"}, "sound_and_picture": {"صوت وصورة", "Sound and Picture"},
	} {
		out(slug, 1, names...)
	}
}

// actorLexicon is built from the actors vocabulary: every label and alias
// in both languages, and the short forms reports use.
func actorLexicon(actors []actorNames) *lexicon {
	l := newLexicon()
	for _, a := range actors {
		names := append([]string{a.labelAR, a.labelEN}, a.aliases...)
		for _, n := range names {
			// Labels carry explanations in brackets: "(قسد)", "(until December 2024)".
			if i := strings.IndexAny(n, "(（"); i > 0 {
				inner := strings.Trim(n[i:], "()（） ")
				n = strings.TrimSpace(n[:i])
				if len([]rune(inner)) <= 6 && strings.ToUpper(inner) == inner {
					l.add(a.code, 1, inner) // قسد, SDF, ISIS; not "(Syria)"
				}
			}
			if ambiguousActorName[n] {
				continue
			}
			l.add(a.code, 1, n)
		}
	}
	return l
}

type actorNames struct {
	code, labelAR, labelEN string
	aliases                []string
}

// protected are the places the laws of war protect: an attack that hits
// one is also an attack on a protected object.
var protected = newLexicon()

// hitWords say that something was hit.
var hitWords = newLexicon()

func init() {
	protected.add("object", 1, "مستشفى", "مشفى", "المستشفى", "المشفى", "مستشفيات", "نقطة طبية", "مركز طبي", "مستوصف", "عيادة",
		"مدرسة", "مدارس", "المدرسة", "مسجد", "جامع", "كنيسة", "فرن", "مخبز", "مركز للدفاع المدني", "مركز الدفاع المدني",
		"مخيم", "مخيم للنازحين", "خيام النازحين", "خيام", "tents", "محطة مياه", "hospital", "hospitals", "clinic", "medical point", "health centre", "school", "schools",
		"mosque", "church", "bakery", "civil defence centre", "camp", "displacement camp", "water station")
	hitWords.add("hit", 1, "استهدف", "استهدفت", "استهداف", "أصاب", "أصابت", "سقط", "سقطت", "قصف", "ضرب", "ضربت", "أخرجته عن الخدمة",
		"طال", "طالت", "دمر", "دمرت", "أحرق", "أحرقت", "set fire to", "damaged", "destroyed",
		"خارج الخدمة", "عن الخدمة", "تستهدف", "يستهدف", "تقصف", "يقصف", "hit", "struck", "strike", "targeted", "targeting", "target",
		"shelled", "bombed", "out of service")
}

// singular names one person of a category: counted as 1 when no figure
// comes with it ("مقتل امرأتين وطفل", "a nurse was killed").
var singular = newLexicon()

func init() {
	s := singular.add
	s("children", 1, "طفل", "طفلة", "رضيع", "رضيعة", "فتى", "فتاة", "child", "boy", "girl", "baby", "infant", "toddler", "teenager", "pupil")
	s("women", 1, "امرأة", "سيدة", "والدتهم", "والدتها", "والدته", "أمهم", "أمها", "أمه", "woman", "mother", "wife", "sister")
	// The analyser folds زوجة to زوج and شقيقته to شقيقت: the feminine
	// forms are told apart from the text (see feminine).
	s("men", 1, "رجل", "شاب", "زوج", "زوجها", "زوجته", "والد", "والده", "شقيق", "شقيقه", "شقيقته", "man", "young man", "husband", "brother")
	// A son or daughter killed with a parent is a child in these reports.
	s("children", 1, "ابن", "ابنه", "ابنها", "ابنة", "ابنته", "ابنتها", "طفله", "طفلها", "son", "daughter")
	s("elderly", 1, "مسن", "مسنة", "عجوز", "elderly man", "elderly woman", "old man", "old woman", "elderly")
	s("medical_personnel", 1, "ممرض", "ممرضة", "طبيب", "طبيبة", "مسعف", "nurse", "doctor", "medic", "paramedic", "health worker")
	s("journalists", 1, "صحفي", "صحفية", "إعلامي", "ناشط إعلامي", "مصور", "journalist", "reporter", "photographer", "media activist")
	s("civil_defence", 1, "متطوع في الدفاع المدني", "عنصر في الدفاع المدني", "civil defence volunteer", "civil defense volunteer", "rescue worker")
	s("fighters", 1, "عنصر", "مقاتل", "جندي", "fighter", "soldier", "militant")
	s("humanitarian", 1, "متطوع في الهلال الأحمر", "متطوعا في الهلال الأحمر", "عامل إغاثة", "aid worker", "Red Crescent volunteer")
	s("civilians", 1, "مدني", "مريض", "patient", "مزارع", "راعي", "راعي أغنام", "civilian", "farmer", "shepherd", "passer-by", "passerby", "bystander")
	// Names that hold those words but count nobody.
	s("", 1, "الدفاع المدني", "المجتمع المدني", "المجلس المدني", "مجلس مدني", "الإدارة المدنية", "السجل المدني", "civil defence",
		"civilian council", "civil council", "civilian casualties", "civilian deaths", "civilian areas", "civilian targets")
}

// ambiguousActorName are vocabulary names that mean something else more
// often than the party ("إلى جهة مجهولة": to an unknown place).
var ambiguousActorName = map[string]bool{"جهة مجهولة": true}

// The words around a party that say what it is to the act: the lexicons
// of the actor and claim rules.
var (
	// titles stand between a claim verb and the party speaking: the office,
	// body or rank that speaks for it ("نفى المتحدث باسم قسد", "قال المكتب
	// الإعلامي لمجلس دير الزور العسكري", "a Russian defence ministry official
	// said", "an SDF spokesman confirmed").
	titles = newLexicon()
	// affiliated joins a body to the party it belongs to ("قوى الأمن الداخلي
	// التابعة لقسد", "the SDF-affiliated council"): the party speaks and acts
	// through it.
	affiliated = newLexicon()
	// speakers are who speak in reports without being a party: a claim
	// verb whose subject is one of them is nobody's claim ("قال ناشطون",
	// "اتهم ناشطون قوات النظام", "residents said", "they blamed").
	speakers = newLexicon()
	// holders say that the party next to them holds or backs something,
	// not that it did anything: "الخاضعة لسيطرة فصائل المعارضة", "المدعوم
	// من قسد", "controlled by HTS", "the opposition-held district",
	// "Turkish-backed factions".
	holdersBefore = newLexicon()
	holdersAfter  = newLexicon()
	// civilNouns are things a nationality adjective qualifies without
	// naming the state's forces: "المشافي التركية", "the Turkish border".
	civilNouns = newLexicon()
	// clashes name fighting between parties: each side is a perpetrator
	// ("اشتباكات بين هيئة تحرير الشام وحركة نور الدين الزنكي", "SDF fighters
	// battled Islamic State").
	clashes = newLexicon()
	// bothSides: the dead are from both sides of the fighting ("قتل 12
	// عنصرا من الطرفين", "on both sides").
	bothSides = newLexicon()
	// actVerbs are verbs of violence that are not incident kinds: in Arabic
	// their subject follows them ("اغتال مسلحون مجهولون", "داهمت عناصر من
	// ميليشيات …"), in English it comes before ("Coalition strikes hit …").
	actVerbs = newLexicon()
	// images are what a party publishes of its own operation: doing so is
	// claiming it ("نشر التنظيم صوراً للعملية", "posted pictures of the
	// killings online").
	images = newLexicon()
	// unknownAuthor names the author of an attack as unknown: "لم تعرف
	// الجهة المسؤولة", "لم تتمكن من تحديد الجهة المنفذة".
	unknownAuthor = newLexicon()
	// negations, before an attack word in a party's statement, make it a
	// denial: "قال إن قواته «لم تستهدف المدنيين»", "said it did not target".
	negations = newLexicon()
	// deniedDeeds, negated in a party's statement, deny the attack like
	// an attack word: "لم تنفذ أي مهام", "لا تتحمل أي مسؤولية", "bore no
	// responsibility", "did not carry out any strikes".
	deniedDeeds = newLexicon()
	// refutations call an accusation false: a party's statement that
	// holds one denies ("قال مسؤول تركي إن الاتهامات «لا أساس لها»",
	// "a Turkish official told Anadolu that the accusation was
	// 'baseless'").
	refutations = newLexicon()
	// employers: an outlet named as someone's employer is not reporting
	// ("صحفيين يعملان لصالح قناة أورينت", "a reporter working for …").
	employers = newLexicon()
	// actWords are the first words of the English verbs of violence as
	// written (see doc.acts).
	actWords = map[string]bool{}
)

// addActs registers verbs of violence in actVerbs and their English
// first words in actWords.
func addActs(phrases ...string) {
	actVerbs.add("act", 1, phrases...)
	for _, p := range phrases {
		if f := strings.Fields(p); len(f) > 0 && isLatin(strings.ToLower(f[0])) {
			actWords[strings.ToLower(f[0])] = true
		}
	}
}

func init() {
	titles.add("title", 1, "وزارة", "الوزارة", "الخارجية", "الداخلية", "الدفاع", "متحدث", "المتحدث", "الناطق", "ناطق", "باسم",
		"المكتب", "مكتب", "بياناً", "الإعلامي", "الإعلامية", "القيادة", "العامة", "العام", "القيادي", "قيادي", "قياديون", "رئاسة", "الأركان",
		"هيئة الأركان", "مسؤول", "المسؤول", "مسؤولون", "مصدر", "مصادر", "عسكري", "عسكرية", "رفيع", "أمني", "أمنية", "قوى", "الأمن",
		"الداخلي", "جهاز", "الذراع", "مجلس", "المجلس", "العسكري", "قائد", "القائد", "بيان", "في", "إحدى", "أحد", "الرسمي", "الرسمية",
		"spokesman", "spokeswoman", "spokesperson", "for", "of", "the", "a", "an", "ministry", "defence", "defense", "foreign",
		"interior", "official", "officials", "military", "source", "sources", "commander", "s", "as", "media", "office",
		"council", "command", "general", "staff", "security",
		// a body's centre: "Russia's reconciliation centre in Syria said".
		"centre", "center", "مركز",
		// units of a party: "داهمت عناصر من ميليشيات تابعة للحرس الثوري",
		// "خلايا داعش", "Hezbollah fighters and Syrian government forces".
		"عناصر", "عنصر", "خلايا", "خلية", "دورية", "مقاتلون", "مقاتلين", "مقاتلو", "مجموعة", "ميليشيات", "ميليشيا",
		"fighters", "members", "militants", "cells", "cell", "units", "unit",
		// factions of a side: "rebel factions and the Nusra Front".
		"factions", "faction", "فصائل")
	affiliated.add("affiliated", 1, "التابع", "التابعة", "تابع", "تابعة", "affiliated", "affiliated to", "affiliated with",
		"belonging to", "loyal to")
	speakers.add("speaker", 1, "ناشطون", "ناشطين", "ناشط", "ناشطة", "الناشطين", "أهالي", "الأهالي", "سكان", "السكان", "شهود", "زملاء",
		"مراسل", "طبيب", "أطباء", "مزارعون", "أقارب", "ذوو", "ذوي", "مصادر محلية", "مصادر طبية", "مصادر أهلية", "مصدر طبي", "مصدر محلي",
		"residents", "resident", "activists", "activist", "witnesses", "villagers", "relatives", "doctors", "farmers", "locals",
		"local", "medics", "rescuers", "they", "he", "she", "we", "family",
		// State media with no outlet named speak for no party: "State
		// media said the army had …", "وقال الإعلام الرسمي إن الجيش …".
		"state media", "state television", "state TV", "state-run media", "الإعلام الرسمي", "وسائل إعلام رسمية",
		"وسائل الإعلام الرسمية", "التلفزيون الرسمي")
	holdersBefore.add("holder", 1, "سيطرة", "لسيطرة", "الخاضعة لسيطرة", "المدعوم من", "المدعومة من", "المدعومين من",
		"controlled by", "held by", "backed by", "supported by", "run by", "used by", "manned by", "control of",
		// Who leads a coalition of factions is named, not said to act:
		// "opposition factions led by HTS", "فصائل بقيادة هيئة تحرير الشام".
		"led by", "بقيادة")
	holdersAfter.add("holder", 1, "held", "controlled", "backed", "supported", "run")
	civilNouns.add("civil", 1, "الحدود", "حدود", "المشافي", "المستشفيات", "مشافي", "الأراضي", "الليرة", "الهلال", "المدن", "البلدات",
		"الولاية", "المواطنين", "اللغة", "الجنسيات", "الجنسية", "border", "borders", "hospital", "hospitals", "territory", "lira", "town", "city", "village",
		"province", "citizens", "nationals", "nationality", "language", "Red Crescent")
	clashes.add("between", 1, "اشتباكات", "اشتباك", "مواجهات", "clashes", "clash",
		// The fighting of the incident, named as its kind: "street
		// fighting between the YPG and …", "مواجهات مسلحة بين"; not
		// "الفرار من المعارك بين …", the war around it.
		"street fighting", "heavy fighting", "fierce fighting", "مواجهات مسلحة", "اشتباكات عنيفة",
		// Fighting followed by "between": "Fighting between HTS and Ahrar
		// al-Sham spread to …", "اقتتال بين الفصائل".
		"fighting", "اقتتال")
	clashes.add("verb", 1, "battled", "fought", "clashed with")
	// Battles count only with whom they were fought: "بعد معارك عنيفة
	// استمرت أكثر من شهر مع فصائل المعارضة", "after battles with the
	// SDF" (see clashWith).
	clashes.add("with", 1, "معارك", "معارك عنيفة", "battles", "fierce battles")
	bothSides.add("both", 1, "من الطرفين", "من الجانبين", "من كلا الطرفين", "on both sides", "from both sides", "of both sides")
	addActs("اغتال", "اغتالت", "اغتالوا", "داهم", "داهمت", "داهموا", "هاجم", "هاجمت", "اقتحم", "اقتحمت", "شن", "شنت",
		"ألقى", "ألقت", "أطلق", "أطلقت", "أطلقتها", "أمهل", "أمهلت", "فرض", "فرضت", "جدد", "جددت", "قصفت", "ضربت", "forced", "killed",
		"hit", "struck", "raided", "stormed", "assassinated", "attacked", "pounded", "seized", "dropped", "fired", "joined the assault",
		"carried out", "launched",
		// The present and relative forms: "القصف الذي تشنه قوات
		// النظام", "يشن التنظيم هجمات"; cutting off food: "Government
		// forces have blocked food from entering".
		"تشن", "يشن", "تشنه", "يشنه", "تشنها", "يشنها", "blocked", "blockaded",
		// Carrying out an operation, keeping food out, blowing something
		// up, slipping in to attack: "نفذت قسد عملية إنزال", "وتمنع قوات
		// النظام دخول الطحين", "فجّر عناصر من التنظيم الكنيسة", "تسلل عناصر
		// من داعش إلى المدينة", "Government forces have prevented food from
		// entering", "militants crucified eight men".
		"نفذ", "نفذت", "نفذوا", "تمنع", "يمنع", "منعت", "فجر", "فجرت", "فجروا", "تسلل", "prevented", "prevent", "prevents",
		"crucified", "infiltrated", "blew up",
		// Cutting a town off, ambushing, striking back: "أغلقت قوات النظام
		// الطريق الوحيد", "government forces cut the Castello Road",
		// "gunmen ambushed a patrol", "Turkey said it had retaliated".
		"أغلق", "أغلقت", "قطع", "قطعت", "cut", "ambushed", "retaliated")
	images.add("image", 1, "صور", "صورا", "صورة", "مقطع", "مقطعا", "فيديو", "تسجيل", "تسجيلا", "شريط",
		"pictures", "photos", "images", "video", "videos", "footage")
	unknownAuthor.add("unidentified", 1, "الجهة المسؤولة", "الجهة المنفذة", "الجهة التي تقف وراء", "هوية المنفذين", "هوية المهاجمين",
		"unknown perpetrators", "unidentified attackers", "unknown attackers", "unknown assailants")
	// Nobody claimed it: "لم تتبنَّ أي جهة التفجير", "No group claimed
	// responsibility for the bombings": the author is unknown unless the
	// report accuses a party.
	unknownAuthor.add("unclaimed", 1, "أي جهة", "no group claimed", "no group has claimed", "no one claimed", "no one has claimed", "nobody claimed",
		"nobody has claimed", "no party claimed")
	negations.add("not", 1, "لم", "ولم", "لا", "ولا", "not", "never", "no")
	deniedDeeds.add("deed", 1, "تنفذ", "ينفذ", "نفذ", "نفذت", "تتحمل", "يتحمل", "مسؤولية", "responsibility", "responsible",
		"carry out", "carried out", "conduct", "conducted",
		// Taking part, operating: "إن سلاح الجو الروسي «لم يشارك في أي
		// عمليات»", "Russian aircraft had not operated in the area".
		"يشارك", "تشارك", "شارك", "شاركت", "participate", "participated", "take part", "took part", "taken part", "operate", "operated")
	refutations.add("false", 1, "لا أساس لها", "لا أساس له", "عارية عن الصحة", "عار عن الصحة", "باطلة", "مفبركة", "ملفقة", "كاذبة",
		"baseless", "unfounded", "groundless", "fabricated", "false claims", "false accusations")
	employers.add("employer", 1, "لصالح", "يعمل", "يعملان", "يعملون", "تعمل", "working for", "works for", "worked for", "employed by")
}
