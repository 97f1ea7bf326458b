"""``investigate hub-config`` and the pieces of the hub that need no hub: the config, the case a server
opens, the busy-kernel activity. (The real hub is tests/test_hub.py.)"""

from __future__ import annotations

import ast
import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from investigate import cli, hub, serve
from investigate.case import Case
from investigate.errors import CaseError


def test_the_config_names_the_store_the_kit_and_the_settings(tmp_path: Path) -> None:
    text = hub.hub_config(tmp_path / "cases", python="/opt/investigate/.venv/bin/python")
    tree = ast.parse(text)  # a Python file JupyterHub can load
    assigned = {ast.unparse(node.targets[0]): ast.unparse(node.value) for node in tree.body
                if isinstance(node, ast.Assign)}
    assert assigned["STORE"] == repr(str(tmp_path / "cases"))
    assert assigned["PYTHON"] == "'/opt/investigate/.venv/bin/python'"
    assert assigned["c.JupyterHub.authenticator_class"] == "'pam'"
    assert assigned["c.JupyterHub.spawner_class"] == "'localprocess'"
    assert assigned["c.JupyterHub.proxy_class"] == "'configurable-http-proxy'"
    assert assigned["c.Spawner.cmd"] == "[PYTHON, '-m', 'investigate.singleuser']"
    assert assigned["c.Spawner.default_url"] == repr(hub.START_URL)
    assert assigned["c.JupyterHub.bind_url"] == repr(hub.BIND_URL) and hub.BIND_URL.startswith("http://127.0.0.1:")
    assert "--timeout=3600" in assigned["c.JupyterHub.services"]
    roles = assigned["c.JupyterHub.load_roles"]
    assert "'delete:servers'" in roles and "admin" not in roles  # only the scopes it needs


def test_hub_config_writes_a_file_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "jupyterhub_config.py"
    assert cli.main(["hub-config", "--store", str(tmp_path / "cases"), "-o", str(out)]) == 0
    assert "c.Spawner.cmd" in out.read_text() and str(tmp_path / "cases") in out.read_text()
    capsys.readouterr()
    assert cli.main(["hub-config", "--store", str(tmp_path / "other"), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and str(tmp_path / "other") not in out.read_text()
    assert cli.main(["hub-config", "--store", str(tmp_path / "cases")]) == 0  # printed
    assert capsys.readouterr().out == out.read_text()


def test_a_server_opens_the_case_named_by_it(tmp_path: Path) -> None:
    import getpass

    Case.create(tmp_path / "grimblewood", title="Fake staff accounts at Grimblewood Academy")
    me = getpass.getuser()
    assert hub.case_for_server(tmp_path, "grimblewood", me) == str(tmp_path / "grimblewood")
    assert hub.case_for_server(tmp_path, "", me) == ""  # the default server: the training case
    with pytest.raises(CaseError, match="There is no case called 'marrowvale'"):
        hub.case_for_server(tmp_path, "marrowvale", me)
    with pytest.raises(CaseError, match="is not the name of a case folder"):
        hub.case_for_server(tmp_path, "../grimblewood", me)


def test_a_busy_kernel_keeps_the_server_active() -> None:
    """The idle culler reads the server's last activity; a kernel writing a report sends nothing for minutes."""
    kernels = {"k1": SimpleNamespace(execution_state="idle"), "k2": SimpleNamespace(execution_state="idle")}
    manager = SimpleNamespace(list_kernel_ids=lambda: list(kernels), get_kernel=kernels.__getitem__)
    app = SimpleNamespace(web_app=SimpleNamespace(settings={"kernel_manager": manager}))
    assert not serve.busy_kernels_are_activity(app) and "investigate_last_activity" not in app.web_app.settings
    kernels["k2"].execution_state = "busy"
    before = datetime.datetime.now(datetime.UTC)
    assert serve.busy_kernels_are_activity(app)
    assert app.web_app.settings["investigate_last_activity"] >= before


def test_the_files_in_deploy_are_what_hub_config_writes() -> None:
    """deploy/hub/ holds what `investigate hub-config` writes for the documented paths (kept in step)."""
    deploy = Path(__file__).resolve().parent.parent / "deploy" / "hub"
    assert (deploy / "jupyterhub_config.py").read_text(encoding="utf-8") == hub.hub_config(
        "/srv/investigate/cases", python="/opt/investigate/.venv/bin/python")
    assert (deploy / "tljh-investigate.py").read_text(encoding="utf-8") == hub.hub_config(
        "/srv/investigate/cases", python="/opt/tljh/user/bin/python", tljh=True)


def test_the_tljh_part_leaves_login_proxy_spawner_and_culler_to_tljh() -> None:
    text = hub.hub_config("/srv/investigate/cases", python="/opt/tljh/user/bin/python", tljh=True)
    ast.parse(text)
    for setting in ("authenticator_class", "spawner_class", "proxy_class", "bind_url", "JupyterHub.services"):
        assert f"c.JupyterHub.{setting.split('.')[-1]} =" not in text
    assert "UNIX_USER = 'jupyter-{}'" in text and "c.Spawner.pre_spawn_hook = _choose_case" in text
