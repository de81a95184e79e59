"""Check what ``deploy/Dockerfile`` promises without Docker (for machines without a daemon).

    sudo .venv/bin/python deploy/emulate_image.py [--workdir /tmp/cluster-atlas-image]

Linux and root only (``unshare``, ``setpriv``). It reads the Dockerfile and redoes its steps
here: a fresh venv from the system Python with ``pip install -r requirements.txt`` (the
``RUN``), a folder holding only the files the ``COPY`` lines name, owned by root; then, inside a
new network namespace with only loopback (no route out), it starts the ``CMD`` as the ``USER``
uid with the ``ENV`` variables, waits until the ``HEALTHCHECK`` command passes (run as that uid
too) and renders every page over the websocket with ``ws_load.py``. It reports: page errors,
whether the app user can write to the code, whether the namespace can reach the outside, and the
health check's exit code.
Not covered: the base image itself (python:3.11-slim), Docker's build, compose networking.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
WS_LOAD = Path(os.environ.get("WS_LOAD", ROOT.parent / "shared" / "tools" / "ws_load.py"))
PAGES = ("overview", "map", "heatmap")


def parse_dockerfile(text: str) -> dict:
    """The COPY sources, ENV, USER, EXPOSE port, CMD and HEALTHCHECK command of ``text``."""
    joined = re.sub(r"\\\n", " ", text)
    lines = [ln.strip() for ln in joined.splitlines() if ln.strip() and not ln.startswith("#")]
    out: dict = {"copy": [], "env": {}, "user": None, "cmd": None, "health": None, "port": None}
    for line in lines:
        word, _, rest = line.partition(" ")
        if word == "COPY":
            *sources, _dest = rest.split()
            out["copy"] += [s for s in sources if not s.startswith("--")]
        elif word == "ENV":  # the KEY=VALUE form only (unquoted values)
            out["env"].update(item.split("=", 1) for item in rest.split())
        elif word == "USER":
            out["user"] = int(rest.split(":")[0])
        elif word == "EXPOSE":
            out["port"] = int(rest.split()[0])
        elif word == "CMD":
            out["cmd"] = json.loads(rest)
        elif word == "HEALTHCHECK":
            out["health"] = json.loads(rest[rest.index("CMD") + 3 :])
    return out


def build(workdir: Path, python: str, spec: dict) -> tuple[Path, Path]:
    """The venv (reused while requirements.txt is unchanged) and a fresh app folder."""
    req = ROOT / "requirements.txt"
    venv = workdir / "venv"
    stamp = venv / ".requirements.sha256"
    digest = hashlib.sha256(req.read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text() != digest:
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "--no-cache-dir", "-r", str(req)], check=True)
        stamp.write_text(digest)
    app = workdir / "app"
    shutil.rmtree(app, ignore_errors=True)
    app.mkdir(parents=True)
    for src in spec["copy"]:
        path = ROOT / src.rstrip("/")
        if path.is_dir():
            shutil.copytree(path, app / path.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, app / path.name)
    for p in [app, *app.rglob("*")]:  # like COPY without --chown: root-owned, world-readable
        os.chown(p, 0, 0)
        p.chmod(0o755 if p.is_dir() else 0o644)
    os.chmod(workdir, 0o755)
    return venv, app


def inside(workdir: Path, spec: dict) -> dict:
    """Run in the new network namespace: serve as the image's user, probe, report."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    uid, port = spec["user"], spec["port"]
    venv_bin = workdir / "venv" / "bin"
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    os.chown(home, uid, uid)
    as_user = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    env = {**spec["env"], "PATH": f"{venv_bin}:/usr/bin:/bin", "HOME": str(home)}
    report: dict = {"uid": uid, "cmd": spec["cmd"]}
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [*as_user, *spec["cmd"]], cwd=workdir / "app", env=env, stdout=log, stderr=log
    )
    try:
        deadline, rc = time.monotonic() + 90, None
        while time.monotonic() < deadline and server.poll() is None:
            check = subprocess.run([*as_user, *spec["health"]], env=env, capture_output=True)
            rc = check.returncode
            if rc == 0:
                break
            time.sleep(1)
        report["healthcheck_exit"] = rc
        probe = "open('probe', 'w')"
        write = subprocess.run(
            [*as_user, "python", "-c", probe], cwd=workdir / "app", env=env, capture_output=True
        )
        report["app_user_can_write_code_dir"] = write.returncode == 0
        net = "import socket; socket.create_connection(('1.1.1.1', 443), timeout=3)"
        outside = subprocess.run([sys.executable, "-c", net], capture_output=True, text=True)
        report["namespace_reaches_outside"] = outside.returncode == 0
        report["pages"] = {}
        for page in PAGES:
            cmd = [sys.executable, str(WS_LOAD), "--url", f"http://127.0.0.1:{port}"]
            cmd += ["--page", page, "--query", "lang=en", "--steps", "2"]
            res = subprocess.run(cmd, capture_output=True, text=True)
            data = json.loads(res.stdout) if res.returncode == 0 else {}
            report["pages"][page] = {
                "reruns_ok": data.get("reruns_ok"),
                "errors": data.get("errors", res.stderr[-300:]),
                "bytes_first_load": data.get("bytes_first_load_mean"),
            }
        report["server_running_as"] = _owner(server.pid)
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
    return report


def _owner(pid: int) -> str:
    """``uid`` of ``pid`` and of the Python process it exec'd (setpriv execs in place)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        uid = next(ln.split()[1] for ln in fh if ln.startswith("Uid:"))
    with open(f"/proc/{pid}/cmdline", "rb") as fh:
        cmd = fh.read().replace(b"\0", b" ").decode()[:80]
    return f"uid {uid}: {cmd}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workdir", type=Path, default=Path("/tmp/cluster-atlas-image"))
    p.add_argument("--python", default="/usr/bin/python3", help="the Python that builds the venv")
    p.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    spec = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    if a.inside:
        print(json.dumps(inside(a.workdir, spec)))
        return
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("setpriv"):
        sys.exit("needs root, unshare and setpriv (util-linux) on Linux")
    if not WS_LOAD.is_file():
        sys.exit(f"ws_load.py not found at {WS_LOAD}; set WS_LOAD=/path/to/ws_load.py")
    a.workdir.mkdir(parents=True, exist_ok=True)
    build(a.workdir, a.python, spec)
    cmd = ["unshare", "--net", "--", sys.executable, __file__, "--inside"]
    cmd += ["--workdir", str(a.workdir)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"failed: {shlex.join(cmd)}\n{res.stderr[-2000:]}")
    report = {"dockerfile": spec, **json.loads(res.stdout.splitlines()[-1])}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
