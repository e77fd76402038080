"""Times rihla's Python module against a pure-Python quote, in one process and one run.

    .venv/bin/python benches/python/compare.py [--runs 3] [--quick]

Build the module in release first (``RIHLA_PY_RELEASE=1 bash bindings-python/run-tests.sh``
or ``maturin develop --release``): a debug build is ten times slower. Each figure is the
best of several repeats within a run, over ``--runs`` runs: the median and the spread
(min–max) are printed, and each quote figure as a ratio to the reference timed in the
same run (the machine is shared and noisy: compare ratios, not absolute times).

Figures: the family quote (examples/data/umrah_family.json, the README's main job) by
``reference.quote`` (benches/python/reference.py: idiomatic ``decimal``, validation and
explanations included, checked against rihla by bindings-python/tests/test_reference.py),
by ``rulebook.quote(dict)`` reading the totals, by ``rulebook.quote_json(bytes)``, by
``quote_many`` and ``quote_many_json`` of 1,000 (per request); the ledger applying 100,000
transfers in batches of 8,190 from dicts and from JSON text (transfers per second); and
``import rihla`` in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import timeit
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List

import rihla

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import reference  # noqa: E402

FAMILY: Dict[str, Any] = json.loads((REPO / "examples" / "data" / "umrah_family.json").read_text())
RULES: Dict[str, Any] = json.loads((REPO / "pricing" / "data" / "default_rulebook.json").read_text())
BATCH = rihla.LEDGER_BATCH_MAX


def best_us(fn: Callable[[], Any], number: int, repeat: int = 5) -> float:
    """The best of `repeat` timings of `number` calls, in µs per call."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def quote_figures(quick: bool) -> Dict[str, float]:
    rulebook = rihla.Rulebook.default()
    body = json.dumps(FAMILY).encode()
    n = 300 if quick else 3000

    def totals(q: Any) -> Any:
        return (q["final_amount"], q["base_amount"], q["discount_amount"],
                q["voucher_discount"], q["tax_amount"]) if isinstance(q, dict) else (
            q.final_amount, q.base_amount, q.discount_amount, q.voucher_discount,
            q.tax_amount)

    many = [FAMILY] * 1000
    many_json = [body] * 1000
    return {
        "reference quote (pure Python)": best_us(lambda: totals(reference.quote(RULES, FAMILY)), n),
        "rihla quote(dict) + totals": best_us(lambda: totals(rulebook.quote(FAMILY)), n),
        "rihla quote_json(bytes)": best_us(lambda: rulebook.quote_json(body), n),
        "rihla quote_many(1,000), per request": best_us(
            lambda: rulebook.quote_many(many), 1 if quick else 3) / 1000,
        "rihla quote_many_json(1,000), per request": best_us(
            lambda: rulebook.quote_many_json(many_json), 1 if quick else 3) / 1000,
    }


def ledger_figures(quick: bool) -> Dict[str, float]:
    total = 20_000 if quick else 100_000
    at = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
    accounts = [{"id": 1, "unit": "SAR", "normal": "DEBIT"}] + [
        {"id": 1000 + k, "unit": "SAR"} for k in range(1, 1001)]
    transfers = [{"id": 10 + i, "debit_account_id": 1, "credit_account_id": 1001 + i % 1000,
                  "amount": Decimal("12.50"), "unit": "SAR", "code": "DEPOSIT", "at": at}
                 for i in range(total)]
    batches = [transfers[i:i + BATCH] for i in range(0, total, BATCH)]
    texts = [json.dumps([{**t, "id": str(t["id"]), "debit_account_id": "1",
                          "credit_account_id": str(t["credit_account_id"]), "amount": "12.50",
                          "at": at.isoformat()} for t in b]).encode() for b in batches]

    def run(items: List[Any]) -> float:
        best = float("inf")
        for _ in range(1 if quick else 3):
            ledger = rihla.Ledger()
            ledger.create_accounts(accounts)
            ledger.reserve(total)
            start = timeit.default_timer()
            for b in items:
                ledger.apply(b)
            best = min(best, timeit.default_timer() - start)
            assert len(ledger) == total
        return total / best

    return {
        f"ledger apply from dicts ({total:,} in batches of {BATCH:,}), transfers/s": run(batches),
        f"ledger apply from JSON bytes ({total:,} in batches of {BATCH:,}), transfers/s": run(texts),
    }


def import_ms() -> float:
    code = "import time; t=time.perf_counter(); import rihla; print((time.perf_counter()-t)*1e3)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                  text=True, check=True).stdout) for _ in range(7)]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = parser.parse_args()
    runs: List[Dict[str, float]] = []
    for _ in range(args.runs):
        figures = quote_figures(args.quick)
        figures.update(ledger_figures(args.quick))
        figures["import rihla, ms (median of 7)"] = import_ms()
        runs.append(figures)
    ref = "reference quote (pure Python)"
    print(f"rihla {rihla.__version__}, Python {sys.version.split()[0]}, {args.runs} runs")
    for name in runs[0]:
        values = [r[name] for r in runs]
        line = (f"{statistics.median(values):>12,.1f}  [{min(values):,.1f} – {max(values):,.1f}]"
                f"  {name}")
        if name.startswith("rihla quote"):
            ratios = [r[ref] / r[name] for r in runs]
            line += (f"   ×{statistics.median(ratios):.2f} faster than the reference"
                     f" [{min(ratios):.2f} – {max(ratios):.2f}]")
        elif name == ref:
            line += "   (µs)"
        print(line)


if __name__ == "__main__":
    main()
