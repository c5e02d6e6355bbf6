"""Import: a model catalog, an existing catalog-info.yaml or a Hugging Face model card."""

from ui import frame, import_view, state

frame.require()  # a page opened by URL on a fresh server still gets the frame

state.init()
import_view.render()
