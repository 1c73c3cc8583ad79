"""The package version, readable by every layer (cache keys, dataset descriptions)."""

__version__ = "0.4.0"
