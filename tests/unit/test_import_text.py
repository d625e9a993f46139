"""Encodings and column maps of `customer import`, and the company fields' checks."""

from datetime import date

import pytest

from bizops.domain.customer_fields import (
    Company,
    check_company,
    check_credit_code,
    parse_archived,
)
from bizops.domain.errors import Invalid
from bizops.domain.vocab import GRADES, INTENTS, STAGES, one_of
from bizops.services.customers.import_files import Columns, read_csv_text
from bizops.services.customers.import_text import decode_text, likely_encoding, parse_map

TRADITIONAL = "客戶名稱,等級,負責人\n臺北貿易股份有限公司,A,alice\n高雄電子科技有限公司,B,bob\n"
SIMPLIFIED = "客户名称,等级,负责人\n广州华南贸易有限公司,A,alice\n上海东方电子有限公司,B,bob\n"
TODAY = date(2026, 11, 27)


def test_map_names_fields_by_their_names_or_headers():
    mapping = Columns.of(["客户级别=grade", " 省份 = 地区 ", "Sales Rep=owner"]).mapping
    assert mapping == {"客户级别": "grade", "省份": "region", "sales rep": "owner"}


@pytest.mark.parametrize("spec", ["客户级别", "=grade", "客户级别=", "a=b=c"])
def test_a_malformed_or_unknown_map_names_the_fields(spec):
    with pytest.raises(Invalid, match="--map: .*fields: code, name, grade"):
        Columns.of([spec])


def test_a_column_mapped_twice_to_different_fields_is_refused():
    with pytest.raises(Invalid, match="mapped twice"):
        parse_map(["级别=grade", "级别=stage"], {"grade": "grade", "stage": "stage"})


def test_mapped_and_ignored_columns():
    text = "公司,客户级别,销售,规模,省份\nX,A类,alice,200人,浙江\n"
    with pytest.raises(
        Invalid, match="unknown column '客户级别'.*--map '客户级别=FIELD'.*--ignore-unknown"
    ):
        read_csv_text(text, "f.csv", Columns.of(["公司=name"]))
    table = read_csv_text(
        text, "f.csv", Columns.of(["公司=name", "客户级别=grade"], ignore_unknown=True)
    )
    assert table.ignored == ["规模", "省份"]
    assert next(iter(table.rows)).values == {"name": "X", "grade": "A类", "owner": "alice"}


def test_chinese_values_go_through_the_aliases():
    assert one_of("A类", GRADES, "grade") == "A"
    assert one_of("高", INTENTS, "intent") == "high"
    assert one_of("商务谈判", STAGES, "stage") == "negotiation"


def test_utf8_never_asks_the_detector(monkeypatch):
    import bizops.services.customers.import_text as it

    monkeypatch.setattr(it, "likely_encoding", lambda data: pytest.fail("detector asked"))
    assert decode_text(SIMPLIFIED.encode("utf-8-sig"), "f.csv") == SIMPLIFIED


def test_gb18030_is_read_and_big5_refused_naming_it():
    assert decode_text(SIMPLIFIED.encode("gb18030"), "f.csv") == SIMPLIFIED
    big5 = TRADITIONAL.encode("big5")
    big5.decode("gb18030")  # the bytes decode as GB18030: that is the trap
    assert likely_encoding(big5) == "big5"
    with pytest.raises(Invalid, match="most likely big5; import it with --encoding big5"):
        decode_text(big5, "f.csv")
    assert decode_text(big5, "f.csv", "big5") == TRADITIONAL


def test_encoding_option():
    assert decode_text(TRADITIONAL.encode("utf-16"), "f.csv", "utf-16") == TRADITIONAL
    assert decode_text(TRADITIONAL.encode("utf-16-le"), "f.csv", "UTF-16LE") == TRADITIONAL
    with pytest.raises(Invalid, match="--encoding utf-16"):
        decode_text(TRADITIONAL.encode("utf-16"), "f.csv")
    with pytest.raises(Invalid, match="unknown encoding 'klingon'"):
        decode_text(b"x", "f.csv", "klingon")
    for not_text in ("rot13", "base64", "zlib"):  # codecs, but not of text: refused alike
        with pytest.raises(Invalid, match=f"unknown encoding '{not_text}'"):
            decode_text(b"x", "f.csv", not_text)
    with pytest.raises(Invalid, match="cannot read the text as ascii"):
        decode_text(SIMPLIFIED.encode("utf-8"), "f.csv", "ascii")


