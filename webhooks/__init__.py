"""Webhook subscriptions and their deliveries: client events sent to integrators."""
