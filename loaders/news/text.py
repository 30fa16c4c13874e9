"""Steps 1 and 2: clean a page's text and split it into sentences, keeping a map back to
the original character offsets so every quote can be cited as a verbatim slice.

Cleaning drops what a page carries besides the article (disclaimers, "Most Discussed" link
lists, navigation, empty list items, bylines, wire datelines) and normalises whitespace,
quotes and dashes. Each character of the cleaned text remembers the original index it came
from, so a span found in the cleaned text maps back exactly.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# -- step 1: clean ---------------------------------------------------------------------------

_CHAR_MAP = {
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\t": " ",
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2013": "-",
    "\u2212": "-",
    "\u2014": " - ",
    "\u2015": " - ",
    "\u2026": "...",
    "\u00ad": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
}
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_BLANK = re.compile(r"^[\s\u00a0\u200b\u2007\u202f\ufeff]*$")
_EMPTY_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*\u2022\u00b7\u25aa\u25cf>])?[\s\u00a0]*\d{0,3}[\s\u00a0]*$")
_LINK_LIST_HEADING = re.compile(
    r"^\s*(?:most (?:discussed|read|popular|viewed|shared|commented)|related(?: articles| news| stories| content"
    r"| coverage| posts)?|read (?:more|next|also)|recommended(?: for you| stories| reading)?|trending(?: now| news)?"
    r"|top stories|you may also like|you might also like|more (?:from|on|in) .{0,40}|latest (?:news|stories)"
    r"|popular(?: now| posts)?|see also|further reading|more stories|editor'?s picks|hot topics|tags|topics)\s*:?\s*$",
    re.IGNORECASE,
)
_BOILERPLATE_START = re.compile(
    r"^\s*(?:disclaimer|legal disclaimer|risk (?:warning|disclosure)|important notice|copyright|\(c\)|\u00a9"
    r"|all rights reserved|sign up|subscribe|click here|advertisement|sponsored|share this|follow us"
    r"|cookie|we use cookies|this article (?:was|is) (?:produced|generated)|editing by|reporting by"
    r"|\((?:reporting|writing|editing) by)",
    re.IGNORECASE,
)
_BOILERPLATE_PHRASES = (
    "not financial advice",
    "not investment advice",
    "should not be regarded as an offer",
    "assumes no responsibility",
    "do their own research",
    "for general information purpose",
    "all rights reserved",
    "terms of use",
    "privacy policy",
    "newsletter",
    "subscribe to",
)
_BYLINE = re.compile(
    r"^\s*(?:by|written by|reporting by)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
    r"(?:\s*(?:,|and)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*\s*$"
)
_NAV_SEPARATORS = re.compile(r"\s(?:\||>|\u00bb|\u203a|/)\s")
# "TOKYO, Feb 12 (Reuters) - " or "WASHINGTON (AP) --" at the start of the first paragraph.
_WIRE_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?\s*\((?:Reuters|AP|AFP|Bloomberg|Kyodo|Yonhap|"
    r"Xinhua|dpa|ANI|PTI|Nikkei)\)\s*(?:-{1,2}|\u2013|\u2014)\s*"
)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s*$")


@dataclass
class CleanText:
    """The cleaned text and, per character, the index in the original it came from.

    `offsets` has one more entry than `text`: the original index just past the end.
    """

    original: str
    text: str
    offsets: list[int]
    dropped: list[tuple[int, int, str]] = field(default_factory=list)
    title: str | None = None
    # Short lines dropped around the headline ("Stock News", "Yesterday", "March 3, 2026"),
    # and a wire dateline ("TOKYO, Feb 12 (Reuters) -"): where a publication date may hide.
    header_lines: list[str] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering cleaned characters [start, end)."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        a, b = self.original_span(start, end)
        return self.original[a:b]


@dataclass
class _Line:
    start: int  # original offset of the line's first character
    text: str  # without the newline


def _lines(raw: str) -> list[_Line]:
    out = []
    pos = 0
    for piece in raw.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        out.append(_Line(pos, body))
        pos += len(piece)
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9$%][\w$%.,'-]*", text)


def _is_boilerplate(text: str) -> bool:
    if _BOILERPLATE_START.match(text):
        return True
    low = text.lower()
    return sum(phrase in low for phrase in _BOILERPLATE_PHRASES) >= 2


def _is_prose(text: str) -> bool:
    return len(_words(text)) >= 8 and bool(_SENTENCE_END.search(text))


def clean(raw: str) -> CleanText:
    """Drop page boilerplate and normalise characters; keep the offset map.

    >>> c = clean("Title Of The Story Here\\nStock News\\nYesterday\\n\\n"
    ...           "Tokyo\\u00a0said\\u2019s \\u201cyes\\u201d.\\n")
    >>> c.text
    'Title Of The Story Here\\n\\nTokyo said\\'s "yes".'
    >>> c.original_slice(c.text.index("Tokyo"), len(c.text))
    'Tokyo\\xa0said\\u2019s \\u201cyes\\u201d.'
    """
    lines = _lines(raw)
    dropped: list[tuple[int, int, str]] = []
    # Decide per line: keep, drop (with a reason), or blank (a paragraph break).
    kinds: list[str] = []
    in_link_list = False
    seen_content = False
    title: str | None = None
    header_lines: list[str] = []
    for line in lines:
        text = line.text
        stripped = text.strip(" \t\u00a0\u200b\ufeff")
        if _BLANK.match(text):
            kinds.append("blank")
            continue
        reason = None
        words = _words(stripped)
        if _EMPTY_ITEM.match(text):
            reason = "empty list item"
        elif _LINK_LIST_HEADING.match(stripped):
            reason, in_link_list = "link list", True
        elif in_link_list and not _is_prose(stripped):
            reason = "link list"
        elif _is_boilerplate(stripped):
            reason = "disclaimer"
        elif _BYLINE.match(stripped):
            reason = "byline"
        elif _NAV_SEPARATORS.search(stripped) and not _SENTENCE_END.search(stripped) and len(words) <= 12:
            reason = "navigation"
        elif len(words) <= 6 and not _SENTENCE_END.search(stripped) and (seen_content or len(words) <= 3):
            reason = "navigation or dateline"
            header_lines.append(stripped)
        if reason is None:
            in_link_list = False
            if not seen_content and not _SENTENCE_END.search(stripped) and len(words) >= 4:
                title = stripped
            seen_content = True
            kinds.append("keep")
        else:
            kinds.append("drop")
            dropped.append((line.start, line.start + len(text), reason))

    out: list[str] = []
    offsets: list[int] = []

    def emit(chars: str, at: int) -> None:
        for ch in chars:
            if ch == " " and (not out or out[-1] in " \n"):
                continue
            out.append(ch)
            offsets.append(at)

    def trim_trailing_spaces() -> None:
        while out and out[-1] == " ":
            out.pop()
            offsets.pop()

    pending_break = ""
    first_kept = True
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "blank":
            if out:
                pending_break = "\n\n"
            continue
        if kind == "drop":
            if out:
                pending_break = "\n\n"
            continue
        text = line.text
        body_start = 0
        if first_kept or pending_break == "\n\n":
            match = _WIRE_DATELINE.match(text)
            if match:
                body_start = match.end()
                dropped.append((line.start, line.start + body_start, "wire dateline"))
                header_lines.append(text[:body_start].strip())
        if out:
            trim_trailing_spaces()
            brk = pending_break or "\n"
            for ch in brk:
                out.append(ch)
                offsets.append(line.start - 1 if line.start > 0 else 0)
        pending_break = ""
        first_kept = False
        i = body_start
        while i < len(text):
            ch = text[i]
            if ch == "&":
                match = _ENTITY.match(text, i)
                if match:
                    emit(_CHAR_MAP.get(html.unescape(match.group()), html.unescape(match.group())), line.start + i)
                    i = match.end()
                    continue
            emit(_CHAR_MAP.get(ch, ch), line.start + i)
            i += 1
        trim_trailing_spaces()
    while out and out[-1] in " \n":
        out.pop()
        offsets.pop()
    end = offsets[-1] + 1 if offsets else 0
    offsets.append(end)
    return CleanText(raw, "".join(out), offsets, dropped, title, header_lines)


# -- step 2: sentences -----------------------------------------------------------------------

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "capt",
    "st",
    "jr",
    "sr",
    "corp",
    "inc",
    "co",
    "ltd",
    "no",
    "vs",
    "etc",
    "approx",
    "est",
    "dept",
    "univ",
    "assn",
    "bros",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "u.s.a",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "s.a",
    "n.v",
    "pte",
    "plc",
}
# Words that, capitalised after an abbreviation such as "U.S.", start a new sentence.
_SENTENCE_STARTERS = {
    "The",
    "A",
    "An",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "But",
    "However",
    "Meanwhile",
    "Under",
    "After",
    "Before",
    "During",
    "Last",
    "Earlier",
    "Later",
    "His",
    "Her",
    "Its",
    "Their",
    "There",
    "Such",
    "Both",
    "While",
    "Although",
    "Officials",
    "Analysts",
    "According",
}
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9$])|\n\s*\n|\n(?=\s*[A-Z\"'])")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its cleaned text, its span in the cleaned text and in the original."""

    index: int
    start: int
    end: int
    text: str
    orig_start: int
    orig_end: int
    quote: str  # the original text at [orig_start, orig_end): what a citation shows


