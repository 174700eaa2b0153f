"""Tables in and out: the lists as CSV and XLSX files, and tables read back.

* :mod:`~briefing_app.tabular.columns` — the column sets (a contract: the
  README lists them) and which columns an import reads back; no pandas.
* :mod:`~briefing_app.tabular.cells` — reading one cell as a person or a
  spreadsheet program wrote it (statuses in any case, Excel dates); no pandas.
* :mod:`~briefing_app.tabular.files` — writing frames to CSV and XLSX and
  reading a table file back (pandas, openpyxl).
* :mod:`~briefing_app.tabular.summaries` — count tables with pandas.

pandas and openpyxl are imported only by ``files`` and ``summaries``, which the
services load on first use, never at start-up.
"""
