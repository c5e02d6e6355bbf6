"""Backstage: register what the Studio publishes, see what Backstage made of it, import."""

from ui import backstage_view, frame, state

frame.require()  # a page opened by URL on a fresh server still gets the frame

state.init()
backstage_view.render()
