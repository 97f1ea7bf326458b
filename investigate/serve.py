"""What runs inside the notebook servers started by ``investigate lab`` and ``investigate app``.

- :class:`KitVoila`, Voila as the kit runs it (``python -m investigate.serve ARGS``): a token is
  required (read from the file named by ``JUPYTER_TOKEN_FILE``, never from the command line),
  requests whose Host header is not this computer are refused (403: no DNS rebinding), the
  browser is opened with the token through a private file, and ``/`` opens the start page
  (notebook 00) instead of Voila's list of files.
- :class:`ExportsHandler`, the case's written reports at ``/investigate/exports/NAME`` (token
  required), so the start page and notebook 06 can link to them; JupyterLab loads it as a
  server extension (``--ServerApp.jpserver_extensions``).

The case is the one named by ``INVESTIGATE_CASE`` (set by the launcher).
"""

from __future__ import annotations

import html
import mimetypes
import os
import sys
import tempfile
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import pathname2url

from jupyter_server import DEFAULT_STATIC_FILES_PATH
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .notebooks import CASE_ENV, NOTEBOOKS
from .steps import EXPORTS_URL

#: the files a browser may fetch from the case's exports folder
EXPORT_SUFFIXES = (".html", ".docx")
START_PAGE = NOTEBOOKS[0]


class ExportsHandler(JupyterHandler):
    """A report from the case's exports folder (only there, only .html and .docx, token required)."""

    @web.authenticated
    def get(self, name: str) -> None:
        case = os.environ.get(CASE_ENV)
        folder = Path(case) / "exports" if case else None
        path = folder / name if folder is not None else None
        if (path is None or "/" in name or "\\" in name or name.startswith(".")
                or not name.lower().endswith(EXPORT_SUFFIXES) or not path.is_file()):
            raise web.HTTPError(404)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        if name.lower().endswith(".html"):  # its own origin: a script in a report could not reach the server
            self.set_header("Content-Security-Policy", "sandbox allow-scripts allow-popups allow-downloads")
        else:
            self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name)}")
        self.finish(path.read_bytes())


class StartPageHandler(JupyterHandler):
    """``/`` and Voila's file list: open the start page (notebook 00) instead."""

    @web.authenticated
    def get(self, path: str = "") -> None:
        # sets the _xsrf cookie: a page left sends it back with its kernel's shutdown (Voila's sendBeacon
        # to /voila/api/shutdown), which without it was refused (403) and left the kernel running
        self.xsrf_token  # noqa: B018 - read for its effect
        self.redirect(url_path_join(self.base_url, "voila/render", START_PAGE))


#: how often a server checks for busy kernels, to report itself active (see :func:`busy_kernels_are_activity`)
BUSY_CHECK_SECONDS = 60


def busy_kernels_are_activity(serverapp: Any) -> bool:
    """While any kernel is busy (a report being written, which may print nothing for minutes), mark the
    server active now: JupyterHub's idle culler reads the server's last activity, and a kernel only
    counts as active when it sends a message. Returns whether one was busy."""
    from jupyter_server._tz import utcnow

    manager = serverapp.web_app.settings["kernel_manager"]
    busy = any(getattr(manager.get_kernel(k), "execution_state", "") == "busy" for k in manager.list_kernel_ids())
    if busy:  # jupyter_server counts every setting ending in _last_activity
        serverapp.web_app.settings["investigate_last_activity"] = utcnow()
    return busy


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """JupyterLab and the hub's servers: serve the case's reports (see :class:`ExportsHandler`); a
    busy kernel keeps the server active (see :func:`busy_kernels_are_activity`)."""
    from tornado.ioloop import PeriodicCallback

    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, EXPORTS_URL, "([^/]+)"), ExportsHandler)])
    def look() -> None:
        busy_kernels_are_activity(serverapp)

    check = PeriodicCallback(look, BUSY_CHECK_SECONDS * 1000)
    check.start()
    serverapp.web_app.settings["investigate_busy_check"] = check


def _read_token() -> str:
    path = os.environ.get("JUPYTER_TOKEN_FILE")
    token = Path(path).read_text(encoding="utf-8").strip() if path else ""
    if not token:
        raise SystemExit("investigate.serve: no token file (JUPYTER_TOKEN_FILE); start it with investigate app.")
    return token


def _voila_class() -> type[Any]:
    from voila.app import Voila

    class KitVoila(Voila):
        """Voila with a token, a Host check, the start page at ``/`` and the reports served."""

        _open_file: str | None = None

        def init_settings(self) -> dict[str, Any]:
            self.token = _read_token()
            settings: dict[str, Any] = super().init_settings()
            settings["allow_remote_access"] = False  # Voila turns the Host check off; turn it on
            settings["local_hostnames"] = ["localhost"]
            settings.setdefault("static_path", DEFAULT_STATIC_FILES_PATH)  # for its 403 page
            return settings

        def init_handlers(self) -> list[Any]:
            from voila.tornado.treehandler import TornadoVoilaTreeHandler

            handlers = [h for h in super().init_handlers() if h[1] is not TornadoVoilaTreeHandler]
            ours: list[tuple[str, type]] = [(url_path_join(self.server_url, EXPORTS_URL, "([^/]+)"), ExportsHandler)]
            if not self.notebook_path:  # serving the notebooks folder: / is the start page
                ours += [(self.server_url, StartPageHandler),
                         (url_path_join(self.server_url, r"/voila/tree(.*)"), StartPageHandler)]
            return ours + handlers

        def launch_browser(self) -> None:
            """Open the start page with the token, through a 0600 file (the token stays off command lines)."""
            try:
                browser = webbrowser.get(self.browser or None)
            except webbrowser.Error as exc:
                self.log.warning("No web browser found: %s.", exc)
                return
            url = f"{url_path_join(self.connection_url, self.base_url)}?token={quote(self.token)}"
            fd, self._open_file = tempfile.mkstemp(prefix="investigate-open-", suffix=".html")  # 0600
            with os.fdopen(fd, "w", encoding="utf-8") as page:
                page.write(f"<!doctype html><meta http-equiv='refresh' content='0;url={html.escape(url)}'>"
                           f"<a href='{html.escape(url)}'>Open the investigation app</a>")
            browser.open("file:" + pathname2url(self._open_file), new=self.webbrowser_open_new)

        def stop(self) -> None:
            if self._open_file:
                Path(self._open_file).unlink(missing_ok=True)
            super().stop()

    return KitVoila


def main(argv: list[str] | None = None) -> None:
    """Run the kit's Voila with Voila's own command-line options."""
    _voila_class().launch_instance(argv=argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
