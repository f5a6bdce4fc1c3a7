"""Revision history and edit links from Git, and the fallbacks without it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import briefing
from trilat_site.core.history import parse_log
from trilat_site.site.repo import RepoLinks


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date if "T" in date else f"{date}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


def sitemap(result) -> dict[str, str]:
    """Each page's lastmod in the sitemap MkDocs writes, by path."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(result.site / "sitemap.xml").getroot()
    out = {}
    for url in root.findall("s:url", ns):
        lastmod = url.find("s:lastmod", ns)
        out[url.find("s:loc", ns).text.removeprefix("https://example.org/site/")] = (
            lastmod.text if lastmod is not None else ""
        )
    return out


def test_pages_show_git_dates_and_history(site) -> None:
    root = site.write(
        {"briefings/a.md": briefing("A", "2017-04-01"), "briefings/b.md": briefing("B", "2017-04-02")},
        "revision_history: true",
    )
    git(root, "init", "-q", "-b", "main")
    commit(root, "Add two briefings", "2017-04-03")
    (root / "briefings" / "a.md").write_text(briefing("A", "2017-04-01", body="Revised text."))
    commit(root, "Revise A: sharper conclusion", "2017-06-10")
    (root / "briefings" / "a.md").write_text(briefing("A", "2017-04-01", body="Revised again."))
    commit(root, "Fix a typo in A", "2017-07-01")
    result = site.run("build", "--strict")
    assert result.returncode == 0, result.stderr

    a = result.content("briefings/a")
    assert "updated 1 July 2017" in a.select_one(".trilat-meta").get_text(" ", strip=True)
    history = [li.get_text(" ", strip=True) for li in a.select(".trilat-history li")]
    assert history == [
        "1 July 2017 : Fix a typo in A",
        "10 June 2017 : Revise A: sharper conclusion",
        "3 April 2017 : Add two briefings",
    ]
    b = result.content("briefings/b")
    assert [li.get_text(" ", strip=True) for li in b.select(".trilat-history li")] == [
        "3 April 2017 : Add two briefings"
    ]
    import feedparser

    feed = feedparser.parse((result.site / "feed.xml").read_bytes())
    assert {e.title: e.updated for e in feed.entries} == {
        "A": "2017-07-01T12:00:00Z",
        "B": "2017-04-03T12:00:00Z",
    }
    import json

    export = json.loads((result.site / "briefings.json").read_text())
    assert {x["slug"]: x["updated"] for x in export["briefings"]} == {
        "a": "2017-07-01T12:00:00+00:00",
        "b": "2017-04-03T12:00:00+00:00",
    }

    # By default readers see the date of the last update, not the editors' commit messages.
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("revision_history: true", "revision_history: false"))
    result = site.run("build", "--strict")
    a = result.content("briefings/a")
    assert "updated 1 July 2017" in a.select_one(".trilat-meta").get_text(" ", strip=True)
    assert not a.select(".trilat-history")
    assert "Fix a typo" not in a.get_text()


def test_history_is_capped_and_counts_the_rest(site) -> None:
    root = site.write({"briefings/a.md": briefing("A")}, "history_limit: 2\nrevision_history: true")
    git(root, "init", "-q", "-b", "main")
    for i in range(4):
        (root / "briefings" / "a.md").write_text(briefing("A", body=f"Version {i}."))
        commit(root, f"Version {i}", f"2017-05-0{i + 1}")
    result = site.run("build")
    a = result.content("briefings/a")
    assert len(a.select(".trilat-history li")) == 2
    assert "And 2 earlier revisions" in a.select_one(".trilat-history").get_text()


def test_without_git_dates_fall_back_to_front_matter(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("A", "2017-04-01", updated="2017-05-05"),
            "briefings/b.md": briefing("B", "2017-04-02"),
        }
    )
    assert result.returncode == 0, result.stderr
    assert "updated 5 May 2017" in result.content("briefings/a").select_one(".trilat-meta").get_text(
        " ", strip=True
    )
    assert "updated" not in result.content("briefings/b").select_one(".trilat-meta").get_text()
    assert not result.content("briefings/a").select(".trilat-history")
    import json

    export = json.loads((result.site / "briefings.json").read_text())
    assert {x["slug"]: x["updated"] for x in export["briefings"]} == {"a": "2017-05-05", "b": "2017-04-02"}


