// The ledger crate's limits through the WASM binding (issue 11): ledger lists read with their
// count limits (a batch: BATCH_TOO_LARGE; accounts, stored receipts: LIMIT_EXCEEDED with
// field, limit and actual) — a JS array by its length before it is serialized, a JSON text
// while it is read —, instants the ledger computes kept within year 9999, and a cashback's
// actor and reason bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CashbackRecord, Ledger, PointsBook, Refunds, auditJournal, throwsRihla } from './helpers.mjs';

const AT = '2026-11-22T09:00:00Z';
const BATCH_MAX = 8190;
const MAX_LIST = 1 << 20; // MAX_ACCOUNT_LIST, MAX_REFUND_RECEIPTS

const transfer = (id) => ({
  id: String(id), debit_account_id: '1', credit_account_id: '2', amount: '1.00', unit: 'SAR', code: 'DEPOSIT', at: AT,
});

const ledgerWithAccounts = () => {
  const ledger = new Ledger();
  ledger.createAccounts([{ id: '1', unit: 'SAR', normal: 'DEBIT' }, { id: '2', unit: 'SAR' }]);
  return ledger;
};

const limitOf = (err) => [err.details.field, err.details.limit, err.details.actual];

test('a batch of 8,191 transfers is BATCH_TOO_LARGE, as an array or as its JSON text, and applies nothing', () => {
  const ledger = ledgerWithAccounts();
  const batch = Array.from({ length: BATCH_MAX + 1 }, (_, i) => transfer(i + 1));
  for (const given of [batch, JSON.stringify(batch)]) {
    for (const call of [(b) => ledger.apply(b), (b) => ledger.planInput(b)]) {
      const err = throwsRihla(() => call(given), 'BATCH_TOO_LARGE');
      assert.deepEqual([err.details.max, err.details.actual], [BATCH_MAX, BATCH_MAX + 1]);
    }
  }
  // The array is refused by its length: its elements are never read.
  const junk = new Array(BATCH_MAX + 1).fill(Symbol('never read'));
  assert.equal(throwsRihla(() => ledger.apply(junk), 'BATCH_TOO_LARGE').details.actual, BATCH_MAX + 1);
  assert.equal(ledger.entryCount, 0);
  // A full batch is applied.
  const reports = ledger.apply(batch.slice(0, BATCH_MAX));
  assert.equal(reports.length, BATCH_MAX);
  assert.ok(reports.every((r) => r.status === 'CREATED'));
});

test('an account list past MAX_ACCOUNT_LIST is LIMIT_EXCEEDED before it is serialized', () => {
  const ledger = new Ledger();
  const accounts = new Array(MAX_LIST + 1).fill({ id: '1', unit: 'SAR' });
  for (const call of [() => ledger.createAccounts(accounts), () => auditJournal(accounts, '')]) {
    const err = throwsRihla(call, 'LIMIT_EXCEEDED');
    assert.deepEqual(limitOf(err), ['accounts', MAX_LIST, MAX_LIST + 1]);
    assert.equal(err.details.message, 'LIMIT_EXCEEDED: accounts has 1048577 entries, more than the limit of 1048576');
  }
  assert.deepEqual(ledger.accounts(), []);
});

test('an account list past MAX_ACCOUNT_LIST given as JSON text is LIMIT_EXCEEDED while it is read', () => {
  // 1,048,577 short accounts: 26 MB of text, within the 32 MiB document limit.
  const text = `[${'{"id":"7","unit":"SAR"},'.repeat(MAX_LIST)}{"id":"8","unit":"SAR"}]`;
  const ledger = new Ledger();
  const err = throwsRihla(() => ledger.createAccounts(text), 'LIMIT_EXCEEDED');
  assert.deepEqual(limitOf(err), ['accounts', MAX_LIST, MAX_LIST + 1]);
  assert.deepEqual(ledger.accounts(), []);
});

