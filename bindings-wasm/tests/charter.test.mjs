// Private-jet charters in the WASM package: PRIVATE_JET quotes (item lines JET-1,
// JET-1/FEE…, the `charters` breakdown), taxes decided by the airports' countries,
// `rulebook.charterAvailability(itinerary)` and the charter error codes.
//
// The package is built without rihla-pricing's airport table (`airportTableAvailable()`
// is false): every itinerary here gives its airports' coordinates and countries itself
// (copied from pricing/data/airports.tsv). The expected values were computed by the native
// Rust engine built the same way (rihla-pricing without the `airports` feature), not by
// this file; amounts are decimal strings, compared exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rulebook, airportTableAvailable } from './helpers.mjs';

/** Asserts that `fn` throws a RihlaError with `code` and returns its `details`. */
function rihlaDetails(fn, code) {
  let caught;
  assert.throws(fn, (err) => {
    caught = err;
    return true;
  });
  assert.equal(caught?.name, 'RihlaError', `name (${caught?.stack ?? caught})`);
  assert.equal(caught.code, code, `code (message: ${caught.message})`);
  assert.equal(caught.details.code, code, 'details.code');
  assert.equal(caught.details.message, caught.message, 'details.message');
  return caught.details;
}

/** Runs `fn` with a rulebook (the default one unless given), freeing it afterwards. */
function withRulebook(fn, rulebook = Rulebook.default()) {
  try {
    return fn(rulebook);
  } finally {
    rulebook.free();
  }
}

// Coordinates and countries as pricing/data/airports.tsv has them (airportsdata 20260905).
const AIRPORTS = {
  RUH: { code: 'RUH', lat: '24.9576', lon: '46.6988', country: 'SA' },
  JED: { code: 'JED', lat: '21.6796', lon: '39.1565', country: 'SA' },
  CAI: { code: 'CAI', lat: '30.1219', lon: '31.4056', country: 'EG' },
  TEB: { code: 'TEB', lat: '40.850102', lon: '-74.060833', country: 'US' },
  PBI: { code: 'PBI', lat: '26.683162', lon: '-80.095592', country: 'US' },
};
const usd = (amount) => ({ amount, currency: 'USD' });
const sar = (amount) => ({ amount, currency: 'SAR' });

/** A rulebook whose only rule is the US federal excise tax on air transportation. */
const FET_ONLY = {
  version: 'wasm-fet-only',
  taxes: [
    {
      id: 'US-FET-7.5',
      code: 'US',
      name: 'US transportation tax 7.5%',
      basis: 'PERCENT_OF_NET',
      rate: '7.5',
      applies_to: { scope: 'CATEGORIES', categories: ['PRIVATE_JET'] },
      // Not part of the air-transportation charge (Treas. Reg. 49.4261-7).
      exempt_charter_fees: ['CATERING', 'GROUND_TRANSPORT'],
      journey: 'DOMESTIC',
      countries: ['US'],
      valid_from: '1999-10-01T00:00:00-04:00',
    },
  ],
};

/** A broker's quote: midsize at USD 3,400/h, TEB-PBI in 5.0 block hours, return waived. */
const BROKER_REQUEST = {
  currency: 'USD',
  now: '2026-11-22T09:00:00Z',
  items: [
    {
      id: 'JET-1',
      category: 'PRIVATE_JET',
      jet: {
        aircraft: { id: 'N560XL', category: 'MIDSIZE', home_base: 'TEB', hourly_rate: usd('3400.00') },
        legs: [{ from: 'TEB', to: 'PBI', departure: '2026-12-09T09:00:00-05:00', passengers: 4, block_hours: '5.0' }],
        return_ferry: 'WAIVED',
        airports: [AIRPORTS.TEB, AIRPORTS.PBI],
        fees: [
          { kind: 'FUEL', amount: usd('550.00') },
          { kind: 'CREW_OVERNIGHT', amount: usd('600.00') },
          { kind: 'LANDING', basis: 'PER_LANDING', airport: 'PBI', amount: usd('750.00') },
        ],
      },
    },
  ],
};

