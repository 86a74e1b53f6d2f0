"""Reports for accountants and operators: processed, errors, open, VAT, one order, problem bundle.

``queries`` holds every report's SQL (on top of the ledger), ``build`` turns rows into
:class:`~ocafas.reports.model.Report` objects and ``render`` writes them as a table, CSV, JSON or
HTML. Nothing here writes to the ledger or talks to a shop or AFAS SB.
"""
