"""Library: the saved catalogs, their history, and the whole library as one graph."""

from ui import frame, library_view, state

frame.require()  # a page opened by URL on a fresh server still gets the frame

state.init()
library_view.render()
