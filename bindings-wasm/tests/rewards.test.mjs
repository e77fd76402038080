// Tests of PointsBook and CashbackRecord: loyalty points lots and membership cashback
// driving a Ledger through the JS API, with the values a host sees (amounts as decimal
// strings, outcomes as `{status: 'CREATED' | 'EXISTS', seq}`), errors as RihlaError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CashbackRecord, Ledger, PointsBook, throwsRihla } from './helpers.mjs';

const AT = '2026-11-22T09:00:00Z';

function pointsLedger() {
  const ledger = new Ledger();
  ledger.createAccounts([
    { id: '10', unit: 'POINTS', normal: 'DEBIT', code: 'POINTS_ISSUER' },
    { id: '501', unit: 'POINTS', must_not_go_negative: true, code: 'POINTS', owner: 'CUST-10442' },
    { id: '601', unit: 'POINTS', normal: 'DEBIT', code: 'POINTS_DEBT', owner: 'CUST-10442' },
    { id: '20', unit: 'POINTS', code: 'POINTS_REDEEMED' },
  ]);
  return ledger;
}

const earn = (id, amount, at, extra = {}) => ({ id, from: '10', to: '501', amount, unit: 'POINTS', at, ...extra });
const redeem = (id, amount, at) => ({ id, account: '501', to: '20', amount, unit: 'POINTS', at });

test('points: earn two lots, redeem soonest-expiring first, INSUFFICIENT_POINTS past what is available', () => {
  const ledger = pointsLedger();
  const book = new PointsBook('POINTS');
  assert.equal(book.unit, 'POINTS');

  const first = book.earn(ledger, earn('7001', '1500', '2028-02-29T10:00:00Z', { reference: 'BKG-1042' }));
  assert.deepEqual(first.outcome, { status: 'CREATED', seq: 1 });
  assert.equal(first.lot.amount, '1500');
  assert.equal(first.lot.remaining, '1500');
  assert.equal(first.lot.expires_at, '2029-02-28T10:00:00Z', '365 days of 24 hours, not the same date next year');
  book.earn(ledger, earn('7002', '400', '2028-03-01T10:00:00Z', { expires_at: '2028-06-01T00:00:00Z' }));
  // A retry of the same earn is EXISTS at the ledger; the lot is not doubled.
  assert.deepEqual(book.earn(ledger, earn('7001', '1500', '2028-02-29T10:00:00Z', { reference: 'BKG-1042' })).outcome, { status: 'EXISTS', seq: 1 });
  assert.equal(book.balance('501'), '1900');

  const r = book.redeem(ledger, redeem('8001', '500', '2028-03-02T10:00:00Z'));
  assert.deepEqual(r.outcome, { status: 'CREATED', seq: 3 });
  assert.deepEqual(r.redemption.consumed, [{ lot: '7002', amount: '400' }, { lot: '7001', amount: '100' }]);
  assert.equal(book.available('501', '2028-03-02T10:00:00Z'), '1400');
  assert.equal(book.balance('501'), '1400');
  assert.equal(ledger.account('501').balance, '1400', 'the ledger agrees with the book');
  assert.deepEqual(book.lots('501').map((l) => [l.id, l.remaining, l.redeemed]), [['7002', '0', '400'], ['7001', '1400', '100']]);
  assert.deepEqual(book.lots().map((l) => l.id), ['7001', '7002']);

  const err = throwsRihla(() => book.redeem(ledger, redeem('8002', '1401', '2028-03-02T10:00:00Z')), 'INSUFFICIENT_POINTS');
  assert.equal(err.details.available, '1400');
  assert.equal(err.details.amount, '1401');
  assert.equal(ledger.entryCount, 3, 'nothing applied');
  throwsRihla(() => book.redeem(ledger, { ...redeem('8003', '1', '2028-03-02T10:00:00Z'), unit: 'POINTS:2' }), 'UNIT_MISMATCH');
  throwsRihla(() => book.earn(ledger, earn('7001', '1600', '2028-02-29T10:00:00Z')), 'LOT_EXISTS_WITH_DIFFERENT_FIELD');
  const number = throwsRihla(() => book.earn(ledger, earn('7009', 100, '2028-02-29T10:00:00Z')), 'INVALID_AMOUNT');
  assert.equal(number.details.field, 'amount');
  throwsRihla(() => new PointsBook('POINTS:9'), 'INVALID_REQUEST');
  book.free();
  ledger.free();
});

