#!/usr/bin/env bash
# The generated C decoders, measured: instructions per telegram with valgrind's callgrind (counts,
# not seconds: the same on a busy machine) for the Netz NÖ capture (M-Bus, 0x20) and a Kamstrup
# HDLC capture with a tag (0x30), each against its floor, the cheapest correct mbedTLS crypto for
# its security mode on the same bytes (key setup included); then, cross-compiled for the ESP32-C6
# (RV32IMAC, -Os, picolibc), the .text/.data/.bss of the runtime and one meter, and the worst-case
# stack of a feed. Also the ZigBee side of the Netz NÖ reading (ms_zcl_update and its frames)
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

cc -std=c99 -O2 -g -I"$OUT" -I"$C/include" -I"$C/meters" bench/c/bench.c "$C"/runtime/*.c \
    "$C/port/ms_port_mbedtls.c" "$C"/meters/*.c -Wl,-z,now -lmbedcrypto -o "$OUT/bench"

instructions() { # instructions FUNCTION: what callgrind counts inside bench_FUNCTION, inclusive
    valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$1" --toggle-collect="bench_$1" \
        "$OUT/bench" "$1" >/dev/null 2>&1
    callgrind_annotate "$OUT/callgrind.$1" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
report() { # report METER DECODE FLOOR
    local d f
    d=$(instructions "$2")
    f=$(instructions "$3")
    echo "$1 instructions $d floor $f ratio $(awk -v d="$d" -v f="$f" 'BEGIN { printf "%.2f", d / f }')"
}
report_netz=$(report netz_noe_p1 decode_netz floor_netz)
report_kamstrup=$(report kamstrup_omnipower decode_kamstrup floor_kamstrup)
# the ZigBee side of the same reading (first reading: every attribute, all frames), against its decode
zcl=$(instructions zcl_netz)
decode=$(instructions decode_netz)
report_zcl="netz_noe_p1 zcl instructions $zcl decode $decode ratio $(awk -v z="$zcl" -v d="$decode" 'BEGIN { printf "%.2f", z / d }')"

# RV32IMAC: the runtime (crypto glue included, mbedTLS itself not) and the Netz NÖ meter
RV="$OUT/rv32imac"
mkdir -p "$RV" "$OUT/rv32-include"
# mbedTLS's headers alone: the host's /usr/include would bring glibc's
ln -sfn /usr/include/mbedtls "$OUT/rv32-include/mbedtls"
for source in "$C"/runtime/*.c "$C/port/ms_port_mbedtls.c" "$C/meters/netz_noe_p1.c"; do
    riscv64-unknown-elf-gcc -std=c99 -march=rv32imac -mabi=ilp32 -Os -ffunction-sections -fdata-sections \
        --specs=picolibc.specs -fstack-usage -fcallgraph-info=su -I"$C/include" -I"$C/meters" -I"$OUT/rv32-include" \
        -c "$source" -o "$RV/$(basename "$source" .c).o"
done
stack=$(python3 bench/c/stack.py netz_noe_p1_feed "$RV"/*.ci)
# What a firmware links: the same, without the JSON line, error messages and value names, unused code dropped
# (--gc-sections), from the decoder's entry points; mbedTLS is left unresolved (not counted)
FW="$OUT/firmware"
mkdir -p "$FW"
for source in "$C"/runtime/*.c "$C/port/ms_port_mbedtls.c" "$C/meters/netz_noe_p1.c"; do
    riscv64-unknown-elf-gcc -std=c99 -march=rv32imac -mabi=ilp32 -Os -ffunction-sections -fdata-sections \
        --specs=picolibc.specs -DMS_JSON=0 -DMS_ERROR_MESSAGES=0 -DMS_VALUE_NAMES=0 -I"$C/include" -I"$C/meters" -I"$OUT/rv32-include" \
        -c "$source" -o "$FW/$(basename "$source" .c).o"
done
riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -Os --specs=picolibc.specs -nostartfiles -Wl,--gc-sections \
    -Wl,-e,netz_noe_p1_feed -Wl,-u,netz_noe_p1_init -Wl,-u,netz_noe_p1_finish -Wl,-u,netz_noe_p1_decode \
    -Wl,-u,netz_noe_p1_clear -Wl,--unresolved-symbols=ignore-all -Wl,-Map,"$FW/netz_noe_p1.map" "$FW"/*.o \
    -o "$FW/netz_noe_p1.elf"
# the same with -msave-restore, what ESP-IDF's CONFIG_COMPILER_SAVE_RESTORE_LIBCALLS adds to every
# RISC-V compile: prologues and epilogues become calls into libgcc's __riscv_save_N (linked, counted)
SR="$OUT/save-restore"
mkdir -p "$SR"
for source in "$C"/runtime/*.c "$C/port/ms_port_mbedtls.c" "$C/meters/netz_noe_p1.c"; do
    riscv64-unknown-elf-gcc -std=c99 -march=rv32imac -mabi=ilp32 -Os -msave-restore -ffunction-sections \
        -fdata-sections --specs=picolibc.specs -DMS_JSON=0 -DMS_ERROR_MESSAGES=0 -DMS_VALUE_NAMES=0 -I"$C/include" \
        -I"$C/meters" -I"$OUT/rv32-include" -c "$source" -o "$SR/$(basename "$source" .c).o"
done
riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -Os -msave-restore --specs=picolibc.specs -nostartfiles \
    -Wl,--gc-sections -Wl,-e,netz_noe_p1_feed -Wl,-u,netz_noe_p1_init -Wl,-u,netz_noe_p1_finish \
    -Wl,-u,netz_noe_p1_decode -Wl,-u,netz_noe_p1_clear -Wl,--unresolved-symbols=ignore-all "$SR"/*.o \
    -o "$SR/netz_noe_p1.elf"
# the reader firmware of examples/esp-idf calls only init, feed and clear
riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -Os --specs=picolibc.specs -nostartfiles -Wl,--gc-sections \
    -Wl,-e,netz_noe_p1_feed -Wl,-u,netz_noe_p1_init -Wl,-u,netz_noe_p1_clear -Wl,--unresolved-symbols=ignore-all \
    "$FW"/*.o -o "$FW/netz_noe_p1_reader.elf"
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
echo "  every entry point (init, feed, finish, decode, clear): $(sections "$FW/netz_noe_p1.elf")"
echo "  the reader firmware's (init, feed, clear):              $(sections "$FW/netz_noe_p1_reader.elf")"
echo "  every entry point, -msave-restore (ESP-IDF's CONFIG_COMPILER_SAVE_RESTORE_LIBCALLS): $(sections "$SR/netz_noe_p1.elf")"
# picolibc's link script puts .rodata into .text: the map tells them apart
read -r code rodata <<< "$(python3 bench/c/code_data.py "$FW/netz_noe_p1.map")"
echo "  of every entry point's text: code $code, read-only data $rodata (the value directory, tables, strings)"
echo
echo "$report_kamstrup"
echo "$report_netz"
echo "$report_zcl"
read -r text data bss <<< "$(sections "$FW/netz_noe_p1.elf")"
echo "rv32imac text $text data $data bss $bss stack $stack"
