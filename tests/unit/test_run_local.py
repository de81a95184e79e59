"""``deploy/run_local.py``: the compose topology's HAProxy config, made for this machine."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

from run_local import HAPROXY_CFG, local_config  # noqa: E402


def test_local_config_changes_only_the_bind_the_servers_and_the_resolvers() -> None:
    template = HAPROXY_CFG.read_text(encoding="utf-8")
    cfg = local_config(template, 8080, [("replica1", 9001), ("replica2", 9002)])
    lines = cfg.splitlines()
    assert "    bind 127.0.0.1:8080" in lines
    assert ["    server replica1 127.0.0.1:9001", "    server replica2 127.0.0.1:9002"] == [
        x for x in lines if x.strip().startswith("server ")
    ]
    assert "resolvers" not in cfg and "server-template" not in cfg
    assert "stats socket" not in cfg
    kept = [x for x in template.splitlines() if not x.strip().startswith(("bind ", "server-"))]
    kept = [x for x in kept if "resolvers" not in x and "nameserver" not in x]
    assert all(
        x in lines for x in kept if x.strip() and not x.strip().startswith(("hold", "accepted"))
    )


def test_a_stats_socket_goes_into_the_global_section_read_only(tmp_path: Path) -> None:
    sock = tmp_path / "haproxy.sock"
    cfg = local_config(HAPROXY_CFG.read_text(encoding="utf-8"), 8080, [("r1", 9001)], sock)
    lines = cfg.splitlines()
    at = lines.index("global")
    assert lines[at + 1] == f"    stats socket {sock} mode 600 level user"
    assert cfg.count("stats socket") == 1
