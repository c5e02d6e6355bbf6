"""Import: a model catalog, an existing catalog-info.yaml or a Hugging Face model card."""

from ui import import_view, state

state.init()
import_view.render()
