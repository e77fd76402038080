// Tests of the Ledger class and auditJournal: rihla-ledger's double-entry ledger through the
// JS API, with the values a wallet host sees (ids and amounts as strings, `seq` and
// `version` as numbers), errors as RihlaError, and the journal's audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger, auditJournal, planTransfers, throwsRihla } from './helpers.mjs';

const AT = '2026-11-22T09:00:00Z';

/** The accounts of every test, as created: a bank, a wallet that must not go negative, a merchant. */
const ACCOUNTS = [
  { id: '1', unit: 'SAR', normal: 'DEBIT', code: 'BANK' },
  { id: '1001', unit: 'SAR', must_not_go_negative: true, code: 'WALLET', owner: 'CUST-10442' },
  { id: '2001', unit: 'SAR', code: 'MERCHANT' },
];

const deposit = (id, amount, extra = {}) => ({
  id, debit_account_id: '1', credit_account_id: '1001', amount, unit: 'SAR', code: 'DEPOSIT', at: AT, ...extra,
});
const payment = (id, amount, extra = {}) => ({
  id, debit_account_id: '1001', credit_account_id: '2001', amount, unit: 'SAR', code: 'PAYMENT', at: AT, ...extra,
});

/** A ledger with ACCOUNTS and SAR 5,000.00 deposited into the wallet. */
function funded() {
  const ledger = new Ledger();
  ledger.createAccounts(ACCOUNTS);
  const [r] = ledger.apply([deposit('1', '5000.00', { reference: 'TOPUP-1' })]);
  assert.deepEqual(r, { id: '1', status: 'CREATED', seq: 1 });
  return ledger;
}

test('createAccounts reports CREATED, EXISTS for the same body again, FAILED with the code', () => {
  const ledger = new Ledger();
  assert.deepEqual(ledger.createAccounts(ACCOUNTS), [
    { id: '1', status: 'CREATED' },
    { id: '1001', status: 'CREATED' },
    { id: '2001', status: 'CREATED' },
  ]);
  const again = ledger.createAccounts(JSON.stringify([ACCOUNTS[0], { ...ACCOUNTS[1], unit: 'USD' }, { id: '0', unit: 'SAR' }]));
  assert.deepEqual(again[0], { id: '1', status: 'EXISTS' });
  assert.equal(again[1].status, 'FAILED');
  assert.equal(again[1].error.code, 'EXISTS_WITH_DIFFERENT_UNIT');
  assert.equal(again[1].error.field, 'unit');
  assert.equal(again[1].error.id, '1001');
  assert.equal(again[2].error.code, 'ID_MUST_NOT_BE_RESERVED');
  assert.equal(ledger.accounts().length, 3);
  ledger.free();
});

test('deposit + payment: wallet 3749.50, merchant 1250.50, bank 5000.00, two chained entries', () => {
  const ledger = funded();
  const reports = ledger.apply([payment('2', '1250.50', { reference: 'BK-1' })]);
  assert.deepEqual(reports, [{ id: '2', status: 'CREATED', seq: 2 }]);

  const wallet = ledger.account('1001');
  assert.equal(wallet.balance, '3749.50');
  assert.equal(wallet.available, '3749.50');
  assert.deepEqual(wallet.balances, { debits_pending: '0', debits_posted: '125050', credits_pending: '0', credits_posted: '500000' });
  assert.equal(wallet.version, 2);
  assert.equal(wallet.owner, 'CUST-10442');
  assert.equal(ledger.account('2001').balance, '1250.50');
  assert.equal(ledger.account('1').balance, '5000.00');
  assert.equal(ledger.account('42'), undefined);

  assert.deepEqual(ledger.accounts().map((a) => [a.id, a.balance]), [['1', '5000.00'], ['1001', '3749.50'], ['2001', '1250.50']]);
  assert.equal(ledger.entryCount, 2);
  // The deposit_and_payment vector's hash: the same bytes as the Rust and Python builds.
  assert.equal(ledger.lastHash(), 'ce0da2973254df5c5e10f5672627f50fa6663423c0486af3e2b393521811f91c');

  const entries = ledger.entries();
  assert.equal(entries.length, 2);
  assert.equal(entries[0].prev_hash, '0'.repeat(64));
  assert.equal(entries[1].prev_hash, entries[0].hash);
  assert.equal(entries[1].hash, ledger.lastHash());
  assert.equal(entries[1].transfer.amount, '1250.50');
  assert.deepEqual(entries[1].debit, {
    account_id: '1001', normal: 'CREDIT', balance_before: '500000', balance_after: '374950', available_after: '374950', version: 2,
  });
  assert.deepEqual(ledger.entries(2), [entries[1]]);
  assert.deepEqual(ledger.entries(1, 1), [entries[0]]);
  assert.deepEqual(ledger.entries(3), []);
  const transfer = ledger.transfer('2');
  assert.equal(transfer.state, 'NONE');
  assert.equal(transfer.transfer.amount, '1250.50');
  assert.equal(transfer.transfer.reference, 'BK-1');
  assert.equal(ledger.transfer('99'), undefined);
  ledger.free();
});

