"""Outbox of e-mail and SMS messages, channels behind an interface, and the delivery log."""
