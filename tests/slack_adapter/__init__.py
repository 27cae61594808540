"""Slack adapter tests: the real slack-bolt against a fake Slack on 127.0.0.1."""
