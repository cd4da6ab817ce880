"""aicost: price LLM API workloads, compare vendors, plan small/frontier routing, check budgets."""

__version__ = "0.1.0"
