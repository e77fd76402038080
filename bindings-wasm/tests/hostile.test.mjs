// Hostile-input audit of the WASM package (issue 11): every argument position of every
// exported function, method and constructor is called with values a careless or hostile
// host may pass — undefined, null, numbers out of every range, booleans, objects, arrays,
// an array-like with a huge length, a symbol, a BigInt and a huge string — and each must
// give a RihlaError with the code its kind of argument calls for (naming the argument when
// the type is wrong), never a wasm-bindgen TypeError, a copy of the value into the module's
// memory, or a trap. After every call the instance still prices a quote: a trap (panic =
// "abort") would poison it, and every later call would fail with a RuntimeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import rihla, {
  CashbackRecord, Ledger, PointsBook, Refunds, Rulebook, WebhookInbox, allocate, airportTableAvailable,
  auditJournal, planTransfers, webhookTransferId, throwsRihla,
} from './helpers.mjs';

const AT = '2026-11-22T09:00:00Z';
const REQUEST = {
  currency: 'SAR',
  now: AT,
  items: [{ id: 'HTL-1', category: 'HOTEL', quantity: 2, unit_price: '650.00' }],
};
// 40 MiB: past every document limit but the journal's, and far past every text argument's.
const HUGE = 'x'.repeat(40 << 20);
const MAX_TEXT_ARG_LENGTH = 4096;

/** The hostile values, by label. */
const HOSTILE = [
  ['undefined', undefined],
  ['null', null],
  ['5', 5],
  ['-1', -1],
  ['1e300', 1e300],
  ['NaN', NaN],
  ['true', true],
  ['{}', {}],
  ['[]', []],
  ['{length: 1e9}', { length: 1e9 }],
  ['Symbol', Symbol('hostile')],
  ['BigInt', 10n ** 30n],
  ['huge string', HUGE],
];

const PRIMITIVES = ['undefined', 'null', '5', '-1', '1e300', 'NaN', 'true', 'Symbol', 'BigInt'];
const OBJECTS = ['{}', '[]', '{length: 1e9}'];

/**
 * What a hostile value gives at an argument of `kind`: `{code, field?, limit?}` (a
 * RihlaError with that code, naming `field`), or `'any'` (the value has the argument's
 * type, so the call may succeed or be refused by the engine with any RihlaError).
 */
