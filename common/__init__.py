"""Utilities shared by the apps (no models, no app imports): Markdown sanitising, rate limits,
the resilient cache, charts, validators and the service error type."""
