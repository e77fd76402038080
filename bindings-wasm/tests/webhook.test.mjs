// Tests of Ledger.reverse / reversalOf, Refunds, WebhookInbox and webhookTransferId:
// rihla-ledger's reversals, refund registry and payment-webhook reducer through the JS API,
// with the values a host sees (ids and amounts as strings: receipts in minor units as digit
// strings, balances as decimal strings), errors as RihlaError. Scenarios and expected values
// follow bindings-python/tests/test_ledger_ops.py; derived ids are checked against the
// Python binding's values and against the documented SHA-256 formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  Ledger, Refunds, WebhookInbox, auditJournal, throwsRihla, webhookTransferId,
} from './helpers.mjs';

/** The details of the RihlaError `fn` throws with `code`. */
const refusedWith = (fn, code) => throwsRihla(fn, code).details;

const AT = '2026-11-22T09:00:00Z';
const BANK = '1';
const WALLET = '1001';
const MERCHANT = '2001';
const REVENUE = '4001';
const CLEARING = '9';

const ACCOUNTS = [
  { id: BANK, unit: 'SAR', normal: 'DEBIT', code: 'BANK' },
  { id: WALLET, unit: 'SAR', must_not_go_negative: true, code: 'WALLET' },
  { id: MERCHANT, unit: 'SAR', code: 'MERCHANT' },
  { id: REVENUE, unit: 'SAR', code: 'REVENUE' },
  { id: CLEARING, unit: 'SAR', normal: 'DEBIT', code: 'PSP_CLEARING' },
];

const transfer = (id, debit, credit, amount, code, extra = {}) => ({
  id, debit_account_id: debit, credit_account_id: credit, amount, unit: 'SAR', code, at: AT, ...extra,
});

/** The accounts, SAR 5,000.00 deposited (seq 1) and a payment of 1,250.50 (seq 2). */
function booked() {
  const ledger = new Ledger();
  assert.deepEqual(ledger.createAccounts(ACCOUNTS).map((r) => r.status), ACCOUNTS.map(() => 'CREATED'));
  const reports = ledger.apply([
    transfer('1', BANK, WALLET, '5000.00', 'DEPOSIT', { reference: 'TOPUP-1' }),
    transfer('2', WALLET, MERCHANT, '1250.50', 'PAYMENT', { reference: 'BK-1' }),
  ]);
  assert.deepEqual(reports, [{ id: '1', status: 'CREATED', seq: 1 }, { id: '2', status: 'CREATED', seq: 2 }]);
  return ledger;
}

const balance = (ledger, id) => ledger.account(id).balance;

/** First 16 bytes of SHA-256(bytes), big-endian, as decimal digits (0 and 2¹²⁸ − 1 never occur here). */
const derived = (bytes) => BigInt(`0x${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`).toString();
const be16 = (id) => Buffer.from(BigInt(id).toString(16).padStart(32, '0'), 'hex');
const be32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** reversal_id(original) at attempt 0, as ledger/src/reversal.rs documents it. */
const reversalId = (original) => derived(Buffer.concat([Buffer.from('rihla-reversal\0'), be16(original)]));
/** webhook_transfer_id, as ledger/src/webhook.rs documents it. */
const webhookId = (provider, eventId, leg = 0, attempt = 0) => {
  const p = Buffer.from(provider, 'utf8');
  const e = Buffer.from(eventId, 'utf8');
  const parts = [Buffer.from('rihla-webhook\0'), be32(p.length), p, be32(e.length), e, Buffer.from([leg])];
  if (attempt > 0) parts.push(be32(attempt));
  return derived(Buffer.concat(parts));
};

// ---------------------------------------------------------------------------------------
// Reversals

test('reverse reads its instant strictly: a UTC year past 9999 is refused, the journal still audits', () => {
  const ledger = booked();
  for (const at of ['9999-12-31T23:59:59-14:00', '+10000-01-01T00:00:00Z']) {
    assert.equal(refusedWith(() => ledger.reverse(['2'], at), 'INVALID_REQUEST').field, 'at');
  }
  assert.equal(ledger.entryCount, 2);
  assert.equal(auditJournal(ACCOUNTS, ledger.journalJsonl()).ok, true);
});