/** A one-way from Riyadh on a Tuesday (no weekend surcharge), landing and catering fees. */
function fromRiyadh(to) {
  return {
    currency: 'SAR',
    now: '2026-11-22T09:00:00Z',
    items: [
      {
        id: 'JET-1',
        category: 'PRIVATE_JET',
        jet: {
          aircraft: { id: 'HZ-MID1', category: 'MIDSIZE', home_base: 'RUH', hourly_rate: sar('24000.00') },
          legs: [{ from: 'RUH', to, departure: '2026-12-15T10:00:00+03:00', passengers: 5 }],
          return_ferry: 'WAIVED',
          airports: [AIRPORTS.RUH, AIRPORTS[to]],
          fees: [
            { id: 'LANDING', kind: 'LANDING', basis: 'PER_LANDING', airport: to, amount: sar('1900.00') },
            { id: 'CATERING', kind: 'CATERING', basis: 'PER_PASSENGER_LEG', amount: sar('150.00') },
          ],
        },
      },
    ],
  };
}

/** RUH-JED-RUH on one day, inside a December window, with a booking of the afternoon. */
const DAY_TRIP = {
  aircraft: { id: 'HZ-MID1', category: 'MIDSIZE', home_base: 'RUH', hourly_rate: sar('24000.00') },
  legs: [
    { from: 'RUH', to: 'JED', departure: '2026-12-15T10:00:00+03:00', passengers: 3 },
    { from: 'JED', to: 'RUH', departure: '2026-12-15T18:00:00+03:00', passengers: 3 },
  ],
  airports: [AIRPORTS.RUH, AIRPORTS.JED],
  availability: {
    windows: [{ start: '2026-12-01T00:00:00Z', end: '2026-12-31T00:00:00Z' }],
    bookings: [{ id: 'BK-2041', start: '2026-12-15T12:30:00Z', end: '2026-12-15T14:30:00Z' }],
  },
};

const clone = (v) => structuredClone(v);

// --- the build ------------------------------------------------------------------------

test('airportTableAvailable: the WASM package has no airport table', () => {
  assert.equal(airportTableAvailable(), false);
});

// --- (a) a broker's quote to the cent ------------------------------------------------------

