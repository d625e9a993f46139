"""Wiring of `bizops template ...` and `bizops contract draft`: formats, exit codes, messages."""

import json
from pathlib import Path

import docx
import pytest

from bizops.documents.library import builtin_templates

SALES = [
    "--set",
    "goods_name=数控车床 CK6150",
    "--set",
    "quantity=2",
    "--set",
    "delivery_date=2027-01-15",
    "--set",
    "delivery_place=苏州工业园区星湖街1号",
]


@pytest.fixture
def world(cli_admin):
    cli = cli_admin
    assert (
        cli(
            "--as", "root", "user", "add", "alice", "--role", "sales", "--name", "Alice Chen"
        ).exit_code
        == 0
    )
    assert cli("--as", "root", "user", "add", "bob", "--role", "sales").exit_code == 0
    r = cli(
        "--as",
        "alice",
        "customer",
        "add",
        "华东机械制造有限公司",
        "--grade",
        "A",
        "--owner",
        "alice",
        "--contact",
        "张伟, 采购经理, 13800000000, zhangwei@example.com",
    )
    assert r.exit_code == 0, r.output
    r = cli(
        "--as",
        "alice",
        "contract",
        "new",
        "--customer",
        "C0001",
        "--type",
        "sales",
        "--title",
        "数控机床",
        "--amount",
        "120万",
        "--risk",
        "low",
        "--start",
        "2026-12-01",
        "--end",
        "2027-11-30",
        "--template",
        "sales-zh",
        *SALES,
    )
    assert r.exit_code == 0, r.output
    return cli


LIBRARY = Path(__file__).resolve().parents[2] / "bizops" / "library" / "templates"


def _drafts(cli) -> int:
    out = cli("audit", "log", "--format", "json")
    if out.exit_code != 0:
        return -1
    return sum(1 for e in json.loads(out.stdout) if e.get("action") == "contract.draft")


def test_list_show_fields(cli_admin):
    r = cli_admin("template", "list", "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert len(rows) == len(builtin_templates()) == 28
    assert set(rows[0]) >= {"name", "version", "type", "language", "title"}
    sales = json.loads(cli_admin("template", "list", "--type", "sales", "--format", "json").stdout)
    assert sorted(r["name"] for r in sales) == ["sales-en", "sales-zh"]
    assert cli_admin("template", "list", "--type", "lease").exit_code == 2

    shown = cli_admin("template", "show", "nda-zh")
    assert shown.exit_code == 0 and "保密协议" in shown.stdout and "{% include" in shown.stdout
    obj = json.loads(cli_admin("template", "show", "nda-zh@1", "--format", "json").stdout)
    assert obj["version"] == 1 and obj["body"].startswith("# 保密协议")

    fields = json.loads(cli_admin("template", "fields", "sales-zh", "--format", "json").stdout)
    keys = {
        "name",
        "type",
        "required",
        "default",
        "choices",
        "help",
        "label",
        "min",
        "max",
        "pattern",
    }
    assert all(set(f) >= keys for f in fields)
    method = next(f for f in fields if f["name"] == "payment_method")
    assert method["type"] == "enum" and "bank_transfer" in method["choices"] and method["help"]
    table = cli_admin("template", "fields", "sales-en")
    assert table.exit_code == 0 and "payment_days" in table.stdout

    missing = cli_admin("template", "show", "nope")
    assert missing.exit_code == 3 and missing.stderr.startswith(
        "Error: template: no template 'nope'"
    )
    assert cli_admin("template", "fields", "sales-zh@7").exit_code == 3


def _source(folder: Path, name: str, body: str) -> Path:
    toml = folder / f"{name}.toml"
    toml.write_text(
        f'name = "{name}"\ntitle = "Sales"\ntype = "sales"\nlanguage = "en"\n\n[[fields]]\n'
        'name = "goods_name"\ntype = "text"\nlabel = "Goods"\nhelp = "What is sold."\n',
        encoding="utf-8",
    )
    (folder / f"{name}.md.j2").write_text(body, encoding="utf-8")
    return toml


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("# Sales\n\n{{ goods_name }}\n{% for x in %}\n", "syntax error on line 4"),
        ("{{ goods_name }}\n{{ price_per_unit }}\n{{ other }}", "'price_per_unit'"),
        ("{{ ''.__class__ }}", "private attribute"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "private attribute"),
        ("{{ cycler.__init__.__globals__ }}", "private attribute"),
        ("{{ self._TemplateReference__context }}", "private attribute"),
        ("{{ '{0.__class__}'.format(goods_name) }}", "format string"),
        ("{{ goods_name|attr('__class__') }}", "sandbox"),
    ],
)
def test_validate_and_add_refuse_bad_templates(cli_admin, tmp_path, body, words):
    path = _source(tmp_path, "my-sales", body)
    r = cli_admin("template", "validate", str(path))
    assert r.exit_code == 2, r.output
    assert words in r.stderr and "Traceback" not in r.stderr
    added = cli_admin("--as", "root", "template", "add", str(path))
    assert added.exit_code == 2 and "nothing was added" in added.stderr
    assert "my-sales" not in cli_admin("template", "list").stdout


