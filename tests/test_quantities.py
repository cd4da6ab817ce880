"""quantities: amounts, shares, changes, numbers and dates as people write them; errors name the parameter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from aicost.errors import ParameterError
from aicost.quantities import amount_currency, parse_amount, parse_change, parse_fraction, parse_iso_date, parse_number


def refused(call: object, *args: object, **kwargs: object) -> ParameterError:
    assert callable(call)
    with pytest.raises(ParameterError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_amounts_as_people_write_them() -> None:
    assert parse_amount("5000", "max") == D("5000")
    assert parse_amount("5,000", "max") == D("5000")
    assert parse_amount(" $5,000.50 ", "max") == D("5000.50")
    assert parse_amount("€1,234,567", "max", currency="EUR") == D("1234567")
    assert parse_amount("0", "max") == D("0")


def test_amounts_refused() -> None:
    negative = refused(parse_amount, "-5", "max")
    assert (negative.parameter, negative.value, negative.problem) == ("max", "-5", "must not be negative")
    assert refused(parse_amount, "5,00", "max").problem.startswith("not an amount")  # a comma groups three digits
    assert refused(parse_amount, "5k", "max").problem.startswith("not an amount")
    assert refused(parse_amount, "1,000,000,000,000,001", "max").problem == "must be at most 1,000,000,000,000,000"
    other = refused(parse_amount, "$5", "max", currency="EUR")
    assert other.problem.startswith("is in USD, but the report is in EUR")


def test_amount_currency_from_the_symbol() -> None:
    assert amount_currency(" ¥3") == "CNY"
    assert amount_currency("€3") == "EUR"
    assert amount_currency("$3") == "USD"
    assert amount_currency("3") is None


def test_fractions_and_percentages() -> None:
    assert parse_fraction("80%", "share") == D("0.8")
    assert parse_fraction("12.5 %", "share") == D("0.125")
    assert parse_fraction("0.8", "share") == D("0.8")
    assert parse_fraction("1", "share") == D("1")
    assert parse_fraction("150%", "warn_at", maximum=None) == D("1.5")
    assert parse_fraction("10000%", "warn_at", maximum=None) == D("100")  # the largest open-ended share


def test_fractions_refused() -> None:
    assert refused(parse_fraction, "80", "share").problem == "must be between 0 and 1 (100%) — write 80% for a percentage"
    assert refused(parse_fraction, "101", "share").problem == "must be between 0 and 1 (100%)"  # not a percentage either
    assert refused(parse_fraction, "80", "warn_at", maximum=None).problem.startswith("a bare number is a fraction 0..1")
    assert refused(parse_fraction, "1", "share", allow_maximum=False).problem == "must be between 0 and below 1 (100%)"
    assert refused(parse_fraction, "-0.5", "share").problem.startswith("must not be negative")
    assert refused(parse_fraction, "half", "share").problem.startswith("not a number")
    assert refused(parse_fraction, "1e-13", "share").problem.startswith("must be 0 or at least 1E-12")
    assert refused(parse_fraction, "10001%", "warn_at", maximum=None).problem == "must be between 0 and 100 (10,000%)"
    assert refused(parse_fraction, "1e9", "warn_at", maximum=None).problem == "must be between 0 and 100 (10,000%)"


def test_changes_are_signed() -> None:
    assert parse_change("+30%", "price_change") == D("0.3")
    assert parse_change("-20%", "price_change") == D("-0.2")
    assert parse_change("0.05", "price_change") == D("0.05")
    assert parse_change("-99.5%", "price_change") == D("-0.995")
    assert refused(parse_change, "-100%", "price_change").problem.startswith("must be above -100 %")
    assert refused(parse_change, "+20000%", "price_change").problem == "must be between -100 % and +10,000 %"


def test_numbers_within_a_limit() -> None:
    assert parse_number("-0.29", "elasticity", D(10)) == D("-0.29")
    assert parse_number("+1.5", "elasticity", D(10)) == D("1.5")
    assert refused(parse_number, "11", "elasticity", D(10)).problem == "must be between -10 and 10"
    assert refused(parse_number, "-11", "elasticity", D(10)).problem == "must be between -10 and 10"
    assert refused(parse_number, "x", "elasticity", D(10)).problem.startswith("not a number")


def test_iso_dates() -> None:
    assert parse_iso_date("2026-03-01", "as_of") == dt.date(2026, 3, 1)
    for text in ("2026-02-30", "20260301", "2026-3-1", "today"):
        error = refused(parse_iso_date, text, "as_of")
        assert error.parameter == "as_of"
        assert error.problem == "not a date — use YYYY-MM-DD" and error.value == text
