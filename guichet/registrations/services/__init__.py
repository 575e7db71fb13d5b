"""Registration use cases: the cart (``cart``), submit and confirm (``register``,
``confirmation``), the waiting list and the sweeper (``waitlist``), modify and cancel
(``changes``), what registrations ask of billing and do with its answers (``billing``),
attendance (``attendance``) and the virtual queue (``queue``).

Every spot moves through ``capacity`` (a conditional UPDATE that never goes past the
capacity); everything else is ordinary rows written in short transactions.
"""
