"""The local cluster's web servers (Dask starts one in the scheduler and in each worker, whatever
the dashboard) listen on the loopback interface only, never on port 8787 by default, and say
nothing about a port in use (issue 26, item 5)."""

from __future__ import annotations

import ipaddress
import socket

import psutil
import pytest

from digitize.batch.cluster import connect
from digitize.settings.job import JobSettings


def _listening(pids: set[int]) -> list[tuple[str, int, int]]:
    return [(c.laddr.ip, c.laddr.port, c.pid) for c in psutil.net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.pid in pids]


@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_the_local_clusters_web_servers_listen_on_loopback_only(pool, capfd):
    me = psutil.Process()
    # 8787 taken on every interface: Dask's default would have said "Port 8787 is already in use"
    busy = socket.socket()
    busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        busy.bind(("0.0.0.0", 8787))
        busy.listen()
    except OSError:
        busy.close()
        busy = None  # someone else holds it: the same case
    before = {(ip, port) for ip, port, _ in _listening({me.pid})}
    try:
        client, cluster = connect(JobSettings(workers=1), pool)
        try:
            client.wait_for_workers(1, timeout=60)
            pids = {me.pid} | {p.pid for p in me.children(recursive=True)}
            opened = [(ip, port, pid) for ip, port, pid in _listening(pids) if (ip, port) not in before]
            http = [port for _, port, _ in opened]
            assert opened, "the cluster opened no listening socket"
            assert all(ipaddress.ip_address(ip).is_loopback for ip, _, _ in opened), opened
            assert 8787 not in http
            workers = client.scheduler_info()["workers"].values()
            assert all(ipaddress.ip_address(w["host"]).is_loopback or pool == "threads" for w in workers)
        finally:
            client.close()
            cluster.close()
    finally:
        if busy is not None:
            busy.close()
    err = capfd.readouterr().err
    assert "8787" not in err and "already in use" not in err, err