test('reverse: a booking\'s legs undone newest first in one chain; every account restored', () => {
  const ledger = booked();
  assert.deepEqual(ledger.apply([transfer('3', MERCHANT, REVENUE, '125.05', 'COMMISSION')]), [{ id: '3', status: 'CREATED', seq: 3 }]);
  const receipt = ledger.reverse(['2', '3'], '2026-11-22T10:00:00Z', 'cancelled BK-1');
  assert.deepEqual(receipt, {
    legs: [
      {
        transfer_id: '3', reversal_id: '287970858098024919190303270680178867848',
        debit_account_id: REVENUE, credit_account_id: MERCHANT, amount: '12505', seq: 4,
      },
      {
        transfer_id: '2', reversal_id: '101599570469364369603180759707520843617',
        debit_account_id: MERCHANT, credit_account_id: WALLET, amount: '125050', seq: 5,
      },
    ],
  });
  // The reversal ids are the Python binding's rihla.reversal_id(3) / (2), and the formula.
  assert.equal(receipt.legs[0].reversal_id, reversalId('3'));
  assert.equal(receipt.legs[1].reversal_id, reversalId('2'));
  assert.deepEqual([BANK, WALLET, MERCHANT, REVENUE].map((id) => balance(ledger, id)), ['5000.00', '5000.00', '0.00', '0.00']);
  assert.equal(ledger.entryCount, 5);

  const reversal = ledger.transfer(receipt.legs[1].reversal_id);
  assert.equal(reversal.state, 'NONE');
  assert.equal(reversal.transfer.code, 'REVERSAL');
  assert.equal(reversal.transfer.reference, 'cancelled BK-1');
  assert.equal(reversal.transfer.amount, '1250.50');
  assert.equal(reversal.transfer.at, '2026-11-22T10:00:00Z');
  assert.equal(ledger.statement(WALLET).lines.at(-1).balance_after, '5000.00');
  assert.equal(auditJournal(ACCOUNTS, ledger.journalJsonl()).ok, true);
});

test('reverse: a second reversal is ALREADY_REVERSED and changes nothing; reversalOf names the reversal', () => {
  const ledger = booked();
  ledger.apply([transfer('3', MERCHANT, REVENUE, '125.05', 'COMMISSION')]);
  assert.equal(ledger.reversalOf('2'), undefined);
  ledger.reverse(['3', '2'], AT, 'cancelled BK-1');
  assert.equal(ledger.reversalOf('2'), '101599570469364369603180759707520843617');
  assert.equal(ledger.reversalOf('3'), reversalId('3'));
  assert.equal(ledger.reversalOf('1'), undefined);
  assert.equal(ledger.reversalOf('77'), undefined);
  const hash = ledger.lastHash();

  const again = refusedWith(() => ledger.reverse(['2'], AT, 'retry'), 'ALREADY_REVERSED');
  assert.equal(again.transfer_id, '2');
  assert.equal(again.reversal_id, reversalId('2'));
  // The whole request is refused when any leg was reversed (the first in request order).
  const mixed = refusedWith(() => ledger.reverse(['1', '3'], AT), 'ALREADY_REVERSED');
  assert.equal(mixed.transfer_id, '3');
  assert.equal(ledger.entryCount, 5);
  assert.equal(ledger.lastHash(), hash);
  assert.equal(balance(ledger, WALLET), '5000.00');
  // A reversal is not reversed again.
  const twice = refusedWith(() => ledger.reverse([reversalId('2')], AT), 'NOT_REVERSIBLE');
  assert.equal(twice.reason, 'REVERSAL');
  // A reversed payment is not refunded.
  const refund = refusedWith(() => new Refunds().refund(ledger, { id: '95', payment_id: '2', amount: '1.00', at: AT }), 'PAYMENT_REVERSED');
  assert.equal(refund.reversal_id, reversalId('2'));
});