test('charter quote: midsize TEB-PBI 5.0 h at USD 3,400 + fees, US FET 7.5 % -> USD 20,317.50', () => {
  const quote = withRulebook((rb) => rb.quote(BROKER_REQUEST), Rulebook.fromObject(FET_ONLY));
  assert.equal(quote.rulebook_version, 'wasm-fet-only');
  assert.equal(quote.currency, 'USD');
  assert.equal(quote.base_amount, '18900.00');
  assert.equal(quote.tax_amount, '1417.50');
  assert.equal(quote.discount_amount, '0.00');
  assert.equal(quote.final_amount, '20317.50');

  const items = quote.lines.filter((l) => l.type === 'ITEM');
  assert.deepEqual(
    items.map((l) => [l.id, l.charter_fee, l.gross, l.net, l.tax, l.total]),
    [
      ['JET-1', undefined, '17000.00', '17000.00', '1275.00', '18275.00'],
      ['JET-1/FUEL-1', 'FUEL', '550.00', '550.00', '41.25', '591.25'],
      ['JET-1/CREW_OVERNIGHT-2', 'CREW_OVERNIGHT', '600.00', '600.00', '45.00', '645.00'],
      ['JET-1/LANDING-3', 'LANDING', '750.00', '750.00', '56.25', '806.25'],
    ],
  );
  for (const line of items) {
    assert.equal(line.category, 'PRIVATE_JET');
    assert.equal(line.item_id, 'JET-1');
  }
  assert.equal(items[0].description, 'N560XL (MIDSIZE) TEB-PBI');

  const taxes = quote.lines.filter((l) => l.type === 'TAX');
  assert.equal(taxes.length, 1);
  assert.equal(taxes[0].rule_id, 'US-FET-7.5');
  assert.equal(taxes[0].basis, 'PERCENT_OF_NET');
  assert.equal(taxes[0].base, '18900.00');
  assert.equal(taxes[0].amount, '1417.50');
  assert.deepEqual(taxes[0].allocations, [
    { line_id: 'JET-1', amount: '1275.00' },
    { line_id: 'JET-1/FUEL-1', amount: '41.25' },
    { line_id: 'JET-1/CREW_OVERNIGHT-2', amount: '45.00' },
    { line_id: 'JET-1/LANDING-3', amount: '56.25' },
  ]);

  assert.equal(quote.charters.length, 1);
  const [charter] = quote.charters;
  assert.equal(charter.item_id, 'JET-1');
  assert.equal(charter.aircraft_id, 'N560XL');
  assert.equal(charter.category, 'MIDSIZE');
  assert.equal(charter.flown_hours, '5.0');
  assert.equal(charter.billable_hours, '5.0');
  assert.equal(charter.flight_charge, '17000.00');
  assert.equal(charter.operator_fees, '1900.00');
  assert.equal(charter.subtotal, '18900.00');
  assert.equal(charter.total, '18900.00');
  assert.equal(charter.tax, '1417.50');
  assert.equal(charter.total_with_tax, '20317.50');
  // No charter rules in this rulebook: no commission, no platform fee.
  assert.equal(charter.commission, '0.00');
  assert.equal(charter.platform_fee, '0.00');
  assert.equal(charter.owner_earnings, '18900.00');

  assert.equal(charter.legs.length, 1, 'return ferry waived: one flown leg');
  const [leg] = charter.legs;
  assert.equal(leg.kind, 'OCCUPIED');
  assert.equal(leg.leg, 0);
  assert.equal(`${leg.from}-${leg.to}`, 'TEB-PBI');
  assert.equal(`${leg.from_country}-${leg.to_country}`, 'US-US');
  assert.equal(leg.distance_km, '1670.0');
  assert.equal(leg.billable_hours, '5.0');
  assert.equal(leg.arrival, '2026-12-09T14:00:00-05:00', 'departure + the operator’s 5.0 block hours');
  assert.equal(leg.rate, '3400.00');
  assert.equal(leg.charge, '17000.00');
  assert.deepEqual(
    charter.fees.map((f) => [f.id, f.basis, f.count, f.amount, f.taxable]),
    [
      ['FUEL-1', 'PER_TRIP', '1', '550.00', true],
      ['CREW_OVERNIGHT-2', 'PER_TRIP', '1', '600.00', true],
      ['LANDING-3', 'PER_LANDING', '1', '750.00', true],
    ],
  );
});

test('charter quote: catering is outside the US FET base (exempt_charter_fees)', () => {
  const request = clone(BROKER_REQUEST);
  request.items[0].jet.fees.push({ kind: 'CATERING', basis: 'PER_PASSENGER_LEG', amount: usd('50.00') });
  const quote = withRulebook((rb) => rb.quote(request), Rulebook.fromObject(FET_ONLY));
  const catering = quote.lines.find((l) => l.id === 'JET-1/CATERING-4');
  assert.deepEqual([catering.gross, catering.tax, catering.total], ['200.00', '0.00', '200.00'], '4 passengers x 50.00');
  const [fet] = quote.lines.filter((l) => l.type === 'TAX');
  assert.deepEqual([fet.base, fet.amount], ['18900.00', '1417.50']);
  assert.equal(quote.base_amount, '19100.00');
  assert.equal(quote.final_amount, '20517.50');
  assert.equal(quote.charters[0].operator_fees, '2100.00');
});

test('charter quote: the same request as JSON text gives the same quote', () => {
  withRulebook((rb) => {
    assert.deepEqual(rb.quote(JSON.stringify(BROKER_REQUEST)), rb.quote(BROKER_REQUEST));
  }, Rulebook.fromObject(FET_ONLY));
});