test('six holds of 1000.00 against 5000.00: the sixth is EXCEEDS_CREDITS with available 0', () => {
  const ledger = funded();
  const holds = [10, 11, 12, 13, 14, 15].map((n) => payment(String(n), '1000.00', { flags: { pending: true } }));
  const reports = ledger.apply(holds);
  assert.deepEqual(reports.slice(0, 5).map((r) => [r.status, r.seq]), [['CREATED', 2], ['CREATED', 3], ['CREATED', 4], ['CREATED', 5], ['CREATED', 6]]);
  assert.equal(reports[5].id, '15');
  assert.equal(reports[5].status, 'FAILED');
  assert.equal(reports[5].seq, undefined);
  const { message, ...error } = reports[5].error;
  assert.deepEqual(error, { code: 'EXCEEDS_CREDITS', account_id: '1001', available: '0', amount: '100000' });
  assert.match(message, /1001/);

  const wallet = ledger.account('1001');
  assert.equal(wallet.balance, '5000.00', 'holds do not change the posted balance');
  assert.equal(wallet.available, '0.00');
  assert.equal(wallet.balances.debits_pending, '500000');
  assert.equal(ledger.transfer('10').state, 'PENDING');
  // The failure is sticky: the same id fails again even once funds are there.
  ledger.apply([deposit('16', '1000.00')]);
  const [retry] = ledger.apply([holds[5]]);
  assert.equal(retry.error.code, 'ID_ALREADY_FAILED');
  assert.equal(retry.error.first, 'EXCEEDS_CREDITS');
  ledger.free();
});

test('an idempotent retry is EXISTS with the first seq and changes nothing; another body is EXISTS_WITH_DIFFERENT_AMOUNT', () => {
  const ledger = funded();
  const pay = payment('20', '100.00', { reference: 'BK-20' });
  assert.deepEqual(ledger.apply([pay]), [{ id: '20', status: 'CREATED', seq: 2 }]);
  const hash = ledger.lastHash();
  assert.deepEqual(ledger.apply([pay]), [{ id: '20', status: 'EXISTS', seq: 2 }]);
  assert.deepEqual(ledger.apply(JSON.stringify([pay])), [{ id: '20', status: 'EXISTS', seq: 2 }], 'JSON text too');
  assert.equal(ledger.entryCount, 2);
  assert.equal(ledger.lastHash(), hash);
  assert.equal(ledger.account('1001').balance, '4900.00');

  const [different] = ledger.apply([{ ...pay, amount: '100.01' }]);
  assert.equal(different.status, 'FAILED');
  assert.equal(different.error.code, 'EXISTS_WITH_DIFFERENT_AMOUNT');
  assert.equal(different.error.id, '20');
  assert.equal(ledger.account('1001').balance, '4900.00');
  ledger.free();
});

