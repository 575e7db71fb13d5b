from __future__ import annotations

import html


def text_of(response) -> str:
    """The page's HTML with entities decoded, so « jusqu'à » reads as typed."""
    return html.unescape(response.content.decode())
