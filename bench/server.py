"""The built site on a local port, answering a missing path with its 404 page as static hosts do.

Used by the browser tests and by bench/search_latency.py.
"""

from __future__ import annotations

import functools
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from macros.hosting import NginxNames


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


ROOT = Path(__file__).resolve().parent.parent


def build_site(site_dir: Path, layout: str = "site") -> Path:
    """A strict build of the site in this layout, for the benchmarks that serve it."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site_dir)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CATALOG_LAYOUT": layout})
    return site_dir


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A larger site's own configuration, as an operator may already have it: settings of its own
# at both levels (README: Publishing says to keep these and leave the -http.conf snippet out),
# its own pages and its own 404 page.
HOST_HTTP_SETTINGS = "gzip_static on; gzip_vary on; map_hash_max_size 65536; map_hash_bucket_size 512;"
HOST_SERVER_SETTINGS = ("gzip_static on; gzip_vary on; absolute_redirect on; error_page 404 /not-found.html; "
                        "location / { try_files $uri $uri/ =404; }")


def nginx_config(site: Path, scratch: Path, port: int, *, with_snippets: bool = True, snippets: Path | None = None,
                 in_larger_site: bool = False) -> Path:
    """nginx.conf in `scratch` for the built site on `port`, configured as README's Publishing
    section says (the generated snippets, from the site's nginx/ folder or `snippets`), or
    plainly (with_snippets=False: no redirects, no compression); in_larger_site: inside the
    configuration of a larger site with settings of its own."""
    snippets = snippets or site / "nginx"
    names = NginxNames.written_in(snippets) if with_snippets else None
    server = (f"include {snippets}/{names.server_file};" if with_snippets else
              "error_page 404 /404.html; location / { try_files $uri $uri/index.html =404; }")
    http_level = (f"{HOST_HTTP_SETTINGS} include {snippets}/{names.map_file};" if in_larger_site else
                  f"include {snippets}/{names.http_file}; include {snippets}/{names.map_file};" if with_snippets
                  else "")
    return write_nginx_config(scratch, f"""
    {http_level}
    server {{
        listen 127.0.0.1:{port};
        root {site};
        {HOST_SERVER_SETTINGS if in_larger_site else ""}
        {server}
    }}""")


def write_nginx_config(scratch: Path, http_block: str) -> Path:
    """nginx.conf in `scratch` for an nginx run in the foreground by a user, its logs, pid and
    temporary files in `scratch`, with `http_block` in its http block."""
    temp = " ".join(f"{kind}_temp_path {scratch}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config = scratch / "nginx.conf"
    config.write_text(f"""
daemon off;
master_process off;
error_log {scratch}/error.log warn;
pid {scratch}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; application/json json;
             application/xml xml; text/plain txt; image/svg+xml svg; image/png png; }}
    access_log off;
    {temp}
{http_block}
}}
""", encoding="utf-8")
    return config


def nginx_accepts(config: Path) -> tuple[bool, str]:
    """What `nginx -t` says of a configuration: whether it would start, and its words."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("no nginx: install Debian's nginx package")
    checked = subprocess.run([binary, "-t", "-p", str(config.parent), "-c", str(config)],
                             capture_output=True, text=True)
    return checked.returncode == 0, checked.stdout + checked.stderr


@contextmanager
def nginx(site: Path, scratch: Path, **options) -> Iterator[int]:
    """The built site behind Debian's nginx on a local port (options: nginx_config's). Yields the port."""
    port = free_port()
    with running_nginx(nginx_config(site, scratch, port, **options), port):
        yield port


@contextmanager
def running_nginx(config: Path, port: int) -> Iterator[None]:
    """Debian's nginx with `config` (its error log and pid in the config's folder), until it
    answers on `port`."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("no nginx: install Debian's nginx package")
    scratch = config.parent
    process = subprocess.Popen([binary, "-p", str(scratch), "-c", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:  # until nginx answers
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = scratch / "error.log"
                    raise RuntimeError(f"nginx did not start: {log.read_text() if log.exists() else ''}")
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


NODE_BIN = ROOT / "node_modules" / ".bin"
# workerd, under wrangler 4.86, runs Workers of this date or earlier; the date changes nothing
# in how Pages serves files and applies _redirects.
WORKERD_COMPATIBILITY_DATE = "2026-01-01"


def host_tool(name: str) -> str | None:
    """A host's own local server from package.json (npm ci), or None."""
    tool = NODE_BIN / name
    return str(tool) if tool.is_file() else None


@contextmanager
def _host_process(command: list[str], port: int, scratch: Path, env: dict[str, str]) -> Iterator[tuple[int, Path]]:
    """A host's local server, until it answers on the port; yields the port and its log."""
    log = scratch / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=scratch, stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, **env}, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:  # the server is up when it answers an HTTP request
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield port, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def cloudflare_pages(site: Path, scratch: Path) -> Iterator[tuple[int, Path]]:
    """The site as Cloudflare Pages serves it (`wrangler pages dev`: Pages' own asset server
    and _redirects parser, offline). Yields the port and the server's log."""
    port = free_port()
    command = [host_tool("wrangler") or "wrangler", "pages", "dev", str(site), "--ip", "127.0.0.1",
               "--port", str(port), "--compatibility-date", WORKERD_COMPATIBILITY_DATE]
    env = {"WRANGLER_SEND_METRICS": "false", "CI": "true", "HOME": str(scratch)}
    with _host_process(command, port, scratch, env) as running:
        yield running


@contextmanager
def netlify(site: Path, scratch: Path) -> Iterator[tuple[int, Path]]:
    """The site as Netlify serves it (`netlify dev --dir`: Netlify's redirect engine, offline,
    without edge functions, which need a download). Yields the port and the server's log."""
    port = free_port()
    command = [host_tool("netlify") or "netlify", "dev", "--offline", "--internal-disable-edge-functions",
               "--dir", str(site), "--port", str(port), "--no-open", "--skip-gitignore"]
    env = {"NETLIFY_TELEMETRY_DISABLED": "1", "CI": "true", "HOME": str(scratch)}
    with _host_process(command, port, scratch, env) as running:
        yield running