test('reverse: refusals are RihlaErrors with codes; nothing is applied', () => {
  const ledger = booked();
  ledger.apply([transfer('3', WALLET, MERCHANT, '100.00', 'PAYMENT', { flags: { pending: true } })]);
  assert.equal(refusedWith(() => ledger.reverse(['77'], AT), 'TRANSFER_NOT_FOUND').transfer_id, '77');
  refusedWith(() => ledger.reverse([], AT), 'EMPTY');
  assert.equal(refusedWith(() => ledger.reverse(['2', '2'], AT), 'DUPLICATE_TRANSFER').transfer_id, '2');
  assert.equal(refusedWith(() => ledger.reverse(['3'], AT), 'NOT_REVERSIBLE').reason, 'PENDING');
  const many = refusedWith(() => ledger.reverse(Array.from({ length: 8191 }, (_, i) => String(i + 1)), AT), 'TOO_MANY_TRANSFERS');
  assert.deepEqual([many.max, many.actual], [8190, 8191]);
  // The wallet spent what the deposit brought: the chain fails whole, a ledger refusal.
  ledger.apply([transfer('4', WALLET, MERCHANT, '3649.50', 'PAYMENT')]);
  const refused = refusedWith(() => ledger.reverse(['1', '2'], AT), 'LEDGER_REFUSED');
  assert.equal(refused.transfer_id, '1');
  assert.equal(refused.error.code, 'EXCEEDS_CREDITS');
  assert.equal(ledger.reversalOf('2'), undefined);
  assert.equal(ledger.entryCount, 4);

  assert.equal(refusedWith(() => ledger.reverse('2', AT), 'INVALID_REQUEST').field, 'transferIds');
  assert.equal(refusedWith(() => ledger.reverse([2], AT), 'INVALID_REQUEST').field, 'transferIds[0]');
  assert.equal(refusedWith(() => ledger.reverse(['2', 'x'], AT), 'INVALID_REQUEST').field, 'transferIds[1]');
  assert.equal(refusedWith(() => ledger.reverse(['2'], '22/11/2026'), 'INVALID_REQUEST').field, 'at');
  assert.equal(refusedWith(() => ledger.reverse(['2'], AT, 7), 'INVALID_REQUEST').field, 'reason');
  assert.equal(refusedWith(() => ledger.reversalOf(2), 'INVALID_REQUEST').field, 'transferId');
  assert.equal(ledger.entryCount, 4);
  assert.deepEqual(ledger.reverse(['2'], AT, null).legs.map((l) => [l.transfer_id, l.seq]), [['2', 5]]);
});

// ---------------------------------------------------------------------------------------
// Refunds

test('refunds: Σ refunds never pass the payment (EXCEEDS_PAYMENT); a retry of the same refund id is EXISTS', () => {
  const ledger = booked();
  const refunds = new Refunds();
  const request = { id: '90', payment_id: '2', amount: '250.00', at: AT, reference: 'RF-1' };
  const receipt = refunds.refund(ledger, request);
  assert.deepEqual(receipt, {
    refund_id: '90', payment_id: '2', unit: 'SAR', amount: '25000',
    paid: '125050', refunded: '25000', reference: 'RF-1',
    outcome: { status: 'CREATED', seq: 3 },
  });
  assert.equal(balance(ledger, WALLET), '3999.50');
  assert.equal(balance(ledger, MERCHANT), '1000.50');
  const refundTransfer = ledger.transfer('90').transfer;
  assert.deepEqual([refundTransfer.code, refundTransfer.debit_account_id, refundTransfer.credit_account_id], ['REFUND', MERCHANT, WALLET]);

  // The same request again (an object or its JSON text): the first receipt, EXISTS, nothing moves.
  const again = refunds.refund(ledger, JSON.stringify(request));
  assert.deepEqual(again, { ...receipt, outcome: { status: 'EXISTS', seq: 3 } });
  assert.equal(ledger.entryCount, 3);
  assert.equal(balance(ledger, WALLET), '3999.50');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, amount: '251.00' }), 'ID_REUSED').field, 'amount');

  const tooMuch = refusedWith(() => refunds.refund(ledger, { ...request, id: '91', amount: '1000.51' }), 'EXCEEDS_PAYMENT');
  assert.deepEqual([tooMuch.paid, tooMuch.refunded, tooMuch.requested, tooMuch.unit], ['125050', '25000', '100051', 'SAR']);
  // Exactly what is left is fine; then not one halala more.
  const rest = refunds.refund(ledger, { ...request, id: '91', amount: '1000.50', reference: 'RF-2' });
  assert.deepEqual([rest.amount, rest.paid, rest.refunded, rest.outcome], ['100050', '125050', '125050', { status: 'CREATED', seq: 4 }]);
  const past = refusedWith(() => refunds.refund(ledger, { ...request, id: '92', amount: '0.01' }), 'EXCEEDS_PAYMENT');
  assert.deepEqual([past.refunded, past.requested], ['125050', '1']);
  assert.equal(balance(ledger, WALLET), '5000.00');
  assert.equal(balance(ledger, MERCHANT), '0.00');

  assert.deepEqual(refunds.refundsOf('2'), ['90', '91']);
  assert.deepEqual(refunds.refundsOf('1'), []);
  assert.deepEqual(refunds.get('90'), receipt);
  assert.equal(refunds.get('92'), undefined);
  assert.deepEqual(refunds.receipts().map((r) => [r.refund_id, r.refunded]), [['90', '25000'], ['91', '125050']]);
  assert.equal(ledger.entryCount, 4);

  // A host keeps the receipts and rebuilds the registry: the bound still holds.
  const rebuilt = Refunds.fromReceipts(JSON.stringify(refunds.receipts()));
  assert.deepEqual(rebuilt.get('90'), receipt);
  assert.deepEqual(rebuilt.refundsOf('2'), ['90', '91']);
  refusedWith(() => rebuilt.refund(ledger, { ...request, id: '93', amount: '0.01' }), 'EXCEEDS_PAYMENT');
  assert.equal(refusedWith(() => Refunds.fromReceipts([{ ...receipt, colour: 'red' }]), 'INVALID_REQUEST').field, '[0].colour');
});

