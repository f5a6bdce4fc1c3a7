"""The period a briefing analyses, beside its honest publication date, wherever a reader browses by time."""

from __future__ import annotations

import json

import pytest

from conftest import briefing
from trilat_site.core.model import PartialDate, Period
from trilat_site.core.problems import InputError
from trilat_site.core.schema import parse_period


def _p(text: str) -> Period:
    return parse_period(text)


@pytest.mark.parametrize(
    ("text", "shown", "iso"),
    [
        ("2017", "2017", "2017"),
        ("2017-03", "March 2017", "2017-03"),
        ("2017-03-09", "9 March 2017", "2017-03-09"),
        ("2017-03/2017-05", "March–May 2017", "2017-03/2017-05"),
        ("2017-04-17/2017-04-29", "17–29 April 2017", "2017-04-17/2017-04-29"),
        ("2017-04-17/2017-05-09", "17 April – 9 May 2017", "2017-04-17/2017-05-09"),
        ("2016/2017", "2016–2017", "2016/2017"),
        ("2016-11/2017-02", "November 2016 – February 2017", "2016-11/2017-02"),
        ("2017-03/2017-05-09", "March 2017 – 9 May 2017", "2017-03/2017-05-09"),
        # Partial dates compare by what they cover: March 2017 ends after its 15th.
        ("2017-03-15/2017-03", "15 March 2017 – March 2017", "2017-03-15/2017-03"),
    ],
)
def test_periods_read_and_show_at_their_precision(text: str, shown: str, iso: str) -> None:
    period = _p(text)
    assert period.display() == shown
    assert period.iso() == iso


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017-05/2017-03", "'2017-05/2017-03' ends (2017-03) before it starts (2017-05): write the earlier date first"),
        ("2017-04/2017-03-31", "ends (2017-03-31) before it starts (2017-04)"),
        ("2017/2017", "'2017/2017' starts and ends on the same date: write 2017"),
        ("2017-02-30/2017-03", "'2017-02-30' is not a real date: that month has no day 30"),
        ("2017-03/", "is not a date or a range"),
        ("2017-01/2017-02/2017-03", "is not a date or a range"),
        ("spring 2017", "'spring 2017' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_bad_periods_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _p(text)
    assert message in caught.value.message


def test_periods_order_latest_end_first() -> None:
    periods = [_p(t) for t in ("2017-03", "2017-03/2017-05", "2017", "2017-05-09", "2016/2017", "2017-04")]
    ordered = sorted(periods, key=Period.sort_key, reverse=True)
    assert [p.iso() for p in ordered] == ["2017", "2016/2017", "2017-03/2017-05", "2017-05-09", "2017-04", "2017-03"]
    assert PartialDate(2017, 2).last_day().isoformat() == "2017-02-28"


FILES = {
    "briefings/old.md": briefing("Old", "2026-11-25", period="2015"),
    "briefings/span.md": briefing("Span", "2026-11-25", period="2016-11/2017-02", themes="[energy]"),
    "briefings/spring.md": briefing("Spring", "2026-11-20", period="2017-03/2017-05"),
    "briefings/none.md": briefing("None given", "2017-06-01"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from conftest import SiteFactory

    result = SiteFactory(tmp_path_factory.mktemp("periods") / "proj").build(FILES, "", "--strict")
    assert result.returncode == 0, result.stderr
    return result


def _titles(soup) -> list[str]:
    return [a.get_text() for a in soup.select(".trilat-item__title")]


def test_listings_follow_the_period_grouped_by_its_last_year(built) -> None:
    page = built.content("briefings")
    groups = {s.h2.get_text(): _titles(s) for s in page.select("section.trilat-year")}
    # Without a period a briefing is about the time it was published.
    assert groups == {"2017": ["None given", "Spring", "Span"], "2015": ["Old"]}
    items = {li.a.get_text(): li.select_one(".trilat-item__date").get_text(" ", strip=True) for li in page.select("li")}
    assert items["Spring"] == "covers March–May 2017 · published 20 November 2026"
    assert items["Span"] == "covers November 2016 – February 2017 · published 25 November 2026"
    assert items["Old"] == "covers 2015 · published 25 November 2026"
    assert items["None given"] == "published 1 June 2017"
    assert _titles(built.content("themes/security")) == ["None given", "Spring", "Old"]


def test_the_home_page_lists_the_latest_published(built) -> None:
    # Published the same day, two briefings come in the order of the periods they analyse.
    assert _titles(built.content("").select_one(".trilat-latest")) == ["Span", "Old", "Spring", "None given"]


def test_the_briefing_page_shows_both_dates(built) -> None:
    meta = built.content("briefings/spring").select_one(".trilat-meta")
    assert meta.get_text(" ", strip=True) == "Covers March–May 2017 · published 20 November 2026"
    assert meta.select_one(".trilat-range")["title"] == "2017-03/2017-05"
    single = built.content("briefings/old").select_one(".trilat-meta time")
    assert single["datetime"] == "2015" and single.get_text() == "2015"


def test_the_timeline_lists_the_briefings_that_analyse_each_year(built) -> None:
    sections = built.content("timeline").select("section.trilat-year")
    years = {s.h2.get_text(): [a.get_text() for a in s.select(".trilat-covering a")] for s in sections}
    assert years == {"2015": ["Old"], "2016": ["Span"], "2017": ["None given", "Spring", "Span"]}


def test_the_export_carries_the_period_the_filter_offers(built) -> None:
    data = json.loads((built.site / "briefings.json").read_text())
    periods = {b["slug"]: b["period"] for b in data["briefings"]}
    assert periods == {
        "old": {"start": "2015", "end": "2015"},
        "span": {"start": "2016-11", "end": "2017-02"},
        "spring": {"start": "2017-03", "end": "2017-05"},
        "none": None,
    }
    feed = (built.site / "feed.xml").read_text()
    assert feed.index("<title type=\"text\">Span") < feed.index("<title type=\"text\">Spring"), "feeds: newest published"


def test_the_timeline_shows_a_page_s_worth_of_briefings_per_year(site) -> None:
    files = {f"briefings/b{i}.md": briefing(f"B{i}", period=f"2017-{i + 1:02d}") for i in range(5)}
    result = site.build(files, "per_page: 3")
    assert result.returncode == 0, result.stderr
    year = result.content("timeline").select_one("section.trilat-year")
    assert [a.get_text() for a in year.select(".trilat-covering a")] == ["B4", "B3", "B2"]
    more = year.select_one(".trilat-more a")
    assert more.get_text() == "All 5 briefings on 2017" and more["href"] == "../briefings/?year=2017"
