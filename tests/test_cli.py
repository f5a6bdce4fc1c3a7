"""The `trilat` command: settings from mkdocs.yml, new, check, list and report."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SiteFactory, briefing
from test_errors import CASES, GOOD
from trilat_site.cli import commands as cli
from trilat_site.cli import scaffold
from trilat_site.cli.report import editorial_report, format_report
from trilat_site.cli.siteconfig import parse_mkdocs_yml, plugin_options, read_site_config
from trilat_site.core.loader import load_briefings
from trilat_site.core.model import Briefing, Organization, Person, Registry, Source
from trilat_site.core.settings import (
    DEFAULT_COUNTRIES,
    DEFAULT_THEMES,
    SettingsError,
    SiteSettings,
    settings_from_options,
)

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(cli, "today", lambda: TODAY)
    return TODAY


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """Run the command in the site's folder, as an editor would; (exit code, stdout, stderr)."""
    before = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    finally:
        os.chdir(before)
    return result.exit_code, result.stdout, result.stderr


# -- settings from mkdocs.yml ------------------------------------------------------------


def test_mkdocs_yml_tags_are_read_as_nothing_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    document = parse_mkdocs_yml(
        f"""\
site_name: !ENV [SITE_NAME, "Docs"]
hook: !!python/name:os.system
evil: !!python/object/apply:os.system ["touch {marker}"]
shared: &opts {{per_page: 7}}
plugins:
  - search
  - trilat: *opts
"""
    )
    assert document["site_name"] is None and document["hook"] is None and document["evil"] is None
    assert not marker.exists()
    assert settings_from_options(plugin_options(document)).per_page == 7


def test_plugin_options_become_settings() -> None:
    options = plugin_options(
        parse_mkdocs_yml(
            """\
plugins:
  search: {}
  trilat:
    briefings_dir: notes
    per_page: 3
    home_latest: 2
    related_limit: 4
    templates_dir: overrides
    themes:
      - id: trade
        title: Trade
        description: Trade policy.
        icon: material/scale
    countries:
      - id: australia
        name: Australia
      - id: rok
        name: South Korea
"""
        )
    )
    settings = settings_from_options(options)
    assert settings.briefings_dir == "notes"
    assert (settings.per_page, settings.home_latest, settings.related_limit) == (3, 2, 4)
    assert [t.id for t in settings.themes] == ["trade"], "declared themes replace the defaults"
    assert settings.theme("trade").icon == "material/scale"
    assert settings.country_ids == {c.id for c in DEFAULT_COUNTRIES} | {"australia"}
    assert settings.country("rok").name == "South Korea"


def test_no_options_give_the_defaults() -> None:
    settings = settings_from_options(plugin_options(parse_mkdocs_yml("plugins:\n  - trilat\n")))
    assert settings == SiteSettings()
    assert settings.themes == DEFAULT_THEMES


def test_options_the_checks_do_not_need_are_left_to_mkdocs() -> None:
    yml = "plugins:\n  - trilat:\n      git_history: false\n      feed_limit: 10\n      per_page: 4\n"
    assert settings_from_options(plugin_options(parse_mkdocs_yml(yml))).per_page == 4


@pytest.mark.parametrize(
    "yml, fragment",
    [
        ("plugins: [search]\n", "does not use the trilat plugin"),
        ("plugins:\n  - trilat:\n      per_page: 0\n", "per_page must be at least 1"),
        ("plugins:\n  - trilat:\n      per_page: many\n", "per_page must be a whole number"),
        ("plugins:\n  - trilat:\n      themes:\n        - id: trade\n", "themes[0].title must be text"),
        (
            "plugins:\n  - trilat:\n      themes:\n        - id: Trade\n          title: T\n",
            "theme id 'Trade'",
        ),
        ("plugins:\n  - trilat:\n      countries: [us]\n", "countries[0] must be a mapping"),
        (
            "plugins:\n  - trilat:\n      countries:\n        - {id: us, name: U, nom: x}\n",
            "unknown key 'nom'",
        ),
        ("plugins:\n  - trilat:\n    per_page: 3\n", "must be indented below '- trilat:'"),
        ("plugins:\n  - trilat:\n      edit_links: yes please\n", "edit_links must be true or false"),
        ("plugins:\n  - trilat:\n      license: [CC]\n", "license must be text: the licence's name"),
        (
            "plugins:\n  - trilat:\n      license_url: creativecommons.org\n",
            "license_url must be an http:// or https:// address",
        ),
        ("plugins: [search,\n  trilat\n", "mkdocs.yml:3: YAML syntax error"),
        ("- just\n- a list\n", "must be a mapping of settings"),
    ],
)
def test_bad_settings_are_reported_clearly(yml: str, fragment: str) -> None:
    with pytest.raises(SettingsError) as info:
        settings_from_options(plugin_options(parse_mkdocs_yml(yml)))
    assert fragment in str(info.value)


