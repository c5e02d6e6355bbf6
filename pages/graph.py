"""Graph: the catalog's entities and their relations, drawn with Graphviz."""

import dataclasses

import streamlit as st

from catalog.convert import entity_name
from ui import frame, output_options, state
from ui import graph_view as view

frame.require()  # a page opened by URL on a fresh server still gets the frame

st.title("Catalog graph", anchor=False)
st.caption(
    "Which server serves which models, through which API, and who owns them: the "
    "Backstage entities this catalog becomes, and how they refer to each other."
)

if view.is_blank(state.document()):
    st.info(
        "Nothing to draw yet. Load an example or start a catalog on the Author page, "
        "then come back here.",
        icon=":material/schema:",
    )
    view.author_link()
else:
    choices = view.controls(view.model_count, follow=output_options.current_options().layout)
    drawing = view.current_drawing(choices.layout)
    if drawing.catalog is not None:
        st.markdown(view.summary(drawing.catalog))
    view.errors_notice(drawing.report, drawing.notes, drawn=not drawing.is_empty)
    if not drawing.is_empty:
        server = drawing.catalog.modelServer if drawing.catalog else None
        name = view.file_stem(entity_name(server.name) if server else None) + "-graph"
        caption = view.LEGENDS[choices.layout]
        problems = view.problems_of(drawing.report, state.document())
        options = dataclasses.replace(choices.options, problems=problems)
        view.draw_entities(drawing.entities, options, name=name, caption=caption)
        view.renamed_note([state.document()])
