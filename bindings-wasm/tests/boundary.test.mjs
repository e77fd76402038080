// Regression tests of issue 11's WASM defects, checked at the boundary before anything is
// copied into the module's memory:
// - defect 3: checkVoucher's `code` (a number, an object, `true` trapped with "memory access
//   out of bounds", null/undefined gave a raw TypeError, {length: 1e9} leaked 1 GB a call and
//   trapped on the fifth);
// - defect 6: Ledger.reserve (4e6 took 2.1 GB that never shrinks, -1 wrapped to 2^32 − 1);
// - defect 7: a document's size checked before the expensive work (a 40 MB object was
//   JSON.stringify'd whole, 9 s, before LIMIT_EXCEEDED);
// - the Ledger given to another class's method, checked like any other argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger, PointsBook, Rulebook, throwsRihla } from './helpers.mjs';

const AT = '2026-11-22T09:00:00Z';
const REQUEST = {
  currency: 'SAR',
  now: AT,
  items: [{ id: 'HTL-1', category: 'HOTEL', quantity: 2, unit_price: '650.00' }],
};
const MAX_REQUEST_BYTES = 1 << 20;
const MAX_RULEBOOK_BYTES = 16 << 20;
const MAX_LEDGER_INPUT_BYTES = 32 << 20;
const MAX_TEXT_ARG_LENGTH = 4096;
const RESERVE_LIMIT = 1 << 20;

const rulebook = Rulebook.default();
const healthy = () => assert.equal(rulebook.quote(REQUEST).final_amount, '1170.00', 'the instance still prices');

// --- defect 3: checkVoucher(request, code) ----------------------------------------------

test('checkVoucher: a code that is not a string is INVALID_REQUEST naming `code`, never a trap or a TypeError', () => {
  for (const code of [5, {}, true, null, undefined, Symbol('c'), 5n, ['UMRAH150'], () => 'UMRAH150', new String('UMRAH150')]) {
    const err = throwsRihla(() => rulebook.checkVoucher(REQUEST, code), 'INVALID_REQUEST');
    assert.equal(err.details.field, 'code');
    assert.match(err.details.reason, /^a string, not /);
  }
  assert.equal(throwsRihla(() => rulebook.checkVoucher(REQUEST, 5), 'INVALID_REQUEST').details.reason, 'a string, not a number');
  assert.equal(throwsRihla(() => rulebook.checkVoucher(REQUEST, null), 'INVALID_REQUEST').details.reason, 'a string, not null');
  healthy();
});

test('checkVoucher: {length: 1e9} is refused without a copy, again and again (it leaked 1 GB a call)', () => {
  for (let i = 0; i < 10; i += 1) {
    const err = throwsRihla(() => rulebook.checkVoucher(REQUEST, { length: 1e9 }), 'INVALID_REQUEST');
    assert.equal(err.details.field, 'code');
    assert.equal(err.details.reason, 'a string, not an object');
  }
  healthy();
});

test('checkVoucher: a code longer than 4096 is LIMIT_EXCEEDED before its copy; within it the engine decides', () => {
  const err = throwsRihla(() => rulebook.checkVoucher(REQUEST, 'V'.repeat(MAX_TEXT_ARG_LENGTH + 1)), 'LIMIT_EXCEEDED');
  assert.deepEqual([err.details.field, err.details.limit, err.details.actual], ['code', 4096, 4097]);
  const huge = throwsRihla(() => rulebook.checkVoucher(REQUEST, 'V'.repeat(50_000_000)), 'LIMIT_EXCEEDED');
  assert.equal(huge.details.actual, 50_000_000);
  // 4096 characters reach the engine, which allows 128 once trimmed.
  const engine = throwsRihla(() => rulebook.checkVoucher(REQUEST, 'V'.repeat(MAX_TEXT_ARG_LENGTH)), 'INVALID_REQUEST');
  assert.deepEqual([engine.details.field, engine.details.reason], ['code', '4096 characters, more than 128']);
  healthy();
});