test('charter quote: a JS number as the hourly rate is INVALID_AMOUNT, never money', () => {
  const request = clone(BROKER_REQUEST);
  request.items[0].jet.aircraft.hourly_rate.amount = 3400;
  withRulebook((rb) => rihlaDetails(() => rb.quote(request), 'INVALID_AMOUNT'), Rulebook.fromObject(FET_ONLY));
});

// --- (b) taxes decided by the host's airport countries ---------------------------------

test('charter quote: Riyadh-Jeddah is domestic, KSA VAT 15 % on the flight and every fee', () => {
  const quote = withRulebook((rb) => rb.quote(fromRiyadh('JED')));
  assert.equal(quote.currency, 'SAR');
  assert.deepEqual(
    quote.lines.filter((l) => l.type === 'ITEM').map((l) => [l.id, l.gross, l.tax, l.total]),
    [
      ['JET-1', '48000.00', '7200.00', '55200.00'],
      ['JET-1/LANDING', '1900.00', '285.00', '2185.00'],
      ['JET-1/CATERING', '750.00', '112.50', '862.50'],
    ],
  );
  const vat = quote.lines.filter((l) => l.type === 'TAX');
  assert.equal(vat.length, 1);
  assert.equal(vat[0].rule_id, 'KSA-VAT-15-AIR');
  assert.equal(vat[0].code, 'VAT');
  assert.equal(vat[0].rate, '15');
  assert.equal(vat[0].base, '50650.00');
  assert.equal(vat[0].amount, '7597.50');
  assert.equal(quote.base_amount, '50650.00');
  assert.equal(quote.tax_amount, '7597.50');
  assert.equal(quote.final_amount, '58247.50');

  const [charter] = quote.charters;
  // 1.4 block hours (851.8 km), raised to the midsize's 2.0-hour daily minimum.
  assert.equal(charter.flown_hours, '1.4');
  assert.equal(charter.billable_hours, '2.0');
  assert.equal(charter.legs[0].distance_km, '851.8');
  assert.equal(charter.legs[0].billed_hours, '1.4');
  assert.equal(charter.legs[0].charge, '33600.00');
  assert.deepEqual(charter.daily_minimums.map((d) => [d.date, d.hours, d.minimum_hours, d.top_up_hours, d.charge]), [
    ['2026-12-15', '1.4', '2.0', '0.6', '14400.00'],
  ]);
  assert.equal(charter.flight_charge, '48000.00');
  assert.equal(charter.surcharge_amount, '0.00');
  assert.equal(charter.operator_fees, '2650.00');
  assert.equal(charter.tax, '7597.50');
  assert.equal(charter.total_with_tax, '58247.50');
  // The default rulebook's split: 10 % commission, 2 % platform fee, on the total before tax.
  assert.equal(charter.commission, '5065.00');
  assert.equal(charter.platform_fee, '1013.00');
  assert.equal(charter.owner_earnings, '44572.00');
});

test('charter quote: Riyadh-Cairo is international, zero-rated: no VAT line', () => {
  const quote = withRulebook((rb) => rb.quote(fromRiyadh('CAI')));
  assert.deepEqual(quote.lines.filter((l) => l.type === 'TAX'), []);
  assert.deepEqual(
    quote.lines.filter((l) => l.type === 'ITEM').map((l) => [l.id, l.gross, l.tax, l.total]),
    [
      ['JET-1', '57600.00', '0.00', '57600.00'],
      ['JET-1/LANDING', '1900.00', '0.00', '1900.00'],
      ['JET-1/CATERING', '750.00', '0.00', '750.00'],
    ],
  );
  assert.equal(quote.tax_amount, '0.00');
  assert.equal(quote.final_amount, '60250.00');
  const [charter] = quote.charters;
  assert.equal(`${charter.legs[0].from_country}-${charter.legs[0].to_country}`, 'SA-EG');
  assert.equal(charter.legs[0].distance_km, '1611.7');
  assert.equal(charter.billable_hours, '2.4');
  assert.equal(charter.flight_charge, '57600.00');
  assert.equal(charter.commission, '6025.00');
  assert.equal(charter.owner_earnings, '53020.00');
});

