#!/usr/bin/env bash
# Installs iperf3 (Debian) if missing, through the course's set-up (tools/setup.sh), then measures TCP and
# then UDP over loopback with iperf3 and with the course's own code, alternately, in longer rounds than
# chapter 13's live run (it fails when the TCP medians differ by more than 20%).
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/setup.sh
# Without root the set-up can only say what to install; the comparison is meaningless without iperf3.
command -v iperf3 >/dev/null || { echo "compare-with-iperf3.sh: iperf3 is required" >&2; exit 1; }
dotnet build benchmarks/NetIpc.Benchmarks -c Release --nologo --verbosity quiet
dotnet artifacts/bin/NetIpc.Benchmarks/release/NetIpc.Benchmarks.dll iperf3
