"""The package version (sent as sdk.version in every event)."""

__version__ = "0.1.0"
