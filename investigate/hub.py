"""The kit for a trust's analysts on one server, under JupyterHub (``investigate hub-config``).

:func:`hub_config` writes a ``jupyterhub_config.py`` for a case store: JupyterHub 6 with
configurable-http-proxy, a Unix account per analyst (PAM login, ``LocalProcessSpawner``), each
analyst's server started by :mod:`investigate.singleuser` on the kit's start page, one named server
per case (the server's name is the case folder's), and ``jupyterhub-idle-culler`` as a hub service.
:func:`case_for_server` is what the config calls before a server starts: the case folder for a
server's name, refused (with the kit's words) for an analyst outside the case's group.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from . import __version__, access
from .errors import CaseError

#: where JupyterHub listens by default: loopback only, under /investigate/ (TLS is the trust's front proxy's)
BIND_URL = "http://127.0.0.1:8000/investigate/"
#: the app's start page, under each analyst's server (Voila's server extension renders it)
START_URL = "/voila/render/00_start_here.ipynb"
#: an analyst's server with no activity for this long is stopped by the idle culler, in seconds
IDLE_TIMEOUT = 3600
#: how often the culler looks, in seconds
CULL_EVERY = 300
#: the Unix group whose members may log in to the hub (every analyst of the trust)
ANALYSTS_GROUP = "investigate"

_CASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def case_for_server(store: str | os.PathLike[str], server: str, user: str) -> str:
    """The case folder an analyst's named server ``server`` opens, in the case store ``store``.

    The default server (no name) opens no case of the store (the start page then shows the training
    case). Refused: a name that is not a case folder of the store, and a case ``user`` may not open.
    """
    if not server:
        return ""
    if not _CASE_NAME.fullmatch(server):
        raise CaseError(f"{server!r} is not the name of a case folder (letters, digits, '.', '-', '_').")
    folder = Path(store) / server
    if not (folder / access.CASE_TOML).is_file():
        raise CaseError(f"There is no case called {server!r} in the case store {store}. "
                        "Make it first: investigate new CASE --title ... --group GROUP.")
    may_open(folder, user)
    return str(folder)


def may_open(folder: Path, user: str) -> None:
    """Refuse, with the kit's message, a case folder the login ``user`` could not open (checked by the
    hub, which runs as root, before it starts the analyst's server)."""
    import pwd

    info = folder.stat()
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        raise CaseError(f"There is no Unix account called {user!r} on this server.") from None
    if info.st_uid == account.pw_uid:
        return
    modes = access.modes_for(folder)
    if modes.group is not None and info.st_mode & stat.S_IRWXG == stat.S_IRWXG and access.is_member(user, modes.group):
        return
    if modes.group is not None:
        raise CaseError(f"The case {folder.name} belongs to the group {modes.group!r}, and you ({user}) are not in "
                        "it: only the analysts on the case can open it. If you should be, ask the server's "
                        f"administrator to add you (usermod -aG {modes.group} {user}).")
    raise CaseError(f"The case {folder.name} is private to the analyst who made it: you ({user}) cannot open it.")


def refusal(message: str) -> Exception:
    """The exception a JupyterHub spawn hook raises to refuse a server with ``message`` shown to the analyst
    (JupyterHub's SpawnException where it has one, else a 403 it passes through)."""
    try:
        from jupyterhub.spawner import SpawnException
    except ImportError:
        from tornado.web import HTTPError

        return HTTPError(403, "%s", message)
    return SpawnException(message, reason="case refused")


def hub_config(store: str | os.PathLike[str], *, python: str | None = None, bind_url: str = BIND_URL,
               analysts_group: str = ANALYSTS_GROUP, idle_timeout: int = IDLE_TIMEOUT, tljh: bool = False) -> str:
    """The text of a ``jupyterhub_config.py`` serving the kit to the analysts of the case store ``store``.

    With ``tljh``, only the kit's part, for The Littlest JupyterHub's ``jupyterhub_config.d`` (TLJH
    keeps its own login, proxy, spawner and idle culler; its Unix accounts are ``jupyter-NAME``).

    ``python`` is the kit's interpreter (default: this one), which every analyst must be able to run
    (the venv and the checkout readable by all analysts). See deploy/hub/README.md.
    """
    store_path = os.path.abspath(store)
    python = python or sys.executable
    values = dict(version=__version__, store=repr(store_path), python=repr(python), bind_url=repr(bind_url),
                  group=repr(analysts_group), start=repr(START_URL), idle=int(idle_timeout), every=CULL_EVERY,
                  unix_user=repr("jupyter-{}" if tljh else "{}"),
                  spawner_class="" if tljh else 'c.JupyterHub.spawner_class = "localprocess"\n')
    parts = (_TLJH_DOC, _HEAD, _KIT, _TLJH_CULLER) if tljh else (_DOC, _HEAD, _HUB, _KIT, _CULLER)
    return "".join(part.format(**values) for part in parts)


_DOC = '''\
"""JupyterHub for a trust's safeguarding analysts: the investigate kit, one Unix account each.

Written by `investigate hub-config` (investigate {version}). Run the hub as root from its own folder
(it keeps its database, cookie secret and the proxy's pid file there):

    cd /srv/investigate/hub && /path/to/the/kit/.venv/bin/jupyterhub -f jupyterhub_config.py

Every analyst logs in with their own Unix account and password (PAM), and must be in the Unix
group named below. Each gets their own server, started as them: it opens the kit's start page,
its kernels talk over Unix sockets in a folder only they can open and keep no input history.
One server per case: the server's name is the case's folder in the store (the hub's home page
has a box for it); the server of an analyst outside the case's group is refused before it starts.
"""

'''

