#!/usr/bin/python3
"""Records the /proc/net fixtures under data/proc from real sockets.

Run as root inside a fresh network namespace, so the tables hold only the sockets made here:

    sudo unshare --net /usr/bin/python3 data/proc/capture.py data/proc

Written in Python (the interpreter every Debian has) rather than C# because it must set socket
options .NET does not expose (TCP_DEFER_ACCEPT) and run before the course is built.
Each scenario folder gets a README line naming the kernel and the date. Nothing here touches the
host: the namespace has only its own loopback, and it disappears when the script exits.
"""
import datetime
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

NET_FILES = ["tcp", "tcp6", "udp", "udp6", "unix", "snmp", "netstat"]


def save(folder: pathlib.Path, description: str, extra: dict[str, str] | None = None,
         tables: tuple[str, ...] = tuple(NET_FILES)) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in tables:
        (folder / name).write_bytes(pathlib.Path("/proc/self/net", name).read_bytes())
    for name, text in (extra or {}).items():
        (folder / name).write_text(text)
    kernel = os.uname().release
    day = datetime.date.today().isoformat()
    (folder / "README.md").write_text(
        f"# {folder.name}\n\n{description}\n\nCaptured with `data/proc/capture.py` on Linux {kernel}, {day},"
        " in a network namespace of its own.\n")


def fd_listing() -> str:
    """The socket entries of /proc/self/fd (the others name files of the machine that ran the capture)."""
    lines = []
    for name in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except FileNotFoundError:
            continue  # the descriptor os.listdir itself used
        if target.startswith("socket:"):
            lines.append(f"{name} -> {target}")
    return "\n".join(lines) + "\n"


def ss(*args: str) -> str:
    return subprocess.run(["ss", *args], check=True, capture_output=True, text=True).stdout


def wait_for(predicate, what: str, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"capture: gave up waiting for {what}")
        time.sleep(0.02)


def tcp_states() -> list[str]:
    text = pathlib.Path("/proc/self/net/tcp").read_text() + pathlib.Path("/proc/self/net/tcp6").read_text()
    return [line.split()[3] for line in text.splitlines()[1:] if line.strip() and not line.lstrip().startswith("sl")]


