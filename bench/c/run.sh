#!/usr/bin/env bash
# The generated C decoders, measured: instructions per telegram with valgrind's callgrind (counts,
# not seconds: the same on a busy machine) for the Netz NÖ capture (M-Bus, 0x20) and a Kamstrup
# HDLC capture with a tag (0x30), each against its floor, the cheapest correct mbedTLS crypto for
# its security mode on the same bytes (key setup included); then, cross-compiled for the ESP32-C6
# (RV32IMAC, -Os, picolibc), the .text/.data/.bss of the runtime and one meter as a firmware for
# that meter builds them (one unit, unity/ms_one_meter.c), and the worst-case stack of a feed. Also the ZigBee side of the Netz NÖ reading (ms_zcl_update and its frames)
# against the decode of the same telegram.
#
#   bench/c/run.sh            (needs valgrind, gcc, libmbedtls-dev, gcc-riscv64-unknown-elf, picolibc)
#
# The last lines have the form
#   netz_noe_p1 instructions N floor M ratio R
#   netz_noe_p1 zcl instructions Z decode N ratio R
#   rv32imac text T data D bss B stack S
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/target/c
rm -rf "$OUT"
mkdir -p "$OUT"

mvn -q -B package -DskipTests -pl cli,bench -am
java -cp bench/target/benchmarks.jar org.meterspec.bench.CInputs "$OUT/inputs.h"
java -jar cli/target/meterspec.jar generate --lang c --quiet -o "$OUT/component" \
    examples/sagemcom_t210d/netz_noe_p1.meter examples/kamstrup_omnipower/kamstrup_omnipower.meter
C="$OUT/component"

