"""What a Django/FastAPI host needs beyond the ledger's batches: statements, the stateless
planner, refunds, reversals, loyalty points, membership cashback and payment webhooks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import rihla

UTC = dt.timezone.utc
AT = dt.datetime(2026, 11, 22, 9, tzinfo=UTC)

BANK, WALLET, MERCHANT, REVENUE = 1, 1001, 2001, 4001
CASHBACK_SOURCE, DEBT, CLEARING = 5, 1101, 9

ACCOUNTS: List[Dict[str, Any]] = [
    {"id": BANK, "unit": "SAR", "normal": "DEBIT", "code": "BANK"},
    {"id": WALLET, "unit": "SAR", "must_not_go_negative": True, "code": "WALLET"},
    {"id": MERCHANT, "unit": "SAR", "code": "MERCHANT"},
    {"id": REVENUE, "unit": "SAR", "code": "REVENUE"},
    {"id": CASHBACK_SOURCE, "unit": "SAR", "normal": "DEBIT", "code": "CASHBACK_EXPENSE"},
    {"id": DEBT, "unit": "SAR", "normal": "DEBIT", "code": "CUSTOMER_DEBT"},
    {"id": CLEARING, "unit": "SAR", "normal": "DEBIT", "code": "PSP_CLEARING"},
]


def transfer(tid: Any, debit: Any, credit: Any, amount: str, code: str, **extra: Any) -> Dict[str, Any]:
    t: Dict[str, Any] = {"id": tid, "debit_account_id": debit, "credit_account_id": credit,
                         "amount": Decimal(amount), "unit": "SAR", "code": code, "at": AT}
    t.update(extra)
    return t


@pytest.fixture
def ledger() -> rihla.Ledger:
    """The accounts, SAR 5,000.00 deposited (seq 1) and a payment of 1,250.50 (seq 2)."""
    led = rihla.Ledger()
    assert led.create_accounts(ACCOUNTS) == ["CREATED"] * len(ACCOUNTS)
    reports = led.apply([transfer(1, BANK, WALLET, "5000.00", "DEPOSIT", reference="TOPUP-1"),
                         transfer(2, WALLET, MERCHANT, "1250.50", "PAYMENT", reference="BK-1")])
    assert [r["status"] for r in reports] == ["CREATED", "CREATED"]
    return led


def balance(led: rihla.Ledger, account_id: int) -> Decimal:
    found = led.account(account_id)
    assert found is not None
    value = found["balance"]
    assert isinstance(value, Decimal)
    return value


def raises_code(code: str, fn: Any, *args: Any) -> Dict[str, Any]:
    with pytest.raises(rihla.RihlaError) as info:
        fn(*args)
    assert info.value.code == code, info.value.details
    assert info.value.details["code"] == code and info.value.details["message"]
    details: Dict[str, Any] = info.value.details
    return details


def test_statement_pages_the_wallet(ledger: rihla.Ledger) -> None:
    ledger.apply([transfer(3, WALLET, MERCHANT, "100.00", "PAYMENT", flags={"pending": True})])
    page = ledger.statement(WALLET)
    assert page["account_id"] == "1001" and page["unit"] == "SAR"
    assert page["next_from_seq"] is None
    first, payment, hold = page["lines"]
    assert first == {
        "seq": 1, "transfer_id": "1", "transaction_type": "CREDIT", "code": "DEPOSIT",
        "amount": Decimal("5000.00"), "balance_before": Decimal("0.00"),
        "balance_after": Decimal("5000.00"), "available_after": Decimal("5000.00"),
        "pending": False, "reference": "TOPUP-1", "at": "2026-11-22T09:00:00Z",
        "counterparty_account_id": "1",
    }
    assert payment["transaction_type"] == "DEBIT" and payment["counterparty_account_id"] == "2001"
    assert (payment["balance_before"], payment["balance_after"]) == (
        Decimal("5000.00"), Decimal("3749.50"))
    assert hold["pending"] is True and hold["balance_after"] == Decimal("3749.50")
    assert hold["available_after"] == Decimal("3649.50")
    assert all(type(v) is Decimal for line in page["lines"] for k, v in line.items()
               if k in ("amount", "balance_before", "balance_after", "available_after"))

    two = ledger.statement(WALLET, limit=2)
    assert [line["seq"] for line in two["lines"]] == [1, 2] and two["next_from_seq"] == 3
    rest = ledger.statement(WALLET, from_seq=two["next_from_seq"])
    assert [line["seq"] for line in rest["lines"]] == [3] and rest["next_from_seq"] is None
    assert ledger.statement(BANK)["lines"][0]["transaction_type"] == "DEBIT"

    missing = raises_code("ACCOUNT_NOT_FOUND", ledger.statement, 77)
    assert missing["account_id"] == "77"
    too_many = raises_code("LIMIT_OUT_OF_RANGE", ledger.statement, WALLET, 0, 1001)
    assert too_many["limit"] == 1001 and too_many["max"] == 1000


def test_planner_plans_what_apply_does(ledger: rihla.Ledger) -> None:
    batch = [transfer(3, WALLET, MERCHANT, "49.50", "PAYMENT", reference="BK-2"),
             transfer(4, WALLET, MERCHANT, "9000.00", "PAYMENT")]
    snapshot = ledger.plan_input(batch)
    assert snapshot["last_seq"] == 2 and snapshot["last_hash"] == ledger.last_hash()
    assert [a["account"]["id"] for a in snapshot["accounts"]] == ["1001", "2001"]
    wallet = snapshot["accounts"][0]
    assert wallet["version"] == 2 and wallet["balances"]["debits_posted"] == "125050"

    # The host would have the snapshot as JSON from its own rows: plan from that text.
    as_json = json.loads(json.dumps(snapshot, default=lambda d: format(d, "f")))
    plan = rihla.plan_transfers(as_json)
    assert plan == rihla.plan_transfers(snapshot)
    assert plan["results"][0] == {"status": "CREATED", "seq": 3}
    assert plan["results"][1]["code"] == "EXCEEDS_CREDITS"
    assert plan["results"][1]["available"] == "370000"  # after the 49.50 of the same batch
    assert plan["base"] == {"seq": 2, "hash": ledger.last_hash()}
    updates = {u["account_id"]: u for u in plan["account_updates"]}
    assert updates["1001"]["expected_version"] == 2 and updates["1001"]["new_version"] == 3
    assert updates["1001"]["balances"]["debits_posted"] == "130000"
    assert [f["id"] for f in plan["new_failures"]] == ["4"]

    # The in-memory ledger, applying the same batch, writes the same entry and head.
    reports = ledger.apply(batch)
    assert [r["status"] for r in reports] == ["CREATED", "FAILED"]
    assert ledger.entries(3) == plan["entries"]
    assert plan["head"] == {"seq": 3, "hash": ledger.last_hash()}

    bad = raises_code("INVALID_LAST_HASH", rihla.plan_transfers, {**snapshot, "last_hash": "xyz"})
    assert bad["value"] == "xyz"


def test_refunds_never_pass_the_payment(ledger: rihla.Ledger) -> None:
    refunds = rihla.Refunds()
    request = {"id": 90, "payment_id": 2, "amount": Decimal("250.00"), "at": AT,
               "reference": "RF-1"}
    receipt = refunds.refund(ledger, request)
    assert receipt == {
        "refund_id": "90", "payment_id": "2", "unit": "SAR", "amount": "25000",
        "paid": "125050", "refunded": "25000", "reference": "RF-1",
        "outcome": {"status": "CREATED", "seq": 3},
    }
    assert balance(ledger, WALLET) == Decimal("3999.50")
    assert balance(ledger, MERCHANT) == Decimal("1000.50")
    again = refunds.refund(ledger, request)
    assert again["outcome"] == {"status": "EXISTS", "seq": 3} and len(ledger) == 3

    too_much = raises_code("EXCEEDS_PAYMENT", refunds.refund, ledger,
                           {**request, "id": 91, "amount": Decimal("1000.51")})
    assert (too_much["paid"], too_much["refunded"], too_much["requested"]) == (
        "125050", "25000", "100051")
    err = raises_code("INVALID_AMOUNT", refunds.refund, ledger,
                      {**request, "id": 92, "amount": Decimal("1.005")})
    assert err["field"] == "amount"
    raises_code("INVALID_AMOUNT", refunds.refund, ledger, {**request, "id": 92, "amount": 1.5})
    raises_code("PAYMENT_NOT_FOUND", refunds.refund, ledger, {**request, "id": 93, "payment_id": 77})
    raises_code("NOT_A_PAYMENT", refunds.refund, ledger, {**request, "id": 94, "payment_id": 1})
    assert refunds.refunds_of(2) == ["90"]
    assert refunds.get(90) == {**receipt}
    assert refunds.get(91) is None
    assert len(refunds.receipts()) == 1

    # A host keeps the receipts and rebuilds the registry: the bound still holds.
    rebuilt = rihla.Refunds.from_receipts(json.loads(json.dumps(refunds.receipts())))
    assert rebuilt.get(90) == receipt and rebuilt.refunds_of(2) == ["90"]
    again_too_much = raises_code("EXCEEDS_PAYMENT", rebuilt.refund, ledger,
                                 {**request, "id": 91, "amount": Decimal("1000.51")})
    assert again_too_much["refunded"] == "25000"
    bad = raises_code("INVALID_REQUEST", rihla.Refunds.from_receipts,
                      [{**receipt, "colour": "red"}])
    assert bad["field"] == "[0].colour"


def test_reversal_undoes_a_booking_once(ledger: rihla.Ledger) -> None:
    ledger.apply([transfer(3, MERCHANT, REVENUE, "125.05", "COMMISSION")])
    receipt = ledger.reverse([2, "3"], AT + dt.timedelta(hours=1), "cancelled BK-1")
    legs = receipt["legs"]
    assert [leg["transfer_id"] for leg in legs] == ["3", "2"]  # newest first
    assert legs[0] == {
        "transfer_id": "3", "reversal_id": rihla.reversal_id(3),
        "debit_account_id": "4001", "credit_account_id": "2001", "amount": "12505", "seq": 4,
    }
    assert legs[1]["amount"] == "125050" and legs[1]["seq"] == 5
    assert (balance(ledger, WALLET), balance(ledger, MERCHANT), balance(ledger, REVENUE)) == (
        Decimal("5000.00"), Decimal("0.00"), Decimal("0.00"))
    reversal = ledger.transfer(legs[1]["reversal_id"])
    assert reversal is not None
    assert reversal["code"] == "REVERSAL" and reversal["reference"] == "cancelled BK-1"

    # The derived id, as the crate documents it for Python.
    digest = hashlib.sha256(b"rihla-reversal\0" + (2).to_bytes(16, "big")).digest()
    assert rihla.reversal_id(2) == str(int.from_bytes(digest[:16], "big"))
    assert ledger.reversal_of(2) == rihla.reversal_id(2)
    assert ledger.reversal_of(1) is None

    again = raises_code("ALREADY_REVERSED", ledger.reverse, [2], AT, "retry")
    assert again["transfer_id"] == "2" and again["reversal_id"] == rihla.reversal_id(2)
    raises_code("TRANSFER_NOT_FOUND", ledger.reverse, [77], AT)
    raises_code("EMPTY", ledger.reverse, [], AT)
    raises_code("PAYMENT_REVERSED", rihla.Refunds().refund, ledger,
                {"id": 95, "payment_id": 2, "amount": "1.00", "at": AT})


def test_points_earn_redeem_expire_and_clawback() -> None:
    led = rihla.Ledger()
    led.create_accounts([
        {"id": 11, "unit": "POINTS", "normal": "DEBIT", "code": "POINTS_ISSUER"},
        {"id": 501, "unit": "POINTS", "must_not_go_negative": True, "code": "POINTS"},
        {"id": 12, "unit": "POINTS", "code": "POINTS_REDEEMED"},
        {"id": 601, "unit": "POINTS", "normal": "DEBIT", "code": "POINTS_DEBT"},
    ])
    book = rihla.PointsBook("POINTS")
    assert book.unit == "POINTS"
    earned = book.earn(led, {"id": 7001, "from": 11, "to": 501, "amount": Decimal("1500"),
                             "unit": "POINTS", "at": dt.datetime(2028, 2, 29, 10, tzinfo=UTC),
                             "reference": "BKG-1042"})
    lot = earned["lot"]
    assert lot["amount"] == Decimal("1500") and type(lot["remaining"]) is Decimal
    assert lot["expires_at"] == "2029-02-28T10:00:00Z"  # 365 days, not "next year"
    assert earned["outcome"] == {"status": "CREATED", "seq": 1}
    book.earn(led, {"id": 7002, "from": 11, "to": 501, "amount": "400", "unit": "POINTS",
                    "at": "2028-03-01T00:00:00Z", "expires_at": "2028-09-01T00:00:00Z"})

    redeemed = book.redeem(led, {"id": 8001, "account": 501, "to": 12, "amount": "700",
                                 "unit": "POINTS", "at": "2028-06-01T00:00:00Z"})
    assert redeemed["redemption"]["consumed"] == [  # soonest-expiring lot first
        {"lot": "7002", "amount": Decimal("400")}, {"lot": "7001", "amount": Decimal("300")}]
    assert book.available(501, "2028-06-01T00:00:00Z") == Decimal("1200")
    short = raises_code("INSUFFICIENT_POINTS", book.redeem, led,
                        {"id": 8002, "account": 501, "to": 12, "amount": "5000",
                         "unit": "POINTS", "at": "2028-06-02T00:00:00Z"})
    assert (short["available"], short["amount"]) == ("1200", "5000")
    raises_code("UNIT_MISMATCH", book.redeem, led,
                {"id": 8003, "account": 501, "to": 12, "amount": "1.00", "unit": "SAR",
                 "at": "2028-06-02T00:00:00Z"})

    clawed = book.clawback(led, {"id": 9101, "lot": 7001, "refunded": "250.00",
                                 "paid": "1000.00", "at": "2028-07-01T00:00:00Z",
                                 "debt_account": 601, "reference": "RF-55"})
    assert clawed["clawback"]["target"] == Decimal("375")  # floor(1500 × 250 / 1000)
    assert clawed["clawback"]["from_lot"] == Decimal("375")
    assert clawed["clawback"]["debt"] == Decimal("0")

    swept = book.expire(led, dt.datetime(2029, 3, 1, tzinfo=UTC))
    assert [(e["lot"], e["amount"]) for e in swept["expired"]] == [("7001", Decimal("825"))]
    assert swept["failed"] == []
    assert book.expire(led, "2029-03-01T00:00:00Z")["expired"] == []  # idempotent
    assert book.balance(501) == Decimal("0") == balance(led, 501)
    assert balance(led, 12) == Decimal("700")

    saved = book.to_dict()
    assert [lt["id"] for lt in saved["lots"]] == ["7001", "7002"]
    assert rihla.PointsBook.from_dict(saved).to_dict() == saved
    assert book.lot(7001) == saved["lots"][0]
    assert book.redemption(8001) == redeemed["redemption"]
    assert book.clawback_record(9101) == clawed["clawback"]
    assert [lt["id"] for lt in book.lots_of(501)] == ["7002", "7001"]


def test_cashback_is_credited_once_and_clawed_back(ledger: rihla.Ledger) -> None:
    record, outcome = rihla.CashbackRecord.book(ledger, {
        "id": 3001, "reference": "BKG-1042", "wallet": WALLET, "source": CASHBACK_SOURCE,
        "amount": Decimal("899.87"), "unit": "SAR", "at": AT, "hold_days": 7})
    assert outcome == {"status": "CREATED", "seq": 3} and record.status == "PENDING"
    wallet = ledger.account(WALLET)
    assert wallet is not None and wallet["balances"]["credits_pending"] == "89987"
    assert wallet["balance"] == Decimal("3749.50")  # a hold is not money yet

    raises_code("NOT_COMPLETED", record.approve, "2026-11-30T00:00:00Z")
    record.complete(dt.datetime(2026, 11, 25, 12, tzinfo=UTC))
    assert record.eligible_at() == "2026-12-02T12:00:00Z"
    early = raises_code("HOLD_NOT_OVER", record.approve, "2026-11-30T00:00:00Z")
    assert early["eligible_at"] == "2026-12-02T12:00:00Z"
    record.approve("2026-12-02T12:00:00Z", actor="system")
    stale = rihla.CashbackRecord.from_dict(record.to_dict())  # saved before the credit
    assert record.credit(ledger, "2026-12-02T12:00:01Z") == {"status": "CREATED", "seq": 4}
    assert record.status == "CREDITED" and balance(ledger, WALLET) == Decimal("4649.37")

    twice = raises_code("INVALID_TRANSITION", record.credit, ledger, "2026-12-03T00:00:00Z")
    assert (twice["event"], twice["from"], twice["to"]) == ("CREDIT", "CREDITED", "CREDITED")
    assert stale.credit(ledger, "2026-12-03T00:00:00Z") == {"status": "EXISTS", "seq": 4}
    assert balance(ledger, WALLET) == Decimal("4649.37")  # credited once

    ledger.apply([transfer(5, WALLET, MERCHANT, "4249.50", "PAYMENT")])  # 399.87 left
    report = record.clawback(ledger, {"at": "2026-12-20T09:00:00Z", "amount": "899.87",
                                      "unit": "SAR", "debt_account": DEBT,
                                      "reason": "refund RF-55"})
    assert (report["from_wallet"], report["debt"]) == (Decimal("399.87"), Decimal("500.00"))
    assert record.status == "CLAWED_BACK"
    assert balance(ledger, WALLET) == Decimal("0.00") and balance(ledger, DEBT) == Decimal("500.00")
    saved = record.to_dict()
    assert saved["credited"] == Decimal("899.87") and saved["debt"] == Decimal("500.00")
    assert [(h["event"], h["to"]) for h in saved["history"]] == [
        ("BOOK", "PENDING"), ("COMPLETE", "PENDING"), ("APPROVE", "APPROVED"),
        ("CREDIT", "CREDITED"), ("CLAWBACK", "CLAWED_BACK")]
    assert saved["history"][2]["actor"] == "system"
    assert set(record.transfer_ids()) == {"hold", "credit", "cancel", "clawback", "debt"}
    with pytest.raises(TypeError):
        rihla.CashbackRecord()


def test_webhooks_apply_each_event_once(ledger: rihla.Ledger) -> None:
    inbox = rihla.WebhookInbox()
    event = {"provider": "moyasar", "payment_ref": "pay_77", "unit": "SAR",
             "at": "2026-11-22T10:00:00Z"}
    early = inbox.receive(ledger, {**event, "event_id": "evt_01", "kind": "AUTHORIZED",
                                   "amount": Decimal("1000.00")})
    assert early == {"outcome": {"outcome": "DEFERRED", "reason": "UNKNOWN_PAYMENT"},
                     "redriven": []}
    assert len(inbox.deferred()) == 1

    redriven = inbox.register_payment(ledger, {
        "provider": "moyasar", "payment_ref": "pay_77", "unit": "SAR",
        "amount": Decimal("1000.00"), "clearing_account_id": CLEARING,
        "credit_account_id": WALLET, "reference": "TOPUP-77"})
    assert [(r["event_id"], r["outcome"]["outcome"]) for r in redriven] == [("evt_01", "APPLIED")]
    assert redriven[0]["outcome"]["status"] == "AUTHORIZED"

    capture = {**event, "event_id": "evt_02", "kind": "CAPTURED", "amount": "1000.00"}
    applied = inbox.receive(ledger, capture)["outcome"]
    assert applied["outcome"] == "APPLIED" and applied["status"] == "CAPTURED"
    assert applied["transfers"][0]["transfer_id"] == rihla.webhook_transfer_id(
        "moyasar", "evt_02", 0)
    duplicate = inbox.receive(ledger, capture)["outcome"]
    assert duplicate["outcome"] == "DUPLICATE" and duplicate["first"] == applied
    assert balance(ledger, WALLET) == Decimal("4749.50")  # credited once

    refund = inbox.receive(ledger, {**event, "event_id": "evt_03", "kind": "REFUNDED",
                                    "amount": "200.00"})
    assert refund["outcome"]["outcome"] == "APPLIED"
    assert balance(ledger, WALLET) == Decimal("4549.50")
    payment = inbox.payment("moyasar", "pay_77")
    assert payment is not None
    assert (payment["status"], payment["captured"], payment["refunded"]) == (
        "CAPTURED", "100000", "20000")
    assert [r["amount"] for r in inbox.refunds()] == ["20000"]
    assert len(inbox) == 3 and inbox.deferred() == []
    outcome = inbox.outcome("moyasar", "evt_02")
    assert outcome is not None and outcome["status"] == "CAPTURED"
    assert inbox.outcome("moyasar", "evt_99") is None
    assert inbox.retry_deferred(ledger) == []

    reused = raises_code("EVENT_ID_REUSED", inbox.receive, ledger,
                         {**capture, "amount": "999.00"})
    assert reused["field"] == "amount"

    # The inbox and its ledger pickle together and go on as the originals.
    import pickle
    back_ledger, back_inbox = pickle.loads(pickle.dumps((ledger, inbox)))
    assert isinstance(back_inbox, rihla.WebhookInbox)
    assert back_inbox.snapshot() == inbox.snapshot() and len(back_inbox) == 3
    assert back_inbox.receive(back_ledger, capture)["outcome"]["outcome"] == "DUPLICATE"
    later = {**event, "event_id": "evt_04", "kind": "REFUNDED", "amount": "50.00"}
    assert back_inbox.receive(back_ledger, later) == inbox.receive(ledger, later)
    assert back_ledger.last_hash() == ledger.last_hash()
    edited = json.loads(inbox.snapshot())
    edited["payments"][0]["refunded"] = "99999999"
    raises_code("INCONSISTENT_SNAPSHOT", rihla.WebhookInbox.from_snapshot, json.dumps(edited))
