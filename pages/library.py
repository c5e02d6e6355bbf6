"""Library: the saved catalogs, their history, and the whole library as one graph."""

from ui import library_view, state

state.init()
library_view.render()
