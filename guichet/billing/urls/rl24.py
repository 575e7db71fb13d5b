"""Billing URLs: rl24."""

urlpatterns: list = []