test('checkVoucher: a valid code still answers, trimmed and upper-cased, amounts as strings', () => {
  assert.deepEqual(rulebook.checkVoucher(REQUEST, '  umrah150 '), {
    applies: false,
    code: 'UMRAH150',
    rule_id: 'V-UMRAH150',
    reason: { code: 'MIN_PURCHASE_NOT_MET', required: '2000.00', actual: '1170.00' },
  });
  const big = { ...REQUEST, items: [{ id: 'HTL-1', category: 'HOTEL', quantity: 14, unit_price: '680.00' }] };
  assert.deepEqual(rulebook.checkVoucher(JSON.stringify(big), 'UMRAH150'), {
    applies: true, code: 'UMRAH150', rule_id: 'V-UMRAH150', eligible_amount: '9020.00', discount: '150.00',
  });
});

// --- defect 6: Ledger.reserve(n) --------------------------------------------------------

test('reserve: a negative, fractional, non-finite or non-number count is INVALID_REQUEST (-1 wrapped to 2^32 − 1)', () => {
  const ledger = new Ledger();
  for (const n of [-1, -0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 1e300, '5', 5n, undefined, null, true, {}, [5]]) {
    const err = throwsRihla(() => ledger.reserve(n), 'INVALID_REQUEST');
    assert.equal(err.details.field, 'transfers');
    assert.match(err.details.reason, /^a whole number from 0 to 1048576, not /);
  }
  assert.equal(throwsRihla(() => ledger.reserve(-1), 'INVALID_REQUEST').details.reason, 'a whole number from 0 to 1048576, not -1');
  ledger.free();
});