test('refunds: amounts are decimal strings at the payment\'s unit; other refusals carry their codes', () => {
  const ledger = booked();
  const refunds = new Refunds();
  const request = { id: '92', payment_id: '2', amount: '250.00', at: AT };
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, amount: '1.005' }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, amount: 1.5 }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, amount: '0.00' }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, amount: '-1.00' }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, payment_id: '77' }), 'PAYMENT_NOT_FOUND').payment_id, '77');
  const deposit = refusedWith(() => refunds.refund(ledger, { ...request, payment_id: '1' }), 'NOT_A_PAYMENT');
  assert.equal(deposit.transfer_code, 'DEPOSIT');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, extra: 1 }), 'INVALID_REQUEST').field, 'extra');
  assert.equal(refusedWith(() => refunds.refund(ledger, { ...request, id: 92 }), 'INVALID_REQUEST').field, 'id');
  refusedWith(() => refunds.refund(ledger, '{"id": '), 'INVALID_JSON');
  assert.equal(refusedWith(() => refunds.get(90), 'INVALID_REQUEST').field, 'refundId');
  assert.equal(refusedWith(() => refunds.refundsOf('x'), 'INVALID_REQUEST').field, 'paymentId');
  assert.deepEqual(refunds.receipts(), []);
  assert.equal(ledger.entryCount, 2);
});

// ---------------------------------------------------------------------------------------
// Payment webhooks

const EVENT = { provider: 'moyasar', payment_ref: 'pay_77', unit: 'SAR', at: '2026-11-22T10:00:00Z' };
const REGISTRATION = {
  provider: 'moyasar', payment_ref: 'pay_77', unit: 'SAR', amount: '1000.00',
  clearing_account_id: CLEARING, credit_account_id: WALLET, reference: 'TOPUP-77',
};

