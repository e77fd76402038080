// Conformance vector runner: every suite in vectors/ at the repository root,
// plus every suite under each directory named in RIHLA_VECTORS (separated by ':'), each case
// run as its own test named `suite/id`. A case may list the build features it needs
// (`"features": ["airports"]`); one needing a feature this package lacks is skipped, with
// the reason (the WASM package has no airport table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, Ledger, Rulebook, airportTableAvailable, allocate, assertSubset } from './helpers.mjs';

/** Every `*.json` file under `dir` (recursively), sorted for a stable order. */
function jsonFiles(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...jsonFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.json')) found.push(full);
  }
  return found.sort();
}

const dirs = [path.join(ROOT, 'vectors')];
for (const extra of (process.env.RIHLA_VECTORS ?? '').split(':')) {
  if (extra.trim() !== '') dirs.push(path.resolve(extra));
}
for (const dir of dirs.slice(1)) {
  if (!existsSync(dir)) {
    test(`RIHLA_VECTORS entry ${dir}`, () => assert.fail(`${dir} does not exist`));
  }
}
const files = [...new Set(dirs.flatMap(jsonFiles))];

/** The operations a case may name, each returning the result the case's `expect` matches. */
const OPS = {
  quote(input) {
    const rulebook = input.rulebook === 'default' ? Rulebook.default() : Rulebook.fromObject(input.rulebook);
    try {
      return rulebook.quote(input.request);
    } finally {
      rulebook.free();
    }
  },
  check_voucher(input) {
    const rulebook = input.rulebook === 'default' ? Rulebook.default() : Rulebook.fromObject(input.rulebook);
    try {
      return rulebook.checkVoucher(input.request, input.code);
    } finally {
      rulebook.free();
    }
  },
  allocate(input) {
    return { parts: allocate(input.amount, input.currency, input.weights) };
  },
  check_entitlement(input) {
    return withRulebook(input, (rulebook) => rulebook.checkEntitlement(input.request));
  },
  upgrade_price(input) {
    return withRulebook(input, (rulebook) => rulebook.upgradePrice(input.request));
  },
  referral_rewards(input) {
    return withRulebook(input, (rulebook) => rulebook.referralRewards(input.request));
  },
  tier_for_points(input) {
    return withRulebook(input, (rulebook) => ({ tier: rulebook.tierForPoints(input.lifetime_points) }));
  },
  charter_availability(input) {
    return withRulebook(input, (rulebook) => rulebook.charterAvailability(input.itinerary));
  },
  // The shape of the Rust runner's `ledger_apply` (pricing/tests/conformance.rs): each
  // account's status (CREATED, EXISTS for a retry, or the error's code), each
  // batch's reports, the accounts sorted by id, the journal's length and last hash.
  ledger_apply(input) {
    const ledger = new Ledger();
    try {
      const created = ledger.createAccounts(input.accounts ?? null);
      const results = (Array.isArray(input.batches) ? input.batches : []).map((batch) => ledger.apply(batch));
      // The ledger restores from its own snapshot: the same accounts, journal and hash.
      const restored = Ledger.fromSnapshot(ledger.snapshot());
      try {
        assert.deepEqual(
          [restored.accounts(), restored.journalJsonl(), restored.lastHash()],
          [ledger.accounts(), ledger.journalJsonl(), ledger.lastHash()],
        );
      } finally {
        restored.free();
      }
      return {
        accounts_created: created.map((r) => (r.status === 'FAILED' ? r.error.code : r.status)),
        results,
        accounts: ledger.accounts(),
        entries: ledger.entryCount,
        last_hash: ledger.lastHash(),
      };
    } finally {
      ledger.free();
    }
  },
};

/** The build features a case may need (`"features": [...]`), and whether this build has each. */
const FEATURES = {
  // The embedded airport table (rihla-pricing's cargo feature `airports`): left out of the
  // WASM package, whose hosts give coordinates in the itinerary's `airports`.
  airports: airportTableAvailable(),
};

/**
 * Why the case cannot run on this build (a feature it needs is missing or unknown), or
 * `false` when it can. A malformed `features` is not a reason to skip: the case runs and
 * fails on it (see `runCase`).
 */
function skipReason(c) {
  const features = c?.features;
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) return false;
  const unknown = features.filter((f) => !Object.hasOwn(FEATURES, f));
  if (unknown.length > 0) {
    return `needs feature(s) ${unknown.join(', ')} unknown to this runner (it knows: ${Object.keys(FEATURES).join(', ')})`;
  }
  const missing = features.filter((f) => !FEATURES[f]);
  if (missing.length > 0) {
    return `needs feature(s) ${missing.join(', ')}, not in this build (the WASM package has no airport table)`;
  }
  return false;
}

/** Runs `fn` with the case's rulebook ("default" or its object), freeing it afterwards. */
function withRulebook(input, fn) {
  const rulebook = input.rulebook === 'default' ? Rulebook.default() : Rulebook.fromObject(input.rulebook);
  try {
    return fn(rulebook);
  } finally {
    rulebook.free();
  }
}

function runCase(c) {
  if (Object.hasOwn(c, 'features') && (!Array.isArray(c.features) || !c.features.every((f) => typeof f === 'string'))) {
    assert.fail(`features must be an array of strings, got ${JSON.stringify(c.features)}`);
  }
  if (typeof c.op !== 'string' || !Object.hasOwn(OPS, c.op)) {
    assert.fail(`unknown op ${JSON.stringify(c.op)} (this runner knows: ${Object.keys(OPS).join(', ')})`);
  }
  const expect = c.expect ?? {};
  const hasOk = Object.hasOwn(expect, 'ok');
  const hasError = Object.hasOwn(expect, 'error');
  if (hasOk === hasError) assert.fail('expect must hold exactly one of "ok" and "error"');

  let result;
  try {
    result = OPS[c.op](c.input ?? {});
  } catch (err) {
    if (hasOk) throw err;
    assert.equal(err?.name, 'RihlaError', `expected a RihlaError, got ${err?.stack ?? err}`);
    const { code, ...fields } = expect.error;
    assert.equal(err.code, code, `error code (message: ${err.message})`);
    assertSubset(err.details, fields, 'error.details');
    return;
  }
  if (hasError) {
    assert.fail(`expected error ${JSON.stringify(expect.error)}, got ok: ${JSON.stringify(result)}`);
  }
  assertSubset(result, expect.ok);
}

let cases = 0;
let skipped = 0;
for (const file of files) {
  const relative = path.relative(ROOT, file);
  const shown = relative.startsWith('..') ? file : relative;
  let suite;
  try {
    suite = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof suite?.suite !== 'string' || !Array.isArray(suite.cases)) {
      throw new Error('not a suite: expected {"suite": "...", "version": 1, "cases": [...]}');
    }
  } catch (err) {
    test(`${shown}`, () => assert.fail(`cannot read ${shown}: ${err.message}`));
    continue;
  }
  for (const [i, c] of suite.cases.entries()) {
    cases += 1;
    const name = `${suite.suite}/${c?.id ?? `#${i}`}`;
    const skip = skipReason(c);
    if (skip) skipped += 1;
    test(name, { skip }, () => runCase(c));
  }
}

test(`conformance: ${files.length} suite file(s), ${cases} case(s) (${skipped} skipped for missing features) from ${dirs.join(':')}`, () => {});
