"""Author-year labels for the book's bibliography, matching how the text cites.

The text cites with sphinxcontrib-bibtex's ``author_year`` reference style, which
writes "Andersson *et al.* [2021]".  The printed list, however, takes its labels
from a pybtex formatting style, whose default (``alpha``) gives "[AHPerezO+21]",
which a reader cannot match to the citation.  This module adds a pybtex label
style that writes "Andersson et al., 2021" (one author: "Jouvet, 2023"; two:
"Leong and Horgan, 2020") and a formatting style, ``author_year``, that uses it
and sorts the list by author, then year.  :mod:`booktools.sphinx_ext` registers
both, and ``_config.yml`` selects the style with ``bibtex_default_style``.

Entries whose labels would coincide get "a", "b", ... after the year, in the
order of the sorted list, as author-year bibliographies usually do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import FieldIsMissing, join, node, sentence

#: The name under which both plugins are registered (``bibtex_default_style``).
STYLE_NAME = "author_year"


def _last_name(person) -> str:
    """The surname as printed, with its particles ("van", "de") and without braces."""
    parts = list(person.rich_prelast_names) + list(person.rich_last_names)
    return Text(" ").join(parts).render_as("text")


def author_part(entry) -> str:
    """The author part of a label: "A", "A and B", or "A et al." (three or more).

    Falls back to the editors, then to the entry's key, so that a label is never empty.
    """
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last_name(p) for p in persons]
    # pybtex reads "and others" at the end of an author list as a person "others".
    truncated = bool(names) and names[-1].lower() == "others"
    if truncated:
        names = names[:-1]
    if not names:
        return entry.key
    if len(names) == 1 and not truncated:
        return names[0]
    if len(names) == 2 and not truncated:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def _is_others(person) -> bool:
    return _last_name(person).lower() == "others"


@node
def names_et_al(children, context, role, **kwargs):
    """pybtex's ``names`` template, except that a final "and others" prints as "et al."."""
    if children:
        raise ValueError(children)
    try:
        persons = list(context["entry"].persons[role])
    except KeyError:
        raise FieldIsMissing(role, context["entry"]) from None
    style = context["style"]
    if persons and _is_others(persons[-1]):
        shown = [style.format_name(p, style.abbreviate_names) for p in persons[:-1]]
        return join(sep=", ")[shown + [Text("et al.")]].format_data(context)
    shown = [style.format_name(p, style.abbreviate_names) for p in persons]
    return join(**kwargs)[shown].format_data(context)


def _year(entry) -> str:
    return entry.fields.get("year", "n.d.")


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels such as "Andersson et al., 2021", with a, b, ... where two coincide."""

    def format_labels(self, sorted_entries: Iterable) -> Iterator[str]:
        entries = list(sorted_entries)
        bases = [f"{author_part(e)}, {_year(e)}" for e in entries]
        counts = Counter(bases)
        seen: Counter[str] = Counter()
        for base in bases:
            if counts[base] == 1:
                yield base
            else:
                yield base + "abcdefghijklmnopqrstuvwxyz"[seen[base] % 26]
                seen[base] += 1


class AuthorYearStyle(PlainStyle):
    """pybtex's ``plain`` formatting and sorting (author, year, title), author-year labels."""

    default_label_style = STYLE_NAME
    default_sorting_style = "author_year_title"

    def format_names(self, role, as_sentence=True):
        formatted = names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted


def register() -> None:
    """Make ``author_year`` known to pybtex as a label style and as a formatting style.

    Safe to call more than once (Sphinx may set up the extension again).
    """
    register_plugin("pybtex.style.labels", STYLE_NAME, AuthorYearLabelStyle, force=True)
    register_plugin("pybtex.style.formatting", STYLE_NAME, AuthorYearStyle, force=True)