test('points: a clawback takes floor(lot × refunded ÷ paid) from the lot; expiry takes only what is left, once', () => {
  const ledger = pointsLedger();
  const book = new PointsBook('POINTS');
  book.earn(ledger, earn('7001', '1500', '2028-02-29T10:00:00Z'));
  book.redeem(ledger, redeem('8001', '500', '2028-03-01T10:00:00Z'));

  const claw = book.clawback(ledger, {
    id: '9101', lot: '7001', refunded: '250.00', paid: '1000.00', at: '2028-05-01T00:00:00Z', debt_account: '601', reference: 'RF-55',
  });
  assert.equal(claw.clawback.target, '375');
  assert.equal(claw.clawback.from_lot, '375');
  assert.equal(claw.clawback.debt, '0');
  assert.equal(claw.outcomes.length, 1);
  assert.equal(book.balance('501'), '625');
  assert.equal(book.debtOf('501'), '0');

  const swept = book.expire(ledger, '2029-02-28T10:00:00Z');
  assert.equal(swept.now, '2029-02-28T10:00:00Z');
  assert.deepEqual(swept.expired.map((e) => [e.lot, e.amount]), [['7001', '625']]);
  assert.deepEqual(swept.failed, []);
  assert.deepEqual(book.expire(ledger, '2029-03-01T00:00:00Z'), { now: '2029-03-01T00:00:00Z', expired: [], failed: [] }, 'a second sweep expires nothing');
  assert.equal(ledger.account('501').balance, '0');
  const [lot] = book.lots('501');
  assert.deepEqual([lot.remaining, lot.redeemed, lot.expired, lot.clawed_back], ['0', '500', '625', '375']);

  // The book round-trips through its JSON.
  const stored = JSON.stringify(book);
  const loaded = PointsBook.fromObject(stored);
  assert.deepEqual(loaded.toJSON(), JSON.parse(stored));
  throwsRihla(() => PointsBook.fromObject({ unit: 'POINTS', lots: 'x' }), 'INVALID_REQUEST');
  throwsRihla(() => book.expire(ledger, 'tomorrow'), 'INVALID_REQUEST');
  for (const b of [book, loaded]) b.free();
  ledger.free();
});

function cashbackLedger() {
  const ledger = new Ledger();
  ledger.createAccounts([
    { id: '1', unit: 'SAR', normal: 'DEBIT', code: 'BANK' },
    { id: '5', unit: 'SAR', normal: 'DEBIT', code: 'CASHBACK_EXPENSE' },
    { id: '1001', unit: 'SAR', must_not_go_negative: true, code: 'WALLET', owner: 'CUST-10442' },
    { id: '1101', unit: 'SAR', normal: 'DEBIT', code: 'DEBT', owner: 'CUST-10442' },
    { id: '2001', unit: 'SAR', code: 'MERCHANT' },
  ]);
  return ledger;
}

const BOOK = { id: '3001', reference: 'BKG-1042', wallet: '1001', source: '5', amount: '899.87', unit: 'SAR', at: AT, hold_days: 7 };

