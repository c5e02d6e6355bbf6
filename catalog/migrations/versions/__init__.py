"""Migration scripts, oldest first (``v<revision>_<slug>.py``)."""