def seed_server(root: pathlib.Path) -> None:
    """The seed's server on 9501: one connection accepted, one still in the accept queue, unread bytes."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", 9501))
    listener.listen(5)
    accepted_client = socket.create_connection(("127.0.0.1", 9501))
    connection, _ = listener.accept()
    waiting_client = socket.create_connection(("127.0.0.1", 9501))  # nobody accepts it: inode 0
    accepted_client.sendall(b"hello from telnet\r\n")  # the server never reads: rx_queue 19
    wait_for(lambda: tcp_states().count("01") == 4, "four ESTABLISHED lines")
    save(root / "seed-server",
         "The seed's server: a listener on 0.0.0.0:9501 (backlog 5), one connection accepted whose 19 bytes"
         " nobody has read, and one connection still waiting in the accept queue (inode 0).\n"
         "`fd` is the capturing process's /proc/self/fd; `ss-tanp` is `ss -tanp` run at the same moment.",
         {"fd": fd_listing(), "ss-tanp": ss("-tanp")})
    for s in (accepted_client, connection, waiting_client, listener):
        s.close()


def edge_cases(root: pathlib.Path, scratch: pathlib.Path) -> None:
    """Every line shape the parsers must handle, in one namespace at one moment."""
    keep = []

    # TIME_WAIT: the side that closes first waits; both close, so the short line is all that is left.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 9510))
    listener.listen(1)
    first = socket.create_connection(("127.0.0.1", 9510))
    second, _ = listener.accept()
    first.close()
    time.sleep(0.05)
    second.close()
    listener.close()

    # FIN_WAIT2 and CLOSE_WAIT: the client closes, the server never does.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 9511))
    listener.listen(1)
    half_closed = socket.create_connection(("127.0.0.1", 9511))
    server_side, _ = listener.accept()
    half_closed.close()
    keep += [listener, server_side]

    # SYN_RECV: with TCP_DEFER_ACCEPT the server drops the bare final ACK and keeps the request
    # half-open, retransmitting its SYN-ACK, while the client already believes it is connected.
    deferred = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    deferred.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 30)
    deferred.bind(("127.0.0.1", 9512))
    deferred.listen(4)
    keep += [deferred, socket.create_connection(("127.0.0.1", 9512))]

    # Dual stack: an IPv6 listener accepting an IPv4 client shows ::ffff:127.0.0.1; ::1 shows the
    # byte-swapped groups of a native IPv6 address.
    dual = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    dual.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    dual.bind(("::", 9513))
    dual.listen(4)
    mapped_client = socket.create_connection(("127.0.0.1", 9513))
    native_client = socket.create_connection(("::1", 9513))
    native_client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)  # timer kind 2
    keep += [dual, mapped_client, native_client, dual.accept()[0], dual.accept()[0]]

    # UDP: an unconnected receiver with a small buffer that overflows (drops), a connected sender, udp6.
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    receiver.bind(("127.0.0.1", 9514))
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.connect(("127.0.0.1", 9514))
    for _ in range(50):
        sender.send(b"x" * 512)
    udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp6.bind(("::1", 9515))
    keep += [receiver, sender, udp6]

    # UNIX: a listener at a path with spaces and one connection, an abstract name with NULs inside,
    # a bound datagram socket, a seqpacket listener, an unbound socketpair.
    spaced = str(scratch / "seed server.sock")
    unix_listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix_listener.bind(spaced)
    unix_listener.listen(2)
    unix_client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix_client.connect(spaced)
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind(b"\0netipc\0demo")
    abstract.listen(1)
    dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dgram.bind(str(scratch / "dgram.sock"))
    seqpacket = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    seqpacket.bind(str(scratch / "seqpacket.sock"))
    seqpacket.listen(1)
    keep += [unix_listener, unix_client, unix_listener.accept()[0], abstract, dgram, seqpacket, *socket.socketpair()]

    wait_for(lambda: "03" in tcp_states() and "05" in tcp_states() and "06" in tcp_states(),
             "SYN_RECV, FIN_WAIT2 and TIME_WAIT lines")
    save(root / "edge-cases",
         "Every line shape at once: TIME_WAIT (127.0.0.1:9510), FIN_WAIT2/CLOSE_WAIT (9511), SYN_RECV held"
         " by TCP_DEFER_ACCEPT (9512), a dual-stack listener with an IPv4-mapped and a ::1 peer that has keepalive on (9513),"
         " a UDP receiver that dropped datagrams (9514) and its connected sender, a udp6 socket (9515),"
         " and UNIX sockets: a listener at 'seed server.sock' (a space in the name),"
         " the abstract name \\0netipc\\0demo, a datagram and a seqpacket socket, and a socketpair.\n"
         "`ss-tanp` is ss run at the same moment.",
         {"ss-tanp": ss("-tanp")})
    for s in keep:
        s.close()


def listen_overflow(root: pathlib.Path) -> None:
    """snmp/netstat after the accept queue of a backlog-0 listener overflowed."""
    before = pathlib.Path("/proc/self/net/netstat").read_text()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 9520))
    listener.listen(0)
    clients = []
    for _ in range(4):
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", 9520))
        clients.append(client)
    # A datagram to a closed port comes back as ICMP port unreachable, so snmp gains its IcmpMsg lines.
    lonely = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lonely.sendto(b"anyone?", ("127.0.0.1", 9521))
    clients.append(lonely)
    time.sleep(0.3)
    save(root / "listen-overflow",
         "A listener on 127.0.0.1:9520 with backlog 0 and four clients: one connection fits the accept queue"
         " (backlog+1), the others overflow it, so TcpExt.ListenOverflows has moved. `netstat.before` is"
         " the same file read before the experiment. A datagram sent to the closed port 127.0.0.1:9521"
         " was answered by ICMP port unreachable, which adds the IcmpMsg lines to snmp. Only the counters are kept:"
         " the socket tables of this moment are read nowhere.",
         {"netstat.before": before}, tables=("snmp", "netstat"))
    for s in [listener, *clients]:
        s.close()


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: unshare --net capture.py <output folder>")
    interfaces = [line.split(":")[0].strip() for line in pathlib.Path("/proc/self/net/dev").read_text().splitlines()[2:]]
    if interfaces != ["lo"]:
        raise SystemExit("capture: run me in a fresh network namespace (unshare --net), not on the host")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    root = pathlib.Path(sys.argv[1])
    # A fixed name, so the recorded unix table does not change with every capture.
    scratch = pathlib.Path(tempfile.gettempdir(), "netipc-capture")
    scratch.mkdir()
    try:
        seed_server(root)
        edge_cases(root, scratch)
        listen_overflow(root)
    finally:
        shutil.rmtree(scratch)


main()
