"""The sandboxed Jinja2 environment every template renders in.

``ImmutableSandboxedEnvironment`` refuses attributes that start with ``_`` (so
``''.__class__``, ``cycler.__init__.__globals__`` and ``self._TemplateReference__context``
fail), refuses to mutate lists and dicts, and checks ``str.format`` fields. On top of it:
``StrictUndefined`` (a missing value is an error, never an empty string), no autoescape
(the body is Markdown; the HTML writer escapes), bounded ``*`` and ``**`` so that a template
cannot exhaust memory, and includes limited to the shipped clause library. Every rendering
also runs within the limits of ``bizops.documents.limits`` (output size, string size, loop
iterations, wall time): binary operators, ``~``, calls, filters and loops are checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import FunctionLoader, StrictUndefined, nodes, pass_environment
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bizops.documents.filters import FILTERS
from bizops.documents.limits import (
    MAX_OUTPUT,
    OUTPUT,
    Budget,
    LimitExceeded,
    bounded_filter,
    check_binop,
    check_size,
    check_str_method,
)
from bizops.domain.errors import Invalid
from bizops.i18n import _

MAX_POWER = 1_000
_CLAUSE_NAME = re.compile(r"^clauses/(zh|en)/[a-z0-9_\-]+\.j2$")
# Globals a template may use besides its context; everything else of Jinja's is removed.
ALLOWED_GLOBALS = ("range", "dict", "namespace", "cycler", "joiner")
# Characters that would make a value Markdown markup: a goods name "CK6150 | 3台" would split a
# table cell, "*加急*" would lose its asterisks, two blanks "____" in a paragraph would pair up
# as bold. Every value a template prints is escaped, so the writers show it as typed.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>|]|_+")
# A run of white space; the runs that hold a line break become one space. (One pass over the
# text: the former pattern "[ \t]*[\r\n]\s*" retried its leading "[ \t]*" at every blank of
# a long run without a line break, quadratic in the run's length.)
_WHITE_RUN = re.compile(r"\s+")


def _one_space_at_breaks(match: re.Match[str]) -> str:
    run = match.group()
    return " " if "\n" in run or "\r" in run else run


def escape_markdown(value: Any) -> Any:
    """A printed value, with the characters Markdown reads as markup backslash-escaped.

    Underscores inside a word (``free_training``) are never markup and stay as they are. A line
    break becomes a space: in a value it would end a table row or start a heading or a list.
    """
    if not isinstance(value, str):
        return value
    if "\n" in value or "\r" in value:
        value = _WHITE_RUN.sub(_one_space_at_breaks, value)

    def escape(match: re.Match[str]) -> str:
        text, start, end = match.string, match.start(), match.end()
        inside_word = start > 0 and end < len(text) and text[start - 1].isalnum()
        if text[start] == "_" and inside_word and text[end].isalnum():
            return match.group()
        return "".join("\\" + ch for ch in match.group())

    return _MARKDOWN_SPECIAL.sub(escape, value)


def _clause_source(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
    if not _CLAUSE_NAME.match(name):
        return None
    from bizops.library import path

    node = path(*name.split("/"))
    if not node.is_file():
        return None
    return node.read_text(encoding="utf-8"), name, lambda: True


_LOOP_FILTER = "bizops_loop"


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` into a call the environment checks (Jinja joins the parts itself)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_checked((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


@pass_environment
def _loop(env: Any, items: Any) -> Any:
    return env.budget.loop(items)


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = Budget()

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every ``{% for %}`` loop iterates through the budget, which counts its steps."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None)
        return tree

    def concat_checked(self, parts: tuple[Any, ...]) -> str:
        self.budget.tick()
        texts = [str(p) for p in parts]
        if sum(len(t) for t in texts) > 0:
            check_size("".join(texts))
        return "".join(texts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_POWER:
            raise SecurityError(_("the exponent {value} is too large").format(value=right))
        check_binop(operator, left, right)
        return check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.budget.tick()
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            check_str_method(owner, getattr(method, "__name__", ""), args, kwargs)
        return check_size(super().call(__context, __obj, *args, **kwargs))


def make_environment() -> TemplateEnvironment:
    env = TemplateEnvironment(
        loader=FunctionLoader(_clause_source),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=escape_markdown,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for key in list(env.globals):
        if key not in ALLOWED_GLOBALS:
            del env.globals[key]
    env.filters.update(FILTERS)
    for key, function in list(env.filters.items()):
        env.filters[key] = bounded_filter(key, function)
    env.filters[_LOOP_FILTER] = _loop
    return env


def _render_bounded(env: TemplateEnvironment, template: Any, context: dict[str, Any]) -> str:
    """The rendered text, stopped as soon as it passes the output limit or the time limit."""
    env.budget.start()
    parts: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise LimitExceeded(OUTPUT, MAX_OUTPUT)
        env.budget.tick()
        parts.append(chunk)
    return "".join(parts)


def _line_of(exc: BaseException, name: str) -> str | None:
    """Where a render error happened (Jinja rewrites its traceback to template lines)."""
    where = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == name:
            where = _("line {line}").format(line=tb.tb_lineno)
        elif filename.startswith("clauses/"):
            where = _("{file} line {line}").format(file=filename, line=tb.tb_lineno)
        tb = tb.tb_next
    return where


def render(body: str, context: dict[str, Any], *, name: str) -> str:
    """Render ``body`` in the sandbox; every failure becomes one clear ``Invalid``."""
    env = make_environment()
    try:
        template = env.from_string(body)
        template.name = name
        template.filename = name
    except TemplateSyntaxError as exc:
        raise Invalid(
            _("template {name}: syntax error on line {line}: {error}").format(
                name=name, line=exc.lineno, error=exc.message
            )
        ) from None
    try:
        return _render_bounded(env, template, context)
    except LimitExceeded as exc:
        raise Invalid(
            _("template {name}: stopped at the limit of {limit}; simplify the template").format(
                name=name, limit=_(exc.what).format(limit=f"{exc.limit:,}")
            )
        ) from None
    except MemoryError:
        raise Invalid(
            _("template {name}: stopped at the limit of {limit}; simplify the template").format(
                name=name, limit=_("the memory available")
            )
        ) from None
    except TemplateSyntaxError as exc:
        where = exc.name or exc.filename or name
        raise Invalid(
            _("template {name}: syntax error in {where} on line {line}: {error}").format(
                name=name, where=where, line=exc.lineno, error=exc.message
            )
        ) from None
    except SecurityError as exc:
        raise Invalid(
            _(
                "template {name}: refused by the sandbox: {error}; templates may not read "
                "private attributes (names starting with _) or call unsafe methods"
            ).format(name=name, error=exc)
        ) from None
    except UndefinedError as exc:
        raise Invalid(
            _(
                "{template}: {error}; declare the field in the template's schema "
                "or use a context variable (see `bizops template validate`)"
            ).format(template=_template_at(name, _line_of(exc, name)), error=exc.message)
        ) from None
    except TemplateNotFound as exc:
        raise Invalid(
            _(
                "template {name}: included template {include} not found; includes must name "
                "a shipped clause such as clauses/zh/payment.j2"
            ).format(name=name, include=repr(exc.name))
        ) from None
    except TemplateError as exc:
        raise Invalid(
            _("template {name}: {error}").format(name=name, error=exc.message or exc)
        ) from None
    except (ValueError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
        raise Invalid(
            _("{template}: cannot render: {error}").format(
                template=_template_at(name, _line_of(exc, name)), error=exc
            )
        ) from None
    except RecursionError:
        raise Invalid(
            _("template {name}: includes or macros nest too deeply").format(name=name)
        ) from None


def _template_at(name: str, line: str | None) -> str:
    """ "template NAME at line 3", or "template NAME" when the line is not known."""
    if line is None:
        return _("template {name}").format(name=name)
    return _("template {name} at {line}").format(name=name, line=line)


def unsafe_access(ast: nodes.Template) -> list[str]:
    """Attribute reads the sandbox will refuse, found before rendering (with line numbers)."""
    problems: list[str] = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            problems.append(
                _("line {line}: reads the private attribute {name}").format(
                    line=node.lineno, name=repr(node.attr)
                )
            )
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
            and node.arg.value.startswith("_")
        ):
            problems.append(
                _("line {line}: reads the private item {name}").format(
                    line=node.lineno, name=repr(node.arg.value)
                )
            )
        elif (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr in ("format", "format_map")
            and isinstance(node.node.node, nodes.Const)
            and isinstance(node.node.node.value, str)
            and re.search(r"\{[^}]*[.\[]\s*_", node.node.node.value)
        ):
            problems.append(
                _("line {line}: a format string reads a private attribute ({text})").format(
                    line=node.lineno, text=repr(node.node.node.value)
                )
            )
    return problems