test('post part of a hold (the rest is released), void another; each resolves once', () => {
  const ledger = funded();
  ledger.apply([
    payment('30', '1000.00', { flags: { pending: true } }),
    payment('31', '2000.00', { flags: { pending: true } }),
  ]);
  assert.equal(ledger.account('1001').available, '2000.00');

  const [post] = ledger.apply([{ id: '32', pending_id: '30', amount: '600.00', unit: 'SAR', at: AT, flags: { post_pending: true } }]);
  assert.deepEqual(post, { id: '32', status: 'CREATED', seq: 4 });
  assert.equal(ledger.transfer('30').state, 'POSTED');
  const posted = ledger.transfer('32').transfer;
  assert.equal(posted.amount, '600.00');
  assert.equal(posted.debit_account_id, '1001', 'resolved from the hold');
  assert.equal(posted.code, 'PAYMENT');

  const [voided] = ledger.apply([{ id: '33', pending_id: '31', at: AT, flags: { void_pending: true } }]);
  assert.equal(voided.status, 'CREATED');
  assert.equal(ledger.transfer('31').state, 'VOIDED');

  const wallet = ledger.account('1001');
  assert.equal(wallet.balance, '4400.00');
  assert.equal(wallet.available, '4400.00');
  assert.equal(wallet.balances.debits_pending, '0');
  assert.equal(ledger.account('2001').balance, '600.00');

  const [again] = ledger.apply([{ id: '34', pending_id: '30', at: AT, flags: { post_pending: true } }]);
  assert.equal(again.error.code, 'PENDING_TRANSFER_ALREADY_POSTED');
  const [voidPosted] = ledger.apply([{ id: '35', pending_id: '31', at: AT, flags: { void_pending: true } }]);
  assert.equal(voidPosted.error.code, 'PENDING_TRANSFER_ALREADY_VOIDED');
  ledger.free();
});

test('a linked chain fails whole: LINKED_EVENT_FAILED + EXCEEDS_CREDITS, nothing moved, no entry', () => {
  const ledger = funded();
  const hash = ledger.lastHash();
  const reports = ledger.apply([payment('60', '3000.00', { flags: { linked: true } }), payment('61', '3000.00')]);
  assert.equal(reports[0].error.code, 'LINKED_EVENT_FAILED');
  assert.equal(reports[1].error.code, 'EXCEEDS_CREDITS');
  assert.equal(reports[1].error.available, '200000', 'after the first leg of the chain');
  assert.equal(ledger.account('1001').balance, '5000.00');
  assert.equal(ledger.account('1001').version, 1);
  assert.equal(ledger.account('2001').balance, '0.00');
  assert.equal(ledger.entryCount, 1);
  assert.equal(ledger.lastHash(), hash);
  assert.equal(ledger.transfer('60'), undefined);

  const [open] = ledger.apply([payment('62', '1.00', { flags: { linked: true } })]);
  assert.equal(open.error.code, 'LINKED_EVENT_CHAIN_OPEN');
  ledger.free();
});

test('closeAccount: a closed wallet takes no new transfer', () => {
  const ledger = funded();
  assert.equal(ledger.closeAccount('1001'), true);
  assert.equal(ledger.closeAccount('999'), false);
  assert.equal(ledger.account('1001').closed, true);
  const [r] = ledger.apply([payment('70', '1.00')]);
  assert.equal(r.error.code, 'DEBIT_ACCOUNT_CLOSED');
  assert.equal(r.error.account_id, '1001');
  ledger.free();
});

test('auditJournal: the journal verifies; a tampered line is HASH_MISMATCH at that line', () => {
  const ledger = funded();
  ledger.apply([payment('2', '1250.50'), payment('3', '100.00', { flags: { pending: true } })]);
  const journal = ledger.journalJsonl();
  const lines = journal.split('\n');
  assert.equal(lines.length, 4, 'three lines, each ending in a newline');
  assert.equal(lines[3], '');

  const ok = auditJournal(ACCOUNTS, journal);
  assert.deepEqual(ok, { ok: true, entries: 3, last_hash: ledger.lastHash() });
  assert.deepEqual(auditJournal(JSON.stringify(ACCOUNTS), journal), ok, 'accounts as JSON text');

  // Line 2 (the payment) claims 1250.00 instead of 1250.50.
  assert.match(lines[1], /"amount":"1250\.50"/);
  const tampered = [lines[0], lines[1].replace('"amount":"1250.50"', '"amount":"1250.00"'), lines[2]].join('\n');
  const bad = auditJournal(ACCOUNTS, tampered);
  assert.equal(bad.ok, false);
  assert.equal(bad.entries, 1, 'entries verified before the broken one');
  assert.equal(bad.last_hash, ledger.entries(1, 1)[0].hash);
  assert.equal(bad.first_broken.reason, 'HASH_MISMATCH');
  assert.equal(bad.first_broken.line, 2);
  assert.equal(bad.first_broken.seq, 2);
  assert.match(bad.first_broken.detail, /SHA-256/);

  const dropped = auditJournal(ACCOUNTS, [lines[0], lines[2]].join('\n'));
  assert.equal(dropped.first_broken.reason, 'SEQ_GAP');
  const garbage = auditJournal(ACCOUNTS, `${lines[0]}\nnot json\n`);
  assert.equal(garbage.first_broken.reason, 'MALFORMED');
  assert.equal(garbage.first_broken.line, 2);

  throwsRihla(() => auditJournal(ACCOUNTS, 42), 'INVALID_REQUEST');
  throwsRihla(() => auditJournal([{ id: '1' }], journal), 'INVALID_REQUEST');
  ledger.free();
});

