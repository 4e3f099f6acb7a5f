#!/usr/bin/env bash
# The C toolchain the C tests build with: host compilers, mbedTLS and OpenSSL for the crypto ports,
# the RISC-V cross compiler of the ESP32-C6 with picolibc, valgrind, Node.js, npm and python3-zigpy
# (the ZigBee interop test). Installs what is missing with
# apt-get when it may (root, or passwordless sudo); otherwise stops, naming the command to run.
set -euo pipefail

packages=()
need() { # need COMMAND-OR-FILE PACKAGE
    if [[ $1 == /* ]]; then [[ -e $1 ]] || packages+=("$2"); else command -v "$1" >/dev/null 2>&1 || packages+=("$2"); fi
}
need gcc gcc
need clang clang
# libFuzzer's runtime, which clang alone may come without
compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null || packages+=(libclang-rt-14-dev)
need valgrind valgrind
need riscv64-unknown-elf-gcc gcc-riscv64-unknown-elf
need /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs picolibc-riscv64-unknown-elf
need /usr/include/mbedtls/gcm.h libmbedtls-dev
need /usr/include/openssl/evp.h libssl-dev
need cmake cmake
# the ZigBee interop test runs zigbee-herdsman-converters (installed by npm ci from conformance/z2m)
need node nodejs
need npm npm
# and parses the same frames with ZHA's zigpy, under Debian's python3
need /usr/lib/python3/dist-packages/zigpy/zcl/foundation.py python3-zigpy
# the live-reading test (LiveReadTest) joins meterspec replay and read through a pty pair
need socat socat
# the MQTT test (MqttPublishTest) publishes to a Mosquitto broker it starts (Debian installs it in /usr/sbin),
# one of them TLS-only with a password file (mosquitto_passwd) and a certificate openssl makes
need /usr/sbin/mosquitto mosquitto
need mosquitto_passwd mosquitto
need openssl openssl

if [[ ${#packages[@]} -eq 0 ]]; then
    exit 0
fi
command=(apt-get install -y --no-install-recommends "${packages[@]}")
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
else
    echo "meterspec: the C tests need Debian packages that are not installed; run:" >&2
    echo "  sudo apt-get update && sudo ${command[*]}" >&2
    exit 1
fi
echo "meterspec: installing ${packages[*]} for the C tests" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" "${command[@]}" -qq >/dev/null
