"""A host's own model id, as a usage log names it, read as a catalog model at that host.

Bedrock names one model several ways: the id the catalog lists (`global.anthropic.claude-haiku-4-5-20251001-v1:0`,
the global cross-region inference profile), a geographic inference profile (`us.`, `eu.`, `apac.`, `jp.`, `au.`,
`ca.`, `us-gov.` before the same base id), billed at the region's uplift where the catalog records one, and the bare
in-region id (`anthropic.claude-haiku-4-5-20251001-v1:0`), whose geography the name does not tell.
"""

from __future__ import annotations

from typing import NamedTuple

from .model import Catalog, Model

BEDROCK = "bedrock"
# Bedrock's inference-profile prefixes: the global profile and the geographic ones (regions of the catalog's uplifts)
PROFILE_PREFIXES = ("global", "us", "us-gov", "eu", "apac", "jp", "au", "ca")


class HostedId(NamedTuple):
    model: Model
    host: str
    region: str | None = None  # a geographic inference profile's region ("us", "eu", ...); None: the id as listed
    in_region: bool = False  # a bare in-region Bedrock id: its region is not in the name


def _split_profile(model_id: str) -> tuple[str | None, str]:
    """(the inference-profile prefix or None, the base id): `us.anthropic.x` -> ("us", "anthropic.x")."""
    prefix, dot, rest = model_id.partition(".")
    if dot and prefix in PROFILE_PREFIXES and rest:
        return prefix, rest
    return None, model_id


def hosted_id(catalog: Catalog, name: str) -> HostedId | None:
    """The catalog model and host a host's own model id names (case-insensitive), or None. The id the catalog lists
    is that offering's prices; on Bedrock, another inference profile of the same base id is the offering in that
    profile's region (priced with its uplift, or refused where the catalog has none), and the bare base id an
    in-region call whose region is unknown."""
    wanted = name.strip().lower()
    wanted_prefix, wanted_base = _split_profile(wanted)
    for model in catalog.models:
        for offering in model.hosts:
            listed = offering.model_id.lower()
            if wanted == listed:
                return HostedId(model, offering.host)
            if offering.host != BEDROCK:
                continue
            listed_prefix, listed_base = _split_profile(listed)
            if wanted_base != listed_base:
                continue
            if wanted_prefix is None:
                return HostedId(model, offering.host, in_region=True)
            if listed_prefix in ("global", None):  # the listed id's prices are the base the region's uplift scales
                return HostedId(model, offering.host, wanted_prefix if wanted_prefix != listed_prefix else None)
    return None