// --- (c) charter errors ------------------------------------------------------------------

test('charter quote: a code without host coordinates is AIRPORT_TABLE_UNAVAILABLE', () => {
  const request = fromRiyadh('JED');
  request.items[0].jet.legs[0].to = 'MED';
  const details = withRulebook((rb) => rihlaDetails(() => rb.quote(request), 'AIRPORT_TABLE_UNAVAILABLE'));
  assert.equal(details.airport, 'MED');
  assert.match(details.message, /give the coordinates/);
});

test('charter quote: more passengers than seats is TOO_MANY_PASSENGERS with leg, passengers, seats', () => {
  const request = fromRiyadh('JED');
  const jet = request.items[0].jet;
  jet.aircraft.category = 'LIGHT'; // 6 seats by default
  jet.legs.push({ from: 'JED', to: 'RUH', departure: '2026-12-16T10:00:00+03:00', passengers: 7 });
  const details = withRulebook((rb) => rihlaDetails(() => rb.quote(request), 'TOO_MANY_PASSENGERS'));
  assert.equal(details.field, 'items[0].jet.legs[1].passengers');
  assert.equal(details.leg, 1);
  assert.equal(details.passengers, 7);
  assert.equal(details.seats, 6);
});

test('charter quote: a leg longer than the aircraft range is BEYOND_RANGE', () => {
  const request = fromRiyadh('CAI');
  request.items[0].jet.aircraft.range_km = '1500';
  const details = withRulebook((rb) => rihlaDetails(() => rb.quote(request), 'BEYOND_RANGE'));
  assert.deepEqual(
    [details.field, details.leg, details.from, details.to, details.distance_km, details.range_km],
    ['items[0].jet.legs[0]', 0, 'RUH', 'CAI', '1611.7', '1500'],
  );
});

// --- (d) availability ----------------------------------------------------------------------

test('charterAvailability: a leg overlapping a booking is a BOOKED conflict', () => {
  const report = withRulebook((rb) => rb.charterAvailability(DAY_TRIP));
  assert.equal(report.available, false);
  assert.deepEqual(
    report.legs.map((l) => [l.kind, l.leg, l.from, l.to, l.departure, l.arrival, l.billed_hours, l.distance_km]),
    [
      ['OCCUPIED', 0, 'RUH', 'JED', '2026-12-15T10:00:00+03:00', '2026-12-15T11:19:24+03:00', '1.4', '851.8'],
      ['OCCUPIED', 1, 'JED', 'RUH', '2026-12-15T18:00:00+03:00', '2026-12-15T19:19:24+03:00', '1.4', '851.8'],
    ],
  );
  // Integer arithmetic: the exact block time is the same digits on every platform.
  assert.equal(report.legs[0].block_time.block_hours_exact, '1.3230975940529408810085890803');
  // The second leg occupies 15:00Z .. 16:19:24Z + 60 min turnaround; BK-2041 is
  // 12:30Z .. 14:30Z + 60 min turnaround = 15:30Z: they overlap. The first leg does not.
  assert.deepEqual(report.conflicts, [
    {
      flown_leg: 1,
      leg: 1,
      kind: 'OCCUPIED',
      start: '2026-12-15T15:00:00Z',
      end: '2026-12-15T17:19:24Z',
      reason: 'BOOKED',
      booking_id: 'BK-2041',
      booking_start: '2026-12-15T12:30:00Z',
      booking_end: '2026-12-15T14:30:00Z',
    },
  ]);
});

