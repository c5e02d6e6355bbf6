"""Model Catalog Studio: the entry point (``streamlit run app.py``).

This file is two things.  Streamlit runs it as the script of every session (``__name__``
is ``"__main__"``): the frame (page set-up, sidebar, saved-catalog bootstrap) and the list
of pages live in :mod:`ui.frame`; pages live in ``pages/`` and change the catalog only
through :mod:`ui.state`.  ``streamlit run app.py`` also finds the ``st.App`` below and
serves it: the same app on the same port, plus the routes Backstage reads the library
from (``/published/...``, :mod:`catalog.publish`).
"""

from __future__ import annotations

import os
from functools import cache

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from catalog.publish import LOCATION_PATH, PREFIX, PUBLIC_URL_ENV, Answer, Publisher
from catalog.store import Store, StoreError


@cache
def publisher() -> Publisher:
    """The publisher of the library this process serves ($MODEL_CATALOG_DB_URL...)."""
    return Publisher(Store(), public_url=os.environ.get(PUBLIC_URL_ENV))


def _respond(request: Request, answer: Answer) -> Response:
    headers = {"Cache-Control": "no-cache"}  # Backstage revalidates with If-None-Match
    if answer.etag:
        headers["ETag"] = answer.etag
    if answer.not_modified(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, answer.status, headers, media_type=answer.content_type)


def _serve(request: Request, make: str) -> Response:
    """Answer a publishing request; a failing database is a 503 with a plain message."""
    try:
        found = publisher()
        if make == "location":
            answer = found.location()
        else:
            answer = found.catalog_info(request.path_params["catalog_id"])
    except StoreError as error:
        answer = Answer(503, f"The Studio cannot read its library: {error}\n", None, "text/plain")
    return _respond(request, answer)


def location(request: Request) -> Response:
    """``GET /published/location.yaml``: the Location of every published catalog."""
    return _serve(request, "location")


def catalog_info(request: Request) -> Response:
    """``GET /published/<catalog-id>/catalog-info.yaml``: a catalog's last saved revision."""
    return _serve(request, "catalog")


ROUTES = [
    Route(LOCATION_PATH, location, methods=["GET", "HEAD"]),
    Route(PREFIX + "/{catalog_id}/catalog-info.yaml", catalog_info, methods=["GET", "HEAD"]),
]

if __name__ == "__main__":
    from ui import frame

    frame.run()
else:
    app = st.App(__file__, routes=ROUTES)
    # The server imports this file once at start: warm up before the first visitor
    # (pandas and the first validation would otherwise fall on their first click).
    from ui import warmup

    warmup.start(delay=0.0)