test('webhooks: an early event waits for its payment; a capture delivered twice credits once', () => {
  const ledger = booked();
  const inbox = new WebhookInbox();
  const early = inbox.receive(ledger, { ...EVENT, event_id: 'evt_01', kind: 'AUTHORIZED', amount: '1000.00' });
  assert.deepEqual(early, { outcome: { outcome: 'DEFERRED', reason: 'UNKNOWN_PAYMENT' }, redriven: [] });
  assert.deepEqual(inbox.deferred(), [{ ...EVENT, event_id: 'evt_01', kind: 'AUTHORIZED', amount: '1000.00' }]);
  assert.equal(ledger.entryCount, 2);

  const redriven = inbox.registerPayment(ledger, REGISTRATION);
  assert.deepEqual(redriven, [{
    provider: 'moyasar', event_id: 'evt_01',
    outcome: {
      outcome: 'APPLIED', status: 'AUTHORIZED',
      transfers: [{ transfer_id: webhookTransferId('moyasar', 'evt_01'), outcome: { status: 'CREATED', seq: 3 } }],
    },
  }]);
  assert.equal(ledger.account(WALLET).balances.credits_pending, '100000');
  assert.equal(balance(ledger, WALLET), '3749.50'); // a hold is not money yet

  const capture = { ...EVENT, event_id: 'evt_02', kind: 'CAPTURED', amount: '1000.00' };
  const applied = inbox.receive(ledger, capture).outcome;
  assert.deepEqual(applied, {
    outcome: 'APPLIED', status: 'CAPTURED',
    transfers: [{ transfer_id: '321429609323981681652062311446101150179', outcome: { status: 'CREATED', seq: 4 } }],
  });
  assert.equal(applied.transfers[0].transfer_id, webhookTransferId('moyasar', 'evt_02', 0));
  const duplicate = inbox.receive(ledger, JSON.stringify(capture));
  assert.deepEqual(duplicate, { outcome: { outcome: 'DUPLICATE', first: applied }, redriven: [] });
  assert.equal(balance(ledger, WALLET), '4749.50'); // credited once
  assert.equal(balance(ledger, CLEARING), '1000.00');
  assert.equal(ledger.entryCount, 4);

  const refund = inbox.receive(ledger, { ...EVENT, event_id: 'evt_03', kind: 'REFUNDED', amount: '200.00' });
  assert.equal(refund.outcome.outcome, 'APPLIED');
  assert.equal(balance(ledger, WALLET), '4549.50');
  assert.deepEqual(inbox.payment('moyasar', 'pay_77'), {
    registration: REGISTRATION, status: 'CAPTURED',
    hold: { transfer_id: webhookTransferId('moyasar', 'evt_01'), amount: '100000', open: false },
    capture_id: webhookTransferId('moyasar', 'evt_02'), captured: '100000', refunded: '20000',
  });
  assert.deepEqual(inbox.refunds().map((r) => [r.refund_id, r.payment_id, r.amount, r.refunded]), [
    [webhookTransferId('moyasar', 'evt_03'), webhookTransferId('moyasar', 'evt_02'), '20000', '20000'],
  ]);
  assert.equal(inbox.size, 3);
  assert.deepEqual(inbox.deferred(), []);
  assert.deepEqual(inbox.outcome('moyasar', 'evt_02'), applied);
  assert.equal(inbox.outcome('moyasar', 'evt_99'), undefined);
  assert.equal(inbox.payment('moyasar', 'pay_78'), undefined);
  assert.deepEqual(inbox.retryDeferred(ledger), []);

  // The same key with another body is refused, not applied; nothing is recorded.
  assert.equal(refusedWith(() => inbox.receive(ledger, { ...capture, amount: '999.00' }), 'EVENT_ID_REUSED').field, 'amount');
  // Σ refunds stays within the capture.
  const tooMuch = refusedWith(() => inbox.receive(ledger, { ...EVENT, event_id: 'evt_04', kind: 'REFUNDED', amount: '800.01' }), 'REFUND_REFUSED');
  assert.deepEqual([tooMuch.error.code, tooMuch.error.refunded, tooMuch.error.requested], ['EXCEEDS_PAYMENT', '20000', '80001']);
  assert.equal(inbox.size, 3);
  assert.equal(balance(ledger, WALLET), '4549.50');
  assert.equal(auditJournal(ACCOUNTS, ledger.journalJsonl()).ok, true);

  // The inbox and its ledger, rebuilt from their snapshots, go on as the originals.
  const copy = WebhookInbox.fromSnapshot(inbox.snapshot());
  const copyLedger = Ledger.fromSnapshot(ledger.snapshot());
  assert.equal(copy.snapshot(), inbox.snapshot());
  const later = { ...EVENT, event_id: 'evt_05', kind: 'REFUNDED', amount: '50.00' };
  assert.deepEqual(copy.receive(copyLedger, later), inbox.receive(ledger, later));
  assert.equal(copyLedger.lastHash(), ledger.lastHash());
  const edited = JSON.parse(inbox.snapshot());
  edited.payments[0].refunded = '99999999';
  throwsRihla(() => WebhookInbox.fromSnapshot(JSON.stringify(edited)), 'INCONSISTENT_SNAPSHOT');
});

