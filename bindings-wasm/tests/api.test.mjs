// API tests of the rihla WASM package: shapes of the JS API, errors as RihlaError with
// stable codes, and that bad input never crashes the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, Rulebook, allocate, throwsRihla } from './helpers.mjs';

const readJson = (rel) => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));
const exists = (rel) => existsSync(path.join(ROOT, rel));

const REQUEST = {
  currency: 'SAR',
  now: '2026-11-22T09:00:00Z',
  items: [{ id: 'HTL-1', category: 'HOTEL', quantity: 2, unit_price: '650.00' }],
};

// --- allocate -------------------------------------------------------------------------

test('allocate splits 10.00 SAR in three by largest remainder', () => {
  assert.deepEqual(allocate('10.00', 'SAR', ['1', '1', '1']), ['3.34', '3.33', '3.33']);
});

test('allocate respects the currency minor unit (KWD 3, JPY 0)', () => {
  const kwd = allocate('1.000', 'KWD', ['1', '1', '1']);
  assert.deepEqual(kwd, ['0.334', '0.333', '0.333']);
  const jpy = allocate('100', 'JPY', ['1', '2']);
  assert.equal(jpy.length, 2);
  assert.equal(jpy.reduce((s, p) => s + Number(p), 0), 100);
});

test('allocate of a refund is the negated split of the charge', () => {
  const charge = allocate('10.00', 'SAR', ['1', '1', '1']);
  const refund = allocate('-10.00', 'SAR', ['1', '1', '1']);
  assert.deepEqual(refund, charge.map((p) => `-${p}`));
});

test('allocate returns plain strings', () => {
  const parts = allocate('0.05', 'USD', ['3', '0', '1']);
  assert.ok(Array.isArray(parts));
  for (const p of parts) assert.equal(typeof p, 'string');
  assert.equal(parts[1], '0.00', 'a zero weight gets zero');
});

test('allocate refuses negative or mixed-sign weights with a code', () => {
  throwsRihla(() => allocate('10.00', 'SAR', ['1', '-1']), 'INVALID_WEIGHTS');
  throwsRihla(() => allocate('10.00', 'SAR', ['-1', '-2']), 'INVALID_WEIGHTS');
  throwsRihla(() => allocate('10.00', 'SAR', []), 'INVALID_WEIGHTS');
  throwsRihla(() => allocate('10.00', 'SAR', ['0', '0']), 'INVALID_WEIGHTS');
});

test('allocate refuses numbers and malformed decimals as INVALID_AMOUNT', () => {
  const number = throwsRihla(() => allocate(10.5, 'SAR', ['1']), 'INVALID_AMOUNT');
  assert.equal(number.details.value, '10.5');
  const weight = throwsRihla(() => allocate('10.00', 'SAR', ['1', 2]), 'INVALID_AMOUNT');
  assert.match(weight.message, /weights\[1\]/);
  throwsRihla(() => allocate('1e3', 'SAR', ['1']), 'INVALID_AMOUNT');
  throwsRihla(() => allocate(' 10', 'SAR', ['1']), 'INVALID_AMOUNT');
  throwsRihla(() => allocate('10.00', 'SAR', ['1', 'NaN']), 'INVALID_AMOUNT');
  throwsRihla(() => allocate('99999999999999999999999999999999', 'SAR', ['1']), 'INVALID_AMOUNT');
});

test('allocate refuses an amount below the minor unit', () => {
  const err = throwsRihla(() => allocate('10.001', 'SAR', ['1', '1']), 'NOT_MINOR_UNITS');
  assert.equal(err.details.currency, 'SAR');
});

