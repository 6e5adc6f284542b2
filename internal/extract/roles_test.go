package extract_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// TestRoles: the actor and claim rules on sentences written for the test
// (not from the gold set): each wants some facts ("actor sdf/source",
// "claim denial/russia") and not others.
func TestRoles(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := extract.New(vs)
	for _, c := range []struct {
		text      string
		want, not []string
	}{
		// Speakers that are no party: nobody's claim; the accused is the perpetrator.
		{"واتهم سكان محليون قوات النظام بقصف الحي بقذائف الهاون.",
			[]string{"actor syrian_government/perpetrator"}, []string{"claim statement/syrian_government", "actor syrian_government/source"}},
		{"Residents said Russian jets struck the market in Maarat al-Numan.",
			[]string{"actor russia/perpetrator"}, []string{"claim statement/russia"}},
		// Titles between the verb and the party; a body affiliated to it.
		{"ونفى المتحدث باسم التحالف الدولي وقوع إصابات بين المدنيين في الغارة.",
			[]string{"claim denial/us_coalition", "actor us_coalition/source"}, nil},
		{"وقال مصدر في الشرطة العسكرية التابعة للجيش الوطني إن الحادثة قيد التحقيق.",
			[]string{"claim statement/opposition", "actor opposition/source"}, nil},
		{"A Russian defence ministry spokesman denied the report.",
			[]string{"claim denial/russia", "actor russia/source"}, []string{"claim statement/russia"}},
		// The head noun of a party's name repeats it.
		{"اعتقلت حركة أحرار الشام ثلاثة ناشطين في إدلب. وقالت الحركة في بيان إنهم متهمون بالتخابر.",
			[]string{"actor opposition/perpetrator", "claim statement/opposition", "actor opposition/source"}, nil},
		// A statement that its forces did not attack is a denial.
		{"وقالت وزارة الدفاع الروسية إن طائراتها لم تقصف أي منشآت مدنية في إدلب.",
			[]string{"claim denial/russia"}, []string{"claim statement/russia"}},
		// Publishing pictures of an operation claims it.
		{"ونشرت هيئة تحرير الشام مقطعاً مصوراً للهجوم على الحاجز.",
			[]string{"claim responsibility_claim/hts", "actor hts/source"}, nil},
		// Holding a place is no part in the attack.
		{"قصفت قوات النظام بلدة كفرنبل الخاضعة لسيطرة هيئة تحرير الشام.",
			[]string{"actor syrian_government/perpetrator", "actor hts/other"}, []string{"actor hts/perpetrator"}},
		{"Syrian government helicopters dropped barrel bombs on the rebel-held town of Kafr Zita, activists said.",
			[]string{"actor syrian_government/perpetrator", "actor opposition/other"}, []string{"actor opposition/perpetrator"}},
		// An unknown author.
		{"انفجرت عبوة ناسفة في سوق المدينة، ولم تعرف الجهة المسؤولة عن التفجير.",
			[]string{"actor unidentified/perpetrator"}, nil},
		{"واقتيد الشاب إلى جهة مجهولة.", nil, []string{"actor unidentified/perpetrator", "actor unidentified/other"}},
		// Both sides of a clash.
		{"قتل ثمانية عناصر من الطرفين في اشتباكات بين قوات النظام وتنظيم داعش في البادية.",
			[]string{"actor syrian_government/perpetrator", "actor syrian_government/victim_side", "actor isis/perpetrator", "actor isis/victim_side"}, nil},
		// The subject of a verb of violence, with its unit between.
		{"اقتحمت دورية تابعة للأمن العسكري منزل الناشط في درعا.",
			[]string{"actor syrian_security_services/perpetrator"}, nil},
		{"Regime forces killed five civilians in Daraa.", []string{"actor syrian_government/perpetrator"}, nil},
		// Fighters killed are their party's losses; militants killing are the killers.
		{"Two SDF fighters were killed in a Turkish drone strike.",
			[]string{"actor sdf/victim_side", "actor turkey/perpetrator"}, nil},
		{"ISIS militants killed three shepherds near Palmyra.",
			[]string{"actor isis/perpetrator"}, []string{"actor isis/victim_side"}},
		// Positions said to be hit are not yet a victim.
		{"وقالت وزارة الدفاع التركية إن طائراتها استهدفت مواقع لقسد في ريف الحسكة.",
			[]string{"actor turkey/source", "actor sdf/other"}, []string{"actor sdf/victim_side"}},
		// "Turkish-backed X": the backer is no author.
		{"Turkish-backed factions shelled the village of Tal Tamr, the SDF said.",
			[]string{"actor opposition/perpetrator", "claim statement/sdf", "actor sdf/source"}, []string{"actor turkey/perpetrator"}},
		{"Clashes between the SDF and Turkish-backed rebels near Manbij killed four fighters on both sides.",
			[]string{"actor sdf/perpetrator", "actor sdf/victim_side", "actor opposition/perpetrator", "actor opposition/victim_side"}, nil},
		// A nationality of a civilian thing; words that only look like a name.
		{"Hundreds of families fled towards the Turkish border after the shelling.", nil, []string{"actor turkey/other"}},
		{"The town is controlled by HTS, and the shelling is continuing.", []string{"actor hts/other"}, []string{"actor isis/other", "actor hts/perpetrator"}},
		{"هجّرت الوحدات الكردية سكان القرى العربية في ريف الرقة.", nil, []string{"claim report_by_outlet/al_arabiya"}},
		{"وهي تحالف من المقاتلين المحليين.", nil, []string{"actor us_coalition/other"}},
		// An outlet named as an employer does not report.
		{"اعتقلت هيئة تحرير الشام صحفيين يعملان لصالح قناة أورينت في إدلب.",
			[]string{"actor hts/perpetrator"}, []string{"claim report_by_outlet/orient"}},
		// "The group" is the armed group named before.
		{"Islamic State beheaded two men in Mayadin. The group later posted pictures of the killings.",
			[]string{"actor isis/perpetrator", "claim responsibility_claim/isis", "actor isis/source"}, nil},
		// A claim word inside a name, an adjective, a noun.
		{"Islamic State fighters shelled the town. The army said it struck 'confirmed terrorist targets'.",
			nil, []string{"claim statement/isis", "claim acknowledgement/isis"}},
		{"Russia's defence ministry dismissed reports of strikes on schools.",
			[]string{"claim denial/russia"}, []string{"claim statement/russia"}},
		// The Syrian state's bodies named alone: the government of the day;
		// next to another nationality, that state's.
		{"ونفت وزارة الخارجية السورية أن يكون الجيش قد استهدف الأحياء السكنية.",
			[]string{"claim denial/syrian_government", "actor syrian_government/source"}, nil},
		{"The foreign ministry condemned the bombing of the hospital in Aleppo.",
			[]string{"claim statement/syrian_government", "actor syrian_government/source"}, nil},
		{"Turkey's defence ministry said its artillery returned fire near Tal Rifaat.",
			[]string{"claim statement/turkey"}, []string{"actor syrian_government/source", "claim statement/syrian_government"}},
		{"وقالت وزارة الدفاع الروسية إن الطائرات دمرت مستودعاً للذخيرة.",
			[]string{"claim statement/russia"}, []string{"actor syrian_government/source"}},
		{"وقال محافظ اللاذقية إن القذائف سقطت على حي سكني.",
			[]string{"claim statement/syrian_government"}, nil},
		{"سقطت قذائف على محافظة اللاذقية.", nil, []string{"actor syrian_government/other"}},
		{"Army troops shelled the village at dawn.", []string{"actor syrian_government/perpetrator"}, nil},
		{"The Lebanese army closed the border crossing.", nil, []string{"actor syrian_government/perpetrator", "actor syrian_government/other"}},
		{"وأغلق الجيش اللبناني المعبر الحدودي.", nil, []string{"actor syrian_government/perpetrator", "actor syrian_government/other"}},
		{"قصف الجيش التركي قرية في ريف الحسكة.", []string{"actor turkey/perpetrator"}, []string{"actor syrian_government/perpetrator"}},
		// A party that speaks to an outlet is the claimant.
		{"وقال مسؤول سوري لوكالة سانا إن الطائرات لم تقصف أي مستشفى.",
			[]string{"claim denial/syrian_government", "actor syrian_government/source", "claim report_by_outlet/sana"}, nil},
		// After an English verb a party is its subject only at the clause's end.
		{"State television said the army had retaken the village.",
			nil, []string{"claim statement/syrian_government", "actor syrian_government/source"}},
		{"Two shells landed in Kilis overnight, said a Turkish military official.",
			[]string{"claim statement/turkey", "actor turkey/source"}, nil},
		// Negated responsibility or deeds deny the attack.
		{"A Russian official said Moscow's forces bore no responsibility for the deaths.",
			[]string{"claim denial/russia"}, []string{"claim responsibility_claim/russia"}},
		{"وقالت وزارة الدفاع التركية إن طائراتها لم تنفذ أي طلعات فوق عفرين.",
			[]string{"claim denial/turkey"}, []string{"claim statement/turkey"}},
		{"وقالت وزارة الدفاع التركية، في بيان نقلته وكالة الأناضول، إن طائراتها لم تقصف أي قرية.",
			[]string{"claim denial/turkey"}, []string{"claim statement/turkey"}},
		{"A Turkish official told Anadolu that the army had warned the villagers and that Ankara bore no responsibility for the blast.",
			[]string{"claim denial/turkey", "actor turkey/source"}, []string{"claim responsibility_claim/turkey"}},
		{"Russia's military centre at the Hmeimim air base said rebels had shelled Mhardeh.",
			[]string{"claim statement/russia", "actor russia/source"}, nil},
		// An armed group saying it struck claims it; a state only states it.
		{"وقالت حركة أحرار الشام في بيان إنها استهدفت بالمدفعية مواقع قوات النظام.",
			[]string{"claim responsibility_claim/opposition", "actor opposition/source"}, []string{"claim statement/opposition"}},
		{"وقالت وزارة الدفاع التركية إنها استهدفت مواقع لقسد.",
			[]string{"claim statement/turkey"}, []string{"claim responsibility_claim/turkey"}},
		{"The SDF said two of its fighters were wounded by shelling.",
			[]string{"claim statement/sdf"}, []string{"claim responsibility_claim/sdf"}},
		// The denier is no author when another party is one.
		{"Turkish-backed factions shelled Ain Issa. The Turkish defence ministry denied any role.",
			[]string{"actor turkey/source", "claim denial/turkey"}, []string{"actor turkey/perpetrator"}},
		{"واتهمت قسد الفصائل الموالية لتركيا بقصف القرية، بينما نفت تركيا أي علاقة لها بالقصف.",
			[]string{"actor opposition/perpetrator", "claim denial/turkey"}, []string{"actor turkey/perpetrator"}},
		// A party that speaks may also be just mentioned.
		{"The town is held by the SDF. The SDF said it had evacuated the civilians.",
			[]string{"actor sdf/other", "actor sdf/source"}, nil},
		// "The militias" are the party last named with that noun.
		{"The SDF holds the east bank. Iranian-backed militias shelled the farms, and the militias later fired on shepherds.",
			[]string{"actor iran/perpetrator"}, []string{"actor sdf/perpetrator"}},
		// Other words of a party's stem.
		{"وقالت وزارة الدفاع التركية إن قواتها قتلت عناصر من التنظيمات الإرهابية.", nil,
			[]string{"actor isis/victim_side", "actor isis/other"}},
		{"Coalition strikes killed fighters from ISIS near Hajin.",
			[]string{"actor isis/victim_side"}, nil},
		// A place in an English body's name.
		{"The SDF's Tabqa Military Council said two civilians were hurt.",
			[]string{"claim statement/sdf", "actor sdf/source"}, nil},
		// Backed by weapons is no backer; led by a party is no act of it.
		{"Regime troops backed by tanks stormed the village of Kafr Nabudah.",
			[]string{"actor syrian_government/perpetrator"}, []string{"actor syrian_government/other"}},
		{"Rebel factions led by HTS entered the town after Russian jets struck it.",
			[]string{"actor russia/perpetrator", "actor hts/other"}, []string{"actor hts/perpetrator"}},
		// Parties joined through a unit or "including".
		{"نزح الأهالي هرباً من القصف الذي تشنه قوات النظام ومقاتلو الميليشيات الإيرانية على البلدة.",
			[]string{"actor syrian_government/perpetrator", "actor iran/perpetrator"}, nil},
		{"قتل مدنيان برصاص فصائل المعارضة، ومنها هيئة تحرير الشام، في ريف حماة.",
			[]string{"actor opposition/perpetrator", "actor hts/perpetrator"}, nil},
		// The incident's fighting, not the war around it.
		{"فرّ المدنيون من المعارك بين قسد وتنظيم داعش نحو المخيمات.",
			nil, []string{"actor sdf/perpetrator", "actor isis/perpetrator"}},
		{"Street fighting between the YPG and the NDF killed four people.",
			[]string{"actor ypg/perpetrator", "actor ndf/perpetrator"}, nil},
		// Barracks are a target; American forces are the coalition's.
		{"وقالت هيئة تحرير الشام إنها قصفت ثكنة لقوات النظام قرب حماة.",
			[]string{"actor hts/source", "actor syrian_government/other"}, []string{"actor syrian_government/perpetrator"}},
		{"قصفت طائرات أمريكية مواقع لتنظيم داعش قرب البوكمال.",
			[]string{"actor us_coalition/perpetrator"}, nil},
		{"The Asayish arrested two activists in Qamishli.", []string{"actor sdf/perpetrator"}, nil},
		{"Regime forces blocked aid convoys from entering Madaya.", []string{"actor syrian_government/perpetrator"}, nil},
		// A claimant keeps its losses; its own men hit make it a victim side.
		{"The SDF said three of its fighters were killed when Turkish drones struck a base near Kobani.",
			[]string{"actor sdf/source", "actor sdf/victim_side", "claim statement/sdf"}, nil},
		{"وقالت قسد إن اثنين من مقاتليها قتلا بقصف تركي على عين عيسى.",
			[]string{"actor sdf/source", "actor sdf/victim_side"}, nil},
		// A claim word after a closing quote is no quoted word.
		{"The Turkish army 'firmly' denied shelling the village.", []string{"claim denial/turkey"}, nil},
		// An official responsible for something is no claim of responsibility;
		// a commander among the dead makes his party a victim side.
		{"وقالت وزارة الدفاع التركية إن الغارة أسفرت عن مقتل قيادي في قسد مسؤول عن الهجمات.",
			[]string{"claim statement/turkey", "actor sdf/victim_side"}, []string{"claim responsibility_claim/turkey"}},
		{"قتل خمسة أشخاص بينهم قيادي في وحدات حماية الشعب بقصف تركي.", []string{"actor ypg/victim_side"}, nil},
		// A Syrian body is no other party's; a quoted party is the object.
		{"واتهمت وزارة الداخلية السورية «هيئة تحرير الشام» بتنفيذ الهجوم.",
			[]string{"claim statement/syrian_government", "actor syrian_government/source", "actor hts/perpetrator"}, nil},
		// The United States, other spellings, the other ministries.
		{"A US drone strike hit a car near Sarmada, and CENTCOM said it had targeted an al-Qaeda leader.",
			[]string{"actor us_coalition/perpetrator", "claim statement/us_coalition"}, nil},
		{"Jaish al-Islam fighters shelled the Abbasiyin district.", []string{"actor opposition/perpetrator"}, nil},
		{"The local administration ministry confirmed that the houses had been demolished.",
			[]string{"claim acknowledgement/syrian_government", "actor syrian_government/source"}, nil},
		// A party a preposition governs before an attack noun with ب is the object.
		{"اغتال مسلحون مجهولون قيادياً سابقاً في الجيش الوطني بإطلاق النار عليه في الباب.",
			[]string{"actor unidentified/perpetrator"}, []string{"actor opposition/perpetrator"}},
		// A verb with its object pronoun: the party after it is the subject.
		{"عثر الأهالي على جثث عشرة رعاة أعدمهم عناصر من تنظيم داعش.",
			[]string{"actor isis/perpetrator"}, []string{"actor isis/victim_side"}},
		// An English verb of hitting before the party makes it the target.
		{"Turkish jets struck an SDF depot near Qamishli.", []string{"actor turkey/perpetrator", "actor sdf/other"}, []string{"actor sdf/perpetrator"}},
		// A sniper or checkpoint of the party; fire launched from its positions.
		{"أصيب مدني برصاص قناص من حاجز لقوات النظام.", []string{"actor syrian_government/perpetrator"}, nil},
		{"وقال الأهالي إن القذائف أطلقت من مواقع قسد.", []string{"actor sdf/perpetrator"}, nil},
		// Carrying out, keeping food out, blowing up; not dawn (فجر).
		{"وتمنع قوات النظام دخول الأدوية إلى البلدة المحاصرة.", []string{"actor syrian_government/perpetrator"}, nil},
		{"Government forces and allied militias have prevented medicine from entering the town.",
			[]string{"actor syrian_government/perpetrator"}, nil},
		{"فجّر عناصر من تنظيم داعش جسراً على نهر الفرات.", []string{"actor isis/perpetrator"}, nil},
		{"وصلت، فجر اليوم، قوات النظام إلى أطراف المدينة بعد قصف روسي.", []string{"actor russia/perpetrator"}, []string{"actor syrian_government/perpetrator"}},
		// Present and descriptive claim words; negated and relative ones are none.
		{"ونشرت هيئة تحرير الشام بياناً تتبنى فيه الهجوم على الحاجز.",
			[]string{"claim responsibility_claim/hts", "actor hts/perpetrator"}, nil},
		{"ووصفت وزارة الخارجية السورية القصف بأنه «عدوان سافر».", []string{"claim statement/syrian_government"}, nil},
		{"انفجرت سيارة مفخخة في سوق المدينة، ولم تتبنَّ أي جهة التفجير.",
			[]string{"actor unidentified/perpetrator"}, []string{"claim responsibility_claim/unidentified", "actor unidentified/source"}},
		{"انفجرت عبوة ناسفة في السوق. ولم تتبنَّ أي جهة التفجير، فيما اتهمت قسد تنظيم داعش بتنفيذه.",
			[]string{"actor isis/perpetrator"}, []string{"actor unidentified/perpetrator"}},
		{"A roadside bomb killed two farmers. No group claimed responsibility.", []string{"actor unidentified/perpetrator"}, nil},
		{"وتبنى جيش الإسلام قصف ما وصفه بمراكز أمنية في دمشق.",
			[]string{"claim responsibility_claim/opposition", "actor opposition/perpetrator"}, []string{"claim statement/opposition"}},
		// Who claims an attack is its author even where others are named.
		{"Regime jets bombed Douma. Jaish al-Islam claimed responsibility for shelling Damascus.",
			[]string{"actor opposition/perpetrator", "actor syrian_government/perpetrator"}, nil},
		// The sides of a clash, over the bodies a side is made of.
		{"اندلعت اشتباكات عنيفة منذ يومين بين «الفيلق الثالث» التابع لـ«الجيش الوطني» من جهة، و«هيئة تحرير الشام» من جهة أخرى، وقتل عشرة عناصر من الطرفين.",
			[]string{"actor opposition/perpetrator", "actor hts/perpetrator", "actor hts/victim_side"}, nil},
		{"Fighting between the SDF and Turkish-backed factions killed six fighters on both sides.",
			[]string{"actor sdf/perpetrator", "actor sdf/victim_side", "actor opposition/victim_side"}, nil},
		// "forces" is no "forced".
		{"The SDF denied any role, saying none of its forces were near the town.",
			[]string{"claim denial/sdf"}, []string{"claim responsibility_claim/sdf"}},
		// A party taking part in another's act.
		{"نفذت قسد بمشاركة طائرات التحالف عملية إنزال في ريف دير الزور.",
			[]string{"actor sdf/perpetrator", "actor us_coalition/perpetrator"}, nil},
		// Who was told is no claimant.
		{"Families turned back at army checkpoints were told their homes had been seized.",
			nil, []string{"claim statement/syrian_government", "actor syrian_government/source"}},
		// A nationality inside an organisation's name.
		{"The Syrian American Medical Society says four doctors were kidnapped.",
			nil, []string{"actor us_coalition/source", "claim statement/us_coalition"}},
		// The state's agency quoting an unnamed official.
		{"ونقلت وكالة سانا عن مصدر عسكري قوله إن وحدات الجيش تصدت لهجوم.",
			[]string{"claim statement/syrian_government", "actor syrian_government/source", "claim report_by_outlet/sana"}, nil},
		// The party quoted follows the outlet's full name; what it says
		// may deny the attack (taking part is the attack too).
		{"ونقلت وكالة «سبوتنيك» عن وزارة الدفاع الروسية قولها إن قاذفاتها لم تشارك في قصف البلدة.",
			[]string{"claim denial/russia", "actor russia/source", "claim report_by_outlet/sputnik"}, []string{"claim statement/russia"}},
		{"Sputnik news agency quoted the Russian defence ministry as saying its bombers had not operated over the town.",
			[]string{"claim denial/russia", "actor russia/source"}, nil},
		// بحسب looks forward only: the party before it is no source.
		{"قتل ثلاثة مدنيين بقصف مدفعي لقوات النظام، بحسب فريق الدفاع المدني.",
			[]string{"actor syrian_government/perpetrator"}, []string{"claim statement/syrian_government", "actor syrian_government/source"}},
		// The denial in the second clause of what was said.
		{"The Turkish defence ministry said its troops had secured the crossing and that Turkish jets had not taken part in the raid.",
			[]string{"claim denial/turkey"}, []string{"claim statement/turkey"}},
		// The participle of denial after the main verb.
		{"وقال متحدث باسم قسد إن الضحايا سقطوا بنيران مجهولة، نافياً مسؤولية قواته عن الحادثة.",
			[]string{"claim denial/sdf", "actor sdf/source"}, []string{"claim statement/sdf"}},
		// Calling the accusation false denies it.
		{"وقال مسؤول تركي إن الاتهامات الموجهة للجيش التركي «عارية عن الصحة».",
			[]string{"claim denial/turkey"}, []string{"claim statement/turkey"}},
		{"An SDF official told Hawar News that the reports were 'unfounded'.",
			[]string{"claim denial/sdf"}, []string{"claim statement/sdf"}},
		// What was said begins at "that", past the words between.
		{"Hayat Tahrir al-Sham said in a message shared by its media office that its fighters had shelled the barracks.",
			[]string{"claim responsibility_claim/hts", "actor hts/perpetrator", "actor hts/source"}, nil},
		// A state announcing its own strike states it and is its author.
		{"وأعلن الجيش التركي أنه قصف مواقع لوحدات حماية الشعب قرب تل رفعت.",
			[]string{"claim statement/turkey", "actor turkey/perpetrator", "actor turkey/source"}, []string{"claim responsibility_claim/turkey"}},
		// The state's officers in a province; the administration the SDF runs.
		{"The governor of Hama said two children were among the dead.",
			[]string{"claim statement/syrian_government", "actor syrian_government/source"}, nil},
		{"وقال مسؤول في هيئة الداخلية التابعة للإدارة الذاتية إن التحقيق جارٍ.",
			[]string{"claim statement/sdf", "actor sdf/source"}, nil},
		// Parties joined over a unit or weapon of the second.
		{"اقتحمت قوات النظام وعناصر من ميليشيا الدفاع الوطني حي الوعر.",
			[]string{"actor syrian_government/perpetrator", "actor ndf/perpetrator"}, []string{"actor ndf/other"}},
		{"Rebel factions and the Nusra Front shelled the army's positions.",
			[]string{"actor opposition/perpetrator", "actor hts/perpetrator"}, nil},
		// Clashes "with" a party: both sides; a side whose men fell.
		{"دخلت قوات النظام بلدة مورك بعد معارك عنيفة دامت أسبوعين مع فصائل المعارضة.",
			[]string{"actor syrian_government/perpetrator", "actor opposition/perpetrator"}, nil},
		{"The SDF took the village after heavy fighting with Islamic State militants.",
			[]string{"actor sdf/perpetrator", "actor isis/perpetrator"}, nil},
		{"قتل سبعة عناصر من قسد في اشتباكات اندلعت ليلاً قرب الشدادي.",
			[]string{"actor sdf/perpetrator", "actor sdf/victim_side"}, nil},
		// A claimant keeps its side of a clash; fighting alongside is no clash.
		{"وقالت قسد في بيان إن مقاتليها خاضوا اشتباكات عنيفة مع عناصر داعش قرب هجين.",
			[]string{"actor sdf/source", "actor sdf/perpetrator", "actor isis/perpetrator"}, nil},
		{"The prisoners were militiamen who had fought alongside government forces, the rebels said.",
			nil, []string{"actor syrian_government/perpetrator"}},
		// Cutting off a town, ambushing, striking back.
		{"أغلقت قوات النظام معبر مخيم اليرموك الوحيد منذ شهرين.",
			[]string{"actor syrian_government/perpetrator"}, nil},
		{"Gunmen from Islamic State ambushed an army convoy near Palmyra.",
			[]string{"actor isis/perpetrator"}, nil},
		// Unknown gunmen are the authors of what they did.
		{"عثر الأهالي على جثة شاب قرب الطريق، وكان مسلحون مجهولون قد أوقفوه على الطريق مساء أمس.",
			[]string{"actor unidentified/perpetrator"}, []string{"actor unidentified/other"}},
		// Members of a party killed: its victim side, in either order.
		{"Unknown gunmen attacked a Military Intelligence checkpoint, killing three of its members.",
			[]string{"actor syrian_security_services/victim_side"}, nil},
		{"An Israeli strike killed a Hezbollah commander near Qusayr.",
			[]string{"actor hezbollah/victim_side", "actor israel/perpetrator"}, []string{"actor hezbollah/other"}},
		// A party's agency claiming for it: the party is the author.
		{"Islamic State claimed the bombing in a statement carried by its Amaq agency.",
			[]string{"actor isis/perpetrator", "claim responsibility_claim/isis"}, []string{"actor isis/other"}},
		// A party named again in its own statement is only the speaker.
		{"وقالت وزارة الدفاع التركية إن القوات التركية تواصل تعزيز نقاطها في إدلب.",
			[]string{"actor turkey/source"}, []string{"actor turkey/other"}},
		// Public order is no regime.
		{"وأطلق عناصر حفظ النظام النار على المتظاهرين في الساحة.", nil,
			[]string{"actor syrian_government/perpetrator", "actor syrian_government/other"}},
		// A party said to stand behind the attack.
		{"وقال مصدر في قسد إن خلايا تنظيم داعش تقف وراء عملية الاغتيال.",
			[]string{"actor isis/perpetrator"}, nil},
		{"Turkey's interior ministry said the YPG was behind the car bombing in Afrin.",
			[]string{"actor ypg/perpetrator"}, nil},
		// A party's targets; its positions named after it.
		{"وأعلنت وزارة الدفاع الروسية أن طائراتها دمرت ١٥ هدفاً لهيئة تحرير الشام وقتلت ٣٠ من عناصرها.",
			[]string{"actor hts/victim_side"}, []string{"actor hts/perpetrator"}},
		{"Turkish artillery shelled government positions near Saraqeb, killing six soldiers.",
			[]string{"actor turkey/perpetrator", "actor syrian_government/victim_side"}, []string{"actor syrian_government/perpetrator"}},
		{"The town came back under government control last spring.",
			[]string{"actor syrian_government/other"}, nil},
		// Who keeps the prison where people were held and tortured.
		{"وروى معتقل سابق أفرجت عنه فصائل المعارضة في صفقة تبادل أنه تعرض للتعذيب في أحد أفرع المخابرات الجوية.",
			[]string{"actor syrian_security_services/perpetrator"}, nil},
		// The claimant's wording and the progressive are no claim, no passive.
		{"Turkey said its drones had hit regime positions, killing what it said were dozens of soldiers.",
			[]string{"claim statement/turkey"}, []string{"claim statement/syrian_government", "actor syrian_government/source"}},
		{"The Russian defence ministry said its aircraft were striking Nusra Front militants near Idlib.",
			[]string{"actor hts/other"}, []string{"actor hts/perpetrator"}},
		// "بحسب ما نقلت" reports; the state agency citing an official source
		// quotes the state.
		{"قُتل جنديان بانفجار لغم قرب تدمر، بحسب ما نقلت وكالة سانا عن مصدر عسكري قال إن الانفجار وقع صباحاً.",
			[]string{"claim statement/syrian_government", "actor syrian_government/source"}, nil},
		{"A mortar shell hit a bakery in Aleppo, SANA said, citing a police source who said three people were hurt.",
			[]string{"claim statement/syrian_government", "actor syrian_government/source", "claim report_by_outlet/sana"}, nil},
		// Counted fighters of a party among the dead are its losses.
		{"غارة تركية قتلت، فجر الأحد، ثلاثة عناصر من قسد قرب القامشلي.",
			[]string{"actor turkey/perpetrator", "actor sdf/victim_side"}, []string{"actor sdf/perpetrator"}},
		{"قُتل في المعارك سبعة عناصر من تنظيم داعش وأربعة من مقاتلي قسد.",
			[]string{"actor isis/victim_side", "actor sdf/victim_side"}, nil},
		// A foreign army named by the possessive is no Syrian army.
		{"Unidentified drones struck a truck near Nasib on Friday, killing two smugglers. Jordan's army has struck smugglers before but did not comment.",
			nil, []string{"actor syrian_government/perpetrator", "actor syrian_government/other"}},
		// Jaish al-Islam's former name.
		{"وتبنّى «لواء الإسلام» تفجير مقر أمني في دمشق.",
			[]string{"claim responsibility_claim/opposition", "actor opposition/perpetrator"}, nil},
		// An Arabic sentence opening with the parties, the verb after them.
		{"القوات الروسية وقوات النظام قصفت، فجر الخميس، بلدة كفرنبودة بريف حماة.",
			[]string{"actor russia/perpetrator", "actor syrian_government/perpetrator"}, nil},
		// A party before "بعد" / "after" belongs to the clause before.
		{"Hundreds of families fled towards Turkey after Russian air strikes hit Kafr Nabl.",
			[]string{"actor russia/perpetrator"}, []string{"actor turkey/perpetrator"}},
		// The country across a border is a place.
		{"فرّت مئات العائلات نحو القرى الحدودية مع تركيا، بعد قصف مدفعي لقوات النظام.",
			[]string{"actor syrian_government/perpetrator"}, []string{"actor turkey/perpetrator", "actor turkey/other"}},
		// In a report of detention, the party's checkpoint made the arrest.
		{"اعتُقل الشاب على حاجز للأمن العسكري عند مدخل مدينة إزرع.",
			[]string{"actor syrian_security_services/perpetrator"}, nil},
		{"Two students were detained at an SDF checkpoint near Manbij on Monday.",
			[]string{"actor sdf/perpetrator"}, nil},
		// "the group" in a commander's account is the speaker's group.
		{"A commander of Jaish al-Islam told Reuters that the group had shelled army barracks in Damascus.",
			[]string{"claim responsibility_claim/opposition"}, []string{"claim statement/opposition"}},
		// Rejecting a deal denies nothing.
		{"Russian officers said the SDF had rejected a ceasefire proposal for Manbij.",
			nil, []string{"claim denial/sdf"}},
	} {
		r := x.Extract(c.text, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
		got := map[string]bool{}
		for _, f := range r.Facts {
			switch f.Type {
			case extract.TypeActor:
				got["actor "+f.Value+"/"+f.Role] = true
			case extract.TypeClaim:
				got["claim "+f.Claim.Kind+"/"+f.Claim.By] = true
			}
		}
		checkFacts(t, c.text, got, c.want, c.not)
	}
}

// checkFacts reports the wanted facts missing from got and the unwanted
// ones in it.
func checkFacts(t *testing.T, text string, got map[string]bool, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !got[w] {
			t.Errorf("%q: no %s (got %v)", text, w, keys(got))
		}
	}
	for _, n := range not {
		if got[n] {
			t.Errorf("%q: unwanted %s", text, n)
		}
	}
}

// TestRolesAfterAssad: after December 2024 the Syrian state's bodies are
// the transitional government's.
func TestRolesAfterAssad(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	text := "ونفت وزارة الخارجية السورية أن يكون الجيش قد استهدف الأحياء السكنية."
	r := extract.New(vs).Extract(text, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	got := map[string]bool{}
	for _, f := range r.Facts {
		switch f.Type {
		case extract.TypeActor:
			got["actor "+f.Value+"/"+f.Role] = true
		case extract.TypeClaim:
			got["claim "+f.Claim.Kind+"/"+f.Claim.By] = true
		}
	}
	checkFacts(t, text, got, []string{"claim denial/syrian_transitional_government", "actor syrian_transitional_government/source"},
		[]string{"actor syrian_government/source"})
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return strings.Join(out, ", ")
}
