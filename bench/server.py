"""The built site on a local port, answering a missing path with its 404 page as static hosts do.

Used by the browser tests and by bench/search_latency.py.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class StaticSiteHandler(SimpleHTTPRequestHandler):
    """Python's plain static file server, answering a missing path with the site's 404.html
    (status 404), as GitHub Pages and most static hosts do. With a prefix (/ojs), the site
    is served under that path, as a host serving it below another site would."""

    prefix = ""

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if self.prefix:
            if path != self.prefix and not path.startswith(self.prefix + "/"):
                return str(Path(self.directory) / "does-not-exist")
            path = path[len(self.prefix):] or "/"
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(root: Path, prefix: str = "") -> Iterator[str]:
    """The built site on a local port, under the path prefix if given ("/ojs"); yields the
    server's base URL (no trailing slash, without the prefix)."""
    handler = type("Handler", (StaticSiteHandler,), {"prefix": prefix.rstrip("/")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
