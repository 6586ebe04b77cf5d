"""Format-level parsers that keep exact positions (JSON, TOML, shell words)."""
