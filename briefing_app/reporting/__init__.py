"""Briefing packs as PDF: compose (what goes in) → flowables (one function per section) → render.

* :mod:`.sections`: the sections a pack can hold, in one table;
* :mod:`.spec`: what the adviser asks for (:class:`~.spec.PackSpec`) and the
  ``--sections`` grammar;
* :mod:`.content`: what a composed pack holds, one dataclass per section;
* :mod:`.composer` and :mod:`.compose_sections`: from the store's read models
  to content;
* :mod:`.flowables` (by section family) and :mod:`.render`: content to PDF.

Importing this package imports nothing else. The table, the spec, the content
and the composer are Qt- and ReportLab-free and never reach the services or
the store; :mod:`.flowables`, :mod:`.render` and :mod:`.fonts` bring ReportLab
and are imported only when a pack is laid out.
"""
