"""Commands made for scripts and CI: budget and diff (registered on the shared app)."""

from __future__ import annotations
