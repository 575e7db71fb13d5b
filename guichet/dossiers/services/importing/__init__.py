"""Importing the operator's dossiers from CSV or XLSX: read, validate, then upsert.

- ``reading``: the file format (docs/import.md), CSV and XLSX, and the size limits;
- ``rows``: one row's values and the reasons it is refused;
- ``applying``: batches written one transaction each, the report, the audit event;
- ``staff``: the staff page's dry run, then the real import, run by a task.

Rows are read as a stream and written in batches of ``BATCH_SIZE``, each batch in its own
transaction, so that progress is visible to the staff page while the import runs and
100,000 rows fit in little memory. A failure midway leaves the batches already written:
the import is idempotent on the dossier number, so running the file again completes it.
"""

from guichet.dossiers.services.importing.applying import (
    BATCH_SIZE,
    MAX_REPORTED_ERRORS,
    ImportReport,
    Progress,
    import_file,
    import_rows,
    run_stored_import,
)
from guichet.dossiers.services.importing.reading import (
    COLUMNS,
    ImportFileError,
    read_rows,
    size_reasons,
)
from guichet.dossiers.services.importing.rows import clean_row
from guichet.dossiers.services.importing.staff import (
    CannotLaunch,
    bad_row_count,
    can_launch,
    launch_import,
    start_import,
)

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "MAX_REPORTED_ERRORS",
    "CannotLaunch",
    "ImportFileError",
    "ImportReport",
    "Progress",
    "bad_row_count",
    "can_launch",
    "clean_row",
    "import_file",
    "import_rows",
    "launch_import",
    "read_rows",
    "run_stored_import",
    "size_reasons",
    "start_import",
]
