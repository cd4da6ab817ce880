"""The command line: `main` is the console entry point; `app` the typer application (imported on demand).

- `commands/`: the commands as plain functions returning an exit status (no typer);
- `groups.py`: the option groups (stream, adjustments, pricing, report), each declared once and received by a
  command as one typed value; `options.py`: every other option and argument, declared once; `app.py`: the typer
  application;
- `fast.py`: runs a plain command line without importing typer (the table it reads is generated from `app`);
- `inputs.py`, `output.py`, `errors.py`: where inputs come from, how reports and messages go out, and the
  boundary that turns failures into one line and an exit status;
- `typer_internals.py`: the one module that touches typer's private API.
"""

from __future__ import annotations

from typing import Any

from .entry import main

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from .app import app

        return app
    raise AttributeError(name)
