"""Model Catalog Studio's core: model catalogs in, Backstage entities out.

Pure Python (no Streamlit): schema models (:mod:`catalog.schema`), validation
(:mod:`catalog.validate`), conversion (:mod:`catalog.convert`), YAML/JSON output
(:mod:`catalog.emit`), safe input (:mod:`catalog.reader`) and the reverse import
(:mod:`catalog.reverse`).  The command line is ``python -m catalog``: it checks a
catalog's shape with pydantic-core alone (:mod:`catalog.shape`) and writes its output
safely (:mod:`catalog.output`).
"""