test('allocate refuses unknown currencies and non-arrays', () => {
  const err = throwsRihla(() => allocate('10.00', 'XXQ', ['1']), 'UNKNOWN_CURRENCY');
  assert.equal(err.details.currency, 'XXQ');
  throwsRihla(() => allocate('10.00', 'sar', ['1']), 'UNKNOWN_CURRENCY');
  assert.equal(throwsRihla(() => allocate('10.00', undefined, ['1']), 'INVALID_REQUEST').details.field, 'currency');
  throwsRihla(() => allocate('10.00', 'SAR', '1,1'), 'INVALID_WEIGHTS');
  throwsRihla(() => allocate('10.00', 'SAR', null), 'INVALID_WEIGHTS');
  throwsRihla(() => allocate('10.00', 'SAR', { length: 1, 0: '1' }), 'INVALID_WEIGHTS');
});

// --- Rulebook loading ------------------------------------------------------------------

test('Rulebook.default() loads and has a version', () => {
  const rb = Rulebook.default();
  assert.equal(typeof rb.version, 'string');
  assert.ok(rb.version.length > 0);
  rb.free();
});

test('Rulebook.fromJson: malformed JSON is INVALID_JSON', () => {
  const err = throwsRihla(() => Rulebook.fromJson('{"version": '), 'INVALID_JSON');
  assert.match(err.message, /\S/);
  throwsRihla(() => Rulebook.fromJson(''), 'INVALID_JSON');
  assert.equal(throwsRihla(() => Rulebook.fromJson(42), 'INVALID_REQUEST').details.field, 'rulebook');
});

test('Rulebook.fromObject: values with no JSON form are dropped or nulled as JSON.stringify does, then refused by field', () => {
  let err = throwsRihla(() => Rulebook.fromObject({ version: () => 1 }), 'INVALID_RULEBOOK');
  assert.match(err.message, /missing field `version`/);
  throwsRihla(() => Rulebook.fromObject({ version: Symbol('x') }), 'INVALID_RULEBOOK');
  err = throwsRihla(() => Rulebook.fromObject({ version: NaN }), 'INVALID_RULEBOOK');
  assert.equal(err.details.field, 'version');
  throwsRihla(() => Rulebook.fromObject({ version: 1n }), 'INVALID_JSON');
});

test('a cyclic or very deep object is an error, not a crash', () => {
  const cyclic = { version: '1' };
  cyclic.self = cyclic;
  throwsRihla(() => Rulebook.fromObject(cyclic), 'INVALID_JSON');
  let deep = [];
  for (let i = 0; i < 100000; i += 1) deep = [deep];
  const rb = Rulebook.default();
  throwsRihla(() => rb.quote({ ...REQUEST, items: deep }), 'INVALID_JSON');
  // The module is still healthy afterwards.
  assert.deepEqual(allocate('10.00', 'SAR', ['1', '1', '1']), ['3.34', '3.33', '3.33']);
  rb.free();
});

// --- quote -----------------------------------------------------------------------------

test('quote: malformed JSON request text is INVALID_JSON', () => {
  const rb = Rulebook.default();
  const err = throwsRihla(() => rb.quote('{"currency": "SAR",'), 'INVALID_JSON');
  assert.equal(typeof err.details.line, 'number');
  rb.free();
});

test('quote: a JS number where an amount is expected is INVALID_AMOUNT', () => {
  const rb = Rulebook.default();
  const request = structuredClone(REQUEST);
  request.items[0].unit_price = 12.5;
  const err = throwsRihla(() => rb.quote(request), 'INVALID_AMOUNT');
  assert.equal(err.details.field, 'items[0].unit_price');
  // The same request as JSON text fails the same way.
  const fromText = throwsRihla(() => rb.quote(JSON.stringify(request)), 'INVALID_AMOUNT');
  assert.equal(fromText.details.field, 'items[0].unit_price');
  // Integers too: a number is never money.
  request.items[0].unit_price = 12;
  throwsRihla(() => rb.quote(request), 'INVALID_AMOUNT');
  rb.free();
});

test('quote: an unknown currency is UNKNOWN_CURRENCY', () => {
  const rb = Rulebook.default();
  throwsRihla(() => rb.quote({ ...REQUEST, currency: 'XXQ' }), 'UNKNOWN_CURRENCY');
  rb.free();
});

