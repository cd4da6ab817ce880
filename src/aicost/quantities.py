"""Quantities as people write them on a command line or in a setting: amounts, shares, dates.

`parse_amount("$5,000")`, `parse_fraction("80%")`, `parse_iso_date("2026-03-01")`.  A value that cannot be used
raises `ParameterError` naming the parameter; the CLI words it with the option's flag.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import ParameterError, shown
from .fields import ISO_DATE, LARGEST_NUMBER, SMALLEST_NUMBER


def parse_iso_date(text: str, option: str) -> dt.date:
    try:
        if re.fullmatch(ISO_DATE, text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ParameterError(option, text, "not a date — use YYYY-MM-DD")


class AsTyped(Decimal):
    """A number that a message echoes as the user typed it (`0.0000001`, `50%`, `0000999…`), not as its Decimal
    (`1E-7`, `0.5`, `999…`).  Arithmetic on it gives plain Decimals, and `Decimal(value)` is the plain number."""

    typed: str

    def __new__(cls, value: Decimal, typed: str) -> AsTyped:
        number = super().__new__(cls, value)
        number.typed = typed
        return number

    def __str__(self) -> str:
        return self.typed

    def __repr__(self) -> str:
        return f"AsTyped({Decimal(self)!r}, {self.typed!r})"


EARLIEST_PRICING_DATE = dt.date(1000, 1, 1)  # catalog versions are CalVer YYYY.M.PATCH: a four-digit year
EARLY_PRICING_DATE = (f"is before {EARLIEST_PRICING_DATE}: catalog versions are named by a four-digit year, so no "
                      "price is dated earlier — give a date from 1000-01-01 on")


def parse_pricing_date(text: str, option: str) -> dt.date:
    """A pricing date (--as-of): a date YYYY-MM-DD, not before EARLIEST_PRICING_DATE."""
    day = parse_iso_date(text, option)
    if day < EARLIEST_PRICING_DATE:
        raise ParameterError(option, text, EARLY_PRICING_DATE)
    return day


NUMBER = r"[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?"
_AMOUNT = r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
_BEYOND_ANY_LIMIT = Decimal("1E+999999")  # stands for 1E99999999999999999999: above every limit, yet a Decimal
_BELOW_ANY_LIMIT = Decimal("1E-999999")  # and for 1E-99999999999999999999: not 0, below SMALLEST_NUMBER


def number_value(digits: str) -> Decimal:
    """The Decimal of an unsigned NUMBER; one whose exponent no Decimal holds (past about 10^18) is replaced by a
    stand-in on the same side of every limit, so that the range check refuses it naming the limit (the message
    echoes the text as typed), never "not a number" or an arithmetic error."""
    try:
        return Decimal(digits)
    except InvalidOperation:
        return _BELOW_ANY_LIMIT if re.search(r"[eE]-", digits) else _BEYOND_ANY_LIMIT


HUNDRED = Decimal(100)
LARGEST_SHARE = Decimal(100)  # 10,000 %: the most an open-ended share (--warn-at, --max-increase 50%) may be


MAX_INTEGER_DIGITS = 40  # a whole number written with more digits is kept as a Decimal: no limit is near it


def whole_number(text: str) -> int | Decimal:
    """A whole number's digits ("-12", "1500") as an int; past MAX_INTEGER_DIGITS digits as a Decimal, which has no
    limit on its length (Python refuses to convert more than 4,300 digits to an int), so that the caller's range
    check refuses it with the limit instead of an internal error."""
    digits = text.strip()
    if len(digits.lstrip("+-")) > MAX_INTEGER_DIGITS:
        return Decimal(digits)
    return int(digits)


SYMBOL_CURRENCIES = {"$": "USD", "€": "EUR", "¥": "CNY"}


def amount_currency(text: str) -> str | None:
    """The currency an amount's leading symbol names ($, €, ¥), if it has one."""
    return SYMBOL_CURRENCIES.get(text.strip()[:1])


def shell_ate_dollar(text: str) -> str:
    """What to say of an amount the shell cut (`shell_expanded`), echoing what reached aicost: `000` was `$N000`."""
    rest = shown(text.strip())
    return (f"the shell probably expanded `$` and the digit after it (`$N{rest}` reaches aicost as `{rest}`: `$N` is a "
            f"shell variable, even in double quotes) — put the amount in single quotes ('$N{rest}') or leave out the $ "
            f"(N{rest}), N being the digit you typed")


def shell_expanded(text: str) -> bool:
    """What an unquoted `$2,000`, `$5000` or `$1.50` reaches aicost as: `,000`, `000` or `.50` (the shell replaced
    `$2`, `$5`, `$1` with nothing)."""
    cleaned = text.strip()
    return bool(re.fullmatch(r",\d{3}(,\d{3})*(\.\d+)?|0\d[\d,]*(\.\d+)?|\.\d+", cleaned,
                             flags=re.ASCII))


