"""The price catalog: its records, loading and validation (`model`), the bundled catalog (`_bundled`, generated),
the installed versions (`store`), the importers of public price files (`importers`) and the comparison with the
public price datasets (`refresh`).

`aicost.catalog` is the documented import path of the records and the loaders: they are re-exported here.
Importing this package loads only `model`; the store, importers and refresh load when imported.
"""

from .export import catalog_document, exchange_rate_document, model_document, period_document
from .families import family_of, newest_in_families
from .model import (
    BASE_CURRENCY,
    HEADER_FILE,
    MAX_RATE_PER_USD,
    SIZE_CLASSES,
    VERSION_PATTERN,
    CacheWrites,
    Catalog,
    DocumentFormat,
    ExchangeRate,
    Model,
    SizeClass,
    Vendor,
    bundled_catalog_dir,
    catalog_from_directory,
    catalog_from_document,
    catalog_stamp,
    load_bundled_catalog,
    load_catalog,
    load_version,
    stale_catalog_hint,
)
from .prices import (
    CURRENCIES,
    MAX_CONTEXT_WINDOW,
    MAX_PRICE,
    RATE_KEYS,
    Currency,
    HostOffering,
    PricePeriod,
    Rates,
    Tier,
    Window,
)

__all__ = [
    "BASE_CURRENCY",
    "CURRENCIES",
    "HEADER_FILE",
    "MAX_CONTEXT_WINDOW",
    "MAX_PRICE",
    "MAX_RATE_PER_USD",
    "RATE_KEYS",
    "SIZE_CLASSES",
    "VERSION_PATTERN",
    "CacheWrites",
    "Catalog",
    "Currency",
    "DocumentFormat",
    "ExchangeRate",
    "HostOffering",
    "Model",
    "PricePeriod",
    "Rates",
    "SizeClass",
    "Tier",
    "Vendor",
    "Window",
    "bundled_catalog_dir",
    "catalog_document",
    "catalog_from_directory",
    "catalog_from_document",
    "catalog_stamp",
    "exchange_rate_document",
    "family_of",
    "load_bundled_catalog",
    "load_catalog",
    "load_version",
    "model_document",
    "newest_in_families",
    "period_document",
    "stale_catalog_hint",
]