test('webhooks: an event kept deferred by a ledger refusal is applied by retryDeferred once the cause is gone', () => {
  const ledger = new Ledger();
  // A provider balance that must not go negative: the capture debits it.
  ledger.createAccounts([...ACCOUNTS, { id: '8', unit: 'SAR', must_not_go_negative: true, code: 'PSP_BALANCE' }]);
  const inbox = new WebhookInbox();
  const capture = { provider: 'moyasar', event_id: 'evt_9', payment_ref: 'pay_9', kind: 'CAPTURED', amount: '250.00', unit: 'SAR', at: AT };
  assert.deepEqual(inbox.receive(ledger, capture).outcome, { outcome: 'DEFERRED', reason: 'UNKNOWN_PAYMENT' });
  // A duplicate while it waits is a duplicate, not a second deferred event.
  assert.deepEqual(inbox.receive(ledger, capture).outcome, { outcome: 'DUPLICATE', first: { outcome: 'DEFERRED', reason: 'UNKNOWN_PAYMENT' } });
  assert.equal(inbox.deferred().length, 1);
  assert.deepEqual(inbox.retryDeferred(ledger), []); // no payment registered yet

  const registration = { ...REGISTRATION, payment_ref: 'pay_9', amount: '250.00', clearing_account_id: '8', reference: 'TOPUP-9' };
  const [kept] = inbox.registerPayment(ledger, registration);
  assert.deepEqual(Object.keys(kept).sort(), ['deferred', 'error', 'event_id', 'provider']);
  assert.equal(kept.deferred, true, 'a ledger refusal keeps it in the queue');
  assert.deepEqual([kept.provider, kept.event_id, kept.error.code], ['moyasar', 'evt_9', 'LEDGER_REFUSED']);
  assert.equal(kept.error.transfer_id, webhookTransferId('moyasar', 'evt_9'));
  assert.deepEqual([kept.error.error.code, kept.error.error.available, kept.error.error.amount], ['EXCEEDS_CREDITS', '0', '25000']);
  assert.equal(inbox.deferred().length, 1);
  assert.equal(balance(ledger, WALLET), '0.00');
  assert.equal(inbox.payment('moyasar', 'pay_9').status, 'REGISTERED');

  // The provider balance is funded; the deferred capture applies with the next attempt's id
  // (the ledger keeps the first one failed).
  ledger.apply([transfer('60', BANK, '8', '250.00', 'DEPOSIT')]);
  const retried = inbox.retryDeferred(ledger);
  assert.deepEqual(retried, [{
    provider: 'moyasar', event_id: 'evt_9',
    outcome: {
      outcome: 'APPLIED', status: 'CAPTURED',
      transfers: [{ transfer_id: webhookTransferId('moyasar', 'evt_9', 0, 1), outcome: { status: 'CREATED', seq: 2 } }],
    },
  }]);
  assert.equal(balance(ledger, WALLET), '250.00');
  assert.equal(balance(ledger, '8'), '0.00');
  assert.deepEqual(inbox.deferred(), []);
  assert.deepEqual(inbox.outcome('moyasar', 'evt_9'), retried[0].outcome);
  assert.deepEqual(inbox.retryDeferred(ledger), []);
  assert.equal(inbox.receive(ledger, capture).outcome.outcome, 'DUPLICATE');
  assert.equal(balance(ledger, WALLET), '250.00'); // credited once
  assert.equal(inbox.size, 1);
});