_TLJH_DOC = '''\
"""The investigate kit on The Littlest JupyterHub: the analysts' servers open the kit's app.

Written by `investigate hub-config --tljh` (investigate {version}). Put it in
/opt/tljh/config/jupyterhub_config.d/investigate.py and run `sudo tljh-config reload hub`.
TLJH keeps its own login, proxy, spawner (systemd, one Unix account `jupyter-NAME` per analyst)
and idle culler; this file makes each analyst's server open the kit's start page, its kernels
talk over Unix sockets in a folder only they can open and keep no input history. One server per
case: the server's name is the case's folder in the store (the hub's home page has a box for it);
the server of an analyst outside the case's group is refused before it starts.
"""

'''

_HEAD = '''\
c = get_config()  # noqa: F821 - given by JupyterHub

#: the trust's case store (one folder per case, each made with: investigate new CASE --group GROUP)
STORE = {store}
#: the kit's Python: every analyst must be able to read and run it (and the checkout it runs)
PYTHON = {python}

#: an analyst's Unix account, from their name on the hub
UNIX_USER = {unix_user}

'''

_HUB = '''\
# Where the hub listens: loopback only. The trust's own front proxy (nginx, Apache, Caddy, IIS)
# terminates TLS with the trust's certificate and passes https://SERVER/investigate/ to this address.
# (Or, for a server with its own certificate: c.JupyterHub.bind_url = "https://:443/investigate/",
# c.JupyterHub.ssl_cert = ..., c.JupyterHub.ssl_key = ...)
c.JupyterHub.bind_url = {bind_url}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:8081"

# The proxy: configurable-http-proxy (npm install -g configurable-http-proxy), started and stopped
# by the hub; its API on loopback only.
c.JupyterHub.proxy_class = "configurable-http-proxy"
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"

# Who may log in: Unix accounts (PAM), members of this group only.
# Alternative: NativeAuthenticator (pip install jupyterhub-nativeauthenticator), accounts and
# passwords kept by the hub, each sign-up approved by an admin; every name must still be a Unix
# account (useradd) for the spawner below:
#   c.JupyterHub.authenticator_class = "native"
#   c.NativeAuthenticator.open_signup = False
#   c.Authenticator.admin_users = {{"trust-lead"}}
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {{{group}}}
c.PAMAuthenticator.open_sessions = False  # no login session per server (no systemd-logind needed)

'''

_KIT = '''\
# Each analyst's server: a process of their own Unix account, the kit's app on the start page.
{spawner_class}c.Spawner.cmd = [PYTHON, "-m", "investigate.singleuser"]
c.Spawner.default_url = {start}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.allow_named_servers = True  # one server per case: /user/LOGIN/CASE-FOLDER/
c.JupyterHub.named_server_limit_per_user = 6


def _choose_case(spawner):  # noqa: ANN001, ANN202 - JupyterHub's hook
    """The case a named server opens (its name is the case's folder); refused, before the server starts,
    for an analyst outside the case's group (the kit's own message, shown by the hub)."""
    from investigate.errors import InvestigateError
    from investigate.hub import case_for_server, refusal

    try:
        folder = case_for_server(STORE, spawner.name, UNIX_USER.format(spawner.user.name))
    except InvestigateError as exc:
        raise refusal(str(exc)) from None  # shown to the analyst as it is
    if folder:  # a copy: the configured dict is not this server's alone
        spawner.environment = {{**spawner.environment, "INVESTIGATE_CASE": folder}}


c.Spawner.pre_spawn_hook = _choose_case

'''

_CULLER = '''\
# Idle servers are stopped by jupyterhub-idle-culler, a hub service with only the scopes it needs.
# --timeout: a server that has reported no activity for this many seconds is stopped. A server
#   writing a report is never idle: the kit's server extension reports activity every minute while
#   any of its kernels is busy (a report is written inside the app's kernel), and the server itself
#   never stops a busy kernel (MappingKernelManager.cull_busy = False). Nothing is lost when an idle
#   server is stopped: every change is in the case as soon as it is made.
# --cull-every: how often the culler looks. Named servers are stopped, not deleted (the analyst
#   starts the case again from the hub's home page).
c.JupyterHub.services = [
    {{"name": "idle-culler",
      "command": [PYTHON, "-m", "jupyterhub_idle_culler", "--timeout={idle}", "--cull-every={every}"]}},
]
c.JupyterHub.load_roles = [
    {{"name": "idle-culler", "description": "Stops analysts' servers idle for {idle} s",
      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
      "services": ["idle-culler"]}},
]
'''

_TLJH_CULLER = '''\
# TLJH runs jupyterhub-idle-culler itself; set its timeout to the kit's ({idle} s, one hour):
#   sudo tljh-config set services.cull.timeout {idle} && sudo tljh-config reload hub
# A server writing a report is never idle: the kit's server extension reports activity every minute
# while any of its kernels is busy, and the server never stops a busy kernel.
'''
