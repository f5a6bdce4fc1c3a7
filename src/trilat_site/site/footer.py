"""What every page's footer offers readers: the About page, the feed, the data and the licence."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.settings import SiteSettings
from . import urls


@dataclass(frozen=True)
class FooterLink:
    """A footer link; `url` is relative to the site's root (or absolute, for a licence)."""

    label: str
    url: str
    rel: str | None = None
    type: str | None = None


def footer_links(settings: SiteSettings, address: urls.SiteAddress) -> tuple[FooterLink, ...]:
    links = [FooterLink("About", urls.url_for(urls.ABOUT, address.directory_urls))]
    if address.site_url:
        links.append(FooterLink("Atom feed", urls.feed(), "alternate", "application/atom+xml"))
    links += [
        FooterLink("Data (JSON)", urls.EXPORT_FILE, type="application/json"),
        FooterLink("Citations (CSL-JSON)", urls.CSL_FILE, type="application/json"),
    ]
    if settings.license:
        label = f"Licence: {settings.license}"
        links.append(
            FooterLink(label, settings.license_url, "license")
            if settings.license_url
            else FooterLink(label, "")
        )
    return tuple(links)
