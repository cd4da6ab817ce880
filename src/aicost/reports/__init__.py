"""Reports to views: the JSON document of the contract plus the tables people read, one module per command group."""
