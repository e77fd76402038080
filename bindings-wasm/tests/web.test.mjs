// Smoke test of the browser build (`wasm-bindgen --target web`, bindings-wasm/pkg-web):
// the ES module a page imports, initialised synchronously from the module bytes (what
// `await init()` does after fetching them), gives the same answers as the Node build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ledger, PKG_WEB, Rulebook, allocate } from './helpers.mjs';

const skip = !existsSync(PKG_WEB) && `${PKG_WEB} not built (bash bindings-wasm/build.sh web)`;

const REQUEST = {
  currency: 'SAR',
  now: '2026-11-22T09:00:00Z',
  items: [{ id: 'HTL-1', category: 'HOTEL', quantity: 3, unit_price: '433.33' }],
};

const ITINERARY = {
  aircraft: { id: 'HZ-MID1', category: 'MIDSIZE', home_base: 'RUH', hourly_rate: { amount: '24000.00', currency: 'SAR' } },
  legs: [{ from: 'RUH', to: 'JED', departure: '2026-12-15T10:00:00+03:00', passengers: 3 }],
  airports: [
    { code: 'RUH', lat: '24.9576', lon: '46.6988', country: 'SA' },
    { code: 'JED', lat: '21.6796', lon: '39.1565', country: 'SA' },
  ],
  availability: { bookings: [{ id: 'BK-1', start: '2026-12-15T08:00:00Z', end: '2026-12-15T09:00:00Z' }] },
};

test('web build: initSync, then the same API and results as the Node build (Rulebook, allocate, Ledger)', { skip }, async () => {
  const web = await import(pathToFileURL(PKG_WEB).href);
  const bytes = readFileSync(path.join(path.dirname(PKG_WEB), 'rihla_wasm_bg.wasm'));
  web.initSync({ module: bytes });

  assert.deepEqual(web.allocate('10.00', 'SAR', ['1', '1', '1']), allocate('10.00', 'SAR', ['1', '1', '1']));
  const webRulebook = web.Rulebook.default();
  const nodeRulebook = Rulebook.default();
  assert.equal(webRulebook.version, nodeRulebook.version);
  assert.deepEqual(webRulebook.quote(REQUEST), nodeRulebook.quote(REQUEST));
  assert.equal(web.airportTableAvailable(), false, 'no airport table in either build');
  assert.deepEqual(webRulebook.charterAvailability(ITINERARY), nodeRulebook.charterAvailability(ITINERARY));

  let caught;
  try {
    webRulebook.quote({ ...REQUEST, currency: 'XXQ' });
  } catch (err) {
    caught = err;
  }
  assert.equal(caught?.name, 'RihlaError');
  assert.equal(caught?.code, 'UNKNOWN_CURRENCY');
  webRulebook.free();
  nodeRulebook.free();

  // The ledger: the same reports, balances and journal hash chain in both builds.
  const accounts = [
    { id: '1', unit: 'SAR', normal: 'DEBIT', code: 'BANK' },
    { id: '1001', unit: 'SAR', must_not_go_negative: true, code: 'WALLET' },
  ];
  const batch = [
    { id: '1', debit_account_id: '1', credit_account_id: '1001', amount: '5000.00', unit: 'SAR', code: 'DEPOSIT', at: '2026-11-22T09:00:00Z' },
    { id: '2', debit_account_id: '1001', credit_account_id: '1', amount: '6000.00', unit: 'SAR', code: 'WITHDRAWAL', at: '2026-11-22T09:00:00Z' },
  ];
  const webLedger = new web.Ledger();
  const nodeLedger = new Ledger();
  assert.deepEqual(webLedger.createAccounts(accounts), nodeLedger.createAccounts(accounts));
  const reports = webLedger.apply(batch);
  assert.deepEqual(reports, nodeLedger.apply(batch));
  assert.equal(reports[1].error.code, 'EXCEEDS_CREDITS');
  assert.equal(webLedger.account('1001').balance, '5000.00');
  assert.equal(webLedger.lastHash(), nodeLedger.lastHash());
  assert.equal(webLedger.journalJsonl(), nodeLedger.journalJsonl());
  assert.equal(web.auditJournal(accounts, webLedger.journalJsonl()).ok, true);
  webLedger.free();
  nodeLedger.free();
});