test('reserve: more than 2^20 transfers is LIMIT_EXCEEDED with the count asked; nothing is reserved', () => {
  const ledger = new Ledger();
  for (const n of [RESERVE_LIMIT + 1, 4e6, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
    const err = throwsRihla(() => ledger.reserve(n), 'LIMIT_EXCEEDED');
    assert.deepEqual([err.details.field, err.details.limit, err.details.actual], ['transfers', RESERVE_LIMIT, n]);
  }
  assert.equal(ledger.reserve(0), undefined);
  assert.equal(ledger.reserve(1000), undefined);
  ledger.createAccounts([{ id: '1', unit: 'SAR' }, { id: '2', unit: 'SAR' }]);
  assert.deepEqual(
    ledger.apply([{ id: '9', debit_account_id: '1', credit_account_id: '2', amount: '1.00', unit: 'SAR', code: 'PAYMENT', at: AT }]),
    [{ id: '9', status: 'CREATED', seq: 1 }],
  );
  ledger.free();
});

// --- defect 7: sizes checked before the expensive work ----------------------------------

/** `count` items, the last one behind a getter that records whether it was ever read. */
function bigList(count, make) {
  const probe = { touched: false };
  const list = Array.from({ length: count - 1 }, (_, i) => make(i));
  Object.defineProperty(list, count - 1, {
    enumerable: true,
    get() {
      probe.touched = true;
      return make(count - 1);
    },
  });
  return { list, probe };
}

test('a 40 MB request object is LIMIT_EXCEEDED as soon as the walk passes 1 MiB; the rest is never read', () => {
  const { list, probe } = bigList(400_000, (i) => ({ id: `I-${i}`, category: 'HOTEL', quantity: 1, unit_price: '1.00', description: 'd'.repeat(80) }));
  const err = throwsRihla(() => rulebook.quote({ ...REQUEST, items: list }), 'LIMIT_EXCEEDED');
  assert.equal(err.details.field, 'request bytes');
  assert.equal(err.details.limit, MAX_REQUEST_BYTES);
  assert.ok(err.details.actual > MAX_REQUEST_BYTES && err.details.actual < MAX_REQUEST_BYTES + 200, `stopped just past the limit: ${err.details.actual}`);
  assert.equal(probe.touched, false, 'the walk stopped long before the last item');
  healthy();
});

test('a rulebook object over 16 MiB and a ledger batch over 32 MiB are refused the same way', () => {
  const offers = bigList(200_000, (i) => ({ id: `O-${i}`, note: 'n'.repeat(100) }));
  const rb = throwsRihla(() => Rulebook.fromObject({ version: '1', offers: offers.list }), 'LIMIT_EXCEEDED');
  assert.deepEqual([rb.details.field, rb.details.limit], ['rulebook bytes', MAX_RULEBOOK_BYTES]);
  assert.equal(offers.probe.touched, false);

  const ledger = new Ledger();
  const batch = bigList(8190, (i) => ({
    id: String(100 + i), debit_account_id: '1', credit_account_id: '2', amount: '1.00', unit: 'SAR', code: 'PAYMENT', at: AT,
    reference: 'r'.repeat(5000),
  }));
  const lg = throwsRihla(() => ledger.apply(batch.list), 'LIMIT_EXCEEDED');
  assert.deepEqual([lg.details.field, lg.details.limit], ['transfers bytes', MAX_LEDGER_INPUT_BYTES]);
  assert.equal(batch.probe.touched, false);
  assert.equal(ledger.entryCount, 0, 'nothing applied');
  ledger.free();
  healthy();
});

test('a text over the limit is refused on its JS length, before the copy; multi-byte text on its UTF-8 bytes', () => {
  let err = throwsRihla(() => rulebook.quote(' '.repeat(2 * MAX_REQUEST_BYTES)), 'LIMIT_EXCEEDED');
  assert.deepEqual([err.details.field, err.details.limit, err.details.actual], ['request bytes', MAX_REQUEST_BYTES, 2 * MAX_REQUEST_BYTES]);
  err = throwsRihla(() => Rulebook.fromJson(' '.repeat(MAX_RULEBOOK_BYTES + 1)), 'LIMIT_EXCEEDED');
  assert.deepEqual([err.details.field, err.details.actual], ['rulebook bytes', MAX_RULEBOOK_BYTES + 1]);
  // 600,002 UTF-16 code units, 1,200,002 UTF-8 bytes.
  const text = `"${'é'.repeat(600_000)}"`;
  assert.ok(text.length < MAX_REQUEST_BYTES);
  err = throwsRihla(() => rulebook.quote(text), 'LIMIT_EXCEEDED');
  assert.equal(err.details.actual, 1_200_002);
  healthy();
});

test('the walk never refuses a document within the limit: exactly 1 MiB reaches the engine, one byte more does not', () => {
  const doc = (pad) => ({
    currency: 'SAR',
    now: AT,
    items: [],
    extra: { a: [1, -2.5, 1e21, 1e-7, 0.1, 123456789, true, false, null, [], {}, [[1], { b: 'c' }]], pad },
  });
  const base = JSON.stringify(doc('')).length;
  const exact = doc('p'.repeat(MAX_REQUEST_BYTES - base));
  assert.equal(JSON.stringify(exact).length, MAX_REQUEST_BYTES);
  const engine = throwsRihla(() => rulebook.quote(exact), 'INVALID_REQUEST');
  assert.equal(engine.details.field, 'extra', 'the engine refuses the unknown field, not the size');
  const over = throwsRihla(() => rulebook.quote(doc('p'.repeat(MAX_REQUEST_BYTES - base + 1))), 'LIMIT_EXCEEDED');
  assert.equal(over.details.actual, MAX_REQUEST_BYTES + 1, 'the count is exact for ASCII text');
  // The same as text: the exact byte count.
  const overText = throwsRihla(() => rulebook.quote(JSON.stringify(doc('p'.repeat(MAX_REQUEST_BYTES - base + 1)))), 'LIMIT_EXCEEDED');
  assert.equal(overText.details.actual, MAX_REQUEST_BYTES + 1);
});

test('nesting past 128 levels is INVALID_JSON as soon as the walk meets it; 128 levels reach the engine', () => {
  const nest = (levels, inner) => {
    let v = inner;
    for (let i = 1; i < levels; i += 1) v = [v];
    return v;
  };
  const probe = { touched: false };
  const deep = nest(129, [{ get x() { probe.touched = true; return 1; } }]);
  const err = throwsRihla(() => rulebook.quote(deep), 'INVALID_JSON');
  assert.equal(err.details.reason, 'the request nests objects and arrays deeper than 128 levels');
  assert.equal(probe.touched, false);
  const engine = throwsRihla(() => rulebook.quote(nest(128, [])), 'INVALID_REQUEST');
  assert.equal(engine.details.field, '[0]');
  healthy();
});

test('a value with no JSON form is still INVALID_JSON; the budget is not mistaken for it', () => {
  const cyclic = { currency: 'SAR' };
  cyclic.self = cyclic;
  assert.match(throwsRihla(() => rulebook.quote(cyclic), 'INVALID_JSON').details.reason, /^the request has no JSON form: /);
  const throwing = { toJSON() { throw new RangeError('no'); } };
  assert.equal(throwsRihla(() => rulebook.quote(throwing), 'INVALID_JSON').details.reason, 'the request has no JSON form: no');
  throwsRihla(() => rulebook.quote({ ...REQUEST, n: 10n }), 'INVALID_JSON');
  healthy();
});

// --- a Ledger argument ------------------------------------------------------------------

test('a method that drives a Ledger refuses anything else there with INVALID_REQUEST naming `ledger`', () => {
  const book = new PointsBook('POINTS');
  const earn = { id: '7001', from: '10', to: '501', amount: '100', unit: 'POINTS', at: AT };
  const freed = new Ledger();
  freed.free();
  assert.match(throwsRihla(() => book.earn(freed, earn), 'INVALID_REQUEST').details.reason, /null pointer passed to rust/);
  const fakes = [
    5, undefined, null, {}, book, freed, Ledger, Ledger.prototype,
    { __rihla_share: () => 5 },
    { __rihla_share() { throw new Error('no'); } },
    new Proxy({}, { get() { throw new Error('trap'); } }),
  ];
  for (const fake of fakes) {
    const err = throwsRihla(() => book.earn(fake, earn), 'INVALID_REQUEST');
    assert.equal(err.details.field, 'ledger');
    assert.match(err.details.reason, /^a live Ledger, not /);
  }
  // A real ledger still works, and so does one reached through a subclass.
  class MyLedger extends Ledger {}
  const ledger = new MyLedger();
  ledger.createAccounts([
    { id: '10', unit: 'POINTS', normal: 'DEBIT', code: 'POINTS_ISSUER' },
    { id: '501', unit: 'POINTS', code: 'POINTS' },
  ]);
  assert.deepEqual(book.earn(ledger, earn).outcome, { status: 'CREATED', seq: 1 });
  assert.equal(book.balance('501'), '100');
  book.free();
  ledger.free();
});

test('a getter that re-enters the ledger while it is being read is refused, not aliased', () => {
  const ledger = new Ledger();
  ledger.createAccounts([
    { id: '1', unit: 'SAR' }, { id: '2', unit: 'SAR' },
    { id: '10', unit: 'POINTS', normal: 'DEBIT', code: 'POINTS_ISSUER' }, { id: '501', unit: 'POINTS', code: 'POINTS' },
  ]);
  const book = new PointsBook('POINTS');
  let inner;
  const transfer = {
    id: '9', debit_account_id: '1', credit_account_id: '2', amount: '1.00', unit: 'SAR', code: 'PAYMENT',
    get at() {
      try {
        book.earn(ledger, { id: '7001', from: '10', to: '501', amount: '100', unit: 'POINTS', at: AT });
      } catch (err) {
        inner = err;
      }
      return AT;
    },
  };
  assert.deepEqual(ledger.apply([transfer]), [{ id: '9', status: 'CREATED', seq: 1 }]);
  assert.equal(inner?.name, 'RihlaError');
  assert.equal(inner.code, 'INVALID_REQUEST');
  assert.equal(inner.details.field, 'ledger');
  assert.match(inner.details.reason, /recursive use of an object/);
  assert.equal(book.balance('501'), '0', 'the re-entrant earn changed nothing');
  assert.equal(ledger.entryCount, 1);
  book.free();
  ledger.free();
});
