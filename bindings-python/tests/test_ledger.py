"""The double-entry ledger from Python: rihla.Ledger and rihla.audit_journal."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import threading
import uuid
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

import pytest

import rihla

AT = dt.datetime(2026, 11, 22, 9, tzinfo=dt.timezone.utc)

BANK, WALLET, MERCHANT, POINTS = 1, 1001, 2001, 3001

ACCOUNTS: List[Dict[str, Any]] = [
    {"id": "1", "unit": "SAR", "normal": "DEBIT", "code": "BANK"},
    {"id": "1001", "unit": "SAR", "must_not_go_negative": True, "code": "WALLET",
     "owner": "CUST-10442"},
    {"id": "2001", "unit": "SAR", "code": "MERCHANT"},
    {"id": "3001", "unit": "POINTS", "must_not_go_negative": True, "code": "POINTS"},
]


def transfer(
    tid: Any, debit: Any, credit: Any, amount: Any, code: str = "PAYMENT", **extra: Any
) -> Dict[str, Any]:
    t: Dict[str, Any] = {
        "id": tid,
        "debit_account_id": debit,
        "credit_account_id": credit,
        "amount": amount,
        "unit": "SAR",
        "code": code,
        "at": AT,
    }
    t.update(extra)
    return t


def resolve(tid: Any, pending_id: Any, post: bool, amount: Optional[Decimal] = None) -> Dict[str, Any]:
    t: Dict[str, Any] = {
        "id": tid,
        "pending_id": pending_id,
        "at": AT,
        "flags": {"post_pending": True} if post else {"void_pending": True},
    }
    if amount is not None:
        t["amount"] = amount
        t["unit"] = "SAR"
    return t


def funded(amount: str = "5000.00") -> rihla.Ledger:
    """A ledger with the four accounts and `amount` deposited into the wallet (seq 1)."""
    ledger = rihla.Ledger()
    assert ledger.create_accounts(ACCOUNTS) == ["CREATED"] * 4
    [report] = ledger.apply([transfer(1, BANK, WALLET, Decimal(amount), "DEPOSIT",
                                      reference="TOPUP-1")])
    assert report == {"id": "1", "status": "CREATED", "seq": 1}
    return ledger


def account(ledger: rihla.Ledger, account_id: rihla.LedgerId) -> Dict[str, Any]:
    found = ledger.account(account_id)
    assert found is not None
    return found


def raises_code(code: str, fn: Any, *args: Any) -> rihla.RihlaError:
    with pytest.raises(rihla.RihlaError) as info:
        fn(*args)
    err = info.value
    assert err.code == code, f"expected {code}, got {err.code}: {err.details}"
    assert err.details["code"] == code
    assert isinstance(err.details["message"], str) and err.details["message"]
    return err


# --- balances -----------------------------------------------------------------------------


def test_deposit_and_payment_balances_are_decimal() -> None:
    ledger = funded()
    reports = ledger.apply([transfer(2, WALLET, MERCHANT, Decimal("1250.50"), reference="BK-1")])
    assert reports == [{"id": "2", "status": "CREATED", "seq": 2}]

    wallet = account(ledger, WALLET)
    assert type(wallet["balance"]) is Decimal and type(wallet["available"]) is Decimal
    assert wallet["balance"] == Decimal("3749.50") and str(wallet["balance"]) == "3749.50"
    assert wallet["available"] == Decimal("3749.50")
    assert wallet["balances"] == {
        "debits_pending": "0",
        "debits_posted": "125050",
        "credits_pending": "0",
        "credits_posted": "500000",
    }
    assert wallet["version"] == 2
    assert wallet["id"] == "1001" and wallet["owner"] == "CUST-10442"
    assert wallet["must_not_go_negative"] is True and wallet["normal"] == "CREDIT"
    assert str(account(ledger, BANK)["balance"]) == "5000.00"  # debit-normal
    assert str(account(ledger, MERCHANT)["balance"]) == "1250.50"
    assert str(account(ledger, POINTS)["balance"]) == "0"  # POINTS: scale 0
    assert ledger.account(999) is None

    assert [a["id"] for a in ledger.accounts()] == ["1", "1001", "2001", "3001"]
    assert len(ledger) == 2
    # The same two transfers as vectors/ledger.json#deposit_and_payment: the same chain.
    assert ledger.last_hash() == "ce0da2973254df5c5e10f5672627f50fa6663423c0486af3e2b393521811f91c"

    stored = ledger.transfer(2)
    assert stored is not None
    assert stored["amount"] == Decimal("1250.50") and type(stored["amount"]) is Decimal
    assert stored["state"] == "NONE" and stored["reference"] == "BK-1"
    assert stored["at"] == "2026-11-22T09:00:00Z"
    assert ledger.transfer(3) is None


def test_string_amounts_and_int_ids_give_the_same_ledger() -> None:
    a = funded()
    a.apply([transfer(2, WALLET, MERCHANT, Decimal("1250.50"), reference="BK-1")])
    b = rihla.Ledger()
    b.create_accounts(ACCOUNTS)
    b.apply([transfer("1", "1", "1001", "5000.00", "DEPOSIT", reference="TOPUP-1",
                      at="2026-11-22T09:00:00Z")])
    b.apply([transfer("2", "1001", "2001", "1250.5", reference="BK-1",
                      at="2026-11-22T12:00:00+03:00")])
    assert b.last_hash() == a.last_hash()
    assert b.journal_jsonl() == a.journal_jsonl()


def test_six_holds_of_1000_against_5000() -> None:
    ledger = funded()
    holds = [transfer(10 + i, WALLET, MERCHANT, Decimal("1000.00"), flags={"pending": True})
             for i in range(6)]
    reports = ledger.apply(holds)
    assert [r["status"] for r in reports] == ["CREATED"] * 5 + ["FAILED"]
    assert [r.get("seq") for r in reports] == [2, 3, 4, 5, 6, None]
    error = reports[5]["error"]
    assert error["code"] == "EXCEEDS_CREDITS"
    assert error["account_id"] == "1001"
    assert error["available"] == "0"  # minor units, as digit strings
    assert error["amount"] == "100000"
    assert "1001" in error["message"]

    wallet = account(ledger, WALLET)
    assert wallet["balance"] == Decimal("5000.00")
    assert str(wallet["available"]) == "0.00"
    assert wallet["balances"]["debits_pending"] == "500000"
    assert account(ledger, MERCHANT)["balances"]["credits_pending"] == "500000"
    held = ledger.transfer(10)
    assert held is not None and held["state"] == "PENDING"
    assert held["flags"] == {"pending": True}
    assert ledger.transfer(15) is None  # a failed transfer is not stored …
    # … but its failure sticks: the same id stays failed once the money is there.
    ledger.apply([transfer(2, BANK, WALLET, Decimal("1000.00"), "DEPOSIT")])
    [again] = ledger.apply([holds[5]])
    assert again["error"]["code"] == "ID_ALREADY_FAILED"
    assert again["error"]["first"] == "EXCEEDS_CREDITS"


def test_idempotent_retry_is_exists() -> None:
    ledger = funded()
    refund = transfer(40, BANK, WALLET, Decimal("250.00"), "REFUND", reference="PAY-77")
    assert ledger.apply([refund]) == [{"id": "40", "status": "CREATED", "seq": 2}]
    assert ledger.apply([refund]) == [{"id": "40", "status": "EXISTS", "seq": 2}]
    [different] = ledger.apply([{**refund, "amount": Decimal("250.01")}])
    assert different["status"] == "FAILED"
    assert different["error"]["code"] == "EXISTS_WITH_DIFFERENT_AMOUNT"
    assert different["error"]["field"] == "amount" and different["error"]["id"] == "40"
    assert len(ledger) == 2
    assert account(ledger, WALLET)["balance"] == Decimal("5250.00")


def test_post_and_void() -> None:
    ledger = funded()
    ledger.apply([transfer(50, WALLET, MERCHANT, Decimal("1000.00"), flags={"pending": True}),
                  transfer(51, WALLET, MERCHANT, Decimal("300.00"), flags={"pending": True})])
    assert account(ledger, WALLET)["available"] == Decimal("3700.00")

    # Post 600 of the 1,000 held: 600 moves, 400 is released.
    [posted] = ledger.apply([resolve(52, 50, post=True, amount=Decimal("600.00"))])
    assert posted == {"id": "52", "status": "CREATED", "seq": 4}
    wallet = account(ledger, WALLET)
    assert wallet["balance"] == Decimal("4400.00")
    assert wallet["available"] == Decimal("4100.00")  # the 300 hold still counts
    hold = ledger.transfer(50)
    assert hold is not None and hold["state"] == "POSTED"
    post = ledger.transfer(52)
    assert post is not None
    assert post["amount"] == Decimal("600.00") and post["debit_account_id"] == "1001"
    assert post["pending_id"] == "50" and post["code"] == "PAYMENT"

    # A pending transfer resolves once.
    [twice] = ledger.apply([resolve(53, 50, post=False)])
    assert twice["error"]["code"] == "PENDING_TRANSFER_ALREADY_POSTED"

    # Void the 300: released, nothing moves.
    [voided] = ledger.apply([resolve(54, 51, post=False)])
    assert voided["status"] == "CREATED"
    wallet = account(ledger, WALLET)
    assert wallet["balance"] == wallet["available"] == Decimal("4400.00")
    voided_hold = ledger.transfer(51)
    assert voided_hold is not None and voided_hold["state"] == "VOIDED"
    assert account(ledger, MERCHANT)["balance"] == Decimal("600.00")


def test_linked_chain_fails_as_a_whole() -> None:
    ledger = funded("100.00")
    before = ledger.accounts()
    chain = [
        transfer(60, WALLET, MERCHANT, Decimal("80.00"), flags={"linked": True}),
        transfer(61, WALLET, MERCHANT, Decimal("30.00")),  # 80 + 30 > 100
        transfer(62, BANK, WALLET, Decimal("1.00"), "DEPOSIT"),  # not in the chain
    ]
    reports = ledger.apply(chain)
    assert [r["status"] for r in reports] == ["FAILED", "FAILED", "CREATED"]
    assert reports[0]["error"]["code"] == "LINKED_EVENT_FAILED"
    assert reports[1]["error"]["code"] == "EXCEEDS_CREDITS"
    assert reports[1]["error"]["available"] == "2000"  # 100.00 − 80.00, minor units
    assert reports[2]["seq"] == 2  # the chain left no entry behind
    after = {a["id"]: a for a in ledger.accounts()}
    assert after["2001"] == before[2]
    assert after["1001"]["balance"] == Decimal("101.00")
    assert ledger.transfer(60) is None


def test_create_accounts_answers() -> None:
    ledger = rihla.Ledger()
    answers = ledger.create_accounts([
        {"id": 7, "unit": "SAR", "code": "WALLET"},
        {"id": 7, "unit": "SAR", "code": "WALLET"},  # a retry: same body
        {"id": 7, "unit": "EGP", "code": "WALLET"},
        {"id": 8, "unit": "SAR", "overdraft_limit": Decimal("50.00")},
        {"id": 9, "unit": "KWD", "must_not_go_negative": True,
         "overdraft_limit": Decimal("1.250")},
    ])
    assert answers[:2] == ["CREATED", "EXISTS"]
    assert answers[2] == {
        "code": "EXISTS_WITH_DIFFERENT_UNIT",
        "message": "account 7 exists with a different unit",
        "id": "7",
        "field": "unit",
    }
    assert isinstance(answers[3], dict) and answers[3]["code"] == "OVERDRAFT_WITHOUT_LIMIT"
    assert answers[4] == "CREATED"
    kwd = account(ledger, 9)
    assert kwd["overdraft_limit"] == Decimal("1.250") and kwd["available"] == Decimal("0.000")
    err = raises_code("INVALID_AMOUNT", ledger.create_accounts,
                      [{"id": 10, "unit": "SAR", "overdraft_limit": Decimal("0.005")}])
    assert err.details["field"] == "[0].overdraft_limit"
    err = raises_code("INVALID_REQUEST", ledger.create_accounts, [{"id": 11, "unit": "XYZ"}])
    assert err.details["field"] == "[0].unit"
    err = raises_code("INVALID_REQUEST", ledger.create_accounts, [{"id": 12, "unit": "SAR",
                                                                   "colour": "red"}])
    assert err.details["field"] == "[0].colour" and "unknown field" in err.details["reason"]


def test_close_account() -> None:
    ledger = funded()
    assert ledger.close_account(MERCHANT) is True
    assert ledger.close_account(424242) is False
    assert account(ledger, MERCHANT)["closed"] is True
    [report] = ledger.apply([transfer(70, WALLET, MERCHANT, Decimal("1.00"))])
    assert report["error"] == {
        "code": "CREDIT_ACCOUNT_CLOSED",
        "message": "credit account 2001 is closed",
        "account_id": "2001",
    }


# --- the journal and its audit --------------------------------------------------------------


def test_entries_pages_and_sides() -> None:
    ledger = funded()
    ledger.apply([transfer(2, WALLET, MERCHANT, Decimal("1250.50")),
                  transfer(3, BANK, WALLET, Decimal("10.00"), "DEPOSIT")])
    entries = ledger.entries()
    assert [e["seq"] for e in entries] == [1, 2, 3]
    second = entries[1]
    assert second["transfer"]["amount"] == Decimal("1250.50")
    assert second["debit"] == {
        "account_id": "1001",
        "normal": "CREDIT",
        "balance_before": "500000",
        "balance_after": "374950",
        "available_after": "374950",
        "version": 2,
    }
    assert second["prev_hash"] == entries[0]["hash"]
    assert entries[0]["prev_hash"] == "0" * 64
    assert entries[2]["hash"] == ledger.last_hash()
    assert [e["seq"] for e in ledger.entries(2, 1)] == [2]
    assert ledger.entries(start_seq=4) == []
    assert [e["seq"] for e in ledger.entries_of(MERCHANT)] == [2]
    assert [e["seq"] for e in ledger.entries_of("1001", start_seq=2)] == [2, 3]
    assert ledger.entries(limit=0) == []
    raises_code("INVALID_REQUEST", ledger.entries, 0)
    raises_code("INVALID_REQUEST", ledger.entries, 1, -1)
    raises_code("INVALID_REQUEST", ledger.entries, True)


def test_audit_of_the_journal_and_a_tampered_line() -> None:
    ledger = funded()
    ledger.apply([transfer(2, WALLET, MERCHANT, Decimal("1250.50"), reference="BK-1"),
                  transfer(3, WALLET, MERCHANT, Decimal("10.00"), flags={"pending": True})])
    ledger.apply([resolve(4, 3, post=True)])
    journal = ledger.journal_jsonl()
    lines = journal.splitlines()
    assert len(lines) == len(ledger) == 4
    assert journal.endswith("\n")
    assert json.loads(lines[0])["transfer"]["amount"] == "5000.00"

    report = rihla.audit_journal(ACCOUNTS, journal)
    assert report == {"ok": True, "entries": 4, "last_hash": ledger.last_hash()}
    assert rihla.audit_journal(ACCOUNTS, journal.encode()) == report

    entry = json.loads(lines[1])
    entry["transfer"]["amount"] = "1250.00"  # someone shaves 0.50 off the payment
    lines[1] = json.dumps(entry, separators=(",", ":"))
    tampered = rihla.audit_journal(ACCOUNTS, "\n".join(lines) + "\n")
    assert tampered["ok"] is False
    assert tampered["entries"] == 1
    assert tampered["last_hash"] == json.loads(lines[0])["hash"]
    broken = tampered["first_broken"]
    assert broken["line"] == 2 and broken["seq"] == 2
    assert broken["reason"] == "HASH_MISMATCH"
    assert "not SHA-256 of the entry" in broken["detail"]

    lines[1] = "{not json"
    malformed = rihla.audit_journal(ACCOUNTS, "\n".join(lines))
    assert malformed["first_broken"]["reason"] == "MALFORMED"
    assert malformed["first_broken"]["line"] == 2

    # Replayed without the wallet's account, the first entry cannot be replayed.
    other = [a for a in ACCOUNTS if a["id"] != "1001"]
    replay = rihla.audit_journal(other, journal)
    assert replay["ok"] is False and replay["entries"] == 0
    assert replay["first_broken"]["line"] == 1
    assert replay["first_broken"]["reason"] == "REPLAY_FAILED"
    assert "CREDIT_ACCOUNT_NOT_FOUND" in replay["first_broken"]["detail"]
    raises_code("INVALID_REQUEST", rihla.audit_journal, ACCOUNTS, 42)


# --- strict input ---------------------------------------------------------------------------


def test_float_amount_is_refused() -> None:
    ledger = funded()
    err = raises_code("INVALID_AMOUNT", ledger.apply,
                      [transfer(2, WALLET, MERCHANT, Decimal("1.00")),
                       transfer(3, WALLET, MERCHANT, 1250.5)])
    assert isinstance(err, rihla.InvalidInputError) and isinstance(err, ValueError)
    assert err.details["field"] == "[1].amount"
    assert "float" in err.details["reason"]
    assert len(ledger) == 1  # nothing of the batch was applied
    err = raises_code("INVALID_REQUEST", ledger.apply, [transfer(2, 1001.0, MERCHANT, "1.00")])
    assert err.details["field"] == "[0].debit_account_id"
    assert "float" in err.details["reason"]
    raises_code("INVALID_REQUEST", ledger.account, 1001.0)


def test_invalid_transfers_name_the_field() -> None:
    ledger = funded()
    cases: List[Tuple[Dict[str, Any], str, str]] = [
        ({"amount": Decimal("1.005")}, "INVALID_AMOUNT", "[0].amount"),
        ({"amount": Decimal("-5.00")}, "INVALID_AMOUNT", "[0].amount"),
        ({"amount": Decimal("NaN")}, "INVALID_AMOUNT", "[0].amount"),
        ({"amount": "1e3"}, "INVALID_AMOUNT", "[0].amount"),
        ({"amount": 5}, "INVALID_AMOUNT", "[0].amount"),
        ({"at": dt.datetime(2026, 11, 22, 9)}, "INVALID_REQUEST", "[0].at"),
        ({"at": "yesterday"}, "INVALID_REQUEST", "[0].at"),
        ({"code": "GIFT"}, "INVALID_REQUEST", "[0].code"),
        ({"flags": {"pending": True, "urgent": True}}, "INVALID_REQUEST", "[0].flags.urgent"),
        ({"id": -1}, "INVALID_REQUEST", "[0].id"),
        ({"id": True}, "INVALID_REQUEST", "[0].id"),
        ({"id": 2**128}, "INVALID_REQUEST", "[0].id"),
        ({"id": "ABC"}, "INVALID_REQUEST", "[0].id"),
        ({"unit": None}, "INVALID_REQUEST", "[0].amount"),  # an amount needs its unit
    ]
    for change, code, field in cases:
        bad = {**transfer(2, WALLET, MERCHANT, Decimal("1.00")), **change}
        err = raises_code(code, ledger.apply, [bad])
        assert err.details["field"] == field, (change, err.details)
    no_at = transfer(2, WALLET, MERCHANT, Decimal("1.00"))
    del no_at["at"]
    err = raises_code("INVALID_REQUEST", ledger.apply, [no_at])
    assert err.details["field"] == "[0]" and "at" in err.details["reason"]
    raises_code("INVALID_REQUEST", ledger.apply, transfer(2, WALLET, MERCHANT, "1.00"))
    assert ledger.apply("[]") == []  # JSON text of an empty batch
    raises_code("INVALID_REQUEST", ledger.apply, [["not", "a", "dict"]])
    assert ledger.apply([]) == []
    assert len(ledger) == 1


def test_batch_too_large() -> None:
    ledger = funded()
    batch = [transfer(100 + i, WALLET, MERCHANT, "0.01") for i in range(rihla.LEDGER_BATCH_MAX + 1)]
    err = raises_code("BATCH_TOO_LARGE", ledger.apply, batch)
    assert isinstance(err, rihla.RihlaError)
    assert err.details["max"] == rihla.LEDGER_BATCH_MAX == 8190
    assert err.details["actual"] == 8191
    assert len(ledger) == 1
    reports = ledger.apply(batch[:-1])  # a full batch is fine
    assert len(reports) == 8190 and all(r["status"] == "CREATED" for r in reports)
    assert account(ledger, WALLET)["balance"] == Decimal("4918.10")


def test_uuid_ids_are_accepted() -> None:
    wallet = uuid.UUID("0190c6a2-7c1e-7d3a-9b1e-4f2a6c8d0e11")
    bank = uuid.UUID("0190c6a2-7c1e-7d3a-9b1e-4f2a6c8d0e12")
    ledger = rihla.Ledger()
    assert ledger.create_accounts([
        {"id": bank, "unit": "SAR", "normal": "DEBIT"},
        {"id": str(wallet), "unit": "SAR", "must_not_go_negative": True},
    ]) == ["CREATED", "CREATED"]
    tid = uuid.UUID("0190c6a2-7c1e-7d3a-9b1e-4f2a6c8d0eff")
    [report] = ledger.apply([transfer(tid, bank, str(wallet).upper(), Decimal("99.99"), "DEPOSIT")])
    assert report == {"id": str(tid.int), "status": "CREATED", "seq": 1}
    for key in (wallet, str(wallet), wallet.int, str(wallet.int)):
        found = account(ledger, key)
        assert found["id"] == str(wallet.int)
        assert found["balance"] == Decimal("99.99")
    assert uuid.UUID(int=int(account(ledger, wallet)["id"])) == wallet
    stored = ledger.transfer(tid)
    assert stored is not None and stored["credit_account_id"] == str(wallet.int)
    [retry] = ledger.apply([transfer(str(tid), bank, wallet, "99.99", "DEPOSIT")])
    assert retry["status"] == "EXISTS"
    audit = rihla.audit_journal([{"id": bank, "unit": "SAR", "normal": "DEBIT"},
                                 {"id": wallet, "unit": "SAR", "must_not_go_negative": True}],
                                ledger.journal_jsonl())
    assert audit["ok"] is True


# --- sharing, the facade --------------------------------------------------------------------


def test_a_ledger_is_shared_between_threads() -> None:
    ledger = funded("0.01")
    errors: List[BaseException] = []

    def deposit(worker: int) -> None:
        try:
            for k in range(50):
                batch = [transfer(1_000_000 * (worker + 1) + 10 * k + j, BANK, WALLET,
                                  Decimal("1.00"), "DEPOSIT") for j in range(10)]
                assert all(r["status"] == "CREATED" for r in ledger.apply(batch))
                ledger.account(WALLET)
                ledger.entries(start_seq=max(1, len(ledger) - 5))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deposit, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ledger) == 1 + 4 * 50 * 10
    assert account(ledger, WALLET)["balance"] == Decimal("2000.01")
    assert rihla.audit_journal(ACCOUNTS, ledger.journal_jsonl())["ok"] is True


def test_facade_docstring_examples() -> None:
    for obj in (rihla.Ledger, rihla.Ledger.create_accounts, rihla.audit_journal, rihla.PointsBook):
        finder = doctest.DocTestFinder(recurse=False)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        tests = finder.find(obj, globs={"rihla": rihla})
        assert tests and tests[0].examples, obj
        for test in tests:
            runner.run(test)
        assert runner.failures == 0, f"{obj.__qualname__}: docstring example failed"


def test_public_names_and_repr() -> None:
    assert {"Ledger", "audit_journal", "LEDGER_BATCH_MAX", "LedgerId", "Instant", "PointsBook",
            "CashbackRecord", "Refunds", "WebhookInbox", "plan_transfers", "reversal_id",
            "webhook_transfer_id"} <= set(rihla.__all__)
    ledger = funded()
    assert repr(ledger) == "<rihla.Ledger accounts=4 entries=1>"
    assert isinstance(rihla.Ledger(), rihla.Ledger)


# An independent reading of the journal's documented canonical layout
# (Entry::canonical_bytes): every entry's hash is recomputed here with hashlib from its JSON
# line alone.
CODES = ["DEPOSIT", "WITHDRAWAL", "PAYMENT", "REFUND", "CASHBACK", "BONUS", "COMMISSION",
         "EARN", "REDEEM", "EXPIRE", "ADJUSTMENT", "REVERSAL"]
FLAG_BITS = ["linked", "pending", "post_pending", "void_pending", "balancing_debit",
             "balancing_credit"]


def le(n: int, width: int, signed: bool = False) -> bytes:
    return n.to_bytes(width, "little", signed=signed)


def canonical(entry: Dict[str, Any], scale: int) -> bytes:
    t = entry["transfer"]
    when = dt.datetime.fromisoformat(t["at"].replace("Z", "+00:00"))
    out = bytearray(le(entry["seq"], 8))
    amount = int(Decimal(t["amount"]).scaleb(scale))
    for v in [t["id"], t.get("debit_account_id", "0"), t.get("credit_account_id", "0"),
              amount, t.get("pending_id", "0")]:
        out += le(int(v), 16)
    unit = t.get("unit", "").encode()
    out += bytes([len(unit)]) + unit
    out += le(CODES.index(t["code"]) + 1 if "code" in t else 0, 2)
    flags = t.get("flags", {})
    out += le(sum(1 << i for i, name in enumerate(FLAG_BITS) if flags.get(name)), 2)
    out += le(int(when.timestamp()), 8, signed=True) + le(when.microsecond * 1000, 4)
    reference = t.get("reference", "").encode()
    out += le(len(reference), 2) + reference
    for side in (entry["debit"], entry["credit"]):
        out += le(int(side["account_id"]), 16) + bytes([side["normal"] == "DEBIT"])
        for key in ("balance_before", "balance_after", "available_after"):
            out += le(int(side[key]), 16, signed=True)
        out += le(side["version"], 8)
    return bytes(out) + bytes.fromhex(entry["prev_hash"])


def test_every_hash_is_sha256_of_the_documented_canonical_layout() -> None:
    import hashlib

    ledger = rihla.Ledger()
    ledger.create_accounts([
        {"id": "1", "unit": "SAR", "normal": "DEBIT"},
        {"id": "1001", "unit": "SAR"},  # may go negative: a negative balance
        {"id": "340282366920938463463374607431768211454", "unit": "SAR"},  # 2^128 - 2
    ])
    big = "340282366920938463463374607431768211454"
    answers = ledger.apply([
        transfer(10, BANK, WALLET, "12.50", "DEPOSIT", reference="عمرة-é"),
        transfer(11, WALLET, big, "100.00", flags={"pending": True}),
        {"id": 12, "pending_id": 11, "amount": "40.00", "unit": "SAR",
         "flags": {"post_pending": True},
         "at": AT + dt.timedelta(seconds=1, microseconds=5)},
        transfer(13, big, BANK, "0.01", "REFUND", flags={"linked": True}),
        transfer(14, WALLET, BANK, "1.00", "ADJUSTMENT"),
    ])
    assert [a["status"] for a in answers] == ["CREATED"] * 5
    lines = [json.loads(line) for line in ledger.journal_jsonl().splitlines()]
    assert len(lines) == 5 and int(lines[-1]["debit"]["balance_after"]) < 0
    prev = "00" * 32
    for entry in lines:
        assert entry["prev_hash"] == prev
        prev = hashlib.sha256(canonical(entry, 2)).hexdigest()
        assert entry["hash"] == prev, entry["seq"]
    assert ledger.last_hash() == prev


def test_reserve_sets_memory_aside_and_changes_nothing_else() -> None:
    ledger = rihla.Ledger()
    ledger.create_accounts(ACCOUNTS)
    ledger.apply([transfer(1, BANK, WALLET, "100.00", "DEPOSIT")])
    before = (ledger.accounts(), ledger.journal_jsonl(), ledger.last_hash())
    ledger.reserve(10_000)
    assert (ledger.accounts(), ledger.journal_jsonl(), ledger.last_hash()) == before
    assert rihla.LEDGER_MAX_RESERVED == rihla._rihla.LEDGER_MAX_RESERVED > 10_000
    with pytest.raises(rihla.RihlaError) as info:
        ledger.reserve(-1)
    assert info.value.code == "INVALID_REQUEST" and info.value.details["field"] == "transfers"
    answers = ledger.apply([transfer(2, WALLET, MERCHANT, "40.00")])
    assert answers == [{"id": "2", "status": "CREATED", "seq": 2}]


# --- a batch as JSON text -------------------------------------------------------------------


def wire(t: Dict[str, Any]) -> Dict[str, Any]:
    """A transfer as JSON has it: ids and amounts as text, instants as RFC 3339."""
    return {k: (format(v, "f") if isinstance(v, Decimal) else
                v.isoformat() if isinstance(v, dt.datetime) else
                str(v) if isinstance(v, int) and not isinstance(v, bool) else v)
            for k, v in t.items()}


def test_a_batch_as_json_text_applies_as_the_dicts_do() -> None:
    batch = [transfer(2, WALLET, MERCHANT, Decimal("1250.50"), reference="BK-1"),
             transfer(3, WALLET, MERCHANT, Decimal("100.00"), flags={"pending": True}),
             resolve(4, 3, post=True),
             transfer(5, WALLET, MERCHANT, Decimal("99999.00"))]
    by_dicts, by_json = funded(), funded()
    reports = by_dicts.apply(batch)
    text = json.dumps([wire(t) for t in batch])
    assert by_json.apply(text.encode()) == reports
    # A str too; each created transfer is a retry now (EXISTS), the failure sticks.
    assert by_json.apply(text) == by_dicts.apply(batch)
    assert (by_json.last_hash(), by_json.accounts()) == (by_dicts.last_hash(), by_dicts.accounts())


def test_a_json_batch_fails_as_the_dict_batch_does() -> None:
    bad = [wire(transfer(2, WALLET, MERCHANT, Decimal("1.00"))),
           wire(transfer(3, WALLET, MERCHANT, Decimal("1.005")))]
    as_dicts = raises_code("INVALID_AMOUNT", funded().apply, bad)
    as_json = raises_code("INVALID_AMOUNT", funded().apply, json.dumps(bad).encode())
    assert as_json.details == as_dicts.details and as_json.details["field"] == "[1].amount"
    raises_code("INVALID_JSON", funded().apply, b"[{")
    too_many = json.dumps([wire(transfer(i, WALLET, MERCHANT, Decimal("1.00")))
                           for i in range(10, 10 + rihla.LEDGER_BATCH_MAX + 1)])
    err = raises_code("BATCH_TOO_LARGE", funded().apply, too_many)
    assert (err.details["max"], err.details["actual"]) == (
        rihla.LEDGER_BATCH_MAX, rihla.LEDGER_BATCH_MAX + 1)


def test_an_instant_argument_is_read_strictly() -> None:
    """An ``at`` whose UTC falls past year 9999 would be written "+10000-…" in the
    journal, which no reader (rihla's own audit included) takes back: refused."""
    ledger = funded()
    for at in ("9999-12-31T23:59:59-14:00", "+10000-01-01T00:00:00Z", "2026-1-1T00:00:00Z"):
        err = raises_code("INVALID_REQUEST", ledger.reverse, [1], at)
        assert err.details["field"] == "at"
    assert len(ledger) == 1
    assert rihla.audit_journal(ACCOUNTS, ledger.journal_jsonl())["ok"]
    ok = ledger.reverse([1], "9999-12-31T23:59:59+14:00")  # 9999-12-31T09:59:59Z
    assert len(ok["legs"]) == 1
    assert rihla.audit_journal(ACCOUNTS, ledger.journal_jsonl())["ok"]