function expected(kind, label, field, optional) {
  if (optional && (label === 'undefined' || label === 'null')) return 'any';
  switch (kind) {
    case 'text': // a string argument: an id, an instant, a key, a code, a unit …
      return label === 'huge string'
        ? { code: 'LIMIT_EXCEEDED', field, limit: MAX_TEXT_ARG_LENGTH }
        : { code: 'INVALID_REQUEST', field };
    case 'doc': // an object or its JSON text, at most `limit` bytes
      if (PRIMITIVES.includes(label)) return { code: 'INVALID_REQUEST', field };
      if (OBJECTS.includes(label)) return 'any';
      return { code: 'LIMIT_EXCEEDED', field: `${field} bytes` };
    case 'docText': // JSON text only
      if (label === 'huge string') return { code: 'LIMIT_EXCEEDED', field: `${field} bytes` };
      return { code: 'INVALID_REQUEST', field };
    case 'journal': // JSON Lines text; 40 MiB is within its 256 MiB
      return label === 'huge string' ? 'any' : { code: 'INVALID_REQUEST', field };
    case 'whole': // a whole JS number
      return label === '5' ? 'any' : { code: 'INVALID_REQUEST', field };
    case 'bool':
      return label === 'true' ? 'any' : { code: 'INVALID_REQUEST', field };
    case 'ledger':
      return { code: 'INVALID_REQUEST', field: 'ledger' };
    case 'amount': // allocate's decimal strings: a JS number is never money
      return label === 'huge string'
        ? { code: 'LIMIT_EXCEEDED', field, limit: MAX_TEXT_ARG_LENGTH }
        : { code: 'INVALID_AMOUNT' };
    case 'weights':
      return { code: 'INVALID_WEIGHTS' };
    case 'ids': // an array of id strings
      return label === '[]' ? { code: 'EMPTY' } : { code: 'INVALID_REQUEST', field };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

// --- fixtures ---------------------------------------------------------------------------

const rulebook = Rulebook.default();
const BASELINE = rulebook.quote(REQUEST).final_amount;

function sarLedger() {
  const ledger = new Ledger();
  ledger.createAccounts([
    { id: '1', unit: 'SAR', normal: 'DEBIT', code: 'BANK' },
    { id: '5', unit: 'SAR', normal: 'DEBIT', code: 'CASHBACK_EXPENSE' },
    { id: '9', unit: 'SAR', normal: 'DEBIT', code: 'PSP_CLEARING' },
    { id: '1001', unit: 'SAR', code: 'WALLET' },
    { id: '1101', unit: 'SAR', normal: 'DEBIT', code: 'DEBT' },
    { id: '2001', unit: 'SAR', code: 'MERCHANT' },
    { id: '10', unit: 'POINTS', normal: 'DEBIT', code: 'POINTS_ISSUER' },
    { id: '501', unit: 'POINTS', code: 'POINTS' },
    { id: '601', unit: 'POINTS', normal: 'DEBIT', code: 'POINTS_DEBT' },
  ]);
  ledger.apply([
    { id: '2', debit_account_id: '1', credit_account_id: '1001', amount: '500.00', unit: 'SAR', code: 'DEPOSIT', at: AT },
  ]);
  return ledger;
}

const ledger = sarLedger();
const book = new PointsBook('POINTS');
book.earn(ledger, { id: '7001', from: '10', to: '501', amount: '100', unit: 'POINTS', at: AT });
const CASHBACK = { id: '3001', wallet: '1001', source: '5', amount: '10.00', unit: 'SAR', at: AT, hold_days: 7 };
const { record } = CashbackRecord.book(ledger, CASHBACK);
const refunds = new Refunds();
const inbox = new WebhookInbox();
const REGISTRATION = {
  provider: 'moyasar', payment_ref: 'pay_1', unit: 'SAR', amount: '100.00', clearing_account_id: '9', credit_account_id: '1001',
};
const EVENT = { provider: 'moyasar', event_id: 'evt_1', payment_ref: 'pay_1', kind: 'AUTHORIZED', amount: '100.00', unit: 'SAR', at: AT };
const ACCOUNTS = [{ id: '1', unit: 'SAR' }, { id: '2', unit: 'SAR' }];
const ITINERARY = {
  aircraft: { id: 'HZ-1', category: 'MIDSIZE', home_base: 'RUH', hourly_rate: { amount: '24000.00', currency: 'SAR' } },
  legs: [{ from: 'RUH', to: 'JED', departure: '2026-12-15T10:00:00+03:00', passengers: 2 }],
  return_ferry: 'WAIVED',
  airports: [
    { code: 'RUH', lat: '24.9576', lon: '46.6988', country: 'SA' },
    { code: 'JED', lat: '21.6796', lon: '39.1565', country: 'SA' },
  ],
};

/** A parameter: its JS name, kind, a valid value, whether it may be left out. */
const P = (name, kind, valid, { optional = false, field = name } = {}) => ({ name, kind, valid, optional, field });
const ledgerParam = () => P('ledger', 'ledger', ledger);

/** Every exported callable: how to call it, and its parameters. */
const CALLABLES = [
  // Rulebook
  { name: 'Rulebook.fromJson', call: (a) => Rulebook.fromJson(...a), params: [P('json', 'docText', '{}', { field: 'rulebook' })] },
  { name: 'Rulebook.fromObject', call: (a) => Rulebook.fromObject(...a), params: [P('obj', 'doc', {}, { field: 'rulebook' })] },
  { name: 'Rulebook.default', call: () => Rulebook.default(), params: [] },
  { name: 'Rulebook#quote', call: (a) => rulebook.quote(...a), params: [P('request', 'doc', REQUEST)] },
  {
    name: 'Rulebook#checkVoucher',
    call: (a) => rulebook.checkVoucher(...a),
    params: [P('request', 'doc', REQUEST), P('code', 'text', 'UMRAH150')],
  },
  { name: 'Rulebook#checkEntitlement', call: (a) => rulebook.checkEntitlement(...a), params: [P('request', 'doc', {})] },
  { name: 'Rulebook#upgradePrice', call: (a) => rulebook.upgradePrice(...a), params: [P('request', 'doc', {})] },
  { name: 'Rulebook#referralRewards', call: (a) => rulebook.referralRewards(...a), params: [P('request', 'doc', {})] },
  { name: 'Rulebook#charterAvailability', call: (a) => rulebook.charterAvailability(...a), params: [P('itinerary', 'doc', ITINERARY)] },
  { name: 'Rulebook#tierForPoints', call: (a) => rulebook.tierForPoints(...a), params: [P('lifetimePoints', 'whole', 0, { field: 'lifetime_points' })] },
  // functions
  {
    name: 'allocate',
    call: (a) => allocate(...a),
    params: [P('amount', 'amount', '10.00'), P('currency', 'text', 'SAR'), P('weights', 'weights', ['1', '1'])],
  },
  { name: 'airportTableAvailable', call: () => airportTableAvailable(), params: [] },
  { name: 'planTransfers', call: (a) => planTransfers(...a), params: [P('input', 'doc', {})] },
  {
    name: 'auditJournal',
    call: (a) => auditJournal(...a),
    params: [P('accounts', 'doc', ACCOUNTS), P('journalText', 'journal', '')],
  },
  {
    name: 'webhookTransferId',
    call: (a) => webhookTransferId(...a),
    params: [
      P('provider', 'text', 'moyasar'), P('eventId', 'text', 'evt_1'),
      P('leg', 'whole', 0, { optional: true }), P('attempt', 'whole', 0, { optional: true }),
    ],
  },
  // Ledger
  { name: 'new Ledger', call: () => new Ledger(), params: [] },
  { name: 'Ledger#createAccounts', call: (a) => ledger.createAccounts(...a), params: [P('accounts', 'doc', [])] },
  { name: 'Ledger#apply', call: (a) => ledger.apply(...a), params: [P('transfers', 'doc', [])] },
  { name: 'Ledger#account', call: (a) => ledger.account(...a), params: [P('id', 'text', '1001')] },
  { name: 'Ledger#accounts', call: () => ledger.accounts(), params: [] },
  { name: 'Ledger#transfer', call: (a) => ledger.transfer(...a), params: [P('id', 'text', '2')] },
  {
    name: 'Ledger#entries',
    call: (a) => ledger.entries(...a),
    params: [P('startSeq', 'whole', 1, { optional: true }), P('limit', 'whole', 10, { optional: true })],
  },
  { name: 'Ledger#journalJsonl', call: () => ledger.journalJsonl(), params: [] },
  { name: 'Ledger#lastHash', call: () => ledger.lastHash(), params: [] },
  { name: 'Ledger#snapshot', call: () => ledger.snapshot(), params: [] },
  {
    name: 'Ledger.fromSnapshot',
    call: (a) => Ledger.fromSnapshot(...a),
    params: [P('snapshot', 'journal', new Ledger().snapshot())],
  },
  { name: 'Ledger#closeAccount', call: (a) => ledger.closeAccount(...a), params: [P('id', 'text', '404')] },
  { name: 'Ledger#reserve', call: (a) => ledger.reserve(...a), params: [P('transfers', 'whole', 0)] },
  {
    name: 'Ledger#statement',
    call: (a) => ledger.statement(...a),
    params: [P('accountId', 'text', '1001'), P('fromSeq', 'whole', 1, { optional: true }), P('limit', 'whole', 10, { optional: true })],
  },
  { name: 'Ledger#planInput', call: (a) => ledger.planInput(...a), params: [P('transfers', 'doc', [])] },
  {
    name: 'Ledger#reverse',
    call: (a) => ledger.reverse(...a),
    params: [P('transferIds', 'ids', ['404']), P('at', 'text', AT), P('reason', 'text', 'r', { optional: true })],
  },
  { name: 'Ledger#reversalOf', call: (a) => ledger.reversalOf(...a), params: [P('transferId', 'text', '2')] },
  // PointsBook
  { name: 'new PointsBook', call: (a) => new PointsBook(...a), params: [P('unit', 'text', 'POINTS')] },
  { name: 'PointsBook.fromObject', call: (a) => PointsBook.fromObject(...a), params: [P('book', 'doc', {})] },
  { name: 'PointsBook#toJSON', call: () => book.toJSON(), params: [] },
  { name: 'PointsBook#earn', call: (a) => book.earn(...a), params: [ledgerParam(), P('request', 'doc', {})] },
  { name: 'PointsBook#redeem', call: (a) => book.redeem(...a), params: [ledgerParam(), P('request', 'doc', {})] },
  { name: 'PointsBook#expire', call: (a) => book.expire(...a), params: [ledgerParam(), P('now', 'text', AT)] },
  { name: 'PointsBook#clawback', call: (a) => book.clawback(...a), params: [ledgerParam(), P('request', 'doc', {})] },
  { name: 'PointsBook#lots', call: (a) => book.lots(...a), params: [P('account', 'text', '501', { optional: true })] },
  { name: 'PointsBook#available', call: (a) => book.available(...a), params: [P('account', 'text', '501'), P('at', 'text', AT)] },
  { name: 'PointsBook#balance', call: (a) => book.balance(...a), params: [P('account', 'text', '501')] },
  { name: 'PointsBook#debtOf', call: (a) => book.debtOf(...a), params: [P('account', 'text', '501')] },
  // CashbackRecord
  { name: 'CashbackRecord.book', call: (a) => CashbackRecord.book(...a), params: [ledgerParam(), P('request', 'doc', CASHBACK)] },
  { name: 'CashbackRecord.fromObject', call: (a) => CashbackRecord.fromObject(...a), params: [P('record', 'doc', {})] },
  { name: 'CashbackRecord#toJSON', call: () => record.toJSON(), params: [] },
  { name: 'CashbackRecord#complete', call: (a) => record.complete(...a), params: [P('at', 'text', AT)] },
  {
    name: 'CashbackRecord#approve',
    call: (a) => record.approve(...a),
    params: [P('now', 'text', AT), P('actor', 'text', 'ops', { optional: true }), P('overrideHold', 'bool', false, { optional: true })],
  },
  { name: 'CashbackRecord#credit', call: (a) => record.credit(...a), params: [ledgerParam(), P('now', 'text', AT)] },
  {
    name: 'CashbackRecord#cancel',
    call: (a) => record.cancel(...a),
    params: [ledgerParam(), P('now', 'text', AT), P('actor', 'text', 'ops', { optional: true }), P('reason', 'text', 'r', { optional: true })],
  },
  { name: 'CashbackRecord#clawback', call: (a) => record.clawback(...a), params: [ledgerParam(), P('request', 'doc', {})] },
  // Refunds
  { name: 'new Refunds', call: () => new Refunds(), params: [] },
  { name: 'Refunds.fromReceipts', call: (a) => Refunds.fromReceipts(...a), params: [P('receipts', 'doc', [])] },
  { name: 'Refunds#refund', call: (a) => refunds.refund(...a), params: [ledgerParam(), P('request', 'doc', {})] },
  { name: 'Refunds#get', call: (a) => refunds.get(...a), params: [P('refundId', 'text', '90')] },
  { name: 'Refunds#receipts', call: () => refunds.receipts(), params: [] },
  { name: 'Refunds#refundsOf', call: (a) => refunds.refundsOf(...a), params: [P('paymentId', 'text', '2')] },
  // WebhookInbox
  { name: 'new WebhookInbox', call: () => new WebhookInbox(), params: [] },
  { name: 'WebhookInbox#snapshot', call: () => inbox.snapshot(), params: [] },
  {
    name: 'WebhookInbox.fromSnapshot',
    call: (a) => WebhookInbox.fromSnapshot(...a),
    params: [P('snapshot', 'journal', new WebhookInbox().snapshot())],
  },
  {
    name: 'WebhookInbox#registerPayment',
    call: (a) => inbox.registerPayment(...a),
    params: [ledgerParam(), P('registration', 'doc', REGISTRATION)],
  },
  { name: 'WebhookInbox#receive', call: (a) => inbox.receive(...a), params: [ledgerParam(), P('event', 'doc', EVENT)] },
  { name: 'WebhookInbox#retryDeferred', call: (a) => inbox.retryDeferred(...a), params: [ledgerParam()] },
  {
    name: 'WebhookInbox#payment',
    call: (a) => inbox.payment(...a),
    params: [P('provider', 'text', 'moyasar'), P('paymentRef', 'text', 'pay_1')],
  },
  {
    name: 'WebhookInbox#outcome',
    call: (a) => inbox.outcome(...a),
    params: [P('provider', 'text', 'moyasar'), P('eventId', 'text', 'evt_1')],
  },
  { name: 'WebhookInbox#deferred', call: () => inbox.deferred(), params: [] },
  { name: 'WebhookInbox#refunds', call: () => inbox.refunds(), params: [] },
];

/** The instance still works: the same quote as before, to the halala. */
function assertHealthy(context) {
  assert.equal(rulebook.quote(REQUEST).final_amount, BASELINE, `the instance answers after ${context}`);
}

test('the audit table covers every exported function, constructor and method', () => {
  const covered = new Set(CALLABLES.map((c) => c.name));
  const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));
  const missing = [];
  for (const [name, value] of Object.entries(rihla)) {
    if (typeof value !== 'function' || name === 'default') continue;
    if (!isClass(value)) {
      if (!covered.has(name)) missing.push(name);
      continue;
    }
    // LedgerShare is internal (no constructor, no method): it only carries a Ledger to
    // the methods that take one.
    if (name === 'LedgerShare') continue;
    const hasConstructor = /\n\s*constructor\(/.test(Function.prototype.toString.call(value));
    if (hasConstructor && !covered.has(`new ${name}`)) missing.push(`new ${name}`);
    for (const key of Object.getOwnPropertyNames(value)) {
      if (['length', 'name', 'prototype'].includes(key) || key.startsWith('__')) continue;
      if (typeof value[key] === 'function' && !covered.has(`${name}.${key}`)) missing.push(`${name}.${key}`);
    }
    for (const key of Object.getOwnPropertyNames(value.prototype)) {
      if (['constructor', 'free'].includes(key) || key.startsWith('__')) continue;
      const d = Object.getOwnPropertyDescriptor(value.prototype, key);
      if (typeof d.value === 'function' && !covered.has(`${name}#${key}`)) missing.push(`${name}#${key}`);
    }
  }
  assert.deepEqual(missing, [], 'every callable has a row in CALLABLES');
});

for (const callable of CALLABLES) {
  test(`hostile arguments: ${callable.name}`, () => {
    if (callable.params.length === 0) {
      // Extra arguments are ignored, never read.
      for (const [label, value] of HOSTILE) {
        callable.call([value]);
        assertHealthy(`${callable.name}(${label})`);
      }
      return;
    }
    callable.params.forEach((param, position) => {
      for (const [label, value] of HOSTILE) {
        const args = callable.params.map((p) => p.valid);
        args[position] = value;
        const context = `${callable.name}: ${param.name} = ${label}`;
        const want = expected(param.kind, label, param.field, param.optional);
        if (want === 'any') {
          try {
            callable.call(args);
          } catch (err) {
            assert.equal(err?.name, 'RihlaError', `${context}: ${err?.stack ?? err}`);
            assert.equal(typeof err.code, 'string', context);
          }
        } else {
          let err;
          assert.doesNotThrow(() => {
            err = throwsRihla(() => callable.call(args), want.code);
          }, `${context}: expected ${want.code}`);
          if (want.field !== undefined) assert.equal(err.details.field, want.field, `${context}: details.field`);
          if (want.limit !== undefined) assert.equal(err.details.limit, want.limit, `${context}: details.limit`);
        }
        assertHealthy(context);
      }
    });
  });
}
