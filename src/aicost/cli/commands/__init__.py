"""The commands, one module per group, as plain functions that return an exit status.

They import no typer: their parameters are annotated with the names declared in `aicost.cli.options`, which
`aicost.cli.app` makes resolvable when it registers them, and the fast path calls them directly.
"""