test('a JS number as an amount is INVALID_AMOUNT at its path; nothing is applied', () => {
  const ledger = funded();
  const err = throwsRihla(() => ledger.apply([payment('80', '1.00'), payment('81', 1250.5)]), 'INVALID_AMOUNT');
  assert.equal(err.details.field, '[1].amount');
  assert.match(err.details.reason, /decimal string/);
  const integer = throwsRihla(() => ledger.apply([payment('81', 12)]), 'INVALID_AMOUNT');
  assert.equal(integer.details.field, '[0].amount');
  const fromText = throwsRihla(() => ledger.apply(JSON.stringify([payment('81', 12.5)])), 'INVALID_AMOUNT');
  assert.equal(fromText.details.field, '[0].amount');
  // Amounts the unit cannot hold.
  const subMinor = throwsRihla(() => ledger.apply([payment('82', '1.005')]), 'INVALID_AMOUNT');
  assert.equal(subMinor.details.field, '[0].amount');
  assert.match(subMinor.details.reason, /decimal places/);
  throwsRihla(() => ledger.apply([payment('82', '-1.00')]), 'INVALID_AMOUNT');
  throwsRihla(() => ledger.apply([payment('82', '1e3')]), 'INVALID_AMOUNT');
  const limit = throwsRihla(
    () => ledger.createAccounts([{ id: '5', unit: 'SAR', must_not_go_negative: true, overdraft_limit: 10 }]),
    'INVALID_AMOUNT',
  );
  assert.equal(limit.details.field, '[0].overdraft_limit');

  assert.equal(ledger.entryCount, 1, 'nothing applied');
  assert.equal(ledger.transfer('80'), undefined);
  assert.equal(ledger.account('1001').balance, '5000.00');
  ledger.free();
});

test('malformed batches are INVALID_REQUEST / INVALID_JSON with the field; BATCH_TOO_LARGE past 8190', () => {
  const ledger = funded();
  let err = throwsRihla(() => ledger.apply([{ ...payment('90', '1.00'), colour: 'blue' }]), 'INVALID_REQUEST');
  assert.equal(err.details.field, '[0].colour');
  err = throwsRihla(() => ledger.apply([payment(90, '1.00')]), 'INVALID_REQUEST');
  assert.equal(err.details.field, '[0].id');
  err = throwsRihla(() => ledger.apply([payment('90', '1.00', { unit: 'XXQ' })]), 'INVALID_REQUEST');
  assert.equal(err.details.field, '[0].unit');
  err = throwsRihla(() => ledger.apply([{ ...payment('90', '1.00'), at: undefined }]), 'INVALID_REQUEST');
  assert.equal(err.details.field, '[0]');
  assert.match(err.details.reason, /missing field `at`/);
  err = throwsRihla(() => ledger.apply([{ ...payment('90', '1.00'), unit: undefined }]), 'INVALID_REQUEST');
  assert.equal(err.details.field, '[0].amount');
  throwsRihla(() => ledger.apply({}), 'INVALID_REQUEST');
  throwsRihla(() => ledger.apply(null), 'INVALID_REQUEST');
  assert.equal(throwsRihla(() => ledger.apply(undefined), 'INVALID_REQUEST').details.field, 'transfers');
  err = throwsRihla(() => ledger.apply('[{'), 'INVALID_JSON');
  assert.equal(typeof err.details.line, 'number');

  const big = Array.from({ length: 8191 }, (_, i) => payment(String(1000 + i), '0.01'));
  err = throwsRihla(() => ledger.apply(big), 'BATCH_TOO_LARGE');
  assert.equal(err.details.max, 8190);
  assert.equal(err.details.actual, 8191);
  err = throwsRihla(() => ledger.apply(JSON.stringify(big)), 'BATCH_TOO_LARGE');
  assert.equal(err.details.actual, 8191);
  assert.equal(ledger.entryCount, 1, 'nothing applied');
  // A full batch is fine.
  const full = ledger.apply(big.slice(0, 8190));
  assert.equal(full.length, 8190);
  assert.ok(full.every((r) => r.status === 'CREATED'));
  assert.equal(ledger.account('1001').balance, '4918.10');

  throwsRihla(() => ledger.account(1001), 'INVALID_REQUEST');
  err = throwsRihla(() => ledger.transfer('not-an-id'), 'INVALID_REQUEST');
  assert.equal(err.details.field, 'id');
  throwsRihla(() => ledger.closeAccount(undefined), 'INVALID_REQUEST');
  throwsRihla(() => ledger.entries(-1), 'INVALID_REQUEST');
  throwsRihla(() => ledger.entries(1, 1.5), 'INVALID_REQUEST');
  throwsRihla(() => ledger.entries('1'), 'INVALID_REQUEST');
  assert.equal(ledger.entries(1, 10).length, 10);
  ledger.free();
});

