"""`customer import` of the files offices have: other column names, extra columns, a
company's own phone and email, other encodings, archived customers; and the company fields
of `customer add/update`."""

from datetime import date

import pytest

from bizops.domain.errors import Invalid
from bizops.services import customers as cs
from bizops.services.customers.import_files import Columns
from bizops.store.models import Contact, Customer
from tests.support.queries import count_rows

CRM = (
    "公司,客户级别,省份,销售,意向,阶段,电话,邮箱,规模,信用代码\n"
    "台州精工机械有限公司,A类,浙江,alice,高,商务谈判,0576-88881234,info@tzjg.example.com,200人,"
    "91320500MA1XXXXX0J\n"
    "宁波海通物流有限公司,乙类,浙江,bob,中,,,,50人,\n"
)


def write(tmp_path, text, name="crm.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(db, team, policy, today, path, **kw):
    with db.write() as s:
        return cs.import_customers(
            s, actor=team["alice"], path=path, policy=policy, today=today, **kw
        )


def show(db, today, ref):
    with db.read() as s:
        return cs.show_customer(s, ref=ref, today=today)


def test_a_crm_export_imports_with_map_and_ignore_unknown(db, team, policy, today, tmp_path):
    path = write(tmp_path, CRM)
    with pytest.raises(Invalid, match="unknown column '公司'.*--ignore-unknown"):
        run(db, team, policy, today, path)
    columns = Columns.of(["公司=name", "客户级别=grade", "省份=region"], ignore_unknown=True)
    result = run(db, team, policy, today, path, columns=columns)
    assert (result.imported, result.ignored_columns) == (2, ["规模"])
    assert result.as_dict()["ignored_columns"] == ["规模"]
    first = show(db, today, "台州精工机械有限公司")
    assert (first["grade"], first["stage"], first["intent"], first["region"]) == (
        "A",
        "negotiation",
        "high",
        "浙江",
    )
    # No contact name: the phone and email are the company's own, not a rejected row.
    assert (first["phone"], first["email"], first["credit_code"]) == (
        "0576-88881234",
        "info@tzjg.example.com",
        "91320500MA1XXXXX0J",
    )
    assert first["contacts"] == [] and count_rows(db, Contact) == 0
    assert show(db, today, "宁波海通物流有限公司")["grade"] == "B"


def test_a_bad_credit_code_is_a_bad_row(db, team, policy, today, tmp_path):
    text = "name,grade,owner,credit_code,website\nX,A,alice,91320500MA1XXXXX0K,nope\n"
    with pytest.raises(Invalid) as err:
        run(db, team, policy, today, write(tmp_path, text))
    assert "credit_code: '91320500MA1XXXXX0K': the check digit" in err.value.details[0]
    assert "website: 'nope' is not a web address" in err.value.details[0]
    assert count_rows(db, Customer) == 0


def test_a_nameless_contact_with_a_title_is_still_refused(db, team, policy, today, tmp_path):
    text = "name,grade,owner,title,phone\nX,A,alice,经理,13800138000\n"
    with pytest.raises(Invalid) as err:
        run(db, team, policy, today, write(tmp_path, text))
    assert "without the contact's name" in err.value.details[0]


@pytest.mark.parametrize("encoding", ["big5", "utf-16", "gb18030"])
def test_encodings_by_option(db, team, policy, today, tmp_path, encoding):
    text = "客戶名稱,等級,負責人\n臺北貿易股份有限公司,A,alice\n高雄電子科技有限公司,B,bob\n"
    path = write(tmp_path, text, encoding=encoding)
    assert run(db, team, policy, today, path, encoding=encoding).imported == 2
    assert show(db, today, "C0001")["name"] == "臺北貿易股份有限公司"


def test_a_big5_file_is_not_imported_as_mojibake(db, team, policy, today, tmp_path):
    text = "客戶名稱,等級,負責人\n臺北貿易股份有限公司,A,alice\n高雄電子科技有限公司,B,bob\n"
    with pytest.raises(Invalid, match="most likely big5; import it with --encoding big5"):
        run(db, team, policy, today, write(tmp_path, text, encoding="big5"))
    assert count_rows(db, Customer) == 0


def test_export_carries_archived_and_company_and_import_keeps_them(
    db, team, policy, today, tmp_path
):
    with db.write() as s:
        code = cs.add_customer(
            s,
            actor=team["alice"],
            name="苏州园区电子有限公司",
            grade="B",
            owner="alice",
            policy=policy,
            today=today,
            phone="0512-6666 8888",
            email="office@szyq.example.com",
            website="www.szyq.example.com",
            address="江苏省苏州市工业园区星湖街 1 号",
            credit_code="91320500MA1XXXXX0J",
        )["code"]
        cs.archive_customer(s, actor=team["alice"], ref=code, policy=policy, today=today)
    with db.read() as s:
        rows = list(cs.export_rows(s, scope="all"))
    assert rows[0]["archived"] == today and rows[0]["credit_code"] == "91320500MA1XXXXX0J"
    assert rows[0]["company_phone"] == "0512-6666 8888"
    header = ",".join(rows[0])
    line = ",".join("" if v is None else str(v) for v in cs.flatten_for_csv(rows[0]).values())
    path = write(tmp_path, f"{header}\n{line.replace('苏州园区', '昆山')}\n")
    later = date(2026, 12, 15)
    with db.write() as s:
        cs.import_customers(s, actor=team["alice"], path=path, policy=policy, today=later)
    copy = show(db, later, "昆山电子有限公司")
    assert copy["archived"] == today and copy["next_due"] is None
    assert (copy["phone"], copy["website"], copy["address"]) == (
        "0512-6666 8888",
        "www.szyq.example.com",
        "江苏省苏州市工业园区星湖街 1 号",
    )


def test_update_company_fields_checks_all_before_writing(db, team, policy, today):
    with db.write() as s:
        cs.add_customer(
            s, actor=team["alice"], name="X", grade="B", owner="alice", policy=policy, today=today
        )
    with pytest.raises(Invalid, match="--credit-code"), db.write() as s:
        cs.update_customer(
            s,
            actor=team["alice"],
            ref="X",
            policy=policy,
            today=today,
            phone="021-5555 1234",
            credit_code="91320500MA1XXXXX0K",
        )
    assert show(db, today, "X")["phone"] is None
    with db.write() as s:
        view = cs.update_customer(
            s, actor=team["alice"], ref="X", policy=policy, today=today, website="x.example.com"
        )
    assert view["website"] == "x.example.com"
    with db.write() as s:
        view = cs.update_customer(
            s, actor=team["alice"], ref="X", policy=policy, today=today, website=""
        )
    assert view["website"] is None