def test_shallow_clone_falls_back_and_stays_deterministic(site, tmp_path) -> None:
    root = site.write({"briefings/a.md": briefing("A", "2017-04-01"), "docs/about.md": "# About\n"})
    git(root, "init", "-q", "-b", "main")
    commit(root, "One", "2017-05-01")
    (root / "briefings" / "a.md").write_text(briefing("A", "2017-04-01", body="Two."))
    commit(root, "Two", "2017-06-01")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    from conftest import SiteFactory

    result = SiteFactory(clone).run("build", "--strict")
    assert result.returncode == 0, result.stderr
    assert not result.content("briefings/a").select(".trilat-history")
    assert "shallow clone" in result.stderr


def test_edit_links_are_for_editors_and_follow_repo_url(site) -> None:
    root = site.write({"briefings/2017/a.md": briefing("A"), "docs/guide.md": "# Guide\n"})
    yml = root / "mkdocs.yml"
    plain = yml.read_text()
    repo = "repo_url: https://github.com/org/briefings\nedit_uri: edit/main/docs/\n"
    # Readers: no link to the repository anywhere, neither the plugin's nor the theme's.
    yml.write_text(repo + plain)
    result = site.run("build")
    for path in ("briefings/a", "guide", ""):
        page = result.html(path)
        assert not page.select(".trilat-source-links, .md-source, a[href*='github.com']"), path
    # Editors (edit_links: true): edit and view links on each briefing, the repository in the header.
    yml.write_text(repo + plain + "      edit_links: true\n")
    result = site.run("build")
    links = result.content("briefings/a").select(".trilat-source-links a")
    assert [a["href"] for a in links] == [
        "https://github.com/org/briefings/edit/main/briefings/2017/a.md",
        "https://github.com/org/briefings/blob/main/briefings/2017/a.md",
    ]
    assert (
        result.html("briefings/a").select_one(".md-header .md-source")["href"]
        == "https://github.com/org/briefings"
    )
    yml.write_text(plain + "      edit_links: true\n")
    result = site.run("build")
    assert not result.content("briefings/a").select(".trilat-source-links")


def test_repo_links_for_common_hosts() -> None:
    gitlab = RepoLinks.from_config("https://gitlab.com/g/p", "-/edit/main/docs/", "docs")
    assert gitlab is not None
    assert gitlab.edit("briefings/a.md") == "https://gitlab.com/g/p/-/edit/main/briefings/a.md"
    assert gitlab.view("briefings/a.md") == "https://gitlab.com/g/p/-/blob/main/briefings/a.md"
    assert RepoLinks.from_config(None, "edit/main/docs/", "docs") is None
    custom = RepoLinks.from_config("https://example.org/repo/", "edit/trunk/", "docs")
    assert custom is not None and custom.edit("x.md") == "https://example.org/repo/edit/trunk/x.md"


def test_parse_log_keeps_newest_first_and_caps() -> None:
    out = (
        "\x1eaaa\x1f2017-07-01T00:00:00+00:00\x1fThird\n\nbriefings/a.md\n"
        "\x1ebbb\x1f2017-06-01T00:00:00+00:00\x1fSecond\n\nbriefings/a.md\nbriefings/b.md\n"
        "\x1eccc\x1f2017-05-01T00:00:00+00:00\x1fFirst\n\nbriefings/a.md\n"
    )
    parsed = parse_log(out, 2)
    assert [r.message for r in parsed["briefings/a.md"].revisions] == ["Third", "Second"]
    assert parsed["briefings/a.md"].count == 3
    assert parsed["briefings/b.md"].last_updated.isoformat() == "2017-06-01T00:00:00+00:00"


def test_parse_log_keeps_the_time_as_one_instant_in_utc() -> None:
    out = "\x1eaaa\x1f2017-06-30T23:30:00-05:00\x1fLate\n\nbriefings/a.md\n"
    (revision,) = parse_log(out, 5)["briefings/a.md"].revisions
    assert revision.time.isoformat() == "2017-07-01T04:30:00+00:00"
    assert revision.date.isoformat() == "2017-07-01"


