"""Registration use cases: submit a cart, confirm, waiting list, modify, cancel.

Every spot moves through ``capacity`` (a conditional UPDATE that never goes past the
capacity); everything else is ordinary rows written in short transactions.
"""
