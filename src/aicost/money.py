"""Rounding and formatting money and fractions: the one place where a Decimal is rounded for people or machines.

Arithmetic elsewhere stays exact; only what is shown or written is rounded, here, half-even.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal

MONEY_PLACES = Decimal("0.000001")
CENT = Decimal("0.01")


def quantize(value: Decimal, places: Decimal) -> Decimal:
    """`value` rounded half-even to the exponent of `places` (Decimal("0.01") for cents).

    The context is as wide as the result needs, so rounding never fails for lack of digits, whatever the
    magnitude; a zero result is never "-0"."""
    digits = max(28, value.adjusted() - places.as_tuple().exponent + 3)  # type: ignore[operator]
    rounded = value.quantize(places, rounding=ROUND_HALF_EVEN, context=Context(prec=digits))
    return rounded.copy_abs() if rounded.is_zero() else rounded


def round_money(value: Decimal) -> Decimal:
    """The one rounding of money for machine output: 6 decimal places, half-even."""
    return quantize(value, MONEY_PLACES)


def decimal_text(value: Decimal) -> str:
    """A Decimal as a plain literal with no exponent and no trailing zeros: 1200, 0.000012, never -0."""
    if value.is_zero():
        return "0"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


SYMBOLS = {"USD": "$", "EUR": "€", "CNY": "¥"}


TINY_SIGNIFICANT = 2  # digits an amount under a cent keeps


def money_text(value: Decimal, currency: str = "USD") -> str:
    """Money for people: $1,234.57 (€, ¥ for EUR, CNY). An amount under a cent keeps two significant digits
    ($0.0034, $0.00012, $0.000012), never more than the six places of JSON and csv; a non-zero amount that rounds
    to nothing at six places shows as <$0.000001 — never as $0.00."""
    magnitude = abs(value)
    symbol = SYMBOLS.get(currency, currency + " ")
    places = CENT
    if magnitude != 0 and magnitude < CENT:
        places = Decimal(1).scaleb(max(magnitude.adjusted() - TINY_SIGNIFICANT + 1, MONEY_PLACES.adjusted()))
    shown = quantize(magnitude, places)
    if shown.is_zero() and not magnitude.is_zero():
        return f"{'>-' if value < 0 else '<'}{symbol}{MONEY_PLACES}"
    sign = "-" if value < 0 and not shown.is_zero() else ""
    return f"{sign}{symbol}{shown:,}"


def price_text(value: Decimal, currency: str = "USD") -> str:
    """A catalog price for people: exact, with at least cents ($2.50, $0.075, ¥0.4 → ¥0.40)."""
    cents = quantize(value, CENT)
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{symbol}{cents:f}" if value == cents else f"{symbol}{decimal_text(value)}"


def percent_text(fraction: Decimal, signed: bool = False) -> str:
    """A fraction for people: 0.864 -> '86.4 %' (one place, half-even); `signed` adds '+' to increases."""
    shown = quantize(fraction * 100, Decimal("0.1"))
    return f"+{shown} %" if signed and shown > 0 else f"{shown} %"


