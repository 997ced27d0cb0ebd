"""Word lists the parsers rely on: Member State names, lead words and operative verbs.

The lead-word rule (used when the format carries no italics) reproduces the
italic runs of the seed and of the UN PDFs:

* preambular lead = optional adverbs ("Deeply", "Also") + a participle or
  adjective ("Recalling", "Concerned", "Mindful") + its fixed complement
  ("in mind", "note", "into account") + trailing "also/further/again/once again"
  + an optional "with (deep|grave...) concern" phrase;
* operative lead = optional adverbs ("Also", "Further", "Strongly") + a verb in
  the third person ("Urges", "Calls upon", "Takes note") + trailing adverbs +
  an optional "its [adjectives] <noun>" phrase ("Expresses its very serious
  concern") or fixed phrase ("in the strongest terms", "with appreciation").
  The object that follows ("to continue", "that", "the report") is not lead.
"""

from __future__ import annotations

import re

__all__ = [
    "MEMBER_STATES",
    "OBSERVER_STATES",
    "OPERATIVE_VERBS",
    "STATE_NAMES",
    "lead_words",
    "looks_like_lead",
    "split_states",
]

MEMBER_STATES: tuple[str, ...] = (
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Antigua and Barbuda",
    "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain",
    "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize", "Benin", "Bhutan",
    "Bolivia (Plurinational State of)", "Bosnia and Herzegovina", "Botswana", "Brazil",
    "Brunei Darussalam", "Bulgaria", "Burkina Faso", "Burundi", "Cabo Verde", "Cambodia",
    "Cameroon", "Canada", "Central African Republic", "Chad", "Chile", "China", "Colombia",
    "Comoros", "Congo", "Costa Rica", "Côte d’Ivoire", "Croatia", "Cuba", "Cyprus", "Czechia",
    "Democratic People’s Republic of Korea", "Democratic Republic of the Congo", "Denmark",
    "Djibouti", "Dominica", "Dominican Republic", "Ecuador", "Egypt", "El Salvador",
    "Equatorial Guinea", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland",
    "France", "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada",
    "Guatemala", "Guinea", "Guinea-Bissau", "Guyana", "Haiti", "Honduras", "Hungary",
    "Iceland", "India", "Indonesia", "Iran (Islamic Republic of)", "Iraq", "Ireland",
    "Israel", "Italy", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati",
    "Kuwait", "Kyrgyzstan", "Lao People’s Democratic Republic", "Latvia", "Lebanon",
    "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg", "Madagascar",
    "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Marshall Islands", "Mauritania",
    "Mauritius", "Mexico", "Micronesia (Federated States of)", "Monaco", "Mongolia",
    "Montenegro", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal",
    "Netherlands (Kingdom of the)", "New Zealand", "Nicaragua", "Niger", "Nigeria",
    "North Macedonia", "Norway", "Oman", "Pakistan", "Palau", "Panama", "Papua New Guinea",
    "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Republic of Korea",
    "Republic of Moldova", "Romania", "Russian Federation", "Rwanda", "Saint Kitts and Nevis",
    "Saint Lucia", "Saint Vincent and the Grenadines", "Samoa", "San Marino",
    "Sao Tome and Principe", "Saudi Arabia", "Senegal", "Serbia", "Seychelles",
    "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Solomon Islands", "Somalia",
    "South Africa", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden",
    "Switzerland", "Syrian Arab Republic", "Tajikistan", "Thailand", "Timor-Leste", "Togo",
    "Tonga", "Trinidad and Tobago", "Tunisia", "Türkiye", "Turkmenistan", "Tuvalu", "Uganda",
    "Ukraine", "United Arab Emirates", "United Kingdom of Great Britain and Northern Ireland",
    "United Republic of Tanzania", "United States of America", "Uruguay", "Uzbekistan",
    "Vanuatu", "Venezuela (Bolivarian Republic of)", "Viet Nam", "Yemen", "Zambia", "Zimbabwe",
)  # fmt: skip

OBSERVER_STATES: tuple[str, ...] = ("Holy See", "State of Palestine")

# Older or printed variants of official names ("Netherlands" before 2024,
# "Bahamas (The)" as some drafts print it, "Turkey" before 2022).
_VARIANTS: tuple[str, ...] = (
    "Netherlands", "Bahamas (The)", "Gambia (Republic of The)", "Turkey", "Swaziland",
    "The former Yugoslav Republic of Macedonia", "Palestine", "European Union",
)  # fmt: skip

STATE_NAMES: tuple[str, ...] = MEMBER_STATES + OBSERVER_STATES + _VARIANTS

_APOS = str.maketrans({"'": "’", "\u2018": "’"})
# Longest names first so "Guinea-Bissau" wins over "Guinea" and
# "Democratic Republic of the Congo" over "Congo".
_BY_LENGTH = sorted({n.translate(_APOS) for n in STATE_NAMES}, key=len, reverse=True)
_NAME_RE = re.compile("|".join(re.escape(n) for n in _BY_LENGTH))
_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")


