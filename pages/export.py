"""Export: the catalog as catalog-info.yaml, as a model catalog file and as a TechDocs bundle."""

from ui import export_view, state

state.init()
export_view.render()
