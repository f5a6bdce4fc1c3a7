"""What every page's footer offers readers: the About page, the feed, the data and the licence."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.settings import SiteSettings
from . import urls
from .i18n import translations
from .pages import N_


@dataclass(frozen=True)
class FooterLink:
    """A footer link; `url` is relative to the site's root (or absolute, for a licence)."""

    label: str
    url: str
    rel: str | None = None
    type: str | None = None


def footer_links(settings: SiteSettings, address: urls.SiteAddress, prefix: str = "") -> tuple[FooterLink, ...]:
    """The footer of the pages in the language whose prefix is `prefix` ("" for the site's first):
    its words from the catalogues, its About page and feed that language's. The data files are
    the originals', in every language."""
    # A site of one language keeps the templates' own words, as its pages do.
    _ = translations(prefix or settings.default_language).gettext if settings.multilingual else str
    links = [FooterLink(_(N_("About")), urls.url_for(urls.in_language(urls.ABOUT, prefix), address.directory_urls))]
    if address.site_url:
        links.append(FooterLink(_(N_("Atom feed")), urls.in_language(urls.feed(), prefix), "alternate", "application/atom+xml"))
    links += [
        FooterLink(_(N_("Data (JSON)")), urls.EXPORT_FILE, type="application/json"),
        FooterLink(_(N_("Citations (CSL-JSON)")), urls.CSL_FILE, type="application/json"),
    ]
    if settings.license:
        label = _(N_("Licence: %(license)s")) % {"license": settings.license}
        links.append(
            FooterLink(label, settings.license_url, "license")
            if settings.license_url
            else FooterLink(label, "")
        )
    return tuple(links)