test('webhooks: the same events reordered and duplicated give one effect, as in order', () => {
  const auth = { ...EVENT, event_id: 'evt_a', kind: 'AUTHORIZED', amount: '1000.00' };
  const capture = { ...EVENT, event_id: 'evt_c', kind: 'CAPTURED', amount: '1000.00' };
  const refund = { ...EVENT, event_id: 'evt_r', kind: 'REFUNDED', amount: '300.00' };
  const deliver = (events) => {
    const ledger = booked();
    const inbox = new WebhookInbox();
    inbox.registerPayment(ledger, REGISTRATION);
    return { ledger, inbox, outcomes: events.map((e) => inbox.receive(ledger, e)) };
  };
  const inOrder = deliver([auth, capture, refund]);
  const reordered = deliver([refund, capture, refund, auth, capture, auth]);

  const [r, c, rAgain, a, cAgain, aAgain] = reordered.outcomes;
  assert.deepEqual(r.outcome, { outcome: 'DEFERRED', reason: 'NOT_CAPTURED' });
  // The capture unblocks the refund, applied in the same call.
  assert.deepEqual([c.outcome.outcome, c.outcome.status], ['APPLIED', 'CAPTURED']);
  assert.deepEqual(c.redriven.map((d) => [d.event_id, d.outcome.outcome, d.outcome.status]), [['evt_r', 'APPLIED', 'CAPTURED']]);
  assert.deepEqual(rAgain.outcome, { outcome: 'DUPLICATE', first: c.redriven[0].outcome });
  assert.deepEqual(a.outcome, { outcome: 'IGNORED', reason: 'ALREADY_CAPTURED' });
  assert.equal(cAgain.outcome.outcome, 'DUPLICATE');
  assert.deepEqual(aAgain.outcome, { outcome: 'DUPLICATE', first: { outcome: 'IGNORED', reason: 'ALREADY_CAPTURED' } });

  for (const { ledger } of [inOrder, reordered]) {
    assert.deepEqual([WALLET, CLEARING, MERCHANT].map((id) => balance(ledger, id)), ['4449.50', '700.00', '1250.50']);
    assert.equal(ledger.account(WALLET).balances.credits_pending, '0');
  }
  const state = (inbox) => {
    const p = inbox.payment('moyasar', 'pay_77');
    return [p.status, p.captured, p.refunded];
  };
  assert.deepEqual(state(inOrder.inbox), ['CAPTURED', '100000', '30000']);
  assert.deepEqual(state(reordered.inbox), state(inOrder.inbox));
  assert.deepEqual(inOrder.inbox.refunds().map((x) => x.amount), ['30000']);
  assert.deepEqual(reordered.inbox.refunds().map((x) => x.amount), ['30000']);
  assert.equal(reordered.inbox.size, 3);
  assert.deepEqual(reordered.inbox.deferred(), []);
  // In order: hold, its post, the refund; reordered: a single-phase capture, the refund.
  assert.equal(inOrder.ledger.entryCount, 5);
  assert.equal(reordered.ledger.entryCount, 4);
});

