// Shared helpers of the rihla WASM tests: loading the built package, locating the
// repository, and the subset matcher of the conformance format (the suites in vectors/).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = path.join(ROOT, 'bindings-wasm', 'pkg', 'rihla_wasm.js');
export const PKG_WEB = path.join(ROOT, 'bindings-wasm', 'pkg-web', 'rihla_wasm.js');

if (!existsSync(PKG)) {
  throw new Error(`${PKG} is missing: build it with bash bindings-wasm/build.sh`);
}

// `wasm-bindgen --target nodejs` emits CommonJS; imported from an ES module the way a
// Node host would (named exports).
const rihla = await import(pathToFileURL(PKG).href);
export const {
  Rulebook, Ledger, PointsBook, CashbackRecord, Refunds, WebhookInbox, allocate, airportTableAvailable,
  auditJournal, planTransfers, webhookTransferId,
} = rihla;
export default rihla;

/**
 * Asserts that `fn` throws a RihlaError with `code`: an Error named "RihlaError" with a
 * message, the `code`, and `details` a plain object with the same `code` and a message.
 * Returns the error.
 */
export function throwsRihla(fn, code) {
  let caught;
  assert.throws(fn, (err) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof Error, `expected an Error, got ${caught}`);
  assert.equal(caught.name, 'RihlaError', `name (${caught.stack})`);
  assert.equal(caught.code, code, `code (message: ${caught.message}, details: ${JSON.stringify(caught.details)})`);
  assert.ok(typeof caught.message === 'string' && caught.message.length > 0, 'message');
  assert.equal(typeof caught.details, 'object');
  assert.ok(!(caught.details instanceof Map), 'details must be a plain object');
  assert.equal(caught.details.code, code, 'details.code');
  assert.ok(typeof caught.details.message === 'string' && caught.details.message.length > 0, 'details.message');
  return caught;
}

const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const show = (v, max = 200) => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > max ? `${text.slice(0, max)}…` : text;
};

/**
 * Mismatches between `actual` and `expected`, `expected` read as a subset: every key it
 * gives must be present in `actual` with a matching value (recursively); arrays must have
 * the same length and match element-wise; scalars must be strictly equal (decimals are
 * strings, compared exactly). Returns a list of messages, empty when it matches.
 */
export function subsetMismatches(actual, expected, where = '$', out = []) {
  const k = kind(expected);
  if (k === 'array') {
    if (!Array.isArray(actual)) {
      out.push(`${where}: expected an array, got ${kind(actual)} ${show(actual)}`);
    } else if (actual.length !== expected.length) {
      out.push(`${where}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    } else {
      expected.forEach((e, i) => subsetMismatches(actual[i], e, `${where}[${i}]`, out));
    }
  } else if (k === 'object') {
    if (kind(actual) !== 'object') {
      out.push(`${where}: expected an object, got ${kind(actual)} ${show(actual)}`);
    } else {
      for (const [key, e] of Object.entries(expected)) {
        const at = `${where}.${key}`;
        if (!Object.hasOwn(actual, key)) {
          out.push(`${at}: missing (expected ${show(e)})`);
        } else {
          subsetMismatches(actual[key], e, at, out);
        }
      }
    }
  } else if (actual !== expected) {
    out.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
  }
  return out;
}

/** Throws an AssertionError-like Error listing every mismatch. */
export function assertSubset(actual, expected, label = 'result') {
  const problems = subsetMismatches(actual, expected);
  if (problems.length > 0) {
    const err = new Error(`${label} does not match:\n  ${problems.join('\n  ')}\n${label}: ${show(actual, 2000)}`);
    err.name = 'SubsetMismatch';
    throw err;
  }
}
