"""The back office (docs/backoffice.md): staff pages under roles — people (roles, rosters,
attendance, the counter, messages), offerings (editing in both languages) and reports
(the dashboard, charts, exports). The top layer beside the API: it calls every domain's
services and owns only what is the staff's own."""