test('webhooks: registrations and events are checked; refusals record nothing', () => {
  const ledger = booked();
  const inbox = new WebhookInbox();
  assert.deepEqual(refusedWith(() => inbox.registerPayment(ledger, { ...REGISTRATION, credit_account_id: CLEARING }), 'INVALID_FIELD'), {
    code: 'INVALID_FIELD', message: 'credit_account_id is invalid (SAME_ACCOUNT)', field: 'credit_account_id', reason: 'SAME_ACCOUNT',
  });
  assert.equal(refusedWith(() => inbox.registerPayment(ledger, { ...REGISTRATION, credit_account_id: '77' }), 'ACCOUNT_NOT_FOUND').account_id, '77');
  assert.equal(refusedWith(() => inbox.registerPayment(ledger, { ...REGISTRATION, amount: 1000 }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => inbox.registerPayment(ledger, { ...REGISTRATION, amount: '10.001' }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => inbox.registerPayment(ledger, { ...REGISTRATION, provider: '' }), 'INVALID_FIELD').field, 'provider');
  inbox.registerPayment(ledger, REGISTRATION);
  assert.deepEqual(inbox.registerPayment(ledger, JSON.stringify(REGISTRATION)), []); // the same again: a no-op
  assert.equal(refusedWith(() => inbox.registerPayment(ledger, { ...REGISTRATION, amount: '999.00' }), 'PAYMENT_EXISTS').field, 'amount');

  const capture = { ...EVENT, event_id: 'evt_02', kind: 'CAPTURED', amount: '1000.00' };
  const over = refusedWith(() => inbox.receive(ledger, { ...capture, amount: '1000.01' }), 'AMOUNT_EXCEEDS_PAYMENT');
  assert.deepEqual([over.payment_amount, over.amount], ['100000', '100001']);
  refusedWith(() => inbox.receive(ledger, { ...capture, unit: 'USD' }), 'UNIT_MISMATCH');
  assert.equal(refusedWith(() => inbox.receive(ledger, { ...capture, kind: 'SETTLED' }), 'INVALID_REQUEST').field, 'kind');
  assert.equal(refusedWith(() => inbox.receive(ledger, { ...capture, amount: 1000 }), 'INVALID_AMOUNT').field, 'amount');
  assert.equal(refusedWith(() => inbox.receive(ledger, { ...capture, event_id: 'e'.repeat(129) }), 'INVALID_FIELD').reason, 'TOO_LONG');
  assert.equal(inbox.size, 0);
  assert.equal(ledger.entryCount, 2);
  // A failure without a hold: no transfer, the payment is failed; a late capture still applies.
  const failed = inbox.receive(ledger, { ...EVENT, event_id: 'evt_f', kind: 'FAILED' });
  assert.deepEqual(failed.outcome, { outcome: 'APPLIED', transfers: [], status: 'FAILED' });
  assert.equal(inbox.receive(ledger, capture).outcome.status, 'CAPTURED');
  assert.equal(balance(ledger, WALLET), '4749.50');

  assert.equal(refusedWith(() => inbox.payment('moyasar', 77), 'INVALID_REQUEST').field, 'paymentRef');
  assert.equal(refusedWith(() => inbox.outcome(undefined, 'evt_02'), 'INVALID_REQUEST').field, 'provider');
  assert.equal(refusedWith(() => inbox.outcome('moyasar', null), 'INVALID_REQUEST').field, 'eventId');
});

test('webhookTransferId: the Python binding\'s values and the documented formula', () => {
  // Each expected value printed by `.venv/bin/python -c "import rihla; print(rihla.webhook_transfer_id(...))"`.
  const python = [
    [['stripe', 'evt_1'], '240794085439246794229095193251140606707'],
    [['stripe', 'evt_1', 1], '142381415850131694581422594213225184038'],
    [['stripe', 'evt_1', 1, 2], '244395223218350788200901390524242207961'],
    [['moyasar', 'evt_02', 0], '321429609323981681652062311446101150179'],
    [['مُيَسَّر', 'حدث_1', 0, 3], '88658678410169299877551435862362536152'],
  ];
  for (const [args, expected] of python) {
    assert.equal(webhookTransferId(...args), expected, JSON.stringify(args));
    assert.equal(webhookId(...args), expected, `formula ${JSON.stringify(args)}`);
  }
  assert.equal(webhookTransferId('stripe', 'evt_1', undefined, null), '240794085439246794229095193251140606707');
  assert.equal(webhookTransferId('stripe', 'evt_1', 255, 4294967295), webhookId('stripe', 'evt_1', 255, 4294967295));
  assert.equal(webhookTransferId('', ''), webhookId('', ''));

  assert.equal(refusedWith(() => webhookTransferId('stripe', 'evt_1', 256), 'INVALID_REQUEST').field, 'leg');
  assert.equal(refusedWith(() => webhookTransferId('stripe', 'evt_1', -1), 'INVALID_REQUEST').field, 'leg');
  assert.equal(refusedWith(() => webhookTransferId('stripe', 'evt_1', 0.5), 'INVALID_REQUEST').field, 'leg');
  assert.equal(refusedWith(() => webhookTransferId('stripe', 'evt_1', '1'), 'INVALID_REQUEST').field, 'leg');
  assert.equal(refusedWith(() => webhookTransferId('stripe', 'evt_1', 0, 2 ** 32), 'INVALID_REQUEST').field, 'attempt');
  assert.equal(refusedWith(() => webhookTransferId(5, 'evt_1'), 'INVALID_REQUEST').field, 'provider');
  assert.equal(refusedWith(() => webhookTransferId('stripe'), 'INVALID_REQUEST').field, 'eventId');
});

test('reserve sets memory aside and changes nothing else', () => {
  const ledger = new Ledger();
  ledger.createAccounts([
    { id: '1', unit: 'SAR', normal: 'DEBIT' },
    { id: '1001', unit: 'SAR', must_not_go_negative: true },
  ]);
  const deposit = { id: '1', debit_account_id: '1', credit_account_id: '1001', amount: '10.00', unit: 'SAR', code: 'DEPOSIT', at: '2026-11-22T09:00:00Z' };
  ledger.apply([deposit]);
  const before = [ledger.journalJsonl(), ledger.lastHash()];
  ledger.reserve(5000);
  assert.deepEqual([ledger.journalJsonl(), ledger.lastHash()], before);
  assert.deepEqual(ledger.apply([{ ...deposit, id: '2' }]), [{ id: '2', status: 'CREATED', seq: 2 }]);
  assert.deepEqual(ledger.createAccounts([{ id: '1001', unit: 'SAR', must_not_go_negative: true }]), [{ id: '1001', status: 'EXISTS' }]);
});