test('charterAvailability: a booking the next day leaves the aircraft available', () => {
  const itinerary = clone(DAY_TRIP);
  itinerary.availability = {
    bookings: [{ id: 'BK-2041', start: '2026-12-16T06:00:00Z', end: '2026-12-16T10:00:00Z' }],
  };
  const report = withRulebook((rb) => rb.charterAvailability(JSON.stringify(itinerary)));
  assert.equal(report.available, true);
  assert.deepEqual(report.conflicts, []);
  assert.equal(report.legs.length, 2);
});

test('charterAvailability: outside every window is OUTSIDE_AVAILABILITY', () => {
  const itinerary = clone(DAY_TRIP);
  itinerary.availability = { windows: [{ start: '2026-12-15T00:00:00Z', end: '2026-12-15T12:00:00Z' }] };
  const report = withRulebook((rb) => rb.charterAvailability(itinerary));
  assert.equal(report.available, false);
  assert.deepEqual(
    report.conflicts.map((c) => [c.flown_leg, c.reason, c.booking_id]),
    [[1, 'OUTSIDE_AVAILABILITY', undefined]],
  );
});

test('charterAvailability: the aircraft away from its base flies a repositioning leg first', () => {
  const itinerary = clone(DAY_TRIP);
  itinerary.aircraft.position = 'JED';
  delete itinerary.availability;
  const report = withRulebook((rb) => rb.charterAvailability(itinerary));
  assert.equal(report.available, true);
  assert.deepEqual(report.conflicts, []);
  assert.deepEqual(
    report.legs.map((l) => [l.kind, l.leg, l.from, l.to, l.departure, l.arrival, l.passengers]),
    [
      // Arrives one turnaround (60 min) before the first customer departure.
      ['REPOSITIONING', undefined, 'JED', 'RUH', '2026-12-15T07:40:36+03:00', '2026-12-15T09:00:00+03:00', 0],
      ['OCCUPIED', 0, 'RUH', 'JED', '2026-12-15T10:00:00+03:00', '2026-12-15T11:19:24+03:00', 3],
      ['OCCUPIED', 1, 'JED', 'RUH', '2026-12-15T18:00:00+03:00', '2026-12-15T19:19:24+03:00', 3],
    ],
  );
});

test('charterAvailability: errors (OVERLAPPING_LEGS, INVALID_INTERVAL, AIRPORT_TABLE_UNAVAILABLE)', () => {
  withRulebook((rb) => {
    const overlapping = clone(DAY_TRIP);
    overlapping.legs[1].departure = '2026-12-15T11:30:00+03:00';
    const o = rihlaDetails(() => rb.charterAvailability(overlapping), 'OVERLAPPING_LEGS');
    assert.deepEqual(
      [o.field, o.leg, o.departure, o.earliest],
      ['legs[1].departure', 1, '2026-12-15T08:30:00Z', '2026-12-15T09:19:24Z'],
    );

    const backwards = clone(DAY_TRIP);
    backwards.availability.bookings[0] = { id: 'BK-1', start: '2026-12-15T14:30:00Z', end: '2026-12-15T12:30:00Z' };
    const i = rihlaDetails(() => rb.charterAvailability(backwards), 'INVALID_INTERVAL');
    assert.deepEqual(
      [i.field, i.start, i.end],
      ['availability.bookings[0]', '2026-12-15T14:30:00Z', '2026-12-15T12:30:00Z'],
    );

    const noJed = clone(DAY_TRIP);
    noJed.airports = [AIRPORTS.RUH];
    assert.equal(rihlaDetails(() => rb.charterAvailability(noJed), 'AIRPORT_TABLE_UNAVAILABLE').airport, 'JED');

    const field = rihlaDetails(() => rb.charterAvailability({ ...DAY_TRIP, legs: 'RUH-JED' }), 'INVALID_REQUEST');
    assert.equal(field.field, 'legs');
    rihlaDetails(() => rb.charterAvailability('{"aircraft":'), 'INVALID_JSON');
    const cyclic = clone(DAY_TRIP);
    cyclic.self = cyclic;
    rihlaDetails(() => rb.charterAvailability(cyclic), 'INVALID_JSON');
  });
});
