"""`aicost route`: small/frontier routing plans (registered on the shared app)."""

from __future__ import annotations
