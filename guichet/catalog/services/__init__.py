"""The catalog's write paths for staff (docs/backoffice.md): saving an offering with its
sessions, options and questions, and copying a season's offerings to another season."""
