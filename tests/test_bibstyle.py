"""The bibliography's author-year labels, and that the book's references.bib is complete."""

from pathlib import Path

import pytest

pybtex = pytest.importorskip("pybtex")
from pybtex.database import parse_string  # noqa: E402
from pybtex.plugin import find_plugin  # noqa: E402

from booktools.bibstyle import STYLE_NAME, AuthorYearLabelStyle, author_part, register  # noqa: E402
from tests.conftest import FakeSphinxApp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

BIB = r"""
@article{one, author = {Jouvet, Guillaume}, title = {T}, year = {2023}}
@article{two, author = {Leong, Wei Ji and Horgan, Huw J.}, title = {T}, year = {2020}}
@article{three, author = {Andersson, Tom R. and Hosking, J. Scott and Paige, Brooks},
         title = {T}, year = {2021}}
@article{others, author = {Lam, Remi and Willson, Matthew and others}, title = {T}, year = {2023}}
@article{braces, author = {{Van Katwyk}, Peter and Fox-Kemper, Baylor}, title = {T}, year = {2023}}
@article{prefix, author = {van der Veen, C. J.}, title = {T}, year = {1998}}
@misc{nobody, title = {T}, year = {2024}}
"""


@pytest.fixture(scope="module")
def entries():
    return parse_string(BIB, "bibtex").entries


@pytest.mark.parametrize("key, expected", [
    ("one", "Jouvet"),
    ("two", "Leong and Horgan"),
    ("three", "Andersson et al."),
    ("others", "Lam et al."),
    ("braces", "Van Katwyk and Fox-Kemper"),
    ("prefix", "van der Veen"),
    ("nobody", "nobody"),
])
def test_author_part_matches_the_in_text_citation(entries, key, expected):
    assert author_part(entries[key]) == expected


def test_coinciding_labels_get_letters(entries):
    twins = parse_string(r"""
        @article{a, author = {Zhang, E. and Liu, L. and Huang, L.}, title = {A}, year = {2019}}
        @article{b, author = {Zhang, E. and Catania, G. and Trugman, D.}, title = {B},
                 year = {2019}}
    """, "bibtex").entries
    labels = list(AuthorYearLabelStyle().format_labels([twins["a"], twins["b"], entries["one"]]))
    assert labels == ["Zhang et al., 2019a", "Zhang et al., 2019b", "Jouvet, 2023"]


def test_registered_style_formats_the_books_bibliography():
    register()
    register()  # registering twice is harmless (Sphinx may set the extension up again)
    style = find_plugin("pybtex.style.formatting", STYLE_NAME)()
    bib = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex")
    formatted = list(style.format_entries(bib.entries.values()))
    labels = [f.label for f in formatted]
    assert len(labels) == len(set(labels)), "two entries share a label"
    assert "Andersson et al., 2021" in labels
    assert all("+" not in label for label in labels)  # no alpha labels such as AHPerezO+21


PRINTED = r"""
@article{others, author = {Lam, Remi and Willson, Matthew and others}, title = {T},
         journal = {J}, year = {2023}}
@article{two, author = {Leong, Wei Ji and Horgan, Huw J.}, title = {T}, journal = {J},
         year = {2020}}
@article{three, author = {Andersson, Tom R. and Hosking, J. Scott and Paige, Brooks},
         title = {T}, journal = {J}, year = {2021}}
"""


@pytest.mark.parametrize("key, expected", [
    ("others", "Remi Lam, Matthew Willson, et al. T."),
    ("two", "Wei Ji Leong and Huw J. Horgan. T."),
    ("three", "Tom R. Andersson, J. Scott Hosking, and Brooks Paige. T."),
])
def test_printed_author_lists_say_et_al_not_and_others(key, expected):
    register()
    style = find_plugin("pybtex.style.formatting", STYLE_NAME)()
    entry = parse_string(PRINTED, "bibtex").entries[key]
    text = next(iter(style.format_entries([entry]))).text.render_as("text")
    assert text.startswith(expected), text


def test_every_entry_is_a_real_reference():
    """No stub entries: each has authors, a title, a year and a venue or an arXiv number."""
    bib = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex")
    venue_fields = ("journal", "booktitle", "eprint", "howpublished", "publisher", "url",
                    "school", "institution")  # a thesis's venue is its school
    for key, entry in bib.entries.items():
        assert entry.persons.get("author"), f"{key}: no authors"
        assert all("et al" not in str(p) for p in entry.persons["author"]), f"{key}: 'et al.'"
        assert entry.fields.get("title"), f"{key}: no title"
        assert entry.fields.get("year", "").isdigit(), f"{key}: no year"
        assert any(entry.fields.get(f) for f in venue_fields), f"{key}: no venue"


def test_the_sphinx_extension_registers_the_style():
    from booktools import sphinx_ext

    sphinx_ext.setup(FakeSphinxApp())
    assert find_plugin("pybtex.style.formatting", STYLE_NAME).default_label_style == STYLE_NAME
    assert find_plugin("pybtex.style.labels", STYLE_NAME) is AuthorYearLabelStyle
