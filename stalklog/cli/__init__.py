"""The command-line layer: parse, call the core, render. No SQL here."""