test('stored receipts past MAX_REFUND_RECEIPTS are LIMIT_EXCEEDED with field, limit and actual', () => {
  const err = throwsRihla(() => Refunds.fromReceipts(new Array(MAX_LIST + 5).fill(null)), 'LIMIT_EXCEEDED');
  assert.deepEqual(limitOf(err), ['receipts', MAX_LIST, MAX_LIST + 5]);
  assert.deepEqual(Refunds.fromReceipts([]).receipts(), []);
});

test('a cashback record past its history limit is LIMIT_EXCEEDED while it is read', () => {
  const ledger = new Ledger();
  ledger.createAccounts([{ id: '5', unit: 'SAR', normal: 'DEBIT' }, { id: '1001', unit: 'SAR' }]);
  const { record } = CashbackRecord.book(ledger, {
    id: '3001', wallet: '1001', source: '5', amount: '10.00', unit: 'SAR', at: AT, hold_days: 7,
  });
  const stored = JSON.parse(JSON.stringify(record));
  const history = Array.from({ length: 17 }, () => stored.history[0]);
  const err = throwsRihla(() => CashbackRecord.fromObject({ ...stored, history }), 'LIMIT_EXCEEDED');
  assert.deepEqual(limitOf(err), ['history', 16, 17]);
});

test('an earn whose default expiry passes year 9999 is TIME_OUT_OF_RANGE and changes nothing', () => {
  const ledger = new Ledger();
  ledger.createAccounts([{ id: '11', unit: 'POINTS', normal: 'DEBIT' }, { id: '501', unit: 'POINTS' }]);
  const book = new PointsBook('POINTS');
  const earn = { id: '7001', from: '11', to: '501', amount: '100', unit: 'POINTS', at: '9999-06-01T00:00:00Z' };
  const err = throwsRihla(() => book.earn(ledger, earn), 'TIME_OUT_OF_RANGE');
  assert.deepEqual([err.details.field, err.details.at, err.details.days], ['at', '9999-06-01T00:00:00Z', 365]);
  assert.equal(ledger.entryCount, 0);
  assert.deepEqual(book.lots(), []);
  // With its expiry given, the earn is taken.
  const { lot } = book.earn(ledger, { ...earn, expires_at: '9999-12-31T23:59:59Z' });
  assert.equal(lot.expires_at, '9999-12-31T23:59:59Z');
});

test('a cashback hold that would end after year 9999 is TIME_OUT_OF_RANGE; an actor or reason past 128 characters TOO_LONG', () => {
  const ledger = new Ledger();
  ledger.createAccounts([{ id: '5', unit: 'SAR', normal: 'DEBIT' }, { id: '1001', unit: 'SAR' }]);
  const book = (at) => CashbackRecord.book(ledger, {
    id: '3001', wallet: '1001', source: '5', amount: '10.00', unit: 'SAR', at, hold_days: 7,
  });
  const late = throwsRihla(() => book('9999-12-30T00:00:00Z'), 'TIME_OUT_OF_RANGE');
  assert.deepEqual([late.details.field, late.details.days], ['at', 7]);
  assert.equal(ledger.entryCount, 0);
  const { record } = book('9999-01-01T00:00:00Z');
  const done = throwsRihla(() => record.complete('9999-12-28T00:00:00Z'), 'TIME_OUT_OF_RANGE');
  assert.deepEqual([done.details.field, done.details.at], ['at', '9999-12-28T00:00:00Z']);
  assert.equal(record.eligibleAt, undefined);

  const actor = throwsRihla(() => record.approve(AT, 'a'.repeat(129), true), 'TOO_LONG');
  assert.deepEqual([actor.details.field, actor.details.length, actor.details.limit], ['actor', 129, 128]);
  const reason = throwsRihla(() => record.cancel(ledger, AT, 'ops', 'r'.repeat(4096)), 'TOO_LONG');
  assert.deepEqual([reason.details.field, reason.details.length, reason.details.limit], ['reason', 4096, 128]);
  assert.equal(record.status, 'PENDING');
  record.cancel(ledger, AT, 'o'.repeat(128), 'r'.repeat(128));
  assert.equal(record.status, 'CANCELLED');
});
