import csv
import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from bench.import_customers import OWNERS, write_csv
from bizops.domain.errors import Invalid, NotPermitted
from bizops.services import customers as cs
from bizops.services.customers.import_rows import Owners, check_row
from bizops.services.customers.views import ExportRow
from bizops.store.audit import verify_chain
from bizops.store.models import AuditEvent, Contact, Customer, CustomerTag, FollowUp, StageChange
from tests.support.factories import add_user
from tests.support.queries import count_rows

HEADER_ZH = (
    "客户名称,等级,阶段,负责人,行业,地区,来源,预计金额,意向,标签,联系人,职务,电话,邮箱,备注,需求\n"
)
ROWS_ZH = [
    "华信科技有限公司,A,contacted,alice,制造业,华东,展会,120万,high,vip;重点,张伟,采购经理,138-0013-8000,zhang@huaxin.cn,年底采购,冷链\n",
    'Acme Trading Co.,b,,bob,Retail,North,web,"120,000.50",medium,,Li Lei,Buyer,+86 21 5555 1234,li@acme.com,,\n',
    "东方电子,C,,Alice Chen,,,,,,,,,,,,\n",
]


def write(tmp_path, text, name="customers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(db, team, policy, today, path, actor="alice", **kw):
    with db.write() as s:
        return cs.import_customers(
            s, actor=team[actor], path=path, policy=policy, today=today, **kw
        )


def test_import_chinese_headers_then_reimport_is_a_noop(db, team, policy, today, tmp_path):
    path = write(tmp_path, HEADER_ZH + "".join(ROWS_ZH))
    result = run(db, team, policy, today, path)
    assert (result.imported, result.already_present, result.rejected) == (3, 0, 0)
    assert (result.first_code, result.last_code) == ("C0001", "C0003")
    with db.read() as s:
        rows = {r["code"]: r for r in cs.list_customers(s, today=today)}
        shown = cs.show_customer(s, ref="C0001", today=today)
        [event] = s.execute(
            select(AuditEvent).where(AuditEvent.action == "customer.import")
        ).scalars()
        assert event.entity_id == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (
            json.loads(event.after)["imported"] == 3
            and json.loads(event.after)["file"] == path.name
        )
    assert rows["C0001"]["stage"] == "contacted" and rows["C0001"]["tags"] == ["vip", "重点"]
    assert rows["C0001"]["potential"] == Decimal("1200000.00")
    assert rows["C0002"]["grade"] == "B" and rows["C0002"]["potential"] == Decimal("120000.50")
    assert rows["C0003"]["owner"] == "alice" and rows["C0003"]["stage"] == "prospect"
    assert shown["contacts"][0] == {
        "id": 1,
        "name": "张伟",
        "title": "采购经理",
        "phone": "138-0013-8000",
        "email": "zhang@huaxin.cn",
        "primary": True,
    }
    assert shown["needs"] == "冷链" and shown["note"] == "年底采购"
    assert shown["stage_history"][0]["reason"] == f"imported from {path.name}"
    assert count_rows(db, FollowUp) == 3 and count_rows(db, StageChange) == 3
    # Re-import: everything already present, nothing added, no new audit event.
    again = run(db, team, policy, today, path)
    assert (again.imported, again.already_present, again.rejected) == (0, 3, 0)
    assert (
        count_rows(db, Customer) == 3
        and count_rows(db, Contact) == 2
        and count_rows(db, AuditEvent) == len(team) + 1
    )


def test_first_contact_followups_follow_the_grade(db, team, policy, today, tmp_path):
    path = write(tmp_path, HEADER_ZH + "".join(ROWS_ZH))
    run(db, team, policy, today, path)
    with db.read() as s:
        dues = {r["code"]: r["next_due"].isoformat() for r in cs.list_customers(s, today=today)}
    # Friday 27th: A +1 -> Mon 30th, B +3 -> Mon 30th, C +7 -> Fri 4th.
    assert dues == {"C0001": "2026-11-30", "C0002": "2026-11-30", "C0003": "2026-12-04"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings(db, team, policy, today, tmp_path, encoding):
    path = write(tmp_path, HEADER_ZH + "".join(ROWS_ZH), encoding=encoding)
    assert run(db, team, policy, today, path).imported == 3
    with db.read() as s:
        assert cs.show_customer(s, ref="C0001", today=today)["name"] == "华信科技有限公司"


def test_bad_encoding_is_named(db, team, policy, today, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name,grade,owner\n\xff\xfe\xfa,A,alice\n")
    with pytest.raises(Invalid, match="neither UTF-8 nor GB18030"):
        run(db, team, policy, today, path)
    utf16 = write(tmp_path, "name,grade,owner\nX,A,alice\n", name="u16.csv", encoding="utf-16")
    with pytest.raises(Invalid, match="UTF-16"):
        run(db, team, policy, today, utf16)
    assert count_rows(db, Customer) == 0


def test_missing_and_unknown_columns(db, team, policy, today, tmp_path):
    with pytest.raises(Invalid, match="required column\\(s\\) missing: owner"):
        run(db, team, policy, today, write(tmp_path, "name,grade\nX,A\n"))
    with pytest.raises(Invalid, match="unknown column '客户类型'; accepted columns: code, 编号"):
        run(
            db,
            team,
            policy,
            today,
            write(tmp_path, "name,grade,owner,客户类型\nX,A,alice,大客户\n"),
        )
    with pytest.raises(Invalid, match="both mean email"):
        run(db, team, policy, today, write(tmp_path, "name,grade,owner,email,邮箱\nX,A,alice,,\n"))
    with pytest.raises(Invalid, match="empty"):
        run(db, team, policy, today, write(tmp_path, ""))
    assert count_rows(db, Customer) == 0


def test_every_bad_row_is_reported_and_nothing_imported(db, team, policy, today, tmp_path):
    text = (
        "name,grade,owner,intent,email,phone,stage\n"
        "Good One,A,alice,,,,\n"
        "Bad Grade,D,alice,,,,\n"
        ",B,alice,,,,\n"
        "Bad Owner,B,nobody,,,,\n"
        "Bad Intent,B,alice,maybe,,,\n"
        "Bad Email,B,alice,,x@@y,,\n"
        "Bad Phone,B,alice,,,12-34,\n"
        "Bad Stage,B,alice,,,,won\n"
        "Good One,B,alice,,,,\n"
        "Two Problems,Z,ghost,,,,\n"
    )
    with pytest.raises(Invalid) as err:
        run(db, team, policy, today, write(tmp_path, text))
    assert "9 bad row(s) of 10; nothing was imported" in err.value.message
    details = err.value.details
    assert details[0] == "line 3: grade: unknown value 'D'; accepted: A, B, C"
    assert details[1] == "line 4: name: must not be empty"
    assert details[2].startswith("line 5: owner: no user 'nobody'")
    assert details[3].startswith("line 6: intent: unknown value 'maybe'")
    assert details[4].startswith("line 7: contact email:") and "not a valid email" in details[4]
    assert details[5].startswith("line 8: contact phone:") and "not a valid phone" in details[5]
    assert details[6].startswith("line 9: stage: unknown value 'won'")
    assert details[7] == "line 10: name: 'Good One' duplicates line 2 of this file"
    assert (
        details[8].startswith("line 11: grade: unknown value 'Z'")
        and "owner: no user" in details[8]
    )
    assert count_rows(db, Customer) == 0 and count_rows(db, AuditEvent) == len(team)


def test_stages_are_taken_as_given_signed_and_maintenance_included(
    db, team, policy, today, tmp_path
):
    # An import migrates records kept elsewhere (and reads back what export writes): the
    # starting-stage rule of `customer add` gives way, by the same rule in the domain.
    text = "name,grade,owner,stage\nSigned Co,A,alice,signed\nKept Co,B,alice,maintenance\n"
    result = run(db, team, policy, today, write(tmp_path, text))
    assert (result.imported, result.rejected) == (2, 0)
    with db.read() as s:
        stages = {r["code"]: (r["stage"], r["next_due"]) for r in cs.list_customers(s, today=today)}
    assert stages == {
        "C0001": ("signed", date(2026, 11, 30)),
        "C0002": ("maintenance", date(2026, 11, 30)),
    }


def test_skip_invalid_writes_rejects(db, team, policy, today, tmp_path):
    text = "名称,等级,负责人,联系人,邮箱\n甲公司,A,alice,甲,a@x.cn\n乙公司,Q,alice,,\n丙公司,B,bob,丙,A@X.CN\n"
    rejects = tmp_path / "rejects.csv"
    result = run(db, team, policy, today, write(tmp_path, text), skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected) == (1, 2)
    with open(rejects, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["名称", "等级", "负责人", "联系人", "邮箱", "source_line", "reason"]
    assert (
        rows[1][:6] == ["乙公司", "Q", "alice", "", "", "line 3"]
        and "accepted: A, B, C" in rows[1][6]
    )
    assert rows[2][5] == "line 4" and "also on line 2" in rows[2][6]
    with pytest.raises(Invalid, match="--rejects goes with --skip-invalid"):
        run(db, team, policy, today, write(tmp_path, text), rejects=rejects)


def test_a_fixed_rejects_file_imports_as_it_is(db, team, policy, today, tmp_path):
    text = "名称,等级,负责人\n甲公司,A,alice\n乙公司,Q,alice\n"
    rejects = tmp_path / "rejects.csv"
    run(db, team, policy, today, write(tmp_path, text), skip_invalid=True, rejects=rejects)
    fixed = rejects.read_text(encoding="utf-8-sig").replace("乙公司,Q,", "乙公司,B,")
    result = run(db, team, policy, today, write(tmp_path, fixed, name="fixed.csv"))
    assert (result.imported, result.rejected) == (1, 0)
    assert count_rows(db, Customer) == 2


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_comma_tab_or_semicolon_separated(db, team, policy, today, tmp_path, sep):
    lines = [["name", "grade", "owner", "region"], ["Semi Co", "B", "alice", "华东"]]
    text = "".join(sep.join(cells) + "\r\n" for cells in lines)
    result = run(db, team, policy, today, write(tmp_path, text))
    assert (result.imported, result.rejected) == (1, 0)
    with db.read() as s:
        assert s.execute(select(Customer.name, Customer.region)).one() == ("Semi Co", "华东")


def test_rejects_never_overwrite_the_imported_file(db, team, policy, today, tmp_path):
    text = "名称,等级,负责人\n甲公司,A,alice\n乙公司,Q,alice\n"
    path = write(tmp_path, text)
    for same in (path, tmp_path / "." / "customers.csv"):
        with pytest.raises(Invalid, match="--rejects: .* is the file being imported"):
            run(db, team, policy, today, path, skip_invalid=True, rejects=same)
    assert path.read_bytes() == text.encode() and count_rows(db, Customer) == 0


def test_email_of_existing_customer_is_a_bad_row(db, team, policy, today, tmp_path):
    with db.write() as s:
        cs.add_customer(
            s,
            actor=team["alice"],
            name="Old",
            grade="B",
            owner="alice",
            policy=policy,
            today=today,
            contacts=["Ann, ann@x.cn"],
        )
    with pytest.raises(Invalid) as err:
        run(
            db,
            team,
            policy,
            today,
            write(tmp_path, "name,grade,owner,contact,email\nNew,B,alice,Ann,ANN@x.cn\n"),
        )
    assert "already a contact of customer C0001 Old" in err.value.details[0]


def test_only_writers_import(db, team, policy, today, tmp_path):
    with pytest.raises(NotPermitted):
        run(db, team, policy, today, write(tmp_path, "name,grade,owner\nX,A,alice\n"), actor="fay")


def test_xlsx(db, team, policy, today, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["公司名称", "客户等级", "销售", "采购潜力", "手机", "联系人"])
    sheet.append(["恒达物流有限公司", "A", "alice", 1500000, 13900001111, "王强"])
    sheet.append(["Bad Co", "X", "alice", None, None, None])
    path = tmp_path / "客户.xlsx"
    book.save(path)
    with pytest.raises(Invalid) as err:
        run(db, team, policy, today, path)
    assert err.value.details == ["row 3: grade: unknown value 'X'; accepted: A, B, C"]
    result = run(db, team, policy, today, path, skip_invalid=True)
    assert result.imported == 1
    with db.read() as s:
        shown = cs.show_customer(s, ref="恒达", today=today)
    assert (
        shown["potential"] == Decimal("1500000.00")
        and shown["contacts"][0]["phone"] == "13900001111"
    )


def test_export_writes_every_column_import_reads_in_its_order():
    assert list(ExportRow.__annotations__) == list(cs.HEADER_ALIASES)


def test_export_reads_back_unchanged(db, team, policy, today, tmp_path):
    with db.write() as s:
        cs.add_customer(
            s,
            actor=team["alice"],
            name="华信科技有限公司",
            grade="A",
            owner="alice",
            policy=policy,
            today=today,
            potential="120万",
            intent="high",
            tags=["vip", "华东"],
            industry="制造业",
            note="备注, 含逗号",
            needs="多行\n需求",
            contacts=["张伟, 采购经理, 138-0013-8000, zhang@huaxin.cn"],
        )
        cs.add_contact(s, actor=team["alice"], ref="C0001", contact="李娜, 财务, lina@huaxin.cn")
        cs.add_customer(
            s,
            actor=team["bob"],
            name="Acme",
            grade="C",
            owner="bob",
            policy=policy,
            today=today,
            stage="needs",
        )
    with db.read() as s:
        exported = list(cs.export_rows(s))
    assert exported[0]["more_contacts"] == ["李娜, 财务, lina@huaxin.cn"]
    for suffix in ("csv", "json"):
        path = tmp_path / f"export.{suffix}"
        if suffix == "csv":
            from bizops.cli.output import Col, emit_rows

            emit_rows(
                (cs.flatten_for_csv(r) for r in exported),
                [Col(k, k) for k in ExportRow.__annotations__],
                output=path,
            )
        else:
            from bizops.cli.output import jsonable

            path.write_text(json.dumps(jsonable(exported), ensure_ascii=False), encoding="utf-8")
        table = cs.read_table(path)
        assert table.problems == []
        # validate every exported row exactly as import would
        with db.read() as s:
            resolver = Owners(s)
            rows = [check_row(raw, resolver, today) for raw in table.rows]
        assert [r.name for r in rows] == ["华信科技有限公司", "Acme"]
        first = rows[0]
        assert (first.grade, first.stage, first.potential, first.intent) == (
            "A",
            "prospect",
            Decimal("1200000.00"),
            "high",
        )
        assert first.tags == ["vip", "华东"] and first.note == "备注, 含逗号"
        assert first.needs == "多行\n需求"
        assert [c.name for c in first.contacts] == ["张伟", "李娜"]
        assert first.contacts[1].email == "lina@huaxin.cn" and first.contacts[1].title == "财务"
        assert rows[1].stage == "needs"
        # and importing it into the same database adds nothing
        assert run(db, team, policy, today, path).already_present == 2


def test_realistic_thousand_rows_with_a_few_bad(db, team, policy, today, tmp_path):
    for login in OWNERS:
        add_user(db, login, "sales")
    path = tmp_path / "1000.csv"
    bad_lines = write_csv(path, 1000, bad_lines=6)
    with pytest.raises(Invalid) as err:
        run(db, team, policy, today, path)
    reported = [int(d.split(":")[0].split()[1]) for d in err.value.details]
    assert reported == bad_lines and len(reported) == 6
    assert count_rows(db, Customer) == 0
    rejects = tmp_path / "rejects.csv"
    result = run(db, team, policy, today, path, skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected) == (994, 6)
    assert count_rows(db, Customer) == 994 and count_rows(db, FollowUp) == 994
    assert count_rows(db, CustomerTag) > 0
    with db.read() as s:
        assert verify_chain(s)[1] == []
    assert run(db, team, policy, today, path, skip_invalid=True).imported == 0


def test_a_json_file_names_the_earlier_record_of_a_duplicate(db, team, policy, today, tmp_path):
    records = [
        {"name": "Acme", "grade": "A", "owner": "alice", "email": "a@acme.cn", "contact": "Li"},
        {"name": "Beta", "grade": "B", "owner": "alice", "email": "A@acme.cn", "contact": "Wu"},
        {"name": "ACME", "grade": "C", "owner": "alice"},
    ]
    path = write(tmp_path, json.dumps(records), name="customers.json")
    with pytest.raises(Invalid) as err:
        run(db, team, policy, today, path)
    assert err.value.details == [
        "record 2: email: a@acme.cn is also on record 1 of this file",
        "record 3: name: 'ACME' duplicates record 1 of this file",
    ]


def test_a_gb18030_file_is_read_whole_and_imported(db, team, policy, today, tmp_path):
    path = write(tmp_path, HEADER_ZH + ROWS_ZH[0], encoding="gb18030")
    result = run(db, team, policy, today, path)
    assert result.imported == 1 and result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