def _previous_token(text: str, pos: int) -> str:
    match = re.search(r"([A-Za-z][A-Za-z.]*)\.?$", text[:pos])
    return match.group(1).lower().rstrip(".") if match else ""


def split_sentences(cleaned: CleanText) -> list[Sentence]:
    """Sentences with spans; abbreviations (U.S., Corp., Mr.) do not end a sentence.

    >>> c = clean("The U.S. and Japan met. SoftBank Group Corp. said yes! Then\\nit ended.\\n\\n"
    ...           "And a closing line without any stop at the end")
    >>> for sentence in split_sentences(c):
    ...     print(sentence.text)
    The U.S. and Japan met.
    SoftBank Group Corp. said yes!
    Then it ended.
    And a closing line without any stop at the end
    """
    text = cleaned.text
    cuts: list[int] = []
    for match in _BOUNDARY.finditer(text):
        piece = match.group()
        if piece.startswith("\n"):
            if piece.count("\n") >= 2:
                cuts.append(match.start())
                continue
            # A single line break ends a sentence only after terminal punctuation or a heading.
            before = text[: match.start()].rstrip()
            line_start = before.rfind("\n") + 1
            line = before[line_start:]
            if _SENTENCE_END.search(line) or (len(_words(line)) <= 14 and not line.endswith((",", ";", ":"))):
                cuts.append(match.start())
            continue
        if piece[0] == ".":
            token = _previous_token(text, match.start())
            nxt = re.match(r"\s+[\"'(\[]?([A-Za-z0-9$]+)", text[match.end() :])
            following = nxt.group(1) if nxt else ""
            if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
                if token in {"u.s", "u.k", "u.n", "e.u", "u.s.a", "corp", "inc", "co", "ltd", "plc"} and (
                    following in _SENTENCE_STARTERS
                ):
                    cuts.append(match.end())
                continue
        cuts.append(match.end())
    sentences: list[Sentence] = []
    pos = 0
    for cut in [*cuts, len(text)]:
        raw = text[pos:cut]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            start = pos + lead
            end = start + len(body)
            flat = body.replace("\n", " ")
            a, b = cleaned.original_span(start, end)
            sentences.append(Sentence(len(sentences), start, end, flat, a, b, cleaned.original[a:b]))
        pos = cut
    return sentences
