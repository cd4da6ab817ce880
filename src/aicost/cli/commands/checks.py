"""`aicost budget` and `aicost diff`: made for scripts and CI; the verdict is the exit status (0 within, 1 over)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aicost.cli.groups import AdjustmentOptions, PricingOptions, ReportOptions, StreamOptions, command
from aicost.cli.inputs import BUDGET_VARIABLE, open_catalog, open_inputs, pricing_date, with_adjustments
from aicost.cli.output import say
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK, InputError, shown

if TYPE_CHECKING:
    from decimal import Decimal

    from aicost.cli.options import (
        AsOfNewOption,
        AsOfOldOption,
        BudgetMaxOption,
        CatalogNewOption,
        CatalogOldOption,
        MaxIncreaseOption,
        NewArgument,
        OldArgument,
        WarnAtOption,
        WorkloadArgument,
    )


@command
def budget(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    max: BudgetMaxOption = None,
    warn_at: WarnAtOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Check the monthly cost against --max or the file's [budget] monthly: exit 0 within, 1 over, 2 bad input."""
    from aicost.calc import workload_cost
    from aicost.checks import BudgetCheck
    from aicost.money import money_text, percent_text
    from aicost.quantities import parse_amount, parse_fraction
    from aicost.reports.checks import budget_view

    from_environment = os.environ.get(BUDGET_VARIABLE) or None
    warn = None if warn_at is None else parse_fraction(warn_at, "warn_at", maximum=None)
    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    limit = None
    if max is not None:
        limit, source = parse_amount(max, "max", loaded.currency), "--max"
    elif from_environment is not None:
        limit, source = parse_amount(from_environment, BUDGET_VARIABLE, loaded.currency), f"${BUDGET_VARIABLE}"
    if limit is None:
        if loaded.budget_monthly is None:
            raise InputError(f"{loaded.source}: no budget to check against — give --max AMOUNT or add "
                             "[budget] monthly = AMOUNT to the workload file")
        limit, source = loaded.budget_monthly, f"[budget] monthly in {loaded.source}"
    check = BudgetCheck(workload_cost(loaded, prices, day), limit, source, warn)
    out.emit(budget_view(check))

    def money(value: Decimal) -> str:
        return money_text(value, loaded.currency)

    if check.warning:
        assert check.used is not None and check.warn_at is not None
        say(f"aicost: warning: monthly cost {money(check.monthly_cost)} is {percent_text(check.used)} of the "
            f"budget {money(check.budget)} (--warn-at {percent_text(check.warn_at)})")
    if not check.within_budget:
        say(f"aicost: over budget: monthly cost {money(check.monthly_cost)} exceeds the budget "
            f"{money(check.budget)} by {money(-check.headroom)}")
        return EXIT_CHECK_FAILED
    return EXIT_OK


@command
def diff(
    old: OldArgument,
    new: NewArgument,
    *,
    max_increase: MaxIncreaseOption = None,
    terms: AdjustmentOptions,
    pricing: PricingOptions,
    as_of_old: AsOfOldOption = None,
    as_of_new: AsOfNewOption = None,
    catalog_old: CatalogOldOption = None,
    catalog_new: CatalogNewOption = None,
    out: ReportOptions,
) -> int:
    """Cost change between two workload files, pricing dates or catalogs, stream by stream: for pull requests."""
    from aicost.calc import workload_cost
    from aicost.checks import DiffReport, diff_reports, limit_amount
    from aicost.currency import workload_in_currency
    from aicost.documents import read_document
    from aicost.money import money_text, percent_text
    from aicost.quantities import amount_currency, parse_amount, parse_fraction, shell_ate_dollar, shell_expanded
    from aicost.reports.checks import diff_view, signed_money
    from aicost.workload import parse_workload

    amount_text = share = None
    if max_increase is not None:
        text = max_increase.strip()
        if text.endswith("%"):
            share = parse_fraction(text, "max_increase", maximum=None)
        elif amount_currency(text) is not None:
            amount_text = text  # read once the report's currency is known
        elif shell_expanded(text):
            raise InputError(f"--max-increase {shown(max_increase)}: {shell_ate_dollar(text).split(' — ')[0]} — put "
                             f"the amount in single quotes: --max-increase '$N{shown(text)}'")
        else:  # a bare number is a fraction for every other option and money for none: say which
            raise InputError(f"--max-increase {shown(text)}: write a share of the old cost with % (10%) or an amount "
                             "with its currency symbol, in single quotes ('$500')")
    # an option's own name in its messages: --as-of-old junk is not blamed on --as-of
    day_old = pricing_date(*((as_of_old, "as_of_old") if as_of_old is not None else (pricing.as_of, "as_of")))
    day_new = pricing_date(*((as_of_new, "as_of_new") if as_of_new is not None else (pricing.as_of, "as_of")))
    prices_old = open_catalog(*((catalog_old, "catalog_old") if catalog_old is not None else (pricing.catalog, "catalog")))
    prices_new = prices_old if catalog_new == catalog_old else open_catalog(
        *((catalog_new, "catalog_new") if catalog_new is not None else (pricing.catalog, "catalog")))
    # The same path (even "-") is read once: `diff W W --as-of-old ... --as-of-new ...` compares two dates.
    old_label, old_document = read_document(old, "workload")
    new_label, new_document = (old_label, old_document) if new == old else read_document(new, "workload")
    # --discount and --platform-fee are laid over both sides: the same negotiated terms on OLD and NEW
    new_workload = workload_in_currency(with_adjustments(parse_workload(new_document, new_label, prices_new), prices_new,
                                                         terms), prices_new, pricing.currency)
    old_parsed = with_adjustments(parse_workload(old_document, old_label, prices_old), prices_old, terms)
    old_workload = workload_in_currency(old_parsed, prices_old, new_workload.currency)
    if old_parsed.currency != new_workload.currency and not out.quiet:
        say(f"aicost: note: {old_label} is in {old_parsed.currency}; its costs are converted to "
            f"{new_workload.currency} at the catalog's rate (named in the report)")
    old_report = workload_cost(old_workload, prices_old, day_old)
    new_report = workload_cost(new_workload, prices_new, day_new)
    amount = None if amount_text is None else parse_amount(amount_text, "max_increase", new_workload.currency)
    limit = limit_amount(old_report.monthly_cost, amount, share)
    report = DiffReport(old_report, new_report, diff_reports(old_report, new_report), limit, max_increase)
    out.emit(diff_view(report))
    if not report.within_limit:
        assert limit is not None
        share_text = f" ({percent_text(report.change_share, signed=True)})" if report.change_share is not None else ""
        say(f"aicost: cost increase {signed_money(report.change, report.new.workload.currency)}{share_text} exceeds --max-increase "
            f"{max_increase} ({money_text(limit, report.new.workload.currency)} a month)")
        return EXIT_CHECK_FAILED
    return EXIT_OK
