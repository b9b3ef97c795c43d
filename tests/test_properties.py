"""Property-based: every extractor on arbitrary text never raises, every span points inside the
text at the reported words, and every figure and date is well-formed."""
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_prep.extract.countries import find_countries
from data_prep.extract.dates import find_dates, find_publication_date
from data_prep.enrich.fx import with_usd
from data_prep.extract.figures import find_figures
from data_prep.text.furniture import mask, split_page
from data_prep.extract.organisations import find_entities
from data_prep.service import extract
from data_prep.records import RawArticle
from data_prep.text.sentences import split_sentences

# Text built from news-like pieces and arbitrary Unicode (RTL marks, zero-width spaces,
# combining accents, full-width digits, NBSP inside numbers), so the extractors' real paths run.
PIECES = st.sampled_from([
    "Kazakhstan", "China", "Chinese", "the US", "U.S.", "Georgia", "Jordan", "Niger", "Papua New Guinea",
    "signed", "an agreement", "talks with", "trade", "$21 billion", "US$5.3 mln", "€1.2 bn", "35%", "4 pct",
    "₹500 crore", "1 000 000", "１２３", "52 projects", "eight (8) MoUs", "over 10,000", "2019", "last year",
    "on 17 August 2022", "28.11.2023", "Aug. 23", "April 18-19", "Tuesday", "\u200f", "\u200b", "e\u0301",
    "\u00a0", "\n", "\n\n", ". ", ", ", " and ", "(", ")", "-", "Share", "Heute 291", "Photo:", "Ministry of Trade",
    "Prime Minister Alikhan Smailov", "PSA (Port of Singapore Authority)",
])
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map(" ".join),
)
PUBLISHED = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@SETTINGS
@given(TEXT)
def test_countries(text):
    mentions, regions = find_countries(text)
    for m in mentions + regions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
    for m in mentions:
        assert re.fullmatch(r"[A-Z]{3}", m.iso3)


@SETTINGS
@given(TEXT, PUBLISHED)
def test_figures(text, published):
    for f in with_usd(find_figures(text), published):
        assert 0 <= f.start < f.end <= len(text) and text[f.start:f.end] == f.text
        assert f.kind in ("money", "percent", "count")
        assert isinstance(f.value, float) and math.isfinite(f.value)
        if f.kind == "money":
            assert re.fullmatch(r"[A-Z]{3}", f.unit or "")
        if f.kind == "percent":
            assert f.unit == "%"
        if f.kind == "count":
            assert f.unit is None
        assert f.usd is None or math.isfinite(f.usd)


@SETTINGS
@given(TEXT, PUBLISHED)
def test_dates(text, published):
    for d in find_dates(text, published):
        assert 0 <= d.start < d.end <= len(text) and text[d.start:d.end] == d.text
        assert DATE.fullmatch(d.value)
        assert d.granularity == {4: "year", 7: "month", 10: "day"}[len(d.value)]
        assert 1 <= int(d.value[5:7] or 1) <= 12 and 1 <= int(d.value[8:10] or 1) <= 31
    stamp = find_publication_date(text)
    if stamp:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp.value)


@SETTINGS
@given(TEXT)
def test_page_sentences_entities(text):
    page = split_page(text)
    body = mask(text, page.furniture)
    assert len(body) == len(text)
    for s in split_sentences(body):
        assert 0 <= s.start < s.end <= len(text)
        assert " ".join(body[s.start:s.end].split()) == s.text
    for e in find_entities(body):
        assert 0 <= e.start < e.end <= len(text) and e.kind in ("org", "person")


@SETTINGS
@given(TEXT)
def test_whole_pipeline(text):
    ext = extract(RawArticle(doc="x.txt", text=text))
    for p in ext.partnerships:
        assert len(p.countries) == 2 and list(p.countries) == sorted(p.countries) and p.countries[0] != p.countries[1]
        assert p.evidence and all(0 <= i < len(ext.sentences) for i in p.sentences)
        assert all(0 <= i < len(ext.figures) for i in p.figures)
    assert ext.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", ext.published)