test('UUID ids are accepted and written back as decimal digits', () => {
  const ledger = new Ledger();
  const uuid = '0190c6a2-7c1e-7d3a-9b1e-4f2a6c8d0e11';
  const [r] = ledger.createAccounts([{ id: uuid, unit: 'POINTS' }]);
  assert.equal(r.status, 'CREATED');
  assert.equal(r.id, BigInt(`0x${uuid.replaceAll('-', '')}`).toString());
  assert.equal(ledger.account(uuid).id, r.id);
  assert.equal(ledger.account(r.id).unit, 'POINTS');
  ledger.free();
});

test('statement: the wallet\'s lines with balances before and after, paged by seq', () => {
  const ledger = funded();
  ledger.apply([payment('2', '1250.50', { reference: 'BK-1' }), payment('3', '100.00', { flags: { pending: true }, reference: 'BK-2' })]);
  ledger.apply([{ id: '4', pending_id: '3', at: AT, flags: { void_pending: true } }]);
  const page = ledger.statement('1001');
  assert.equal(page.account_id, '1001');
  assert.equal(page.unit, 'SAR');
  assert.equal(page.next_from_seq, null);
  assert.deepEqual(
    page.lines.map((l) => [l.seq, l.transfer_id, l.transaction_type, l.code, l.amount, l.balance_before, l.balance_after, l.available_after, l.pending]),
    [
      [1, '1', 'CREDIT', 'DEPOSIT', '5000.00', '0.00', '5000.00', '5000.00', false],
      [2, '2', 'DEBIT', 'PAYMENT', '1250.50', '5000.00', '3749.50', '3749.50', false],
      [3, '3', 'DEBIT', 'PAYMENT', '100.00', '3749.50', '3749.50', '3649.50', true],
      [4, '4', 'DEBIT', 'PAYMENT', '100.00', '3749.50', '3749.50', '3749.50', true],
    ],
  );
  assert.deepEqual(page.lines[1], {
    seq: 2, transfer_id: '2', transaction_type: 'DEBIT', code: 'PAYMENT', amount: '1250.50', balance_before: '5000.00',
    balance_after: '3749.50', available_after: '3749.50', pending: false, reference: 'BK-1', at: AT, counterparty_account_id: '2001',
  });
  // Pages of two: the second starts where the first says.
  const first = ledger.statement('1001', 1, 2);
  assert.deepEqual(first.lines.map((l) => l.seq), [1, 2]);
  assert.equal(first.next_from_seq, 3);
  const second = ledger.statement('1001', first.next_from_seq, 2);
  assert.deepEqual(second.lines.map((l) => l.seq), [3, 4]);
  assert.equal(second.next_from_seq, null);
  // The merchant's side of the same payment.
  assert.deepEqual(ledger.statement('2001').lines.map((l) => [l.transaction_type, l.amount, l.balance_after]), [
    ['CREDIT', '1250.50', '1250.50'], ['CREDIT', '100.00', '1250.50'], ['CREDIT', '100.00', '1250.50'],
  ]);

  let err = throwsRihla(() => ledger.statement('999'), 'ACCOUNT_NOT_FOUND');
  assert.equal(err.details.account_id, '999');
  err = throwsRihla(() => ledger.statement('1001', 1, 0), 'LIMIT_OUT_OF_RANGE');
  assert.equal(err.details.max, 1000);
  throwsRihla(() => ledger.statement('1001', 1, 1001), 'LIMIT_OUT_OF_RANGE');
  throwsRihla(() => ledger.statement(1001), 'INVALID_REQUEST');
  throwsRihla(() => ledger.statement('1001', '1'), 'INVALID_REQUEST');
  ledger.free();
});