def split_states(text: str) -> list[str]:
    """Split a printed sponsor list ("A, B and C") into State names.

    Known names (which may contain "and" or parentheses) are matched whole;
    an unknown name is taken up to the next comma or, for the final item,
    up to the last " and ".
    """
    s = " ".join(text.translate(_APOS).split()).strip(" ,.:")
    out: list[str] = []
    pos = 0
    while pos < len(s):
        m = _NAME_RE.match(s, pos)
        end = m.end() if m else -1
        if m and (end == len(s) or _SEP_RE.match(s, end)):
            out.append(m.group(0))
        else:
            comma = s.find(",", pos)
            chunk_end = comma if comma >= 0 else len(s)
            chunk = s[pos:chunk_end]
            # An unknown final "X and Y": split on the last " and " unless a known
            # name ends the chunk.
            if " and " in chunk and comma < 0:
                head, _, tail = chunk.rpartition(" and ")
                tail_known = _NAME_RE.fullmatch(tail) is not None
                if tail_known or not _NAME_RE.fullmatch(chunk):
                    out.append(head.strip())
                    out.append(tail.strip())
                    break
            out.append(chunk.strip())
            end = chunk_end
        sep = _SEP_RE.match(s, end)
        if not sep:
            break
        pos = sep.end()
    return [n for n in out if n]


# --- lead words -----------------------------------------------------------------

_ADVERBS = {
    "also", "further", "again", "strongly", "deeply", "gravely", "seriously", "firmly",
    "fully", "once", "profoundly", "greatly", "highly", "particularly", "especially",
    "moreover", "furthermore", "expressly", "emphatically", "most",
    "resolutely", "unequivocally", "categorically", "vigorously", "sincerely", "duly",
    "further,", "still", "earnestly", "urgently", "repeatedly", "equally", "likewise",
    "additionally", "similarly", "consistently", "solemnly", "warmly", "keenly", "acutely",
    "extremely", "very", "increasingly", "genuinely", "truly", "firmly,", "ever",
    "therefore", "thus", "accordingly", "finally",
}  # fmt: skip

# Preambular adjectives that work as leads ("Mindful that", "Deeply concerned at").
_PP_ADJECTIVES = {
    "mindful", "concerned", "alarmed", "convinced", "aware", "cognizant", "conscious",
    "determined", "disturbed", "dismayed", "appalled", "shocked", "outraged", "deploring",
    "desirous", "guided", "committed", "encouraged", "recognizing", "resolved", "noting",
    "seized", "gratified", "satisfied", "pleased", "saddened", "grieved", "troubled",
    "worried", "regretful", "confident", "persuaded", "united", "inspired", "acknowledging",
    "emphasizing", "underlining", "bearing", "having", "affirming", "stressing", "taking",
    "welcoming", "expressing", "appreciative", "sensitive", "alert", "vigilant", "fearful",
    "horrified", "indignant", "anxious", "eager", "keen", "reaffirming", "recalling",
    "believing", "considering", "realizing", "upholding", "wishing", "unwavering",
    "sharing", "respectful", "reiterating", "profoundly", "cognisant", "recognising",
}  # fmt: skip

# Fixed complements that belong to the lead ("Bearing in mind", "Taking note").
_COMPLEMENTS = (
    ("in", "mind"), ("into", "account"), ("into", "consideration"), ("note",),
    ("in", "the", "strongest", "terms"), ("in", "strong", "terms"), ("once", "more"),
    ("without", "reservation"),
    ("in", "the", "strongest", "possible", "terms"), ("once", "again"), ("note", "also"),
)  # fmt: skip

_EMOTION_NOUNS = {
    "concern", "regret", "appreciation", "satisfaction", "alarm", "gratitude", "sympathy",
    "condolences", "disappointment", "interest", "dismay", "outrage", "indignation",
    "condemnation", "serious", "solidarity", "support", "thanks", "recognition", "shock",
    "deep", "grave", "great", "profound", "utmost", "strong", "full", "particular",
    "alarm,", "sadness", "horror", "resolve", "commitment", "determination", "hope",
    "confidence", "welcome", "deepest", "strongest", "firm", "unwavering", "sincere",
    "continued", "continuing", "increasing", "growing", "very", "most", "heartfelt",
}  # fmt: skip

_NOUNS_AFTER_ITS = {
    "concern", "appreciation", "gratitude", "support", "commitment", "condolences",
    "solidarity", "sympathy", "regret", "satisfaction", "alarm", "determination",
    "condemnation", "readiness", "willingness", "intention", "conviction", "hope",
    "dismay", "disappointment", "outrage", "deep", "thanks", "strong", "firm",
    "indignation", "recognition", "unwavering", "full", "call", "request", "opposition",
    "distress", "abhorrence", "concerns",
}  # fmt: skip

