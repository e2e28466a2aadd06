"""Template expansion and its errors."""

from __future__ import annotations

import pytest

from assistant.understanding import templates


def expand(text: str) -> list[str]:
    return templates.expand(templates.parse(text))


def test_choices_optional_words_and_slots() -> None:
    assert sorted(expand("(i need|give me) a (break|time out) [please]")) == sorted([
        "i need a break", "i need a break please", "i need a time out", "i need a time out please",
        "give me a break", "give me a break please", "give me a time out", "give me a time out please",
    ])
    assert expand("break for {minutes}") == ["break for {minutes}"]


def test_nested_groups() -> None:
    assert sorted(expand("a (b [c]|d)")) == ["a b", "a b c", "a d"]


@pytest.mark.parametrize(
    ("template", "column"),
    [("(i need a break", 1), ("i need a break)", 15), ("[please", 1), ("a (b]", 5), ("{minutes", 1), ("a {Bad Name}", 4), ("a } b", 3), ("a ; b", 3)],
)
def test_errors_name_the_column(template: str, column: int) -> None:
    with pytest.raises(templates.TemplateError) as error:
        templates.parse(template)
    assert error.value.column == column
    assert f"column {column}" in str(error.value)


def test_runaway_template_is_refused() -> None:
    with pytest.raises(templates.TemplateError, match="expands to more than"):
        expand(" ".join("(a|b|c|d)" for _ in range(8)))
