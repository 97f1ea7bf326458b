"""The investigate kit on The Littlest JupyterHub: the analysts' servers open the kit's app.

Written by `investigate hub-config --tljh` (investigate 0.1.0). Put it in
/opt/tljh/config/jupyterhub_config.d/investigate.py and run `sudo tljh-config reload hub`.
TLJH keeps its own login, proxy, spawner (systemd, one Unix account `jupyter-NAME` per analyst)
and idle culler; this file makes each analyst's server open the kit's start page, its kernels
talk over Unix sockets in a folder only they can open and keep no input history. One server per
case: the server's name is the case's folder in the store (the hub's home page has a box for it);
the server of an analyst outside the case's group is refused before it starts.
"""

c = get_config()  # noqa: F821 - given by JupyterHub

#: the trust's case store (one folder per case, each made with: investigate new CASE --group GROUP)
STORE = '/srv/investigate/cases'
#: the kit's Python: every analyst must be able to read and run it (and the checkout it runs)
PYTHON = '/opt/tljh/user/bin/python'

#: an analyst's Unix account, from their name on the hub
UNIX_USER = 'jupyter-{}'

# Each analyst's server: a process of their own Unix account, the kit's app on the start page.
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

# TLJH runs jupyterhub-idle-culler itself; set its timeout to the kit's (3600 s, one hour):
#   sudo tljh-config set services.cull.timeout 3600 && sudo tljh-config reload hub
# A server writing a report is never idle: the kit's server extension reports activity every minute
# while any of its kernels is busy, and the server never stops a busy kernel.
