"""Rendering is bounded: a template cannot exhaust memory or time.

Each hostile template below would, without the limits, build a string of hundreds of
megabytes, loop ten billion times or run for minutes. Each is refused with one error that
names the template and the limit; `template validate` and the CLI report it as exit 2.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bizops.documents import limits
from bizops.documents.env import escape_markdown, render
from bizops.domain.errors import Invalid
from tests.reliability.test_template_sandbox import _write_template
from tests.support.cli import Cli, one_error_line

STRING_BOMBS = {
    "concat doubling": "{% set ns = namespace(x='ab') %}{% for i in range(40) %}"
    "{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
    "plus doubling": "{% set ns = namespace(x='ab') %}{% for i in range(40) %}"
    "{% set ns.x = ns.x + ns.x %}{% endfor %}",
    "repeat": "{{ 'x' * 2000000 }}",
    "list repeat": "{{ [1, 2] * 600000 }}",
    "center filter": "{{ 'x'|center(100000000) }}",
    "center method": "{{ 'x'.center(100000000) }}",
    "ljust": "{{ 'x'.ljust(100000000) }}",
    "rjust": "{{ 'x'.rjust(100000000) }}",
    "zfill": "{{ '1'.zfill(100000000) }}",
    "expandtabs": "{{ ('\t' * 500000).expandtabs(1000) }}",
    "format width": "{{ '{:>100000000}'.format(1) }}",
    "format width from an argument": "{{ '{:>{w}}'.format(1, w=100000000) }}",
    "format_map": "{{ '{a:>100000000}'.format_map({'a': 1}) }}",
    "percent width": "{{ '%100000000s' % 1 }}",
    "format filter": "{{ '%100000000s'|format(1) }}",
    "join filter": "{{ ('x' * 900000, 'y' * 900000)|join }}",
    "join method": "{{ ','.join(['x' * 900000, 'y' * 900000]) }}",
    "replace filter": "{{ ('a' * 900000)|replace('a', 'bb') }}",
    "replace method": "{{ ('a' * 900000).replace('a', 'bb') }}",
    "indent": "{{ ('\n' * 500000)|indent(1000) }}",
    "wordwrap": "{{ ('a' * 900000)|wordwrap(1, wrapstring='--') }}",
}
NUMBER_BOMBS = {
    "squaring": "{% set ns = namespace(x=9) %}{% for i in range(40) %}"
    "{% set ns.x = ns.x * ns.x %}{% endfor %}",
    "power of a power": "{{ (9 ** 999) ** 999 }}",
}


def _refused(body: str) -> str:
    started = time.monotonic()
    with pytest.raises(Invalid) as caught:
        render(body, {}, name="hostile")
    assert time.monotonic() - started < 5
    message = caught.value.message
    assert message.startswith("template hostile: stopped at the limit of "), message
    assert "\n" not in message
    return message


@pytest.mark.parametrize("body", STRING_BOMBS.values(), ids=list(STRING_BOMBS))
def test_no_expression_builds_a_string_over_the_limit(body: str) -> None:
    message = _refused(body)
    assert "1,000,000 characters" in message or "1,000,000 items" in message


@pytest.mark.parametrize("body", NUMBER_BOMBS.values(), ids=list(NUMBER_BOMBS))
def test_no_expression_builds_a_huge_number(body: str) -> None:
    assert "20,000 bits" in _refused(body)


def test_loop_iterations_are_counted_across_nested_loops() -> None:
    body = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    assert "100,000 loop iterations" in _refused(body)


def test_loops_in_a_recursive_loop_and_a_macro_are_counted() -> None:
    body = "{% macro m() %}{% for i in range(100000) %}{% endfor %}{% endmacro %}{{ m() }}{{ m() }}"
    assert "loop iterations" in _refused(body)


def test_rendered_output_is_capped() -> None:
    body = "{% for i in range(6) %}{{ 'x' * 999999 }}{% endfor %}"
    assert "rendered output of 5,000,000 characters" in _refused(body)


def test_wall_time_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.2)
    body = "{% for i in range(100000) %}{% set y = ('x' * 900000).upper() %}{% endfor %}"
    assert "0.2 seconds of rendering" in _refused(body)


def test_ordinary_templates_are_not_affected() -> None:
    body = (
        "{% for i in range(10) %}{{ i }}{% endfor %} {{ 'a' ~ 'b' }} {{ [1, 2]|join(',') }} "
        "{{ '%05d'|format(3) }} {{ '{:>5}'.format(1) }} {{ 'x'|center(9) }} {{ 2 ** 10 }}"
        "{% for a, b in {'k': 'v'}.items() %}{{ a }}={{ b }}{% endfor %}"
    )
    assert render(body, {}, name="fine") == "0123456789 ab 1,2 00003     1     x     1024k=v"


@pytest.mark.parametrize(
    "value",
    [" " * 60_000, " " * 60_000 + "x", "\t" * 60_000 + "y", "_" * 60_000, "a_" * 30_000],
    ids=["spaces", "spaces then text", "tabs", "underscores", "inner underscores"],
)
def test_escaping_a_long_value_takes_linear_time(value: str) -> None:
    started = time.monotonic()
    escape_markdown(value)
    assert time.monotonic() - started < 2.0  # was 17 s for 60,000 spaces


def test_a_long_blank_value_drafts_quickly() -> None:
    started = time.monotonic()
    out = render("值：{{ v }}。", {"v": "a" + " " * 60_000 + "b"}, name="blank")
    assert out.startswith("值：a ") and out.endswith("b。")
    assert time.monotonic() - started < 1.0


def test_template_validate_and_add_report_the_limit(cli_admin: Cli, tmp_path: Path) -> None:
    toml = _write_template(tmp_path, "bomb", "{{ 'x'|center(100000000) }}")
    checked = cli_admin("template", "validate", toml)
    one_error_line(checked, 2)
    assert "template bomb.md.j2: stopped at the limit of text of 1,000,000" in checked.stderr
    added = cli_admin("--as", "root", "template", "add", toml)
    assert added.exit_code == 2, added.output
    listed = cli_admin("template", "list", "--format", "json").stdout
    assert '"bomb"' not in listed


def test_the_limit_is_reported_in_chinese(cli_admin: Cli, tmp_path: Path) -> None:
    toml = _write_template(
        tmp_path,
        "bomb",
        "{% for i in range(100000) %}{% for j in range(9) %}{% endfor %}{% endfor %}",
    )
    checked = cli_admin("--lang", "zh", "template", "validate", toml)
    one_error_line(checked, 2)
    assert "100,000 次循环" in checked.stderr, checked.stderr
