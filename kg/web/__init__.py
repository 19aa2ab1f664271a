"""The web layer: a thin Flask app over the same query functions that the CLI uses."""
