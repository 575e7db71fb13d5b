#!/usr/bin/env bash
# Compiles the French catalogue: django.po, plus the fragments in locale/fr/fragments/
# that work in progress keeps apart until `make messages` folds them in.
set -euo pipefail
cd "$(dirname "$0")/.."
po=locale/fr/LC_MESSAGES/django.po
merged=$(mktemp --suffix=.po)
trap 'rm -f "$merged" "$merged.mo"' EXIT
if compgen -G "locale/fr/fragments/*.po" >/dev/null; then
  msgcat --use-first "$po" locale/fr/fragments/*.po -o "$merged"
else
  cp "$po" "$merged"
fi
msgfmt --check -o "$merged.mo" "$merged"
mv "$merged.mo" locale/fr/LC_MESSAGES/django.mo
