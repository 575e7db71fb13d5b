"""Credentials' write paths, one module per use case: ``programs`` (seeding a title's rules
from the preset), ``attestations`` (issue, revoke, re-issue), ``titles`` (award a title
whose requirements are met), ``directory`` (what a member shows in the directory)."""