def test_validate_lists_every_undeclared_variable(cli_admin, tmp_path):
    path = _source(tmp_path, "my-sales", "{{ goods_name }}\n{{ a1 }}\n\n{{ b2 }}")
    r = cli_admin("template", "validate", str(path.with_name("my-sales.md.j2")))
    assert r.exit_code == 2
    assert (
        "'a1'" in r.stderr
        and "(line 2)" in r.stderr
        and "'b2'" in r.stderr
        and "(line 4)" in r.stderr
    )


def test_validate_and_add_a_good_template(world, tmp_path):
    path = _source(
        tmp_path, "sales-en", "# Sales {{ contract.number }}\n\nGoods: {{ goods_name | blank }}\n"
    )
    ok = world("template", "validate", str(path))
    assert ok.exit_code == 0 and ok.stdout.startswith("OK: sales-en")
    assert world("--as", "alice", "template", "add", str(path)).exit_code == 4
    added = world("--as", "root", "template", "add", str(path))
    assert added.exit_code == 0 and "sales-en@2" in added.stdout
    versions = json.loads(
        world("template", "list", "--all-versions", "--type", "sales", "--format", "json").stdout
    )
    assert [(v["name"], v["version"]) for v in versions if v["name"] == "sales-en"] == [
        ("sales-en", 1),
        ("sales-en", 2),
    ]
    assert world("template", "validate", str(tmp_path / "nope.toml")).exit_code == 3


def test_draft_md_html_docx(world, tmp_path):
    md = world("--as", "alice", "contract", "draft", "HT-2026-0001")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# 购销合同") and "壹佰贰拾万元整" in md.stdout
    assert "sales-zh@1" in md.stderr

    page = world("--as", "alice", "contract", "draft", "HT-2026-0001", "--format", "html")
    assert (
        page.exit_code == 0
        and page.stdout.startswith("<!DOCTYPE html>")
        and "@media print" in page.stdout
    )

    target = tmp_path / "HT-2026-0001.docx"
    word = world("--as", "alice", "contract", "draft", "HT-2026-0001", "-o", str(target))
    assert word.exit_code == 0 and word.stdout == ""
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "购销合同"
    assert any(p.text.startswith("第二条") for p in document.paragraphs)
    assert "华东机械制造有限公司" in document.tables[-1].cell(0, 0).text
    assert _drafts(world) == 3


def test_draft_docx_goes_to_a_pipe(world):
    """`contract draft --format docx > f.docx`: standard output that is not a terminal takes
    the Word file's bytes."""
    word = world("--as", "alice", "contract", "draft", "HT-2026-0001", "--format", "docx")
    assert word.exit_code == 0, word.output
    assert word.stdout_bytes.startswith(b"PK")
    assert "Drafted HT-2026-0001" in word.stderr


def test_draft_refusals_record_nothing(world, tmp_path, monkeypatch):
    from bizops.cli import output

    with monkeypatch.context() as terminal:  # a Word file to a terminal; a pipe takes it
        terminal.setattr(output.values, "stdout_is_terminal", lambda: True)
        no_o = world("--as", "alice", "contract", "draft", "HT-2026-0001", "--format", "docx")
    assert no_o.exit_code == 2 and "-o FILE" in no_o.stderr
    bad_dir = world(
        "--as", "alice", "contract", "draft", "HT-2026-0001", "-o", str(tmp_path / "no" / "x.md")
    )
    assert bad_dir.exit_code == 2 and "does not exist" in bad_dir.stderr
    a_file = tmp_path / "file"
    a_file.write_text("x")
    under_file = world(
        "--as", "alice", "contract", "draft", "HT-2026-0001", "-o", str(a_file / "x.md")
    )
    assert under_file.exit_code == 2
    is_dir = world("--as", "alice", "contract", "draft", "HT-2026-0001", "-o", str(tmp_path))
    assert is_dir.exit_code == 2
    bad_fmt = world("--as", "alice", "contract", "draft", "HT-2026-0001", "--format", "pdf")
    assert bad_fmt.exit_code == 2 and "md, html, docx" in bad_fmt.stderr
    assert world("--as", "alice", "contract", "draft", "HT-2099-0001").exit_code == 3
    assert _drafts(world) == 0


def test_draft_reports_all_missing_fields_with_help(world):
    r = world(
        "--as",
        "alice",
        "contract",
        "new",
        "--customer",
        "C0001",
        "--type",
        "service",
        "--title",
        "ERP",
        "--amount",
        "30万",
        "--risk",
        "low",
        "--start",
        "2026-12-01",
        "--end",
        "2027-03-31",
        "--template",
        "service-en",
    )
    assert r.exit_code == 0, r.output
    number = r.stdout.strip().splitlines()[0]
    d = world("--as", "alice", "contract", "draft", number)
    assert d.exit_code == 2
    assert "service_scope" in d.stderr and "deliverables" in d.stderr
    assert "Work outside the scope is charged separately" in d.stderr
    assert f"bizops contract update {number} --set FIELD=VALUE" in d.stderr
    assert _drafts(world) == 0


