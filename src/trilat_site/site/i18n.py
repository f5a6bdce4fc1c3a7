"""The templates' own words and dates in each of the site's languages.

The words come from gettext catalogues (`locale/<lang>/LC_MESSAGES/trilat.po`, extracted
from the templates with Babel into `locale/trilat.pot`): Jinja's i18n extension looks them
up (`{% trans %}`, `_()`, `ngettext`). The catalogues are read from their `.po` text and
compiled in memory when a build first needs them, so there is no compiled file to keep in
step. English is the templates' own text: an English page is rendered without a catalogue.

Dates in English keep the site's own words ("9 March 2017"); other languages get Babel's
(CLDR) forms: "2017년 3월 9일", "2017年3月".
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.ext import InternationalizationExtension
from jinja2.runtime import Context
from markupsafe import Markup

from ..core.model import PartialDate, Period

if TYPE_CHECKING:
    from ..core.index import SiteIndex

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "trilat"
# The language the templates are written in.
SOURCE_LANGUAGE = "en"

# A date at each precision, as CLDR skeletons: the locale orders and words them.
_SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> NullTranslations:
    """The catalogue of a language (its primary subtag's, `ko` for `ko-KR`), or none."""
    base = language.split("-")[0].lower()
    path = catalogue_path(base)
    if base == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=base, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def _as_partial(value: dt.date | PartialDate) -> PartialDate:
    return value if isinstance(value, PartialDate) else PartialDate.from_date(value)


def long_date(value: dt.date | PartialDate, language: str) -> str:
    """A date at its precision, written the language's way."""
    partial = _as_partial(value)
    locale = _locale(language)
    if locale is None or locale.language == SOURCE_LANGUAGE:
        return partial.display()
    precision = "day" if partial.day is not None else "month" if partial.month is not None else "year"
    day = dt.date(partial.year, partial.month or 1, partial.day or 1)
    return format_skeleton(_SKELETONS[precision], day, locale=locale)


def period(value: Period, language: str) -> str:
    """A period analysed: one date, or its two ends with a dash between them."""
    locale = _locale(language)
    if locale is None or locale.language == SOURCE_LANGUAGE:
        return value.display()
    if value.start == value.end:
        return long_date(value.start, language)
    return f"{long_date(value.start, language)} – {long_date(value.end, language)}"


def install_words(env: Environment, words: NullTranslations) -> None:
    """The templates' words looked up in `words`, as Jinja's i18n extension installs them
    (newstyle), with each message without variables kept once looked up.

    A page's template says a score of fixed words (`_("Sources")`), the same on every page;
    the extension's gettext looks each up and formats it again every time. Here the result
    for a message and the template's autoescaping is kept; a message with variables is looked
    up and formatted as the extension does (`gettext(...) % variables`, as Markup where the
    template autoescapes).
    """
    # The extension bound to `env`: its install method would fill the globals of the
    # environment it was made for, not those of an overlay.
    i18n = env.extensions[InternationalizationExtension.identifier]
    i18n._install(words, newstyle=True)  # type: ignore[attr-defined]
    look_up = words.gettext
    kept: dict[tuple[str, bool], str] = {}

    @pass_context
    def gettext(context: Context, message: str, /, **variables: Any) -> str:
        autoescape = bool(context.eval_ctx.autoescape)
        if variables:
            said = look_up(message)
            return (Markup(said) if autoescape else said) % variables  # type: ignore[no-any-return]
        found = kept.get((message, autoescape))
        if found is None:
            said = look_up(message)
            found = kept[message, autoescape] = (Markup(said) if autoescape else said) % {}
        return found

    # `_` is the extension's alias of `gettext`; the templates define no variable of that name.
    env.globals["gettext"] = env.globals["_"] = gettext


def localized(env: Environment, language: str) -> Environment:
    """The environment the pages of `language` are rendered with: its catalogue and dates.

    An overlay shares the loader and filters of `env`; its globals are its own, so the
    gettext functions of one language never reach another's pages.
    """
    overlay = env.overlay()
    overlay.globals = dict(env.globals)
    overlay.filters = dict(env.filters)
    install_words(overlay, translations(language))
    overlay.filters["long_date"] = lambda value: long_date(value, language)
    overlay.filters["period"] = lambda value: period(value, language)
    return overlay


def words(index: SiteIndex) -> Callable[[str], str]:
    """The gettext of the page plan's own words (page titles, descriptions) in the index's
    language; a site of one language keeps them as written."""
    if not index.settings.multilingual:
        return str
    return translations(index.language).gettext
