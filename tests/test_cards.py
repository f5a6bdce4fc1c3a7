"""Share pictures: one per briefing and one for the site, 1200×630 PNG, deterministic, drawn once."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from conftest import briefing
from trilat_site.site import cards
from trilat_site.site.assets import missing_fonts_note
from trilat_site.site.cards import HEIGHT, WIDTH, Card, CardMaker, find_face

CACHE = Path(".cache") / "trilat" / "cards"
KOREAN = "북한 미사일 사거리와 한미일 협력의 과제"
JAPANESE = "北朝鮮のミサイル射程と日米韓の連携"


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many pixels of a region are not the card's background."""
    region = image.convert("RGB").crop(box)
    background = Image.new("RGB", region.size, image.convert("RGB").getpixel((WIDTH - 1, HEIGHT - 1)))
    histogram = ImageChops.difference(region, background).convert("L").histogram()
    return region.size[0] * region.size[1] - histogram[0]


def test_every_briefing_and_the_site_get_a_card(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("Alpha on North Korea", period="2017-03/2017-05", themes="[security, cyber]"),
            "briefings/b.md": briefing("Beta", "2017-05-01"),
            "briefings/c.md": briefing("Draft", draft="true"),
        },
        "",
        "--strict",
    )
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (result.site / "assets" / "trilat" / "cards").iterdir())
    assert made == ["_site.png", "a.png", "b.png"], "drafts get none"
    for name in made:
        image = _png((result.site / "assets" / "trilat" / "cards" / name).read_bytes())
        assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
    page = result.html("briefings/a")
    og = {m["property"]: m["content"] for m in page.select("meta[property^='og:image']")}
    assert og == {
        "og:image": "https://example.org/site/assets/trilat/cards/a.png",
        "og:image:type": "image/png",
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": "Alpha on North Korea",
    }
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    for path in ("", "themes/security", "people"):
        other = {m["property"]: m["content"] for m in result.html(path).select("meta[property^='og:']")}
        assert other["og:image"] == "https://example.org/site/assets/trilat/cards/_site.png", path
        assert other["og:locale"] == "en_US" and other["og:type"] == "website"
    assert _ink(_png((result.site / "assets/trilat/cards/a.png").read_bytes()), (80, 160, 1120, 420)) > 5000


def test_cards_are_drawn_once_and_kept_by_their_words(site) -> None:
    files = {"briefings/a.md": briefing("Alpha"), "briefings/b.md": briefing("Beta")}
    first = site.build(files)
    assert first.returncode == 0, first.stderr
    cache = site.root / CACHE
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) == 3
    card_a = (first.site / "assets/trilat/cards/a.png").read_bytes()
    # Only the card whose words changed is drawn again; the old one leaves the cache.
    (site.root / "briefings/b.md").write_text(briefing("Beta, retitled"))
    second = site.run("build")
    assert second.returncode == 0, second.stderr
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(after) == 3 and len(set(after) - set(before)) == 1
    assert all(after[name] == before[name] for name in set(after) & set(before))
    assert (second.site / "assets/trilat/cards/a.png").read_bytes() == card_a


def test_no_cards_without_site_url_or_when_turned_off(site) -> None:
    result = site.build({"briefings/a.md": briefing("Alpha")}, "share_cards: false")
    assert result.returncode == 0, result.stderr
    assert not (result.site / "assets" / "trilat" / "cards").exists()
    page = result.html("briefings/a")
    assert not page.select("meta[property='og:image']")
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary"


def test_the_same_card_is_the_same_bytes(tmp_path: Path) -> None:
    card = Card("Site", "A title that wraps onto a second line because it is long enough", ("March 2017",))
    one, two = CardMaker(tmp_path / "one"), CardMaker(tmp_path / "two")
    assert one.path(card).read_bytes() == two.path(card).read_bytes() == one.draw(card)
    assert one.path(card) == one.path(card)



def test_a_maker_kept_across_builds_names_each_build_s_cards_and_missing_fonts_as_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cards.find_face
    monkeypatch.setattr(cards, "find_face", lambda script: None if script == "ko" else real(script))
    latin, korean = Card("Site", "Alpha on North Korea", ("2017",)), Card("Site", KOREAN, ("2017",), "ko")
    kept = CardMaker(tmp_path)
    kept.begin()
    assert kept.paths([latin, korean]) == CardMaker(tmp_path).paths([latin, korean])
    assert kept.missing_fonts == {"ko"}
    # The next build no longer has the Korean card: neither its file nor its font is its business.
    kept.begin()
    assert kept.paths([latin]) == [CardMaker(tmp_path).path(latin)]
    assert kept.used == {kept.path(latin)} and kept.missing_fonts == set()
    kept.prune()
    assert sorted(tmp_path.glob("*.png")) == [kept.path(latin)]
    # And the one after has it again, from what the maker remembers: the missing font is noted.
    kept.begin()
    again = kept.paths([korean])
    assert again[0].is_file() and kept.missing_fonts == {"ko"}


def test_cards_drawn_in_worker_processes_are_the_cards_drawn_here(tmp_path: Path) -> None:
    cards = [Card("Site", f"Briefing {i} on the trilateral summit", ("March 2017", "Security")) for i in range(70)]
    cards.append(Card("Site", JAPANESE, ("2017年3月",), "ja"))
    maker = CardMaker(tmp_path / "cards")
    paths = maker.paths(cards)
    assert len(set(paths)) == len(cards) and maker.used == set(paths)
    assert [p.read_bytes() for p in paths] == [maker.draw(card) for card in cards]
    assert not list((tmp_path / "cards").glob("*.tmp"))


@pytest.mark.parametrize(("title", "language", "script"), [(KOREAN, "ko", "ko"), (JAPANESE, "ja", "ja")])
def test_korean_and_japanese_titles_are_drawn(tmp_path: Path, title: str, language: str, script: str) -> None:
    if find_face(script) is None:
        if os.environ.get("CI"):
            pytest.fail(f"no {script} font: .ci/run installs fonts-noto-cjk")
        pytest.skip(f"no font for {script} (install fonts-noto-cjk)")
    maker = CardMaker(tmp_path)
    drawn = _png(maker.draw(Card("Site", title, ("2017",), language)))
    blank = _png(maker.draw(Card("Site", None, ("2017",), language)))
    assert maker.missing_fonts == set()
    assert _ink(drawn, (80, 160, 1120, 420)) > 5000 and _ink(blank, (80, 160, 1120, 420)) == 0


def test_without_a_font_for_the_script_the_card_leaves_the_title_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cards.find_face
    monkeypatch.setattr(cards, "find_face", lambda script: None if script == "ko" else real(script))
    maker = CardMaker(tmp_path)
    image = _png(maker.draw(Card("Site", KOREAN, ("2017",), "ko")))
    assert image.size == (WIDTH, HEIGHT)
    assert _ink(image, (80, 160, 1120, 420)) == 0, "no boxes where letters should be"
    assert maker.missing_fonts == {"ko"}
    note = missing_fonts_note(maker)
    assert note is not None and "no Korean font was found" in note and "fonts-noto-cjk" in note


def test_without_fontconfig_latin_text_uses_pillow_s_own_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "find_face", lambda script: None)
    maker = CardMaker(tmp_path)
    first = maker.draw(Card("Site", "Alpha on North Korea", ("2017",)))
    assert first == maker.draw(Card("Site", "Alpha on North Korea", ("2017",)))
    assert _ink(_png(first), (80, 160, 1120, 420)) > 1000
