"""Who wrote a briefing, resolved for every output: registry entries looked up, names split.

A byline entry is a registry person, a registry organisation, a person named in the front
matter or a collective name (an editorial team). Without any, the site's editors wrote the
briefing: the site-level byline. Persons carry their split name for citations; collective
authors are organisations wherever the output can say so, and are never split.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from ..core.index import SiteIndex
from ..core.model import Briefing, Organization, Person
from ..core.names import PersonName, split_name
from .pages import N_

# The site's editors, named after the site: in the catalogues, so a page in another language
# names them in its words.
EDITORS = N_("%(site)s editors")


@dataclass(frozen=True, slots=True)
class Contributor:
    name: str
    """As the byline shows it."""
    split: PersonName | None
    """A person's family and given names; None for a collective author or a name no rule splits."""
    collective: bool = False
    affiliation: str | None = None
    person: Person | None = None
    organization: Organization | None = None
    """The registry organisation that is the author."""
    site_byline: bool = False
    """The site's editors, standing in for a briefing that names no authors."""


def site_editors(site_name: str) -> Contributor:
    return Contributor(EDITORS % {"site": site_name}, None, collective=True, site_byline=True)


def worded(contributors: tuple[Contributor, ...], gettext: Callable[[str], str], site_name: str) -> tuple[Contributor, ...]:
    """The byline as a page in another language shows it: the site's editors in its words and
    under its name for the site there; everyone else as they are."""
    return tuple(
        dataclasses.replace(c, name=gettext(EDITORS) % {"site": site_name}) if c.site_byline else c
        for c in contributors
    )


def person_name(name: str, family: str | None, given: str | None) -> PersonName | None:
    """The data's own split when it gives one, else the rule's."""
    if family:
        return PersonName(family, given or "")
    return split_name(name)


def bylines(b: Briefing, index: SiteIndex, site_name: str) -> tuple[Contributor, ...]:
    out = []
    for a in b.authors:
        if a.person:
            p = index.person(a.person)
            org = index.organization(p.organization)
            out.append(
                Contributor(
                    p.name,
                    person_name(p.name, p.family, p.given),
                    affiliation=a.affiliation or (org.name if org else p.affiliation),
                    person=p,
                )
            )
        elif a.organization:
            org = index.organization(a.organization)
            assert org is not None
            out.append(Contributor(org.name, None, collective=True, organization=org))
        else:
            assert a.name is not None
            split = None if a.collective else person_name(a.name, a.family, a.given)
            out.append(Contributor(a.name, split, collective=a.collective, affiliation=a.affiliation))
    return tuple(out) or (site_editors(site_name),)


def translator_bylines(b: Briefing, index: SiteIndex, site_name: str) -> tuple[Contributor, ...]:
    """Who translated a translation, resolved like authors; without translators of its own, the
    site's editors did."""
    return bylines(dataclasses.replace(b, authors=b.translators), index, site_name)
