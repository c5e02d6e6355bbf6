"""Export: the catalog as catalog-info.yaml, as a model catalog file and as a TechDocs bundle."""

from ui import export_view, frame, state

frame.require()  # a page opened by URL on a fresh server still gets the frame

state.init()
export_view.render()