def test_inherited_configuration_is_followed(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("plugins:\n  - trilat:\n      per_page: 9\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Child\n")
    config = read_site_config(tmp_path / "mkdocs.yml")
    assert config.settings.per_page == 9
    assert config.project_dir == tmp_path.resolve()


def test_settings_errors_exit_with_2(site: SiteFactory) -> None:
    site.write(GOOD, "per_page: 0")
    for command in (["check"], ["list"], ["report"], ["new", "T", "--theme", "security"]):
        code, _, err = run(site.root, *command)
        assert code == 2, command
        assert "trilat: per_page must be at least 1" in err
    code, _, err = run(site.root, "check", "-f", "nowhere.yml")
    assert code == 2 and "nowhere.yml: no such file" in err


def test_the_command_never_imports_mkdocs() -> None:
    code = "import sys, trilat_site.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'jinja2')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("command", [[], ["new"], ["check"], ["list"], ["report"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli.main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.stdout
    if command:
        assert "--config-file" in result.stdout


# -- trilat new --------------------------------------------------------------------------


def test_new_writes_a_briefing_that_passes_the_checks(site: SiteFactory, fixed_today: dt.date) -> None:
    site.write(GOOD)
    code, out, err = run(
        site.root,
        "new",
        "Energy: the “shale” boom",
        "--theme",
        "energy",
        "--theme",
        "cyber",
        "--country",
        "rok",
    )
    assert code == 0, err
    path = site.root / out.strip()
    assert out.strip() == "briefings/energy-the-shale-boom.md"
    text = path.read_text(encoding="utf-8")
    assert "date: 2026-11-30\n" in text
    assert "# sources:" in text, "a commented example of sources"
    corpus = load_briefings(site.root, SiteSettings())
    new = next(b for b in corpus.briefings if b.slug == "energy-the-shale-boom")
    assert new.title == "Energy: the “shale” boom"
    assert new.themes == ("energy", "cyber") and new.countries == ("rok",)
    assert new.date == fixed_today
    code, out, _ = run(site.root, "check", "--format", "json")
    assert code == 0
    assert [(p["severity"], p["message"].split(":")[0]) for p in json.loads(out)] == [
        ("warning", "no sources")
    ]


def test_new_briefing_builds_with_mkdocs(site: SiteFactory, fixed_today: dt.date) -> None:
    site.write(GOOD)
    code, out, _ = run(site.root, "new", "A fresh start", "--theme", "security", "--dir", "2026")
    assert code == 0
    assert out.strip() == "briefings/2026/a-fresh-start.md"
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert result.content("briefings/a-fresh-start").h1.get_text(strip=True) == "A fresh start"


def test_new_slugs_are_unique(site: SiteFactory, fixed_today: dt.date) -> None:
    site.write(
        {
            **GOOD,
            "briefings/2017/alliance.md": briefing("Alliance"),
            "briefings/other-name.md": briefing("Other", slug="alliance-2"),
        }
    )
    code, out, _ = run(site.root, "new", "Alliance", "--theme", "security")
    assert code == 0
    assert out.strip() == "briefings/alliance-3.md", "taken by a file elsewhere (-1) and by a slug (-2)"
    code, out, _ = run(site.root, "new", "Alliance", "--theme", "security")
    assert out.strip() == "briefings/alliance-4.md"
    code, out, _ = run(site.root, "new", "Index", "--theme", "security")
    assert out.strip() == "briefings/index-2.md", "reserved slugs are taken"
    code, out, _ = run(site.root, "new", "日本の安全保障", "--theme", "security")
    assert out.strip() == "briefings/briefing.md"
    code, _, err = run(site.root, "check")
    assert code == 0, err


def test_slugs_from_titles() -> None:
    assert scaffold.slug_for_title("Énergie et sécurité: 2017–2018") == "energie-et-securite-2017-2018"
    assert scaffold.slug_for_title("  --THAAD!!  ") == "thaad"
    long = scaffold.slug_for_title("word " * 40)
    assert len(long) <= 60 and long.endswith("word") and "--" not in long
    assert scaffold.slug_for_title("x" * 100) == "x" * 60
    assert scaffold.slug_for_title("北朝鮮") == "briefing"


def test_new_refuses_unknown_ids_and_bad_folders(site: SiteFactory) -> None:
    site.write(GOOD)
    code, _, err = run(site.root, "new", "T", "--theme", "securty")
    assert code == 2
    assert "unknown theme 'securty' (did you mean 'security'?); allowed: cyber, energy, security" in err
    code, _, err = run(site.root, "new", "T", "--theme", "security", "--country", "korea")
    assert code == 2 and "allowed: china, dprk, japan, rok, us" in err
    for folder in ("../outside", "/tmp", "_notes", "2017/../.."):
        code, _, err = run(site.root, "new", "T", "--theme", "security", "--dir", folder)
        assert code == 2, folder
    code, _, _ = run(site.root, "new", "T")
    assert code == 2, "--theme is required"
    code, _, err = run(site.root, "new", "  \n ", "--theme", "security")
    assert code == 2 and "the title is empty" in err
    (site.root / "briefings" / "afile").write_text("not a folder")
    code, _, err = run(site.root, "new", "T", "--theme", "security", "--dir", "afile")
    assert code == 2 and "afile is a file, not a folder" in err
    assert sorted(p.name for p in (site.root / "briefings").rglob("*.md")) == ["good.md"]


def test_new_never_overwrites(site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write(GOOD)
    before = (site.root / "briefings/good.md").read_bytes()
    # Another process may create the file between choosing the name and writing it.
    monkeypatch.setattr(cli, "unique_slug", lambda base, taken, folder: "good")
    code, _, err = run(site.root, "new", "Good", "--theme", "security")
    assert code == 2
    assert "briefings/good.md already exists" in err
    assert (site.root / "briefings/good.md").read_bytes() == before


# -- trilat check ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(CASES))
def test_check_reports_exactly_the_build_messages(site: SiteFactory, kind: str) -> None:
    files, expected = CASES[kind]
    site.write({**GOOD, **files})
    code, out, _ = run(site.root, "check")
    assert [line for line in out.splitlines() if ": warning: " not in line] == expected
    assert code == (1 if expected else 0)


def test_check_json_strict_and_exit_codes(site: SiteFactory) -> None:
    no_sources = briefing("No sources", sources="")
    site.write({**GOOD, "briefings/nosrc.md": no_sources})
    code, out, err = run(site.root, "check")
    assert code == 0
    assert out.splitlines() == [
        "briefings/nosrc.md:1: warning: no sources: list what the briefing draws on under 'sources'"
    ]
    assert "2 files checked: 0 errors, 1 warning" in err
    code, out, _ = run(site.root, "check", "--strict", "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "briefings/nosrc.md",
            "line": 1,
            "severity": "warning",
            "message": "no sources: list what the briefing draws on under 'sources'",
        }
    ]
    (site.root / "briefings/bad.md").write_text(briefing(date="2017-02-30"))
    code, out, _ = run(site.root, "check", "--format", "json")
    assert code == 1
    assert {p["severity"] for p in json.loads(out)} == {"error", "warning"}
    code, out, _ = run(site.root, "check", "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=briefings/bad.md,line=3,title=trilat check::date: '2017-02-30' is not a real date: "
        "that month has no day 30",
        "::warning file=briefings/nosrc.md,line=1,title=trilat check::no sources: list what the briefing "
        "draws on under 'sources'",
    ]
    code, _, err = run(site.root, "check", "--format", "xml")
    assert code == 2


def test_check_of_some_files_still_sees_the_whole_corpus(site: SiteFactory) -> None:
    site.write(
        {
            **GOOD,
            "briefings/2017/dup.md": briefing(slug="good"),
            "briefings/2017/rel.md": briefing(related="[good]"),
            "briefings/2016/bad.md": briefing(date="never"),
        }
    )
    code, out, _ = run(site.root, "check", "briefings/2017/dup.md")
    assert code == 1
    assert out.splitlines() == [
        "briefings/2017/dup.md:9: slug 'good' is already used by briefings/good.md:1: "
        "give one of them a different slug"
    ]
    code, out, _ = run(site.root, "check", "briefings/2017/rel.md")
    assert (code, out) == (0, ""), "related to a briefing outside the given paths"
    code, out, _ = run(site.root, "check", "briefings/2016")
    assert code == 1 and out.startswith("briefings/2016/bad.md:3: date: 'never' is not a date")
    code, out, _ = run(site.root, "check", "briefings/2016/bad.md", "briefings/2017/dup.md")
    assert len(out.splitlines()) == 2
    code, out, _ = run(site.root, "check", "briefings/good.md")
    assert (code, out) == (0, "")


def test_check_from_another_folder_and_of_paths_outside(site: SiteFactory) -> None:
    site.write({**GOOD, "briefings/bad.md": briefing(themes="[nope]")})
    code, out, _ = run(site.root / "briefings", "check", "-f", "../mkdocs.yml", "bad.md")
    assert code == 1
    assert out.startswith("briefings/bad.md:5: themes[0]: unknown theme 'nope'")
    code, out, err = run(site.root, "check", "docs")
    assert (code, out) == (0, "") and "not in the briefings folder" in err
    for whole in (".", "briefings", "briefings/"):
        code, out, _ = run(site.root, "check", whole)
        assert code == 1 and out.startswith("briefings/bad.md:5:"), whole
    code, _, err = run(site.root, "check", "briefings/missing.md")
    assert code == 2 and "does not exist" in err


def test_check_is_fast_on_a_thousand_briefings(site: SiteFactory) -> None:
    files: dict[str, str | bytes] = {
        f"briefings/{1990 + i % 30}/b{i:04d}.md": briefing(
            f"Briefing {i}",
            f"{1990 + i % 30}-01-{1 + i % 28:02d}",
            tags="[a, b]",
            related=f"[b{(i + 1) % 1000:04d}]",
        )
        for i in range(1000)
    }
    site.write(files)
    start = time.perf_counter()
    code, out, err = run(site.root, "check")
    elapsed = time.perf_counter() - start
    assert (code, out) == (0, ""), err
    assert "1000 files checked" in err
    assert elapsed < 30, "generous: it takes well under a second on a laptop"


# -- trilat list -------------------------------------------------------------------------


def test_list_newest_first_with_filters(site: SiteFactory) -> None:
    site.write(
        {
            "briefings/a.md": briefing("Alpha", "2016-05-01", themes="[security, energy]", countries="[us]"),
            "briefings/b.md": briefing("Beta", "2017-03-01", themes="[cyber]", countries="[japan]"),
            "briefings/c.md": briefing("Gamma", "2017-01-01", themes="[energy]"),
            "briefings/d.md": briefing("Delta", "2017-06-01", draft="true"),
        }
    )
    code, out, _ = run(site.root, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["DATE", "SLUG", "THEMES", "TITLE"]
    assert [line.split()[1] for line in lines[1:]] == ["b", "c", "a"]
    assert lines[3].split(maxsplit=3) == ["2016-05-01", "a", "security,energy", "Alpha"]
    _, out, _ = run(site.root, "list", "--theme", "energy")
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["c", "a"]
    _, out, _ = run(site.root, "list", "--theme", "cyber", "--theme", "security")
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["b", "a"]
    _, out, _ = run(site.root, "list", "--country", "us", "--theme", "energy")
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["a"]
    _, out, _ = run(site.root, "list", "--year", "2017")
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["b", "c"]
    _, out, _ = run(site.root, "list", "--drafts")
    assert out.splitlines()[1].split(maxsplit=3) == ["2017-06-01", "d", "security", "[draft] Delta"]
    code, out, err = run(site.root, "list", "--year", "1999")
    assert (code, out) == (0, "") and "no briefing matches" in err
    code, _, err = run(site.root, "list", "--theme", "trade")
    assert code == 2 and "unknown theme 'trade'" in err


def test_list_says_when_briefings_with_errors_are_left_out(site: SiteFactory) -> None:
    site.write({**GOOD, "briefings/bad.md": briefing(themes="[nope]")})
    code, out, err = run(site.root, "list")
    assert code == 0
    assert len(out.splitlines()) == 2
    assert "1 error in briefings" in err and "trilat check" in err


# -- trilat report -----------------------------------------------------------------------


def make(slug: str, date: str, **kw: object) -> Briefing:
    return Briefing(
        path=f"briefings/{slug}.md",
        src_rel=f"{slug}.md",
        slug=slug,
        title=slug.upper(),
        date=dt.date.fromisoformat(date),
        summary="S.",
        themes=tuple(kw.pop("themes", ("security",))),  # type: ignore[arg-type]
        sources=tuple(kw.pop("sources", (Source("A source"),))),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


REGISTRY = Registry(
    people=(Person("ann", "Ann"), Person("bob", "Bob"), Person("cy", "Cy")),
    organizations=(Organization("nbr", "NBR"), Organization("jcie", "JCIE")),
)


def test_report_finds_what_needs_editorial_attention() -> None:
    briefings = [
        make("a", "2026-01-01", related=("b", "c"), people=("ann",)),
        make("b", "2024-01-01", related=("a",), updated=dt.date(2026, 1, 1)),
        make("c", "2023-06-01", themes=("security", "energy"), sources=()),
        make(
            "d", "2026-02-01", draft=True, people=("bob",), organizations=("nbr",), sources=(), related=("a",)
        ),
    ]
    report = editorial_report(
        briefings, SiteSettings(), REGISTRY, today=TODAY, stale_days=365, min_per_theme=2
    )
    assert (report.published, report.drafts) == (3, 1)
    assert [(t.theme.id, t.count) for t in report.thin_themes] == [("energy", 1), ("cyber", 0)]
    assert [b.slug for b in report.unsourced] == ["c"], "drafts are not the site's content yet"
    assert [(s.briefing.slug, s.days) for s in report.stale] == [("c", (TODAY - dt.date(2023, 6, 1)).days)]
    assert [p.id for p in report.uncited_people] == ["cy"], "a draft's people count as cited"
    assert [o.id for o in report.uncited_organizations] == ["jcie"]
    assert [(link.source.slug, link.target.slug) for link in report.one_sided] == [("a", "c")]
    assert report.findings == 7


def test_staleness_follows_today_and_the_threshold() -> None:
    briefings = [make("a", "2025-11-30"), make("b", "2025-11-29")]
    report = editorial_report(briefings, SiteSettings(), Registry(), today=TODAY)
    assert [s.briefing.slug for s in report.stale] == ["b"], "365 days old is not yet stale"
    later = editorial_report(briefings, SiteSettings(), Registry(), today=TODAY + dt.timedelta(days=1))
    assert [s.briefing.slug for s in later.stale] == ["b", "a"]
    assert editorial_report(briefings, SiteSettings(), Registry(), today=TODAY, stale_days=1000).stale == ()


def test_report_text_lists_every_section() -> None:
    report = editorial_report(
        [make("a", "2020-01-01", related=("b",)), make("b", "2026-01-01", sources=())],
        SiteSettings(),
        REGISTRY,
        today=TODAY,
    )
    text = format_report(report)
    assert text.startswith("Editorial report, 2026-11-30: 2 published briefings, 0 drafts\n")
    assert "Themes with fewer than 3 briefings (3):\n  security: 2 briefings (Security)\n" in text
    assert "Briefings without sources (1):\n  briefings/b.md: B\n" in text
    assert "briefings/a.md: last revised 2020-01-01, 2525 days ago" in text
    assert "People no briefing cites (3):" in text
    assert (
        "  briefings/a.md: relates to 'b', but briefings/b.md does not relate back to 'a'"
        in text.splitlines()
    )
    clean = editorial_report([], SiteSettings(), Registry(), today=TODAY, min_per_theme=1)
    assert "Briefings without sources: none" in format_report(clean)


def test_report_command(site: SiteFactory, fixed_today: dt.date) -> None:
    site.write(
        {
            "briefings/a.md": briefing("A", "2020-01-01", related="[b]"),
            "briefings/b.md": briefing("B", "2026-06-01", sources=""),
            "briefings/_data/people.yml": "- id: ann\n  name: Ann\n",
        }
    )
    code, out, _ = run(site.root, "report")
    assert code == 0
    assert "Editorial report, 2026-11-30" in out
    assert "briefings/a.md: last revised 2020-01-01" in out
    assert "  ann: Ann" in out
    code, out, _ = run(site.root, "report", "--today", "2020-06-01", "--format", "json")
    data = json.loads(out)
    assert data["today"] == "2020-06-01" and data["stale"] == []
    assert data["unsourced"] == [{"path": "briefings/b.md", "slug": "b", "title": "B"}]
    assert data["one_sided_related"] == [{"path": "briefings/a.md", "slug": "a", "related": "b"}]
    _, out, _ = run(site.root, "report", "--stale-days", "10000")
    assert "Briefings not updated for more than 10000 days: none" in out
    code, _, _ = run(site.root, "report", "--stale-days", "-1")
    assert code == 2