HOST=(cc -std=c99 -O2 -g -I"$OUT" -I"$C/include" -I"$C/meters")
# both meters on the shared runtime, as a component with every meter builds them
"${HOST[@]}" bench/c/bench.c "$C"/runtime/*.c "$C/port/ms_port_mbedtls.c" "$C"/meters/*.c -Wl,-z,now -lmbedcrypto \
    -o "$OUT/bench"
# each meter alone, as a firmware for it builds it: the meter and the decoding runtime as one
# unit (unity/ms_one_meter.c), beside the runtime files that present a reading and the port
decoding=$(sed -n 's|^#include "\.\./runtime/\(.*\.c\)"$|\1|p' "$C/unity/ms_one_meter.c")
presentation=()
for source in "$C"/runtime/*.c; do
    grep -qx "$(basename "$source")" <<< "$decoding" || presentation+=("$source")
done
alone() { # alone METER BENCH_FLAG: bench/target/c/bench-METER
    "${HOST[@]}" -DMS_ONE_METER="$1" -c "$C/unity/ms_one_meter.c" -o "$OUT/$1.o"
    "${HOST[@]}" "-D$2=0" bench/c/bench.c "$OUT/$1.o" "${presentation[@]}" "$C/port/ms_port_mbedtls.c" -Wl,-z,now \
        -lmbedcrypto -o "$OUT/bench-$1"
}
alone netz_noe_p1 BENCH_KAMSTRUP
alone kamstrup_omnipower BENCH_NETZ

instructions() { # instructions PROGRAM FUNCTION: what callgrind counts inside bench_FUNCTION, inclusive
    valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$(basename "$1").$2" --toggle-collect="bench_$2" \
        "$1" "$2" >/dev/null 2>&1
    callgrind_annotate "$OUT/callgrind.$(basename "$1").$2" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
report() { # report METER PROGRAM DECODE FLOOR
    local d f
    d=$(instructions "$2" "$3")
    f=$(instructions "$2" "$4")
    echo "$1 instructions $d floor $f ratio $(awk -v d="$d" -v f="$f" 'BEGIN { printf "%.2f", d / f }')"
}
report_netz=$(report netz_noe_p1 "$OUT/bench-netz_noe_p1" decode_netz floor_netz)
report_kamstrup=$(report kamstrup_omnipower "$OUT/bench-kamstrup_omnipower" decode_kamstrup floor_kamstrup)
shared_netz=$(instructions "$OUT/bench" decode_netz)
shared_kamstrup=$(instructions "$OUT/bench" decode_kamstrup)
# the ZigBee side of the same reading (first reading: every attribute, all frames), against its decode
zcl=$(instructions "$OUT/bench-netz_noe_p1" zcl_netz)
decode=$(instructions "$OUT/bench-netz_noe_p1" decode_netz)
report_zcl="netz_noe_p1 zcl instructions $zcl decode $decode ratio $(awk -v z="$zcl" -v d="$decode" 'BEGIN { printf "%.2f", z / d }')"

# RV32IMAC: every runtime file and the port (crypto glue included, mbedTLS itself not), as the
# shared runtime of a component with every meter compiles them
RV="$OUT/rv32imac"
mkdir -p "$RV" "$OUT/rv32-include"
# mbedTLS's headers alone: the host's /usr/include would bring glibc's
ln -sfn /usr/include/mbedtls "$OUT/rv32-include/mbedtls"
RV32=(riscv64-unknown-elf-gcc -std=c99 -march=rv32imac -mabi=ilp32 -Os -ffunction-sections -fdata-sections
      --specs=picolibc.specs -I"$C/include" -I"$C/meters" -I"$OUT/rv32-include")
# a firmware's options: no JSON line, error messages or value names
FIRMWARE=(-DMS_JSON=0 -DMS_ERROR_MESSAGES=0 -DMS_VALUE_NAMES=0)
for source in "$C"/runtime/*.c "$C/port/ms_port_mbedtls.c" "$C/meters/netz_noe_p1.c"; do
    "${RV32[@]}" -c "$source" -o "$RV/$(basename "$source" .c).o"
done
# What a firmware for Netz NÖ links: the meter and the decoding runtime compiled as one unit
# (unity/ms_one_meter.c: ESP-IDF's "Build for one meter only", METERSPEC_ONE_METER), the port
# beside it, with a firmware's options; unused code dropped (--gc-sections) from the decoder's
# entry points; mbedTLS left unresolved (not counted). The stack is measured on the same build.
ONE="$OUT/one-meter"
mkdir -p "$ONE"
"${RV32[@]}" "${FIRMWARE[@]}" -DMS_ONE_METER=netz_noe_p1 -fstack-usage -fcallgraph-info=su \
    -c "$C/unity/ms_one_meter.c" -o "$ONE/ms_one_meter.o"
"${RV32[@]}" "${FIRMWARE[@]}" -fstack-usage -fcallgraph-info=su -c "$C/port/ms_port_mbedtls.c" -o "$ONE/ms_port_mbedtls.o"
stack=$(python3 bench/c/stack.py netz_noe_p1_feed "$ONE"/*.ci)
ENTRIES=(-Wl,-e,netz_noe_p1_feed -Wl,-u,netz_noe_p1_init -Wl,-u,netz_noe_p1_finish -Wl,-u,netz_noe_p1_decode
         -Wl,-u,netz_noe_p1_clear)
link_firmware() { # link_firmware OUTPUT ARGUMENTS...
    local out=$1
    shift
    riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -Os --specs=picolibc.specs -nostartfiles -Wl,--gc-sections \
        -Wl,--unresolved-symbols=ignore-all -Wl,-Map,"$out.map" "$@" -o "$out"
}
link_firmware "$ONE/netz_noe_p1.elf" "${ENTRIES[@]}" "$ONE"/*.o
# the reader firmware of examples/esp-idf calls only init, feed and clear
link_firmware "$ONE/netz_noe_p1_reader.elf" -Wl,-e,netz_noe_p1_feed -Wl,-u,netz_noe_p1_init -Wl,-u,netz_noe_p1_clear "$ONE"/*.o
# the same with -msave-restore, what ESP-IDF's CONFIG_COMPILER_SAVE_RESTORE_LIBCALLS adds to every
# RISC-V compile: prologues and epilogues become calls into libgcc's __riscv_save_N (linked, counted)
SR="$OUT/save-restore"
mkdir -p "$SR"
"${RV32[@]}" "${FIRMWARE[@]}" -msave-restore -DMS_ONE_METER=netz_noe_p1 -c "$C/unity/ms_one_meter.c" \
    -o "$SR/ms_one_meter.o"
"${RV32[@]}" "${FIRMWARE[@]}" -msave-restore -c "$C/port/ms_port_mbedtls.c" -o "$SR/ms_port_mbedtls.o"
link_firmware "$SR/netz_noe_p1.elf" -msave-restore "${ENTRIES[@]}" "$SR"/*.o
# the shared runtime, as a component with every meter builds it: each file on its own
FW="$OUT/firmware"
mkdir -p "$FW"
for source in "$C"/runtime/*.c "$C/port/ms_port_mbedtls.c" "$C/meters/netz_noe_p1.c"; do
    "${RV32[@]}" "${FIRMWARE[@]}" -c "$source" -o "$FW/$(basename "$source" .c).o"
done
link_firmware "$FW/netz_noe_p1.elf" "${ENTRIES[@]}" "$FW"/*.o
# sections of the decoder's own code and data: picolibc's link script adds a .stack reservation
# (2 KB) that is neither
sections() { # sections ELF: text data bss
    riscv64-unknown-elf-size -A "$1" | awk '
        $1 ~ /^\.(text|rodata|srodata)/ { t += $2 }
        $1 ~ /^\.(data|sdata)/ { d += $2 }
        $1 ~ /^\.(bss|sbss|tbss)/ { b += $2 }
        END { print t + 0, d + 0, b + 0 }'
}

echo
echo "every object, all options on:"
riscv64-unknown-elf-size "$RV"/*.o
echo
echo "linked as a firmware would (no JSON line, no error messages, unused code dropped), text data bss:"
echo "  for Netz NÖ alone (one unit), every entry point (init, feed, finish, decode, clear): $(sections "$ONE/netz_noe_p1.elf")"
echo "  for Netz NÖ alone, the reader firmware's (init, feed, clear):                       $(sections "$ONE/netz_noe_p1_reader.elf")"
echo "  for Netz NÖ alone, every entry point, -msave-restore (CONFIG_COMPILER_SAVE_RESTORE_LIBCALLS): $(sections "$SR/netz_noe_p1.elf")"
echo "  on the shared runtime (a component with every meter), every entry point:            $(sections "$FW/netz_noe_p1.elf")"
# picolibc's link script puts .rodata into .text: the map tells them apart
read -r code rodata <<< "$(python3 bench/c/code_data.py "$ONE/netz_noe_p1.elf.map")"
echo "  of Netz NÖ alone's text, every entry point: code $code, read-only data $rodata (the value directory, tables, strings)"
echo
echo "on the shared runtime (both meters in one program): netz_noe_p1 $shared_netz, kamstrup_omnipower $shared_kamstrup instructions"
echo "each meter alone (one unit with the decoding runtime, as its firmware builds it):"
echo "$report_kamstrup"
echo "$report_netz"
echo "$report_zcl"
read -r text data bss <<< "$(sections "$ONE/netz_noe_p1.elf")"
echo "rv32imac text $text data $data bss $bss stack $stack"
