"""Links to a briefing's file on the repository host: "Edit this briefing" and "View source"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RepoLinks:
    """Where a file can be edited and viewed on the repository host, from `repo_url` and `edit_uri`."""

    edit_base: str
    view_base: str | None

    @classmethod
    def from_config(cls, repo_url: str | None, edit_uri: str | None, docs_dir_name: str) -> RepoLinks | None:
        if not repo_url:
            return None
        base = repo_url.rstrip("/") + "/"
        uri = (edit_uri or "").strip("/")
        # MkDocs' edit_uri points into the docs folder; briefings live beside it.
        if uri.endswith("/" + docs_dir_name) or uri == docs_dir_name:
            uri = uri[: -len(docs_dir_name)].rstrip("/")
        if not uri:
            return None
        edit = base + uri + "/"
        view = None
        for marker, replacement in (("/-/edit/", "/-/blob/"), ("/edit/", "/blob/"), ("/src/", "/src/")):
            if marker in "/" + uri + "/":
                view = base + ("/" + uri + "/").replace(marker, replacement, 1).strip("/") + "/"
                break
        return cls(edit, view)

    def edit(self, path: str) -> str:
        return self.edit_base + path

    def view(self, path: str) -> str | None:
        return self.view_base + path if self.view_base else None
