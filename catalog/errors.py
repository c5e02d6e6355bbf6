"""The core's exceptions.

::

    CatalogError            anything the core reports to a person (message is for them)
     +-- InputError         a file or text could not be read as a document
     +-- LayoutError        the chosen output layout cannot represent this catalog

Validation problems are not exceptions: they are :class:`catalog.issues.Issue` values.
A programming mistake (a wrong argument type) is an ordinary ``TypeError``/``ValueError``.
"""

from __future__ import annotations


class CatalogError(Exception):
    """An error whose message is meant for the person using the tool."""


class InputError(CatalogError):
    """A file or pasted text could not be read (too large, not text, not JSON/YAML...)."""


class LayoutError(CatalogError):
    """The requested output layout cannot represent the catalog."""
