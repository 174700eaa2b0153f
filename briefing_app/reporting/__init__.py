"""Briefing packs as PDF: compose (what goes in) → flowables (one function per section) → render.

Importing this package imports nothing else: :mod:`.compose` is Qt- and
ReportLab-free; :mod:`.flowables`, :mod:`.render` and :mod:`.fonts` bring
ReportLab and are imported only when a pack is laid out.
"""
