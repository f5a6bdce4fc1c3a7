"""Every kind of bad briefing: the exact located message, no traceback, no valid briefing lost."""

from __future__ import annotations

import pytest

from conftest import briefing
from trilat_site.core.loader import BodyUnreadable, load_briefings, read_body
from trilat_site.core.settings import SiteSettings

GOOD = {"briefings/good.md": briefing("Good one", "2017-01-01")}

CASES = {
    "yaml-syntax": (
        {"briefings/bad.md": "---\ntitle: A\nthemes: [security\n---\nbody\n"},
        [
            "briefings/bad.md:4: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
            "sequence): check the indentation, and quote values that contain ': ' or start with a special "
            "character"
        ],
    ),
    "no-front-matter": (
        {"briefings/bad.md": "# Just a heading\n"},
        [
            "briefings/bad.md:1: no front matter: a briefing starts with a line '---', then its keys "
            "(title, date, summary, themes), then a line '---'"
        ],
    ),
    "unclosed-front-matter": (
        {"briefings/bad.md": "---\ntitle: A\n"},
        ["briefings/bad.md:1: front matter is not closed: add a line '---' after its last key"],
    ),
    "not-a-mapping": (
        {"briefings/bad.md": "---\n- a\n- b\n---\n"},
        ["briefings/bad.md:2: front matter must be a mapping of keys to values (key: value), not a list"],
    ),
    "missing-keys": (
        {"briefings/bad.md": "---\ntitle: A\ndate: 2017-01-01\n---\n"},
        [
            "briefings/bad.md:1: missing required key 'summary': add one or two plain sentences that say "
            "what the briefing finds",
            "briefings/bad.md:1: missing required key 'themes': add a list of theme ids, e.g. themes: [security]",
        ],
    ),
    "unknown-key": (
        {"briefings/bad.md": briefing(tag="[x]")},
        [
            "briefings/bad.md:9: unknown key 'tag' (did you mean 'tags'?); allowed keys: title, date, "
            "summary, themes, period, slug, authors, countries, organizations, people, tags, sources, related, "
            "events, language, draft, updated, changes, translation_of, translators"
        ],
    ),
    "wrong-types": (
        {"briefings/bad.md": briefing(title="[a, b]", themes="security", draft="maybe")},
        [
            "briefings/bad.md:2: title must be text, not a list",
            "briefings/bad.md:5: themes must be a list (one '- item' per line, or [a, b]), not a single value",
            "briefings/bad.md:9: draft must be true or false, not 'maybe'",
        ],
    ),
    "impossible-dates": (
        {
            "briefings/bad.md": briefing(
                date="2017-02-30", events="\n  - date: 2017-13\n    title: X", updated="2017-04"
            )
        },
        [
            "briefings/bad.md:3: date: '2017-02-30' is not a real date: that month has no day 30",
            "briefings/bad.md:10: events[0].date: '2017-13' is not a real date: the month must be 01 to 12",
            "briefings/bad.md:12: updated: '2017-04' needs a day: write YYYY-MM-DD",
        ],
    ),
    "change-without-note": (
        {"briefings/bad.md": briefing(date="2017-04-01", changes="\n  - date: 2017-05-01")},
        ["briefings/bad.md:10: changes[0]: missing 'note'"],
    ),
    "change-dated-before-the-briefing": (
        {
            "briefings/bad.md": briefing(
                date="2017-04-01", changes="\n  - date: 2017-03-01\n    note: Earlier."
            )
        },
        [
            "briefings/bad.md:10: changes[0].date (2017-03-01) is before date (2017-04-01): "
            "a change is made after the briefing is published",
        ],
    ),
    "unknown-theme-and-country": (
        {"briefings/bad.md": briefing(themes="[securty]", countries="[korea]")},
        [
            "briefings/bad.md:5: themes[0]: unknown theme 'securty' (did you mean 'security'?); allowed: "
            "cyber, energy, security (declare more under plugins: trilat: themes in mkdocs.yml)",
            "briefings/bad.md:9: countries[0]: unknown country 'korea'; allowed: china, dprk, japan, rok, us "
            "(declare more under plugins: trilat: countries in mkdocs.yml)",
        ],
    ),
    "duplicate-slug": (
        {"briefings/zzz.md": briefing(slug="good")},
        [
            "briefings/zzz.md:9: slug 'good' is already used by briefings/good.md:1: "
            "give one of them a different slug"
        ],
    ),
    "unsafe-slug": (
        {"briefings/bad.md": briefing(slug="../../etc")},
        [
            "briefings/bad.md:9: slug '../../etc' is not usable in a URL: use lowercase ASCII letters, "
            "digits and single hyphens, e.g. slug: energy-alliance"
        ],
    ),
    "unsafe-file-name": (
        {"briefings/Über uns.md": briefing()},
        [],
    ),
    "related-to-nothing": (
        {"briefings/bad.md": briefing(related="\n  - god\n  - good")},
        [
            "briefings/bad.md:10: related[0]: 'god' names no briefing (did you mean 'good'?): "
            "use the slug of another briefing"
        ],
    ),
    "authors": (
        {
            "briefings/_data/people.yml": "- id: ann\n  name: Ann Lee\n",
            "briefings/bad.md": briefing(
                authors="\n  - person: anne"
                "\n  - name: Bo Kim\n    person: ann"
                "\n  - name: Cy Ng\n    given: Cy"
                "\n  - affiliation: NBR"
                "\n  - name: Team\n    collective: true\n    family: Team"
                "\n  - organization: ann"
            ),
        },
        [
            "briefings/bad.md:10: authors[0].person: unknown person 'anne' (did you mean 'ann'?); allowed: ann "
            "(declare it in briefings/_data/people.yml)",
            "briefings/bad.md:12: authors[1]: give only one of name, person or organization, not name and person",
            "briefings/bad.md:14: authors[2]: given needs family: add family, or leave given out",
            "briefings/bad.md:15: authors[3]: give one of name, person or organization",
            "briefings/bad.md:17: authors[4]: collective and family cannot both be given: remove one",
            "briefings/bad.md:19: authors[5].organization: unknown organisation 'ann' "
            "(declare it in briefings/_data/organizations.yml)",
        ],
    ),
    "periods-and-languages": (
        {
            "briefings/bad.md": briefing(period="2017-05/2017-03", language="English"),
            "briefings/bad2.md": briefing(period="March 2017"),
            "briefings/bad3.md": briefing(period="2017-03/2017-03"),
        },
        [
            "briefings/bad.md:9: period: '2017-05/2017-03' ends (2017-03) before it starts (2017-05): "
            "write the earlier date first",
            "briefings/bad.md:10: language: 'English' is not a language tag: write a BCP 47 tag such as en, "
            "ko, ja or en-GB",
            "briefings/bad2.md:9: period: 'March 2017' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY",
            "briefings/bad3.md:9: period: '2017-03/2017-03' starts and ends on the same date: write 2017-03",
        ],
    ),
    "registry-people": (
        {
            "briefings/_data/organizations.yml": "- id: nbr\n  name: NBR\n",
            "briefings/_data/people.yml": (
                "- id: a\n  name: A B\n  orcid: 0000-0002-1825-0098\n"
                "- id: b\n  name: B C\n  photo: photos/b.jpg\n"
                "- id: c\n  name: C D\n  given: D\n"
                "- id: d\n  name: D E\n  organization: nbr\n  affiliation: NBR\n"
                "- id: e\n  name: E F\n  photo: ../../secret.png\n  links:\n    - title: Page\n"
            ),
        },
        [
            "briefings/_data/people.yml:3: orcid: '0000-0002-1825-0098' is not an ORCID iD: its last character "
            "does not check; copy it from orcid.org",
            "briefings/_data/people.yml:6: photo: photos/b.jpg does not exist: put the picture there, "
            "or leave photo out",
            "briefings/_data/people.yml:9: given needs family: add family, or leave given out",
            "briefings/_data/people.yml:13: affiliation and organization cannot both be given: remove one",
            "briefings/_data/people.yml:16: photo: '../../secret.png' is not a picture's path below the "
            "registry folder: use letters, digits, '.', '-' and '_' in folder and file names, and a .jpg, "
            ".jpeg, .png or .webp file",
            "briefings/_data/people.yml:18: links[0]: missing 'url'",
        ],
    ),
    "not-utf8": (
        {"briefings/bad.md": "---\ntitle: Caf\xe9\n---\n".encode("latin-1")},
        [
            "briefings/bad.md:2: is not UTF-8 text (byte 0xe9 cannot be read): save the file as UTF-8 "
            "in your editor"
        ],
    ),
}
# A file name with no usable slug gives a located error rather than a broken URL.
CASES["unsafe-file-name"] = (
    {"briefings/日本.md": briefing()},
    [
        "briefings/日本.md:1: the file name gives slug '' is not usable in a URL: use lowercase ASCII "
        "letters, digits and single hyphens, e.g. slug: energy-alliance; or set slug in the front matter"
    ],
)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_bad_briefing_fails_the_build_with_located_messages(site, kind: str) -> None:
    files, expected = CASES[kind]
    result = site.build({**GOOD, **files})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    reported = [line for line in result.stderr.splitlines() if line.startswith("briefings/")]
    assert reported == expected
    corpus = load_briefings(site.root, SiteSettings())
    assert "good" in {b.slug for b in corpus.briefings}, "the valid briefing must not be lost"