def parse_amount(text: str, option: str, currency: str | None = None) -> Decimal:
    """A money amount as people write it: 5000, 5,000, $5000, €5,000.50 (never negative). A symbol must be the
    report's currency (`currency`, when known): a dollar amount is not silently read as euros."""
    cleaned = text.strip()
    named = amount_currency(cleaned)
    if named is not None:
        cleaned = cleaned[1:].strip()
        if currency is not None and named != currency:
            raise ParameterError(option, text, f"is in {named}, but the report is in {currency} — write the amount in "
                                 f"{currency} (or give {{currency}} {named})", mentions=("currency",))
    if named is None and shell_expanded(cleaned):
        raise ParameterError(option, text, shell_ate_dollar(cleaned))
    if cleaned.startswith("-") and re.fullmatch(_AMOUNT, cleaned[1:].strip(), flags=re.ASCII):
        raise ParameterError(option, text, "must not be negative")
    if not re.fullmatch(_AMOUNT, cleaned, flags=re.ASCII):
        raise ParameterError(option, text, "not an amount — write a number such as 5000, 5,000 or 5000.50 (a currency "
                             "symbol may lead, in single quotes so that the shell keeps it: '$5000')")
    amount = Decimal(cleaned.replace(",", ""))
    if amount > LARGEST_NUMBER:
        raise ParameterError(option, text, f"must be at most {LARGEST_NUMBER:,}")
    return amount


def parse_fraction(text: str, option: str, maximum: Decimal | None = Decimal(1), allow_maximum: bool = True) -> Decimal:
    """A share written as a percentage (80%, 12.5 %) or a fraction (0.8), at most `maximum` when given.

    A bare number above 1 is refused rather than guessed at: "80" could mean 80 % or 80 times.  Without a
    `maximum`, a share may exceed 100 % up to LARGEST_SHARE (10,000 %).
    """
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    quoted = shown(text)  # in a suggestion
    number = cleaned.removesuffix("%").strip()
    if number.startswith("-") and re.fullmatch(NUMBER, number[1:], flags=re.ASCII):
        raise ParameterError(option, text, "must not be negative — write e.g. 0.8 or 80%")
    try:
        if not re.fullmatch(NUMBER, number, flags=re.ASCII):
            raise InvalidOperation
        value = number_value(number)
    except InvalidOperation:
        raise ParameterError(option, text, "not a number — write a fraction such as 0.8 or a percentage such as 80%") from None
    if not value.is_finite():
        raise ParameterError(option, text, "must be a finite number — write e.g. 0.8 or 80%")
    if value < 0:
        raise ParameterError(option, text, "must not be negative — write e.g. 0.8 or 80%")
    if value and value.adjusted() < -12:
        raise ParameterError(option, text, f"must be 0 or at least {SMALLEST_NUMBER} — write e.g. 0.8 or 80%")
    if value.adjusted() > 6:
        value = LARGEST_SHARE * 2  # far out of range; refused below with the limit named
    elif percent:
        value = value / HUNDRED
    elif value > 1 and maximum is None:
        raise ParameterError(option, text, f"a bare number is a fraction 0..1 — write {quoted}% for a percentage")
    upper_limit = LARGEST_SHARE if maximum is None else maximum
    if value > upper_limit or (value == upper_limit and not allow_maximum):
        percent_limit = f"{upper_limit * HUNDRED:,.0f}%"
        upper = f"{upper_limit} ({percent_limit})" if allow_maximum else f"below {upper_limit} ({percent_limit})"
        hint = f" — write {quoted}% for a percentage" if not percent and 1 < value <= HUNDRED else ""
        raise ParameterError(option, text, f"must be between 0 and {upper}{hint}")
    return value


def parse_change(text: str, option: str) -> Decimal:
    """A signed change as people write it: +30%, -20%, 5%, 0.05, -0.5 (a bare number is a fraction); above -100 %."""
    cleaned = text.strip()
    sign = -1 if cleaned.startswith("-") else 1
    try:
        value = parse_fraction(cleaned.lstrip("+-").strip() or cleaned, option, maximum=None) * sign
    except ParameterError as exc:  # worded with the value as given, sign included
        if "between" in exc.problem:
            raise ParameterError(option, text, "must be between -100 % and +10,000 %") from None
        if "bare number" in exc.problem:
            raise ParameterError(option, text, f"a bare number is a change above -1 and at most 1 (0.3 is +30%) — write "
                                 f"{shown(cleaned)}% for a percentage") from None
        raise ParameterError(option, text, exc.problem) from None
    if value <= -1:
        raise ParameterError(option, text, "must be above -100 % (a fall of 100 % leaves nothing)")
    return value


def parse_positive(text: str, option: str, low: Decimal, high: Decimal, unit: str) -> Decimal:
    """A number above 0 from `low` to `high` (2500, +2500, 2.5e3); a negative one or 0 is named as such."""
    cleaned = text.strip()
    body = cleaned[1:] if cleaned[:1] in "+-" else cleaned
    if cleaned.startswith("-") and re.fullmatch(NUMBER, body, flags=re.ASCII) and number_value(body):
        raise ParameterError(option, text, f"must be more than 0 {unit} (it is negative)")
    if not re.fullmatch(NUMBER, body, flags=re.ASCII):
        raise ParameterError(option, text, "not a number — write e.g. 2500")
    value = number_value(body)
    if value == 0:
        raise ParameterError(option, text, f"must be more than 0 {unit}")
    if not low <= value <= high:
        raise ParameterError(option, text, f"must be between {low} and {high:,} {unit}")
    return value


def parse_number(text: str, option: str, limit: Decimal) -> Decimal:
    """A signed decimal number within ±limit: -0.29, 1.5."""
    cleaned = text.strip()
    body = cleaned[1:] if cleaned[:1] in "+-" else cleaned
    if not re.fullmatch(NUMBER, body, flags=re.ASCII):
        raise ParameterError(option, text, "not a number — write e.g. -0.29")
    value = number_value(body)
    if not value.is_finite() or value > limit:
        raise ParameterError(option, text, f"must be between -{limit} and {limit}")
    return -value if cleaned.startswith("-") else value

