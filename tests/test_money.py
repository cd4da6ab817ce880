"""money: the one rounding rule (half-even) and the texts of money, prices, percentages and plain decimals."""

from __future__ import annotations

from decimal import Decimal as D

from aicost.money import CENT, decimal_text, money_text, percent_text, price_text, quantize, round_money


def test_quantize_rounds_half_to_even() -> None:
    assert str(quantize(D("2.345"), CENT)) == "2.34"  # the 4 is even: the half goes down
    assert str(quantize(D("2.355"), CENT)) == "2.36"  # the 5 is odd: the half goes up
    assert str(quantize(D("2.3451"), CENT)) == "2.35"  # more than half
    assert str(quantize(D("-2.345"), CENT)) == "-2.34"


def test_quantize_never_writes_minus_zero() -> None:
    assert str(quantize(D("-0.001"), CENT)) == "0.00"


def test_quantize_has_the_digits_a_large_amount_needs() -> None:
    # 10^30 at cents has 33 significant digits, more than the default context's 28: still exact
    assert str(quantize(D("1" + "0" * 30 + ".005"), CENT)) == "1" + "0" * 30 + ".00"  # a half: to the even 0.00
    assert str(quantize(D("1" + "0" * 30 + ".015"), CENT)) == "1" + "0" * 30 + ".02"  # a half: to the even 0.02


def test_round_money_keeps_six_places_half_even() -> None:
    assert round_money(D("0.0000125")) == D("0.000012")
    assert round_money(D("0.0000135")) == D("0.000014")
    assert round_money(D("1234.5")) == D("1234.500000")


def test_decimal_text_is_a_plain_literal() -> None:
    assert decimal_text(D("1.2E+3")) == "1200"
    assert decimal_text(D("0.0000120")) == "0.000012"
    assert decimal_text(D("5.000")) == "5"
    assert decimal_text(D("-0")) == "0"
    assert decimal_text(D("-2.50")) == "-2.5"


def test_money_text_for_people() -> None:
    assert money_text(D("1234.565")) == "$1,234.56"  # half-even
    assert money_text(D("1234.5"), "EUR") == "€1,234.50"
    assert money_text(D("7"), "CNY") == "¥7.00"
    assert money_text(D("1"), "GBP") == "GBP 1.00"  # no symbol known: the code
    assert money_text(D("-15.5")) == "-$15.50"


def test_money_under_a_cent_keeps_two_significant_digits() -> None:
    assert money_text(D("0.004")) == "$0.0040"
    assert money_text(D("-0.001")) == "-$0.0010"
    assert money_text(D("-0.00001")) == "-$0.000010"  # two significant digits, up to the 6 places JSON carries
    assert money_text(D("0.0000004")) == "<$0.000001"  # below the sixth place: said, never $0
    assert money_text(D("0")) == "$0.00"


def test_price_text_is_exact_with_at_least_cents() -> None:
    assert price_text(D("2.5")) == "$2.50"
    assert price_text(D("0.075")) == "$0.075"
    assert price_text(D("0.4"), "CNY") == "¥0.40"
    assert price_text(D("15")) == "$15.00"


def test_percent_text_one_place() -> None:
    assert percent_text(D("0.864")) == "86.4 %"
    assert percent_text(D("0.00125")) == "0.1 %"  # 0.125 % to one place: 0.1
    assert percent_text(D("0.0005")) == "0.0 %"  # 0.05 %: a half, to the even 0.0
    assert percent_text(D("0.0015")) == "0.2 %"  # 0.15 %: a half, to the even 0.2
    assert percent_text(D("0.05"), signed=True) == "+5.0 %"
    assert percent_text(D("-0.05"), signed=True) == "-5.0 %"
    assert percent_text(D("0"), signed=True) == "0.0 %"