def test_render_first_contact_email(world):
    r = world("--as", "alice", "template", "render", "email-retail-en", "--customer", "C0001")
    assert r.exit_code == 0, r.output
    assert "Dear 张伟" in r.stdout and "Alice Chen" in r.stdout
    bad = world(
        "--as",
        "alice",
        "template",
        "render",
        "email-retail-en",
        "--customer",
        "C0001",
        "--set",
        "colour=red",
    )
    assert bad.exit_code == 2 and "colour" in bad.stderr


def test_the_supplementary_agreement_templates_are_listed_validated_not_rendered(world):
    r = world("template", "list", "--type", "amendment", "--format", "json")
    assert sorted(t["name"] for t in json.loads(r.stdout)) == ["amendment-en", "amendment-zh"]
    for name in ("amendment-zh", "amendment-en"):
        path = str(LIBRARY / f"{name}.toml")
        r = world("template", "validate", path)
        assert r.exit_code == 0 and f"OK: {name} (amendment" in r.stdout and not r.stderr
    base = ("--as", "alice", "template", "render", "amendment-zh", "--customer", "C0001")
    r = world(*base)
    assert r.exit_code == 2 and "--amendment N" in r.stderr
    r = world("--lang", "zh", *base)
    assert r.exit_code == 2 and "是补充协议范本" in r.stderr


def test_render_writes_the_format_of_the_output_extension(world, tmp_path):
    import docx

    base = ("--as", "alice", "template", "render", "email-retail-en", "--customer", "C0001")
    page = tmp_path / "mail.html"
    assert world(*base, "-o", str(page)).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    word = tmp_path / "mail.docx"
    assert world(*base, "-o", str(word)).exit_code == 0
    assert any("Dear 张伟" in p.text for p in docx.Document(str(word)).paragraphs)
    text = tmp_path / "mail.md"
    assert world(*base, "-o", str(text)).exit_code == 0
    assert "Dear 张伟" in text.read_text(encoding="utf-8")


def test_draft_output_name_and_format_must_agree(world, tmp_path):
    base = ("--as", "alice", "contract", "draft", "HT-2026-0001")
    pdf = world(*base, "-o", str(tmp_path / "x.pdf"))
    assert pdf.exit_code == 2 and ".md, .html or .docx" in pdf.stderr
    mixed = world(*base, "--format", "docx", "-o", str(tmp_path / "x.md"))
    assert mixed.exit_code == 2 and "--format is docx" in mixed.stderr
    assert not list(tmp_path.glob("x.*")) and _drafts(world) == 0
    named = world(*base, "--format", "html", "-o", str(tmp_path / "x.pdf"))
    assert named.exit_code == 0 and (tmp_path / "x.pdf").read_text().startswith("<!DOCTYPE")


def test_validate_reports_the_contract_lint_with_lines(cli_admin, tmp_path):
    """A user's contract template is drafted with sample values and checked as a lawyer would."""
    folder = Path(builtin_templates()["sales-zh"].body and __file__).parents[2]
    source = folder / "bizops" / "library" / "templates"
    toml = (
        (source / "sales-zh.toml")
        .read_text(encoding="utf-8")
        .replace('name = "sales-zh"', 'name = "my-sales"')
    )
    body = (source / "sales-zh.md.j2").read_text(encoding="utf-8")
    (tmp_path / "my-sales.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "my-sales.md.j2").write_text(body, encoding="utf-8")
    clean = cli_admin("template", "validate", str(tmp_path / "my-sales.toml"))
    assert clean.exit_code == 0 and clean.stderr == "", clean.output
    broken = body.replace("{{ template.this }}有效期自", "本协议有效期自", 1).replace(
        '## 第三条 发票\n\n{% include "clauses/zh/invoicing.j2" %}', ""
    )
    (tmp_path / "my-sales.md.j2").write_text(broken, encoding="utf-8")
    r = cli_admin("template", "validate", str(tmp_path / "my-sales.toml"))
    assert r.exit_code == 0 and r.stdout.startswith("OK: my-sales")
    assert "the document calls itself by another name" in r.stderr
    assert "line " in r.stderr and "no invoicing clause" in r.stderr
    data = json.loads(
        cli_admin(
            "template", "validate", str(tmp_path / "my-sales.toml"), "--format", "json"
        ).stdout
    )
    codes = {f["code"] for f in data["findings"]}
    assert {"name", "invoicing.clause", "invoicing.details"} <= codes
    assert all(isinstance(f["line"], int) for f in data["findings"])
    zh = cli_admin("--lang", "zh", "template", "validate", str(tmp_path / "my-sales.toml"))
    assert "文书自称与文书名称不一致" in zh.stderr and "示例草稿第" in zh.stderr
