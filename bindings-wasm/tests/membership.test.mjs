// Membership entitlements, upgrade pricing, tier from points and referral figures through
// the WASM package: plain objects (or JSON text) in, plain objects out, amounts as decimal
// strings, failures as RihlaError with stable codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rulebook, throwsRihla } from './helpers.mjs';

const rulebook = Rulebook.default();

test('checkEntitlement: quota exhausted, resets at the anchored month end', () => {
  const request = {
    tier: 'GOLD',
    code: 'LOUNGE_PASS',
    used: 2,
    now: '2026-02-15T08:00:00Z',
    period_anchor: '2026-01-31T10:00:00Z',
  };
  const check = rulebook.checkEntitlement(request);
  assert.deepEqual(check, {
    code: 'LOUNGE_PASS',
    tier: 'GOLD',
    allowed: false,
    unlimited: false,
    quota: 2,
    used: 2,
    remaining: 0,
    period: 'MONTHLY',
    period_start: '2026-01-31T10:00:00Z',
    resets_at: '2026-02-28T10:00:00Z',
    reason: { code: 'QUOTA_EXHAUSTED' },
  });
  assert.deepEqual(rulebook.checkEntitlement(JSON.stringify(request)), check);
});

test('checkEntitlement: a JS number that is not a count is refused', () => {
  const err = throwsRihla(
    () => rulebook.checkEntitlement({ tier: 'GOLD', code: 'LOUNGE_PASS', used: 1.5, now: '2026-11-22T09:00:00Z' }),
    'INVALID_REQUEST',
  );
  assert.equal(err.details.field, 'used');
});

test('upgradePrice: GOLD to PLATINUM halfway through a leap year, in instalments', () => {
  const quote = rulebook.upgradePrice({
    from: 'GOLD',
    to: 'PLATINUM',
    subscription_start: '2028-01-01',
    subscription_end: '2029-01-01',
    now: '2028-07-02T09:00:00Z',
    instalments: 3,
  });
  assert.equal(quote.price_difference, '2000.00');
  assert.equal(quote.total_days, 366);
  assert.equal(quote.remaining_days, 183);
  assert.equal(quote.prorated_amount, '1000.00');
  assert.deepEqual(quote.instalments, ['333.34', '333.33', '333.33']);
});

test('upgradePrice: a downgrade throws NOT_AN_UPGRADE', () => {
  const err = throwsRihla(
    () =>
      rulebook.upgradePrice({
        from: 'DIAMOND',
        to: 'BRONZE',
        subscription_start: '2028-01-01',
        subscription_end: '2029-01-01',
        now: '2028-07-02T09:00:00Z',
      }),
    'NOT_AN_UPGRADE',
  );
  assert.equal(err.details.from, 'DIAMOND');
  assert.equal(err.details.to, 'BRONZE');
});

test('tierForPoints: thresholds reached at their value', () => {
  assert.equal(rulebook.tierForPoints(0), 'GUEST');
  assert.equal(rulebook.tierForPoints(4999), 'BRONZE');
  assert.equal(rulebook.tierForPoints(5000), 'SILVER');
  assert.equal(rulebook.tierForPoints(Number.MAX_SAFE_INTEGER), 'DIAMOND');
});

test('tierForPoints: anything but a safe non-negative whole number is refused', () => {
  for (const bad of [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1, '15000', null, undefined, 15000n]) {
    const err = throwsRihla(() => rulebook.tierForPoints(bad), 'INVALID_REQUEST');
    assert.equal(err.details.field, 'lifetime_points');
  }
});

test('referralRewards: the minimum qualifies, one halala below does not', () => {
  const at = rulebook.referralRewards({ booking_amount: { amount: '500.00', currency: 'SAR' } });
  assert.equal(at.eligible, true);
  assert.equal(at.referrer_reward, '50.00');
  assert.equal(at.referee_reward, '50.00');
  assert.equal(at.affiliate_commission, '15.00');
  const below = rulebook.referralRewards({ booking_amount: { amount: '499.99', currency: 'SAR' } });
  assert.equal(below.eligible, false);
  assert.deepEqual(below.reason, { code: 'MIN_BOOKING_NOT_MET', required: '500.00', actual: '499.99' });
});

test('referralRewards: a JS number is never money', () => {
  throwsRihla(() => rulebook.referralRewards({ booking_amount: { amount: 500, currency: 'SAR' } }), 'INVALID_AMOUNT');
});
