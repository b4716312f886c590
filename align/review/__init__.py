"""Review stage: `align review` shows an alignment in the browser and lets a reviewer correct it -- confirm, reject,
merge, split, re-pair, edit sentences, undo and redo -- each change an operation of align.edits, re-scored and saved
at once (session.py), served by a local web server that answers only its own page (server.py) drawn from the
templates (plain JavaScript and CSS, no build step)."""
from __future__ import annotations

from .server import ReviewServer, create_app, serve
from .session import Outputs, Session, open_review

__all__ = ["Outputs", "ReviewServer", "Session", "create_app", "open_review", "serve"]
