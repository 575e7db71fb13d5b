"""Billing URLs: payments."""

urlpatterns: list = []
