"""Writes of the organizations app, one module per use case: ``relations`` (add, end,
remove subjects, the never-zero-responsibles rule), ``contacts`` (a new contact, a
contact's information, a new linking code), ``profiles`` (acting as oneself or as an
organization). Each locks the organization's row first, checks the actor's right after
the lock, audits in its transaction and emails the people concerned on commit."""
