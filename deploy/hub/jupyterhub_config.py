"""JupyterHub for a trust's safeguarding analysts: the investigate kit, one Unix account each.

Written by `investigate hub-config` (investigate 0.1.0). Run the hub as root from its own folder
(it keeps its database, cookie secret and the proxy's pid file there):

    cd /srv/investigate/hub && /path/to/the/kit/.venv/bin/jupyterhub -f jupyterhub_config.py

Every analyst logs in with their own Unix account and password (PAM), and must be in the Unix
group named below. Each gets their own server, started as them: it opens the kit's start page,
its kernels talk over Unix sockets in a folder only they can open and keep no input history.
One server per case: the server's name is the case's folder in the store (the hub's home page
has a box for it); the server of an analyst outside the case's group is refused before it starts.
"""

c = get_config()  # noqa: F821 - given by JupyterHub

#: the trust's case store (one folder per case, each made with: investigate new CASE --group GROUP)
STORE = '/srv/investigate/cases'
#: the kit's Python: every analyst must be able to read and run it (and the checkout it runs)
PYTHON = '/opt/investigate/.venv/bin/python'

#: an analyst's Unix account, from their name on the hub
UNIX_USER = '{}'

# Where the hub listens: loopback only. The trust's own front proxy (nginx, Apache, Caddy, IIS)
# terminates TLS with the trust's certificate and passes https://SERVER/investigate/ to this address.
# (Or, for a server with its own certificate: c.JupyterHub.bind_url = "https://:443/investigate/",
# c.JupyterHub.ssl_cert = ..., c.JupyterHub.ssl_key = ...)
c.JupyterHub.bind_url = 'http://127.0.0.1:8000/investigate/'
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
#   c.Authenticator.admin_users = {"trust-lead"}
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {'investigate'}
c.PAMAuthenticator.open_sessions = False  # no login session per server (no systemd-logind needed)

# Each analyst's server: a process of their own Unix account, the kit's app on the start page.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [PYTHON, "-m", "investigate.singleuser"]
c.Spawner.default_url = '/voila/render/00_start_here.ipynb'
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
        spawner.environment = {**spawner.environment, "INVESTIGATE_CASE": folder}


c.Spawner.pre_spawn_hook = _choose_case

# Idle servers are stopped by jupyterhub-idle-culler, a hub service with only the scopes it needs.
# --timeout: a server that has reported no activity for this many seconds is stopped. A server
#   writing a report is never idle: the kit's server extension reports activity every minute while
#   any of its kernels is busy (a report is written inside the app's kernel), and the server itself
#   never stops a busy kernel (MappingKernelManager.cull_busy = False). Nothing is lost when an idle
#   server is stopped: every change is in the case as soon as it is made.
# --cull-every: how often the culler looks. Named servers are stopped, not deleted (the analyst
#   starts the case again from the hub's home page).
c.JupyterHub.services = [
    {"name": "idle-culler",
      "command": [PYTHON, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"]},
]
c.JupyterHub.load_roles = [
    {"name": "idle-culler", "description": "Stops analysts' servers idle for 3600 s",
      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
      "services": ["idle-culler"]},
]
