#!/usr/bin/env bash
# Installs iperf3 (Debian) if missing, then measures TCP over loopback with iperf3 and with the course's
# own code, alternately, and records the comparison and a throughput sweep under data/benchmarks/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v iperf3 >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iperf3 >/dev/null
fi
dotnet build tests/NetIpc.Benchmarks -c Release --nologo --verbosity quiet
dotnet artifacts/bin/NetIpc.Benchmarks/release/NetIpc.Benchmarks.dll iperf3