_ITS_MODIFIERS = {
    "very", "deep", "grave", "serious", "great", "profound", "utmost", "strong", "full",
    "firm", "unwavering", "sincere", "continued", "continuing", "increasing", "growing",
    "most", "heartfelt", "deepest", "strongest", "highest", "particular", "sincerest",
    "unreserved", "unconditional", "steadfast", "renewed", "real", "serious,", "urgent",
    "gravest", "unequivocal", "special",
}  # fmt: skip

_WITH_PHRASES = {"with", "in"}

_WORD_RE = re.compile(r"\S+")
_VERB_3SG = re.compile(r"^[A-Za-z]+(?:-[a-z]+)*s$")
_PARTICIPLE = re.compile(r"^[A-Za-z]+(?:-[a-z]+)*ing$")


# Nouns in "-ing" that follow "and" as the object, not as a second participle
# ("Recalling and well-being" is no lead pair; "Recalling and reaffirming" is).
_ING_NOUNS = {
    "well-being", "wellbeing", "being", "funding", "financing", "training", "housing",
    "peacebuilding", "peacekeeping", "building", "meeting", "planning", "monitoring",
    "reporting", "understanding", "trafficking", "policing", "wording", "programming",
}  # fmt: skip


def _is_pp_head(word: str) -> bool:
    w = word.lower()
    return bool(_PARTICIPLE.match(w)) or w in _PP_ADJECTIVES or w.endswith("ed")


# Words ending in "s" that open sentences without being the Assembly's verb.
_NOT_VERBS = {
    "its", "this", "his", "thus", "members", "unless", "states", "parties", "countries",
    "nations", "as", "was", "has", "is", "delegations", "governments", "chairs", "towards",
    "always", "perhaps", "sometimes", "others", "besides", "various", "numerous", "does",
    "representatives", "observers", "proposals", "statements", "meetings", "documents",
    "resolutions", "decisions", "items", "rules", "reports", "speakers", "organizations",
    "afterwards", "whereas", "progress", "status", "us", "ours", "yours", "theirs",
    "contributions", "assessments", "expenditures", "appropriations", "estimates",
}  # fmt: skip


def _is_op_head(word: str) -> bool:
    w = word.lower()
    return (
        bool(_VERB_3SG.match(word)) and w not in _NOT_VERBS and not w.endswith(("ss", "us", "is"))
    )


def opens_like_recital(text: str) -> bool:
    """True when ``text`` opens with one of the words that open preambular paragraphs
    ("Recalling", "Noting", "Having", "Mindful", "Also noting"...): a closed list, not any
    word in "-ing" or "-ed" ("During", "Advancing" open other text)."""
    words = text.split(None, 5)
    i = 0
    while i < len(words) - 1 and i < 3 and words[i].lower() in _ADVERBS:
        i += 1
    return bool(words) and words[0][:1].isupper() and words[i].lower() in _PP_ADJECTIVES


def looks_like_lead(text: str) -> bool:
    """True when ``text`` opens with a plausible lead (participle, adjective or verb)."""
    m = _WORD_RE.match(text)
    if not m:
        return False
    w = m.group(0).strip(",")
    if not w[:1].isupper():
        return False
    lw = w.lower()
    return (
        lw in _ADVERBS or _is_pp_head(w) or _is_op_head(w) or lw in {"having", "bearing", "taking"}
    )


# The Assembly's operative verbs, harvested from the operative paragraphs of the corpus
# (sessions 72-80); used where a plural noun could pass for a verb ("and rights").
OPERATIVE_VERBS = frozenset(
    {
        "encourages", "calls", "requests", "recognizes", "notes", "urges", "welcomes", "recalls",
        "invites", "decides", "stresses", "reaffirms", "takes", "emphasizes", "reiterates",
        "expresses", "acknowledges", "underlines", "recommends", "commends", "underscores", "looks",
        "affirms", "condemns", "highlights", "appreciates", "recommits", "approves", "appeals",
        "endorses", "continues", "supports", "deplores", "authorizes", "demands", "commits",
        "resolves", "remains", "renews", "reminds", "agrees", "regrets", "considers",
        "congratulates", "rejects", "promotes", "pays", "understands", "reconfirms", "realizes",
        "raises", "proposes", "confirms", "strives", "adopts", "declares", "determines",
        "designates", "requires", "insists", "believes", "observes", "proclaims",
    }
)  # fmt: skip


def _head_ok(word: str, operative: bool) -> bool:
    w = word.strip(",;:.")
    return _is_op_head(w) if operative else _is_pp_head(w)


