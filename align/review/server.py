"""The review page's web server: Starlette (the ASGI framework) run by uvicorn, on 127.0.0.1 only.

What a request must be to be answered (the `Guard`, before any route):
- its Host header is this server's loopback address with its port (127.0.0.1:PORT or localhost:PORT): a page of
  another site whose name was pointed at 127.0.0.1 (DNS rebinding) is refused (403);
- it carries the random token of the printed URL, as `?token=` or in the header X-Align-Token: none is 401, a wrong
  one 403;
- a request with an Origin header comes from this server's own page (403 otherwise);
- a POST has a JSON body (Content-Type application/json, else 415); only POSTs change anything.
No request names a file: the alignment file and the export's outputs were chosen on the command line. Every
response forbids framing, sniffing and referrers, and the page's Content-Security-Policy allows only its own script
and style. The page puts every text in with textContent, never as HTML.

Routes: GET / (the page), GET /static/review.js, review.css, icon.svg and report.css (the report's look),
GET /api/state; POST /api/edit {"ops": [OPERATION, ...]} (one step of the history: align.edits), /api/undo,
/api/redo, /api/export (all with a JSON body, `{}` when there is nothing to say). Each answers the new state, or
{"error": "..."} with status 400.
"""
from __future__ import annotations

import json
import secrets
import socket
import threading
import webbrowser
from importlib import resources
from urllib.parse import parse_qs

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import __version__
from ..errors import AlignError
from .session import Session

HOST = "127.0.0.1"
TOKEN_HEADER = "x-align-token"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# name -> (package whose templates hold it, media type): the page's own files and the report's style it reuses
STATIC = {"review.js": ("align.review", "text/javascript"), "review.css": ("align.review", "text/css"),
          "icon.svg": ("align.review", "image/svg+xml"), "report.css": ("align.report", "text/css")}


class Guard:
    """ASGI middleware: the Host, token, Origin and Content-Type rules of the module's docstring."""

    def __init__(self, app, token: str, port: int):
        self.app = app
        self.token = token
        self.hosts = {f"{HOST}:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        refusal = self.refusal(scope, headers)
        if refusal is not None:
            status, message = refusal
            return await PlainTextResponse(message, status, headers=SECURITY_HEADERS)(scope, receive, send)
        async def send_secured(message):
            if message["type"] == "http.response.start":
                extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                known = {k for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in extra if h[0] not in known)]}
            await send(message)
        return await self.app(scope, receive, send_secured)

    def refusal(self, scope, headers: Headers) -> tuple[int, str] | None:
        if headers.get("host") not in self.hosts:
            return 403, "this server answers only to its loopback address"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return 403, "requests from other sites are refused"
        token = headers.get(TOKEN_HEADER)
        if token is None:
            token = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token") or [None])[0]
        if not token:
            return 401, "the token of the printed URL is required"
        if not secrets.compare_digest(token.encode(), self.token.encode()):
            return 403, "wrong token"
        if scope["method"] not in ("GET", "HEAD", "POST"):
            return 405, "only GET and POST"
        if scope["method"] == "POST" and headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return 415, "a POST must carry a JSON body (Content-Type: application/json)"
        return None


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("align.review", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def create_app(session: Session, token: str, port: int) -> Guard:
    """The review application for one session, guarded for this token and port."""
    page = _environment().get_template("review.html.j2")

    async def index(request: Request) -> Response:
        return HTMLResponse(page.render(token=token, name=session.alignment.name, version=__version__))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", 404)
        package, media_type = STATIC[name]
        return Response(resources.files(package).joinpath("templates", name).read_text(encoding="utf-8"),
                        media_type=media_type)

    async def state(request: Request) -> Response:
        return JSONResponse(session.state())

    def action(run):
        async def endpoint(request: Request) -> Response:
            try:
                body = json.loads(await request.body() or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError):
                return JSONResponse({"error": "the body is not JSON"}, 400)
            if not isinstance(body, dict):
                return JSONResponse({"error": "the body must be a JSON object"}, 400)
            try:
                result = run(body)
            except AlignError as exc:
                return JSONResponse({"error": str(exc)}, 400)
            return JSONResponse({**session.state(), **(result or {})})
        return endpoint

    routes = [
        Route("/", index),
        Route("/static/{name}", static),
        Route("/api/state", state),
        Route("/api/edit", action(lambda body: session.edit(body.get("ops"))), methods=["POST"]),
        Route("/api/undo", action(lambda body: session.undo()), methods=["POST"]),
        Route("/api/redo", action(lambda body: session.redo()), methods=["POST"]),
        Route("/api/export", action(lambda body: {"written": [str(p) for p in session.export()]}),
              methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes), token, port)


def listening_socket(port: int = 0) -> socket.socket:
    """A socket on 127.0.0.1 (a free port when 0), bound before the app is made so the Host rule knows the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise AlignError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from exc
    return sock


class ReviewServer:
    """The review of one session served on 127.0.0.1 (uvicorn), with a fresh random token in its URL."""

    def __init__(self, session: Session, port: int = 0):
        import uvicorn

        self.socket = listening_socket(port)
        self.port = self.socket.getsockname()[1]
        self.token = secrets.token_urlsafe(24)
        self.url = f"http://{HOST}:{self.port}/?token={self.token}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(session, self.token, self.port), log_level="warning",
                                                    lifespan="off", access_log=False))

    def run(self, when_ready=None) -> None:
        """Serve until stopped (Ctrl+C, or `stop` from another thread); `when_ready()` runs once it listens."""
        if when_ready is not None:
            def wait() -> None:
                while not self.server.started and not self.server.should_exit:
                    threading.Event().wait(0.05)
                if self.server.started:
                    when_ready()
            threading.Thread(target=wait, daemon=True).start()
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def stop(self) -> None:
        self.server.should_exit = True


def serve(session: Session, port: int = 0, open_browser: bool = True, announce=print) -> None:
    """Serve the review until interrupted; `announce` gets the URL (with its token) once the server listens, and a
    browser opens it unless `open_browser` is off."""
    server = ReviewServer(session, port)

    def ready() -> None:
        announce(server.url)
        if open_browser:
            webbrowser.open(server.url)
    server.run(ready)
