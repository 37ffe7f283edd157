"""Interrupts a cell of the course kernel the way every Jupyter front end does it, through
jupyter_client's KernelManager, which reads the kernelspec's interrupt_mode. Prints one JSON object
with what happened; the C# test judges it. Every wait is bounded; the kernel is shut down at the end."""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

SLEEP_FOREVER = 'Console.WriteLine("sleeping"); System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);'
WAIT = 60


def first(get_msg, match):
    """The first message get_msg yields within WAIT seconds that match accepts, or None."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            msg = get_msg(timeout=1)
        except queue.Empty:
            continue
        if match(msg):
            return msg
    return None


def reply_to(kc, msg_id):
    msg = first(kc.get_shell_msg, lambda m: m["parent_header"].get("msg_id") == msg_id)
    return msg and msg["content"]


def wait_for_stream(kc, msg_id):
    return first(kc.get_iopub_msg, lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream") is not None


started = time.monotonic()
km, kc = start_new_kernel(kernel_name=".net-csharp", startup_timeout=120)
result = {"kernel": km.kernel_spec.argv, "interrupt_mode": km.kernel_spec.interrupt_mode,
          "started_s": round(time.monotonic() - started, 2)}
try:
    sleeping = kc.execute(SLEEP_FOREVER)
    result["sleeping_printed"] = wait_for_stream(kc, sleeping)
    km.interrupt_kernel()
    interrupted = reply_to(kc, sleeping)
    result["interrupted_status"] = interrupted and interrupted["status"]
    after = reply_to(kc, kc.execute("6*7"))
    result["next_status"] = after and after["status"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    result["alive_after_shutdown"] = km.is_alive()
json.dump(result, sys.stdout)
