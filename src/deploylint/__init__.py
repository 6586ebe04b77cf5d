"""deploylint: find and fix the mistakes that break Python deployments."""

__version__ = "0.1.0"