test('cashback: PENDING hold, APPROVED after the hold, CREDITED once even from a stale copy', () => {
  const ledger = cashbackLedger();
  const { record, outcome } = CashbackRecord.book(ledger, BOOK);
  assert.ok(record instanceof CashbackRecord);
  assert.deepEqual(outcome, { status: 'CREATED', seq: 1 });
  assert.equal(record.status, 'PENDING');
  const wallet = ledger.account('1001');
  assert.equal(wallet.balances.credits_pending, '89987', 'the hold shows as a pending credit');
  assert.equal(wallet.balance, '0.00');
  assert.equal(record.eligibleAt, undefined);

  throwsRihla(() => record.approve('2026-11-26T09:00:00Z', 'system'), 'NOT_COMPLETED');
  record.complete('2026-11-25T09:00:00Z');
  assert.equal(record.eligibleAt, '2026-12-02T09:00:00Z');
  const early = throwsRihla(() => record.approve('2026-12-02T08:59:59Z', 'system'), 'HOLD_NOT_OVER');
  assert.equal(early.details.eligible_at, '2026-12-02T09:00:00Z');
  throwsRihla(() => record.credit(ledger, '2026-12-02T09:00:00Z'), 'INVALID_TRANSITION');
  record.approve('2026-12-02T09:00:00Z', 'system');
  assert.equal(record.status, 'APPROVED');

  const stale = JSON.stringify(record);
  assert.deepEqual(record.credit(ledger, '2026-12-02T09:00:00Z'), { status: 'CREATED', seq: 2 });
  assert.equal(record.status, 'CREDITED');
  assert.equal(ledger.account('1001').balance, '899.87');
  const twice = throwsRihla(() => record.credit(ledger, '2026-12-02T09:00:00Z'), 'INVALID_TRANSITION');
  assert.deepEqual([twice.details.event, twice.details.from], ['CREDIT', 'CREDITED']);
  // A copy saved before the credit credits again at the ledger as EXISTS: once in all.
  const copy = CashbackRecord.fromObject(stale);
  assert.deepEqual(copy.credit(ledger, '2026-12-03T09:00:00Z'), { status: 'EXISTS', seq: 2 });
  assert.equal(ledger.account('1001').balance, '899.87');

  const stored = record.toJSON();
  assert.equal(stored.credited, '899.87');
  assert.deepEqual(stored.history.map((h) => h.event), ['BOOK', 'COMPLETE', 'APPROVE', 'CREDIT']);
  for (const r of [record, copy]) r.free();
  ledger.free();
});

test('cashback: a clawback after the wallet spent part of it records the rest as debt; cancel voids a hold', () => {
  const ledger = cashbackLedger();
  const { record } = CashbackRecord.book(ledger, BOOK);
  record.approve('2026-11-23T09:00:00Z', 'ops:amal', true);
  assert.equal(record.toJSON().hold_overridden, true);
  record.credit(ledger, '2026-11-23T09:00:00Z');
  ledger.apply([{ id: '50', debit_account_id: '1001', credit_account_id: '2001', amount: '600.00', unit: 'SAR', code: 'PAYMENT', at: AT }]);
  assert.equal(ledger.account('1001').balance, '299.87');

  const report = record.clawback(ledger, { at: '2026-12-20T09:00:00Z', amount: '899.87', unit: 'SAR', debt_account: '1101', actor: 'system', reason: 'refund RF-55' });
  assert.deepEqual([report.requested, report.applied, report.from_wallet, report.debt], ['899.87', '899.87', '299.87', '600.00']);
  assert.equal(report.outcomes.length, 2);
  assert.equal(record.status, 'CLAWED_BACK');
  assert.equal(ledger.account('1001').balance, '0.00');
  assert.equal(ledger.account('1101').balance, '600.00');

  const other = CashbackRecord.book(ledger, { ...BOOK, id: '3002' }).record;
  assert.equal(other.cancel(ledger, '2026-11-24T09:00:00Z', 'ops:amal', 'booking cancelled').status, 'CREATED');
  assert.equal(other.status, 'CANCELLED');
  assert.equal(ledger.account('1001').balances.credits_pending, '0');
  throwsRihla(() => other.approve('2026-12-24T09:00:00Z', 'system', true), 'INVALID_TRANSITION');
  throwsRihla(() => CashbackRecord.book(ledger, { ...BOOK, id: '3003', amount: 899.87 }), 'INVALID_AMOUNT');
  throwsRihla(() => record.approve('2026-12-24T09:00:00Z', 'system', 'yes'), 'INVALID_REQUEST');
  for (const r of [record, other]) r.free();
  ledger.free();
});