def test_the_last_change_instant_is_the_same_in_feeds_sitemap_metadata_and_export(site) -> None:
    import json

    import feedparser

    root = site.write(
        {
            "briefings/a.md": briefing("A", "2017-04-01", themes="[energy]"),
            "briefings/b.md": briefing("B", "2017-04-01", themes="[energy]"),
            "briefings/c.md": briefing("C", "2017-04-01", themes="[cyber]"),
            # The site's own introduction heads the home page, which is still dated by the briefings.
            "docs/index.md": "# Welcome\n",
        }
    )
    git(root, "init", "-q", "-b", "main")
    commit(root, "Three briefings", "2017-04-02T08:00:00+00:00")
    (root / "briefings" / "a.md").write_text(briefing("A", "2017-04-01", themes="[energy]", body="Revised."))
    commit(root, "Revise A", "2017-04-02T09:15:30+02:00")
    (root / "briefings" / "b.md").write_text(briefing("B", "2017-04-01", themes="[energy]", body="Revised."))
    commit(root, "Revise B", "2017-04-02T16:45:00+00:00")
    result = site.run("build", "--strict")
    assert result.returncode == 0, result.stderr

    expected = {"a": "2017-04-02T07:15:30+00:00", "b": "2017-04-02T16:45:00+00:00", "c": "2017-04-02T08:00:00+00:00"}
    feed = feedparser.parse((result.site / "feed.xml").read_bytes())
    stamps = {e.link.rstrip("/").rsplit("/", 1)[-1]: e.updated for e in feed.entries}
    assert stamps == {k: v.replace("+00:00", "Z") for k, v in expected.items()}
    assert len(set(stamps.values())) == 3, "no two entries share an atom:updated"
    assert feed.feed.updated == "2017-04-02T16:45:00Z"
    lastmod = sitemap(result)
    for slug, instant in expected.items():
        assert lastmod[f"briefings/{slug}/"] == instant
        page = result.html(f"briefings/{slug}")
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        assert data["dateModified"] == instant
        assert page.select_one('meta[property="article:modified_time"]')["content"] == instant
    # A listing changes when one of its briefings does; pages that sum up all of them, with any.
    assert lastmod["themes/energy/"] == expected["b"] and lastmod["themes/cyber/"] == expected["c"]
    assert lastmod[""] == lastmod["timeline/"] == expected["b"]
    export = json.loads((result.site / "briefings.json").read_text())
    assert {x["slug"]: x["updated"] for x in export["briefings"]} == expected
    a = result.content("briefings/a").select_one(".trilat-meta > time:last-of-type")
    assert a["datetime"] == expected["a"] and a.get_text() == "2 April 2017"


def test_the_last_change_is_the_author_date_which_a_rebase_keeps(site) -> None:
    root = site.write({"briefings/a.md": briefing("A", "2017-04-01"), "briefings/b.md": briefing("B", "2017-04-01")})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "briefings/a.md")
    git(root, "commit", "-q", "-m", "A", date="2017-05-01T10:00:00+00:00")
    git(root, "add", "briefings/b.md")
    git(root, "commit", "-q", "-m", "B", date="2017-05-02T10:00:00+00:00")
    # Rewriting a commit (an amend, a rebase) gives it a new committer date and keeps its author date.
    rewrite = {**os.environ, "GIT_COMMITTER_DATE": "2017-06-01T00:00:00+00:00"}
    subprocess.run(
        ["git", "-c", "user.name=E", "-c", "user.email=e@x", "commit", "-q", "--amend", "--no-edit"],
        cwd=root,
        check=True,
        capture_output=True,
        env=rewrite,
    )
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    lastmod = sitemap(result)
    assert lastmod["briefings/a/"] == "2017-05-01T10:00:00+00:00"
    assert lastmod["briefings/b/"] == "2017-05-02T10:00:00+00:00"


def test_without_git_the_sitemap_dates_pages_from_the_front_matter(site) -> None:
    result = site.build({"briefings/a.md": briefing("A", "2017-04-01", updated="2017-05-05")})
    assert result.returncode == 0, result.stderr
    lastmod = sitemap(result)
    assert lastmod["briefings/a/"] == "2017-05-05"
    assert lastmod["themes/security/"] == "2017-05-05"
    assert lastmod["themes/energy/"] != "2017-05-05", "a listing without briefings keeps MkDocs' own date"


def test_pre_commit_hook_entry_rejects_a_bad_briefing(site) -> None:
    import shlex
    import sys

    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "trilat-check")
    command = shlex.split(hook["entry"])
    command[0] = str(Path(sys.executable).with_name(command[0]))
    root = site.write({"briefings/good.md": briefing("Good"), "briefings/bad.md": briefing(themes="[nope]")})
    proc = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "briefings/bad.md:5: themes[0]: unknown theme 'nope'" in proc.stdout + proc.stderr
    (root / "briefings" / "bad.md").unlink()
    assert subprocess.run(command, cwd=root, capture_output=True).returncode == 0