def test_every_problem_of_every_file_is_reported_at_once(site) -> None:
    result = site.build(
        {
            **GOOD,
            "briefings/one.md": briefing(themes="[nope]"),
            "briefings/two.md": briefing(date="yesterday"),
        }
    )
    assert result.returncode != 0
    assert "2 problems in briefings:" in result.stderr
    assert "briefings/one.md:5: themes[0]: unknown theme 'nope'" in result.stderr
    assert (
        "briefings/two.md:3: date: 'yesterday' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
        in result.stderr
    )


def test_warnings_pass_a_normal_build_and_fail_a_strict_one(site) -> None:
    no_sources = "---\ntitle: A\ndate: 2017-01-01\nsummary: S.\nthemes: [security]\n---\nBody.\n"
    files = {**GOOD, "briefings/nosrc.md": no_sources}
    result = site.build(files)
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING -  trilat: briefings/nosrc.md:1: no sources: list what the briefing draws on under 'sources'"
        in result.stderr
    )
    strict = site.run("build", "--strict")
    assert strict.returncode != 0
    assert "Traceback" not in strict.stderr


def test_non_briefing_files_in_the_folder_are_left_alone(site) -> None:
    result = site.build(
        {
            **GOOD,
            "briefings/_authoring-guide.md": "# How to write\n",
            "briefings/README.md": "# Readme\n",
            "briefings/_drafts/notes.md": "no front matter",
            "briefings/notes.txt": "text",
        },
        "",
        "--strict",
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_plugin_setting_is_a_clear_error(site) -> None:
    result = site.build(GOOD, "themes:\n  - id: Bad Id\n    title: Bad\n")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "trilat: theme id 'Bad Id' must be lowercase letters, digits and hyphens" in result.stderr


def test_a_briefing_that_changes_during_the_build_is_a_clear_error(site) -> None:
    # The body is read when the page is converted, after the whole folder was checked.
    hook = (
        "from pathlib import Path\n\n"
        "def on_nav(nav, config, files):\n"
        "    Path(config.config_file_path).with_name('briefings').joinpath('b.md').write_text('no front matter')\n"
        "    return nav\n"
    )
    root = site.write({"briefings/a.md": briefing("A"), "briefings/b.md": briefing("B"), "hook.py": hook})
    with (root / "mkdocs.yml").open("a") as config:
        config.write("hooks:\n  - hook.py\n")
    result = site.run("build")
    assert result.returncode == 1
    assert (
        "briefings/b.md:1: no front matter: a briefing starts with a line '---', then its keys "
        "(title, date, summary, themes), then a line '---': it changed during the build; build again"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_read_body_says_which_file_went_away(tmp_path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "a.md").write_text(briefing("A", body="Text."))
    corpus = load_briefings(tmp_path, SiteSettings())
    (b,) = corpus.briefings
    assert read_body(tmp_path, b) == "\nText.\n"
    (tmp_path / "briefings" / "a.md").unlink()
    with pytest.raises(BodyUnreadable, match=r"^briefings/a.md: cannot be read: No such file or directory$"):
        read_body(tmp_path, b)


TEMPLATE_CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "syntax": (
        {"templates/briefing.html": "<h1>{{ briefing.title }}</h1>\n{% if %}\n"},
        "ERROR   -  templates/briefing.html:2: Expected an expression, got 'end of statement block': "
        "fix the template's syntax (rendering the page of briefings/good.md)",
    ),
    "not UTF-8": (
        {"templates/theme.html": b"<h1>{{ page_title }}</h1>\n\n<p>caf\xe9</p>\n"},
        "ERROR   -  templates/theme.html:3: not UTF-8 text (byte 0xe9): save the file as UTF-8 "
        "(rendering the page /themes/security/)",
    ),
    "undefined": (
        {"templates/briefing.html": "<h1>{{ briefing.title }}</h1>\n\n{{ briefing.no_such_field }}\n"},
        "ERROR   -  templates/briefing.html:3: 'trilat_site.core.model.Briefing object' has no attribute "
        "'no_such_field' (rendering the page of briefings/good.md)",
    ),
    "in an imported template": (
        {
            "templates/_mine.html": "{% macro count(n) %}\n{{ n + 'x' }}\n{% endmacro %}\n",
            "templates/briefing.html": "{% import '_mine.html' as mine %}\n<p>{{ mine.count(1) }}</p>\n",
        },
        "ERROR   -  templates/_mine.html:2: TypeError: unsupported operand type(s) for +: 'int' and 'str' "
        "(rendering the page of briefings/good.md)",
    ),
    "a part kept by a key that cannot be one": (
        {"templates/sources.html": "{% macro part(x) %}{{ x }}{% endmacro %}\n{{ fragment([1], part, 1) }}\n"},
        "ERROR   -  templates/sources.html:2: TypeError: fragment()'s key must be records, text, numbers and "
        "tuples of them, not list (rendering the page /sources/)",
    ),
    "head": (
        {"templates/head.html": "{{ meta.nothing.else }}\n"},
        "ERROR   -  templates/head.html:1: 'trilat_site.site.metadata.HeadMeta object' has no attribute 'nothing'",
    ),
}


@pytest.mark.parametrize("kind", sorted(TEMPLATE_CASES))
def test_a_broken_site_template_is_named_with_its_line(site, kind: str) -> None:
    files, expected = TEMPLATE_CASES[kind]
    result = site.build({**GOOD, **files})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    reported = [line for line in result.stderr.splitlines() if "templates/" in line]
    assert len(reported) == 1 and reported[0].startswith(expected), result.stderr


def test_a_broken_pdf_template_is_named_with_its_line(site) -> None:
    result = site.build({**GOOD, "templates/pdf.html": "<html>\n{{ briefing.title | no_such_filter }}\n"}, "pdf: true")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "ERROR   -  templates/pdf.html:2: No filter named 'no_such_filter': fix the template's syntax "
        "(rendering the PDF of briefings/good.md)"
    ) in result.stderr, result.stderr