test('planTransfers: the plan of a batch on a snapshot gives the results and entries apply gives', () => {
  const ledger = funded();
  ledger.apply([payment('2', '1250.50', { reference: 'BK-1' })]);
  const batch = [payment('3', '100.00'), payment('2', '1250.50', { reference: 'BK-1' }), payment('4', '9999.00')];
  const input = ledger.planInput(batch);
  assert.equal(input.last_seq, 2);
  assert.equal(input.last_hash, ledger.lastHash());
  assert.deepEqual(input.accounts.map((a) => [a.account.id, a.version]), [['1001', 2], ['2001', 1]]);
  assert.deepEqual(input.transfers.map((t) => [t.given.id, t.seq, t.state]), [['2', 2, 'NONE']]);

  const plan = planTransfers(JSON.parse(JSON.stringify(input)));
  assert.deepEqual(plan.base, { seq: 2, hash: ledger.lastHash() });
  assert.deepEqual(plan.results.map((r) => [r.status ?? r.code, r.seq]), [['CREATED', 3], ['EXISTS', 2], ['EXCEEDS_CREDITS', undefined]]);
  assert.equal(plan.results[2].available, '364950');
  assert.equal(plan.entries.length, 1);
  assert.deepEqual(plan.account_updates.map((u) => [u.account_id, u.expected_version, u.new_version, u.balances.debits_posted]), [
    ['1001', 2, 3, '135050'],
    ['2001', 1, 2, '0'],
  ]);
  assert.deepEqual(plan.new_failures, [{ id: '4', code: 'EXCEEDS_CREDITS' }]);
  assert.deepEqual(planTransfers(JSON.stringify(input)), plan, 'the same from JSON text');

  // The in-memory ledger applying the same batch writes the same entry.
  const reports = ledger.apply(batch);
  assert.deepEqual(reports.map((r) => r.status), ['CREATED', 'EXISTS', 'FAILED']);
  assert.deepEqual(plan.head, { seq: 3, hash: ledger.lastHash() });
  assert.deepEqual(plan.entries[0], ledger.entries(3)[0]);

  let err = throwsRihla(() => planTransfers({ ...input, last_seq: 0 }), 'INCONSISTENT_HEAD');
  assert.equal(err.details.last_seq, 0);
  throwsRihla(() => planTransfers({ ...input, last_hash: 'xyz' }), 'INVALID_LAST_HASH');
  throwsRihla(() => planTransfers({ ...input, accounts: [input.accounts[0], input.accounts[0]] }), 'DUPLICATE_ACCOUNT');
  err = throwsRihla(() => planTransfers({ ...input, batch: [payment('5', 1)] }), 'INVALID_AMOUNT');
  assert.equal(err.details.field, 'batch[0].amount');
  ledger.free();
});

test('snapshot / Ledger.fromSnapshot: the same ledger, checked by the journal hash', () => {
  const ledger = funded();
  ledger.apply([
    payment('2', '100.00', { flags: { pending: true } }),
    { id: '3', pending_id: '2', flags: { post_pending: true }, at: AT },
    payment('4', '99999.00'),
  ]);
  const text = ledger.snapshot();
  const back = Ledger.fromSnapshot(text);
  assert.equal(back.lastHash(), ledger.lastHash());
  assert.equal(back.journalJsonl(), ledger.journalJsonl());
  assert.deepEqual(back.accounts(), ledger.accounts());
  // Retries answer as in the original (the post as given, the sticky failure).
  const retry = [{ id: '3', pending_id: '2', flags: { post_pending: true }, at: AT }, payment('4', '99999.00')];
  assert.deepEqual(back.apply(retry), ledger.apply(retry));

  const edited = JSON.parse(text);
  edited.transfers[0].amount = '400000';
  throwsRihla(() => Ledger.fromSnapshot(JSON.stringify(edited)), 'HASH_MISMATCH');
  throwsRihla(() => Ledger.fromSnapshot('{'), 'INVALID_JSON');
  throwsRihla(() => Ledger.fromSnapshot('{"format": 1}'), 'INVALID_REQUEST');
  throwsRihla(() => Ledger.fromSnapshot(7), 'INVALID_REQUEST');
  ledger.free();
  back.free();
});