test('quote: an unknown field is INVALID_REQUEST with its path', () => {
  const rb = Rulebook.default();
  const err = throwsRihla(() => rb.quote({ ...REQUEST, colour: 'blue' }), 'INVALID_REQUEST');
  assert.equal(typeof err.details.field, 'string');
  for (const bad of [null, undefined, 7, true, Symbol('r'), 7n, () => REQUEST]) {
    assert.equal(throwsRihla(() => rb.quote(bad), 'INVALID_REQUEST').details.field, 'request');
  }
  rb.free();
});

test('quote returns plain objects with decimal strings, the same from an object or its JSON', () => {
  const rb = Rulebook.default();
  const fromObject = rb.quote(REQUEST);
  const fromText = rb.quote(JSON.stringify(REQUEST));
  assert.equal(Object.getPrototypeOf(fromObject), Object.prototype, 'a plain object, not a Map');
  assert.deepEqual(fromObject, fromText);
  assert.equal(typeof fromObject.final_amount, 'string');
  assert.match(fromObject.final_amount, /^-?\d+(\.\d+)?$/);
  // JSON round trip is lossless (no Maps, no BigInts, no undefined).
  assert.deepEqual(JSON.parse(JSON.stringify(fromObject)), fromObject);
  rb.free();
});

test('a rulebook loaded from JSON text and from its object prices alike', { skip: !exists('pricing/data/default_rulebook.json') && 'pricing/data/default_rulebook.json not written yet' }, () => {
  const text = readFileSync(path.join(ROOT, 'pricing/data/default_rulebook.json'), 'utf8');
  const a = Rulebook.fromJson(text);
  const b = Rulebook.fromObject(JSON.parse(text));
  const c = Rulebook.default();
  assert.equal(a.version, b.version);
  assert.equal(a.version, c.version);
  assert.deepEqual(a.quote(REQUEST), b.quote(REQUEST));
  assert.deepEqual(a.quote(REQUEST), c.quote(REQUEST));
  for (const rb of [a, b, c]) rb.free();
});

test('errors leave the module usable: a rulebook keeps pricing after bad requests', () => {
  const rb = Rulebook.default();
  const good = rb.quote(REQUEST);
  for (const bad of ['', '{', '[]', 'null', '{"currency": 1}', { items: 'x' }, [], true]) {
    assert.throws(() => rb.quote(bad), (err) => err.name === 'RihlaError' && typeof err.code === 'string');
  }
  assert.deepEqual(rb.quote(REQUEST), good);
  rb.free();
});

// --- the README's main job: the shipped family Umrah request on the default rulebook ----

const UMRAH = 'examples/data/umrah_family.json';
test('default rulebook + examples/data/umrah_family.json prices as `cargo run --example quote`', { skip: !exists(UMRAH) && `${UMRAH} not written yet` }, () => {
  const rb = Rulebook.default();
  const text = readFileSync(path.join(ROOT, UMRAH), 'utf8');
  const quote = rb.quote(JSON.parse(text));
  // The figures `cargo run --example quote` prints for the same request.
  assert.equal(quote.final_amount, '17997.41');
  assert.equal(quote.base_amount, '17202.50');
  assert.equal(quote.discount_amount, '500.00');
  assert.equal(quote.voucher_discount, '150.00');
  assert.equal(quote.tax_amount, '1444.91');
  assert.equal(quote.currency, 'SAR');
  assert.equal(quote.rewards.total_points, 2698);
  assert.equal(quote.rewards.cashback_amount, '899.87');
  assert.deepEqual(
    quote.lines.filter((l) => l.type === 'ITEM').map((l) => [l.id, l.total]),
    [
      ['FLT-DAC-JED/ADT', '4856.00'],
      ['FLT-DAC-JED/CHD', '1821.00'],
      ['FLT-DAC-JED/INF', '242.80'],
      ['HTL-MAKKAH', '10279.84'],
      ['TRN-JED-MAKKAH', '797.77'],
    ],
  );
  // From the JSON text, the same quote.
  assert.deepEqual(rb.quote(text), quote);
  rb.free();
});