def test_traditional_headers_are_accepted():
    table = read_csv_text(TRADITIONAL, "f.csv")
    assert table.fields == ["name", "grade", "owner"]


def test_credit_code_uses_the_gb32100_check_digit():
    assert check_credit_code(" 91320500ma1xxxxx0j ") == "91320500MA1XXXXX0J"
    assert check_credit_code("") is None
    with pytest.raises(Invalid, match="--credit-code: .*check digit"):
        check_credit_code("91320500MA1XXXXX0K")
    with pytest.raises(Invalid, match="18 characters"):
        check_credit_code("9132050")


def test_company_fields_are_checked():
    checked = check_company(Company("021-5555 1234", "info@x.cn", "www.x.cn", " 上海 ", None))
    assert checked[:5] == ("021-5555 1234", "info@x.cn", "www.x.cn", "上海", None)
    assert check_company(Company(website="https://x.example.com/about?a=1")).website
    for bad, option in (
        (Company(phone="abc"), "--phone"),
        (Company(email="x@"), "--email"),
        (Company(website="not a url"), "--website"),
        (Company(website="localhost"), "--website"),
    ):
        with pytest.raises(Invalid, match=option):
            check_company(bad)


def test_archived_cell():
    assert parse_archived("", today=TODAY) is None
    assert parse_archived("否", today=TODAY) is None
    assert parse_archived("是", today=TODAY) == TODAY
    assert parse_archived("true", today=TODAY) == TODAY
    assert parse_archived("2026-10-01", today=TODAY) == date(2026, 10, 1)
    with pytest.raises(Invalid, match="archived: 'maybe' is neither a date nor yes/no"):
        parse_archived("maybe", today=TODAY)


def test_scan_hashes_and_counts_a_utf8_file_a_chunk_at_a_time(tmp_path, monkeypatch):
    import hashlib

    from bizops.services.customers import import_text

    monkeypatch.setattr(import_text, "CHUNK", 7)  # characters split across chunks
    data = ("\ufeff" + SIMPLIFIED * 3).encode("utf-8")
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    scanned = import_text.scan_file(path, utf8=True, keep=False)
    assert scanned.sha256 == hashlib.sha256(data).hexdigest()
    assert scanned.lines == data.count(b"\n") and scanned.data is None


@pytest.mark.parametrize(
    "data",
    [
        SIMPLIFIED.encode("gb18030"),
        TRADITIONAL.encode("big5"),
        SIMPLIFIED.encode("utf-16"),
        b"name,grade,owner\nA\x00,A,alice\n",
        SIMPLIFIED.encode("utf-8")[:-2] + "\u4e2d".encode()[:2],  # cut inside a character
    ],
)
def test_scan_keeps_a_file_that_is_not_utf8_for_the_other_rules(tmp_path, data):
    from bizops.services.customers.import_text import scan_file

    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert scan_file(path, utf8=True, keep=False).data == data
    assert scan_file(path, utf8=False, keep=True).data == data
    assert scan_file(path, utf8=False, keep=False).data is None


def test_seen_remembers_each_key_with_its_row_number_as_it_grows():
    from bizops.services.customers.import_rows import Seen

    seen = Seen(0)
    assert seen.get("acme") is None
    keys = [f"customer {i}" for i in range(5000)]  # past the first size: the table grows
    for number, key in enumerate(keys, start=2):
        seen.add(key, number)
    assert [seen.get(key) for key in keys] == list(range(2, 5002))
    assert seen.get("customer 5000") is None and seen.count == 5000
    seen.add("customer 7", 9000)  # a key met again takes the later row, as a dict did
    assert seen.get("customer 7") == 9000 and seen.count == 5000
