"""Model families: which family a model is counted in, and which models are the newest on sale in theirs (what
`pricing list --current` shows and what a family name given for a model resolves to)."""

from __future__ import annotations

import datetime as dt

from .model import Model


def family_of(model: Model) -> str:
    """The family a model is counted in: its `family`, or itself alone when the catalog names none."""
    return model.family or model.id


def on_sale(model: Model, day: dt.date) -> bool:
    """The vendor sells it on `day`: released (or, without a release date, priced) by then and not yet retired."""
    first = model.released or model.periods[0].since
    return first <= day and not model.retired_on(day)


def newest_in_families(models: tuple[Model, ...] | list[Model], day: dt.date) -> frozenset[str]:
    """The ids of the models that are the newest on sale in their family on `day` (what `pricing list --current`
    shows): per family, among the models on sale that day, the latest release date (the first price period's
    start for a model without one); on a tie, every tied model counts as current."""
    newest: dict[str, list[Model]] = {}
    for model in models:
        if not on_sale(model, day):
            continue
        family = family_of(model)
        first = model.released or model.periods[0].since
        held = newest.get(family)
        held_first = None if not held else (held[0].released or held[0].periods[0].since)
        if held_first is None or first > held_first:
            newest[family] = [model]
        elif first == held_first:
            held.append(model)  # type: ignore[union-attr]
    return frozenset(model.id for group in newest.values() for model in group)
