"""Each preset's password rule with a refused and an accepted password, and the French
sentence stating the rule: shared by the unit tests and the browser tests."""

CASES = [
    (
        "demo",
        "Soleil2026!",
        "une phrase de passe assez longue",
        "Votre mot de passe doit être long d'au moins 15 caractères",
    ),
    ("comaq", "abc1!x", "Abc1!x", "au moins un de chacun des éléments suivants"),
    (
        "baie-comeau",
        "motdepasse12",
        "Motdepasse12",
        "Votre mot de passe doit être long d'au moins 8 caractères et contenir 3 des "
        "éléments suivants : lettre minuscule, lettre majuscule, chiffre, symbole.",
    ),
    (
        "caomsc",
        "abcdefg12",
        "chat123lune",
        "Votre mot de passe doit être long d'au moins 8 caractères et contenir au moins "
        "3 lettres et 3 chiffres.",
    ),
]