def lead_words(text: str, operative: bool) -> str:
    """The lead words at the start of a preambular or operative paragraph ("" if none)."""
    words = text.split(" ", 40)[:40]
    if not words or not words[0][:1].isupper():
        return ""
    i = 0
    # leading adverbs: "Also", "Further", "Strongly", "Once again", "Deeply"
    while i < len(words) and words[i].lower().strip(",") in _ADVERBS and i < 4:
        i += 1
    if i >= len(words) or not _head_ok(words[i], operative):
        return ""
    head = words[i].strip(",;:.").lower()
    if words[i].endswith((",", ";", ":", ".")):
        return " ".join(words[: i + 1]).rstrip(",;:.")
    i += 1
    n = len(words)
    # "Welcomes and encourages", "Deplores and strongly condemns", "Alarmed and concerned"
    if i + 1 < n and words[i] == "and":
        j = i + 1
        while j < n and words[j].lower() in _ADVERBS and j < i + 3:
            j += 1
        w = words[j].strip(",;:.") if j < n else ""
        known = w in OPERATIVE_VERBS if operative else _is_pp_head(w) and w not in _ING_NOUNS
        if w[:1].islower() and known:
            i, head = j + 1, words[j].strip(",;:.").lower()
    # "Having considered", "Calls upon", "Calls for", "Continuing to underline"
    # "Considers it alarming", "Considering it essential": the judgement is lead
    if head in ("considers", "considering") and i + 1 < n and words[i] == "it":
        i += 2
    having = head == "having" and i < n and words[i].lower().endswith(("ed", "en"))
    call = head in ("calls", "calling", "call") and i < n and words[i] in ("upon", "on", "for")
    if having or call:
        i += 1
    elif (
        head in ("continuing", "continues")
        and i + 1 < n
        and words[i] == "to"
        and words[i + 1].isalpha()
    ):
        i += 2
    i = _take_complements(words, i)
    i = _trailing_adverbs(words, i, operative)
    if i < n and words[i].lower() == "its":
        j = i + 1
        while j < n and words[j].lower() in _ITS_MODIFIERS and j < i + 5:
            j += 1
        if j < n and words[j].lower().strip(",;:") in _NOUNS_AFTER_ITS:
            i = j + 1
            # "Reiterates its call upon", "Reiterating its call for"
            if words[j].lower() == "call" and i < n and words[i] in ("upon", "on", "for"):
                i += 1
            i = _trailing_adverbs(words, i)
    elif i < n and words[i].lower() in _WITH_PHRASES:
        j = i + 1
        while j < n and words[j].lower() in _ITS_MODIFIERS and j < i + 4:
            j += 1
        if j < n and words[j].lower().strip(",;:") in _EMOTION_NOUNS - _ITS_MODIFIERS:
            i = _trailing_adverbs(words, j + 1)
    elif i < n and head.startswith("express"):
        # "Expresses deep concern", "Expressing grave concern", "Expresses strong support"
        # (the official PDF of A/RES/78/218 italicises "Expresses strong support"; the
        # seed's Markdown italicises only "Expresses" there, and keeps its own italics)
        j = i
        while j < n and words[j].lower() in _ITS_MODIFIERS and j < i + 3:
            j += 1
        noun = words[j].lower().strip(",;:") if j < n else ""
        if noun in _CONCERN_NOUNS or noun == "support":
            i = _trailing_adverbs(words, j + 1)
    lead = " ".join(words[:i])
    return lead.rstrip(",;:.")


# Words after which "further" is an adjective of the object ("Encourages further efforts").
_DETERMINERS = {"the", "that", "a", "an", "its", "all", "with", "to", "in", "on", "upon", "of",
                "and", "by", "at", "for", "this", "these", "those", "States", "Member", "also"}  # fmt: skip
_CONCERN_NOUNS = {"concern", "concerns", "alarm", "appreciation", "regret", "satisfaction",
                  "gratitude", "condolences", "sympathy", "outrage", "dismay"}  # fmt: skip


def _trailing_adverbs(words: list[str], i: int, operative: bool = True) -> int:
    while i < len(words) and words[i].lower() in _ADVERBS - {"very", "most"}:
        w = words[i].lower()
        nxt = words[i + 1].strip(",;:") if i + 1 < len(words) else ""
        if operative and w == "further" and nxt not in _DETERMINERS:
            break
        i += 1
        i = _take_complements(words, i)
    return i


_COMPLEMENTS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _c in sorted(_COMPLEMENTS, key=len, reverse=True):
    _COMPLEMENTS_BY_FIRST.setdefault(_c[0], []).append(_c)


def _take_complements(words: list[str], i: int) -> int:
    if i >= len(words):
        return i
    for comp in _COMPLEMENTS_BY_FIRST.get(words[i].lower(), ()):
        n = len(comp)
        if tuple(w.lower() for w in words[i : i + n]) == comp:
            return i + n
    return i
