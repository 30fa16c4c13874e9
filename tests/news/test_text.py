"""Steps 1 and 2: cleaning (with the map back to original offsets) and sentences."""

from __future__ import annotations

from loaders.news.text import clean, split_sentences


def test_boilerplate_is_dropped_and_offsets_map_back() -> None:
    raw = (
        "Deal Reached On Steel Quotas Today\n"
        "Markets News\n"
        "Yesterday\n"
        "\n"
        "Mexico\u00a0and the U.S. agreed on a \u201cquota\u201d.\n"
        "\n"
        "Disclaimer: Investing carries risk. This is not financial advice. Do their own research.\n"
        "\n"
        "Most Discussed\n"
        "  1. 1\n"
        "    \u00a0\n"
        "  2. 2\n"
    )
    cleaned = clean(raw)
    assert cleaned.text == 'Deal Reached On Steel Quotas Today\n\nMexico and the U.S. agreed on a "quota".'
    assert cleaned.title == "Deal Reached On Steel Quotas Today"
    assert cleaned.header_lines == ["Markets News", "Yesterday"]
    reasons = {reason for _, _, reason in cleaned.dropped}
    assert {"disclaimer", "link list", "empty list item"} <= reasons
    start = cleaned.text.index("Mexico")
    assert cleaned.original_slice(start, len(cleaned.text)) == "Mexico\u00a0and the U.S. agreed on a \u201cquota\u201d."


def test_every_cleaned_character_points_into_the_original() -> None:
    raw = "Tokyo said \u2014 again \u2014 it\u2019s fine &amp; ready.\n"
    cleaned = clean(raw)
    assert cleaned.text == "Tokyo said - again - it's fine & ready."
    assert len(cleaned.offsets) == len(cleaned.text) + 1
    for i, ch in enumerate(cleaned.text):
        assert 0 <= cleaned.offsets[i] < len(raw)
        if ch.isalnum():
            assert raw[cleaned.offsets[i]] == ch


def test_wire_dateline_and_byline_are_removed() -> None:
    cleaned = clean(
        "By Jane Doe\n\nSEOUL, Nov 14 (Reuters) - South Korea agreed to invest more in the United States.\n"
    )
    assert cleaned.text == "South Korea agreed to invest more in the United States."
    assert "SEOUL, Nov 14 (Reuters) -" in cleaned.header_lines


def test_sentences_keep_abbreviations_and_spans() -> None:
    raw = "The U.S. Commerce Dept. and SoftBank Group Corp. met. Talks ended.\n\nA new paragraph starts here today."
    cleaned = clean(raw)
    sentences = split_sentences(cleaned)
    assert [s.text for s in sentences] == [
        "The U.S. Commerce Dept. and SoftBank Group Corp. met.",
        "Talks ended.",
        "A new paragraph starts here today.",
    ]
    for s in sentences:
        assert raw[s.orig_start : s.orig_end] == s.quote


def test_us_at_the_end_of_a_sentence_before_a_new_one() -> None:
    sentences = split_sentences(clean("Japan will invest in the U.S. The deal was signed in July."))
    assert [s.text for s in sentences] == ["Japan will invest in the U.S.", "The deal was signed in July."]


def test_seed_article_sentences_are_verbatim(seed_text: str) -> None:
    sentences = split_sentences(clean(seed_text))
    assert len(sentences) == 16
    assert sentences[0].quote.startswith("Japan's $550 Billion")
    assert all(seed_text[s.orig_start : s.orig_end] == s.quote for s in sentences)
    assert not any("Disclaimer" in s.quote or "Most Discussed" in s.quote for s in sentences)
