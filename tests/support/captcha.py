"""Solving the portal's proof-of-work challenge from Python, as a browser would."""

from __future__ import annotations

import base64
import hashlib
import json

from guichet.accounts.captcha import new_challenge


def solved_captcha() -> str:
    challenge = new_challenge()
    for number in range(challenge["maxnumber"] + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            payload = {
                "algorithm": challenge["algorithm"],
                "challenge": challenge["challenge"],
                "number": number,
                "salt": challenge["salt"],
                "signature": challenge["signature"],
            }
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise AssertionError("challenge has no solution")
