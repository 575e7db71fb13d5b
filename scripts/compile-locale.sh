#!/usr/bin/env bash
# Compiles the French catalogue: django.po, plus any fragments in locale/fr/fragments/
# that parallel work keeps apart until they are folded into django.po (see
# docs/architecture.md, "Translations").
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
