"""Use cases that change data: each validates with the rules, then writes in one transaction.

Screens, the REST API and CLI commands call these, never the models directly, so a
rule cannot be enforced in one path and forgotten in another.
"""
