"""Hand labels of real article-version pairs for compare (issue 12), written to
tests/data/compare_labels.jsonl; every snippet is checked to occur in its text.

Labelled by reading both texts (and a plain word diff) before running compare on them.
split "tune": pairs used to choose rules and thresholds; "eval": only evaluated.
Optional changes/maybe pairs (ambiguous to a careful reader) count neither way.
Run: .venv/bin/python -m bench.build_compare_labels"""
import json
S000 = "sample_corpus/000_1929e489469e94e8.txt"
S001 = "sample_corpus/001_34ca63989ef690dc.txt"
S003 = "sample_corpus/003_31c3cd67ccc5e9e6.txt"
def ecb(f): return {"origin": "ecbplus-dev.jsonl", "file": f}
def sample(p): return {"origin": p}
def ch(kind, a=None, b=None, optional=False, note="", a_after=None, b_after=None):
    d = {"kind": kind, "a": a, "b": b}
    if a_after: d["a_after"] = a_after
    if b_after: d["b_after"] = b_after
    if optional: d["optional"] = True
    if note: d["note"] = note
    return d
def al(a, b, maybe=False):
    d = {"a": a, "b": b}
    if maybe: d["maybe"] = True
    return d
rows = []
rows.append({
 "id": "sample-000-001", "split": "tune", "a": sample(S000), "b": sample(S001),
 "note": "original (Mail on Sunday) against a dated rewrite that credits the Daily Mail",
 "changes": [
  ch("name_changed", "The Mail on Sunday", "Daily Mail", note="source of the story renamed"),
  ch("hedging_changed", "Sources say", "Sources reveal", note="a claim reported becomes a revelation"),
  ch("hedging_changed", "believe", "suspect", a_after="British diplomats"),
  ch("hedging_changed", "would effectively", "could effectively"),
  ch("attribution_changed", "One source said", "One source stated"),
  ch("title_changed", "President", None, a_after="They have tried to distract"),
  ch("hedging_changed", "uses force", "might use force"),
  ch("title_changed", "President", None, a_after="MAGA faction around"),
  ch("title_changed", "President", None, a_after="would not allow"),
  ch("title_changed", "President", None, a_after="If "),
  ch("attribution_changed", "The cable says", "The cable outlines"),
  ch("title_changed", "President", None, a_after="For domestic political reasons,"),
  ch("title_changed", "President", None, a_after="officials fear that, for"),
  ch("quote_altered", "sticks", "will stick"),
  ch("quote_altered", "breaks", "break", a_after="sticks closely"),
  ch("brackets_changed", "[to sanction Trump’s approach]", "to sanction Trump's approach"),
  ch("quote_removed", "‘The generals think", None, note="dropped quotation, nothing in B stands for it"),
  ch("quote_removed", "“absolute necessity”", None),
 ],
 "aligned": [
  al("President Donald Trump has ordered his special", "Donald Trump has directed his special"),
  al("President Trump has ordered special forces", "Donald Trump has directed his special", maybe=True),
  al("President Donald Trump has directed senior", "Donald Trump has directed his special", maybe=True),
  al("Sources say that the policy", "Sources reveal that"),
  al("Sources say that the policy", "They are eager to act quickly"),
  al("British diplomats believe", "British diplomats suspect"),
  al("But such a dramatic move", "Such a move, however"),
  al("According to the sources, the President", "According to insider reports"),
  al("According to the sources, the President", "However, the joint chiefs of staff oppose it"),
  al("However, senior military leaders", "However, the joint chiefs of staff oppose it", maybe=True),
  al("One source said: ‘They have tried", "One source stated"),
  al("Diplomats have war-gamed", "Diplomats have explored"),
  al("One diplomatic cable describes", "One diplomatic cable describes"),
  al("It adds: ‘Some European", "It adds, \"Some European"),
  al("Since Congress would not allow President Trump", "Since Congress would not allow Trump"),
  al("If President Trump wants to end NATO", "If Trump wants to end NATO"),
  al("Under the ‘Compromise Scenario’", "Under the proposed"),
  al("Although America already", "Although the United States already"),
  al("The cable says:", "The cable outlines:"),
  al("‘European officials fear", "European officials fear that, for Trump"),
  al("The NATO summit on July 7", "The NATO summit on July 7"),
  al("It concludes: ‘The current", "It concludes: \"The current"),
  al("The UK’s positioning will be key", "The UK's positioning will be key"),
 ],
})
rows.append({
 "id": "sample-000-003", "split": "eval", "a": sample(S000), "b": sample(S003),
 "note": "original against an undated heavy rewrite with a headline",
 "changes": [
  ch("hedging_changed", "has ordered his special", "allegedly", note="claim made 'alleged'"),
  ch("quote_removed", "‘hawks’", None, note="quoted term dropped from the aligned sentence"),
  ch("hedging_changed", "would effectively lead", "could fracture", optional=True, note="if the two sentences are counterparts"),
  ch("quote_removed", "‘They have tried to distract", "less controversial measures", note="quotation turned into narration"),
  ch("quote_added", None, "“cat-and-mouse game,”", note="new quotation credited to 'one insider'"),
  ch("quote_removed", "‘escalatory scenario’", None, note="quoted term not in B's counterpart sentence"),
  ch("quote_altered", "dealing with", "“managing", note="'dealing with a five-year-old' becomes 'managing a five-year-old'"),
  ch("attribution_changed", "A diplomatic source said", "according to a senior officer"),
  ch("hedging_changed", None, "reportedly", optional=True),
  ch("attribution_changed", "One diplomatic cable describes", "the cables warn", note="speech verb of 'destruction of NATO from the inside'"),
  ch("hedging_changed", "as leading to", "could trigger", optional=True),
  ch("quote_removed", "‘Some European officials suspect", "European officials suspect that the true aim", note="quotation paraphrased"),
  ch("negation_changed", "this is the real aim", "not merely", optional=True, note="contrast, not a denial"),
  ch("name_changed", "Congress would not allow", "founding members", note="who cannot permit the exit changes"),
  ch("name_changed", "President Trump full military", "the U.S. full military", note="access granted to Trump vs the U.S."),
  ch("quote_added", None, "“diplomatic victory”"),
  ch("quote_removed", "‘For domestic political reasons", "The timing of the plan", note="cable quotation paraphrased"),
  ch("quote_removed", "‘The current concerns", "Diplomatic sources suggest", note="cable quotation paraphrased"),
  ch("attribution_changed", "It concludes", "Diplomatic sources suggest", optional=True, note="source of a paraphrased quotation"),
  ch("wording_changed", "to sanction", "in favor of"),
  ch("hedging_changed", "will be key", "is seen as pivotal", optional=True),
  ch("quote_removed", "“absolute necessity”", None),
 ],
 "aligned": [
  al("President Donald Trump has ordered his special", "Donald Trump has allegedly ordered"),
  al("President Trump has ordered special forces", "Donald Trump has allegedly ordered"),
  al("President Donald Trump has directed senior", "Donald Trump has allegedly ordered", maybe=True),
  al("Sources say that the policy", "According to sources close to the White House"),
  al("But such a dramatic move", "The plan, if executed", maybe=True),
  al("But such a dramatic move", "British diplomats have expressed", maybe=True),
  al("But such a dramatic move", "However, the invasion would directly", maybe=True),
  al("British diplomats believe", "They believe Trump’s motivations"),
  al("Sources say that the policy", "They believe Trump’s motivations", maybe=True),
  al("According to the sources, the President", "Joint Special Operations Command (JSOC) has been tasked"),
  al("According to the sources, the President", "They argue that the operation would be"),
  al("However, senior military leaders", "They argue that the operation would be", maybe=True),
  al("However, senior military leaders", "Joint Special Operations Command (JSOC) has been tasked", maybe=True),
  al("One source said: ‘They have tried", "One insider described"),
  al("They say it’s like dealing", "The military’s frustration"),
  al("So they are trying to deflect", "The military’s frustration", maybe=True),
  al("Diplomats have war-gamed", "Diplomatic cables leaked"),
  al("One diplomatic cable describes", "Diplomatic cables leaked"),
  al("One diplomatic cable describes", "Such an action, the cables warn"),
  al("It adds: ‘Some European", "European officials suspect that the true aim"),
  al("It adds: ‘Some European", "Sources within the administration suggest", maybe=True),
  al("Since Congress would not allow", "By occupying the territory"),
  al("If President Trump wants to end NATO", "By occupying the territory", maybe=True),
  al("Under the ‘Compromise Scenario’", "However, Trump’s administration is pushing"),
  al("Although America already", "Although America already"),
  al("Although America already", "Despite the controversy"),
  al("The NATO summit on July 7", "The timing of the plan"),
  al("The UK’s positioning will be key", "The UK’s stance on the issue"),
  al("The UK’s positioning will be key", "Diplomatic sources suggest"),
  al("‘European officials fear", "European officials, however, remain skeptical", maybe=True),
 ],
})
rows.append({
 "id": "ecb-7_1-7_3", "split": "tune", "a": ecb("7_1ecbplus.xml"), "b": ecb("7_3ecbplus.xml"),
 "note": "AP boxing story: ESPN copy against the CBC update (more detail, reordered attribution)",
 "changes": [],
 "aligned": [
  al("Wladimir Klitschko retains belts", "Wladimir Klitschko stops Tony Thompson to retain"),
  al("Wladimir Klitschko stopped Tony", "Wladimir Klitschko stopped Tony"),
  al("The 36-year-old champion Klitschko", "Klitschko put Thompson on the canvas"),
  al("The Ukrainian champion dropped", "The Ukrainian champion dropped"),
  al("\"Thompson was not so easy", "\"Thompson was not so easy"),
  al("I'm satisfied, \" Klitschko said.", "I'm satisfied, \" said the 36-year-old"),
  al("In 2008, Klitschko stopped", "Klitschko finished the fight five rounds"),
  al("Thompson, the mandatory", "Thompson, who was the mandatory"),
  al("After the fight, Klitschko led", "After the fight, Klitschko led"),
  al("\"Tony Thompson is very hard", "\"Tony Thompson is very hard"),
  al("\"Tony was watching", "\"Tony was watching"),
  al("A cagey opening round", "A cagey opening round"),
  al("Thompson briefly stepped up", "Thompson briefly stepped up"),
  al("Klitschko finally landed", "Klitschko finally landed"),
  al("The champion cornered", "The champion cornered"),
  al("\"I got caught", "\"I got caught"),
  al("\"He's strong", "\"He's strong"),
  al("Klitschko extended the domination", "Klitschko extended the domination"),
  al("Vitali was in his brother's corner", "Vitali was in his brother's corner"),
  al("The elder Klitschko will defend", "The elder Klitschko will defend"),
 ],
})
rows.append({
 "id": "ecb-23_3-23_6", "split": "tune", "a": ecb("23_3ecbplus.xml"), "b": ecb("23_6ecbplus.xml"),
 "note": "climbers' deaths: Telegraph against The Australian (units converted, name spelling fixed, police quotations dropped)",
 "changes": [
  ch("number_changed", "200ft", "60m"),
  ch("name_changed", "Raite", "Rait", b_after="attempted to rescue"),
  ch("number_changed", "2, 000ft", "600m"),
  ch("quote_removed", "\"insufficiently\"", None),
  ch("quote_removed", "\"They had hired", None),
  ch("quote_removed", "\"At this stage", None),
 ],
 "aligned": [
  al("English and Australian climbers fall", "Australian, English climbers killed"),
  al("One Australian and one English", "ONE Australian and one English"),
  al("Police Inspector Dave Gaskin", "Police Inspector Dave Gaskin"),
  # The passage splitter cuts this sentence after "Aoraki-Mt."; its second half is the same pair.
  al("Cook National Park were not related", "Cook National Park were not related"),
  al("He said they come", "He said they come"),
  al("On Friday, 36-year-old", "On Friday, 36-year-old"),
  al("The New Zealand-born", "The New Zealand-born"),
  al("He ’ d been dropped", "He'd been dropped"),
  al("Gaskin said that other climbers", "Gaskin said that other climbers"),
  al("On Saturday, 32-year-old", "On Saturday, 32-year-old"),
  al("Gaskin said Buckley", "Gaskin said Buckley"),
 ],
})
rows.append({
 "id": "ecb-45_3-45_9", "split": "tune", "a": ecb("45_3ecbplus.xml"), "b": ecb("45_9ecbplus.xml"),
 "note": "AP court story: NewsOK (with headline) against KXII ('A local newspaper' named)",
 "changes": [],
 "aligned": [
  al("An Oklahoma man has pleaded", "An Oklahoma man has pleaded"),
  al("Trial is set for June 17", "Trial is set for June 17"),
  al("A local newspaper reports", "The Southwest Times Record reports"),
  al("Flynn's body was found", "Flynn's body was found"),
  al("Prosecutors allege", "Prosecutors allege"),
  al("Lawyers for Simpson", "Lawyers for Simpson"),
 ],
})
rows.append({
 "id": "ecb-37_7-37_8", "split": "eval", "a": ecb("37_7ecbplus.xml"), "b": ecb("37_8ecbplus.xml"),
 "note": "Aceh earthquake: GlobalPost against sott.net copy (sentences merged, speech verb changed)",
 "changes": [
  ch("attribution_changed", "told", "said", a_after="Bensu", note="'Bensu Elianita told the AP' -> 'said ... Bensu Elianita to the AP'"),
 ],
 "aligned": [
  al("Powerful earthquake injures dozens", "Powerful 6.1 magnitude earthquake"),
  al("A powerful 6.1 magnitude earthquake hit", "A powerful 6.1 magnitude earthquake hit"),
  al("Dozens have been reported", "Dozens have been reported"),
  al("The epicenter of the quake", "The epicenter of the quake"),
  al("It took place at 7:37", "The epicenter of the quake"),
  al("Although it's unknown", "Although it's unknown"),
  al("The quake appears", "The quake appears"),
  al("\"I see many houses", "\"I see many houses"),
  al("\"Many people were injured", "\"Many people were injured"),
  al("\"We have received", "\"We have received"),
  al("Aceh was hit extremely hard", "Aceh was hit extremely hard"),
  al("The rebuilding process", "The rebuilding process"),
  al("At least 50 reported injured", "Powerful 6.1 magnitude earthquake", maybe=True),
 ],
})
rows.append({
 "id": "ecb-23_1-23_2", "split": "eval", "a": ecb("23_1ecbplus.xml"), "b": ecb("23_2ecbplus.xml"),
 "note": "Stuff.co.nz story updated a day later: second death, new police quotations",
 "changes": [
  ch("number_changed", "Climber dead", "Two climbers", note="headline: one climber becomes two"),
  ch("quote_added", None, "''The fall was unsurvivable,\""),
  ch("quote_added", None, "''Resources are tight"),
  ch("quote_added", None, "''I can't speak for the first death"),
 ],
 "aligned": [
  al("Climber dead after", "Two climbers killed"),
  al("A 36-year-old Australian climber is dead", "Yesterday, a 36-year-old"),
  al("The man, from Hampton East", "The man, from Hampton East"),
  al("A Westpac Rescue", "A Westpac Rescue"),
  al("When it got there", "When it got there"),
  al("The man is thought", "The man is thought"),
 ],
})
rows.append({
 "id": "ecb-45_11-45_6", "split": "eval", "a": ecb("45_11ecbplus.xml"), "b": ecb("45_6ecbplus.xml"),
 "note": "AP court story on two TV sites; only the time line differs", "changes": [], "aligned": [],
})
rows.append({
 "id": "ecb-31_11-31_6", "split": "eval", "a": ecb("31_11ecbplus.xml"), "b": ecb("31_6ecbplus.xml"),
 "note": "AP basketball story: Yahoo against AP (capitalised headline, dash)", "changes": [], "aligned": [],
})
rows.append({
 "id": "ecb-21_1-21_9", "split": "eval", "a": ecb("21_1ecbplus.xml"), "b": ecb("21_9ecbplus.xml"),
 "note": "NY1 hit-and-run story and a cached copy ('Accident' added to the headline)", "changes": [], "aligned": [],
})
# Added after the first evaluation run, labelled the same way before compare saw them.
rows.append({
 "id": "ecb-37_1-37_4", "split": "eval", "a": ecb("37_1ecbplus.xml"), "b": ecb("37_4ecbplus.xml"),
 "note": "Aceh quake, AFP story: Inquirer's later version (five dead) against NDTV's earlier one (a child dead)",
 "changes": [
  ch("number_changed", "Five dead", "child dead", note="headline death toll"),
  ch("number_changed", "at least five people", "killed a child", note="lead death toll"),
  ch("quote_removed", "\"A man was working", None),
  ch("quote_removed", "\"His body was found", None),
  ch("quote_added", "One of the fatalities was a child", "\"A child died when a wall collapsed", note="narration in A, quotation in B"),
  ch("quote_altered", "sustained", "suffered", a_after="We have received"),
 ],
 "aligned": [
  al("Five dead, dozens injured", "Dozens injured, child dead"),
  al("A powerful earthquake in Indonesia's Aceh", "A 6.1-magnitude earthquake which hit"),
  al("The 6.1-magnitude quake struck inland", "The quake struck inland"),
  al("It destroyed houses in the district", "Houses collapsed in the district"),
  al("Five people had so far been confirmed", "A 6.1-magnitude earthquake which hit", maybe=True),
  al("One of the fatalities was a child", "\"A child died when a wall"),
  al("\"We have received", "\"We have received"),
  al("\"There are around 30", "\"There are around 30"),
  al("The rest have only light", "The rest have only light"),
  al("Injured people had been", "Injured people had been"),
  al("People ran outside in panic", "People ran outside in panic"),
  al("\"The quake was felt", "\"The quake was felt"),
  al("People panicked and rushed", "People panicked and rushed"),
  al("Aceh, on the northern tip", "Aceh, on the northern tip"),
  al("In 2004 a massive tremor", "In 2004 a massive tremor"),
  al("In April last year", "In April last year"),
  al("Five people died and seven", "Five people died and seven"),
  al("In September 2009", "In September 2009"),
  al("Indonesia sits on the Pacific", "Indonesia sits on the Pacific"),
 ],
})
rows.append({
 "id": "ecb-19_7-19_8", "split": "eval", "a": ecb("19_7ecb.xml"), "b": ecb("19_8ecb.xml"),
 "note": "Greek riots, Reuters story: short version against the longer one (speech verb changed, new quotation)",
 "changes": [
  ch("attribution_changed", "she said", "she told Reuters"),
  ch("quote_added", None, "\"Someone has to understand"),
  ch("negation_changed", None, "not acting", optional=True, note="new criticism, not a denial of A"),
 ],
 "aligned": [
  al("Greek government under fire", "Greek government under fire over"),
  al("A week of violence", "A week of violence"),
  al("The shooting of a 15-year-old", "The December 6 killing"),
  al("This comes at a time", "The December 6 killing"),
  al("While the violence has generally", "While the violence generally"),
  al("Prime Minister Costas Karamanlis", "Prime Minister Costas Karamanlis"),
  al("An opinion poll published", "An opinion poll published"),
  al("\"I'm tired of coming", "\"I'm tired of coming"),
  al("You think it's going", "You think it's going"),
  al("\"The government should", "\"The government should"),
  al("It didn't handle it well", "It didn't handle it well"),
  al("If it had, we wouldn't", "If it had, we wouldn't"),
  al("I mean we will not", "I mean, we will not"),
  al("A policeman charged", "The policeman charged"),
 ],
})
rows.append({
 "id": "ecb-35_10-35_1", "split": "eval", "a": ecb("35_10ecbplus.xml"), "b": ecb("35_1ecbplus.xml"),
 "note": "AP NFL arrest story: Tucson Citizen copy against USA Today's longer version",
 "changes": [
  ch("quote_added", None, "\"character\""),
 ],
 "aligned": [],
})
import sys
sys.path.insert(0, ".")
ecbrows = {json.loads(l)["file"]: json.loads(l) for l in open("/work/shared/data/ecbplus-dev.jsonl")}
def text_of(src):
    if src["origin"] == "ecbplus-dev.jsonl":
        r = ecbrows[src["file"]]; src["url"] = r.get("url"); return r["text"]
    return open(src["origin"], encoding="utf-8").read()
ok = True
for r in rows:
    ta, tb = text_of(r["a"]), text_of(r["b"])
    for item in r["changes"] + r["aligned"]:
        for side, t in (("a", ta), ("b", tb)):
            s = item.get(side)
            if s is None: continue
            start = t.find(item[side + "_after"]) if item.get(side + "_after") else 0
            if start < 0 or t.find(s, start) < 0:
                print("MISSING", r["id"], side, repr(s), item.get(side + "_after")); ok = False
with open("tests/data/compare_labels.jsonl", "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print("ok" if ok else "errors", sum(len(r["changes"]) for r in rows), "changes", sum(len(r["aligned"]) for r in rows), "aligned")
