"""Streamlit-only helpers for the app's pages (the pure core is :mod:`catalog`).

========================= ==========================================================
:mod:`ui.state`           the editing session (catalog.session) in session state
:mod:`ui.persistence`     the library store, the URL, autosave and Save
:mod:`ui.registry`        field specs, value shapes, the widget registry
:mod:`ui.widgets`         leaf widgets: text, long text, URL, enum, bool, tags, key-value
:mod:`ui.sections`        container widgets: switchable nested model, list of models
:mod:`ui.form`            the renderer and its layout template
:mod:`ui.report`          validation, issue index and YAML, once per revision
:mod:`ui.issues`          issue lines, fix buttons, the summary
:mod:`ui.preview`         the live catalog-info.yaml preview
:mod:`ui.examples`        the example catalogs in ``examples/``
:mod:`ui.toolbar`         load example / start over / undo, and the welcome
========================= ==========================================================
"""
