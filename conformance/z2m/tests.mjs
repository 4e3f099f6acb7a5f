// Self-test of check.mjs and zigpy_parse.py on the fixtures: node --test tests.mjs (npm test)
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {test} from "node:test";
import url from "node:url";

const HERE = path.dirname(url.fileURLToPath(import.meta.url));
const fixture = (name) => path.join(HERE, "fixtures", name);

function check(input) {
    const r = spawnSync(process.execPath, [path.join(HERE, "check.mjs"), input], {encoding: "utf8"});
    return {status: r.status, stderr: r.stderr, out: r.status === 0 ? JSON.parse(r.stdout) : undefined};
}

test("Netz NOE capture: no problems, and the state Zigbee2MQTT's electricityMeter gives", () => {
    const {status, out} = check(fixture("netz_noe_input.json"));
    assert.equal(status, 0);
    assert.deepEqual(out.tableProblems, []);
    assert.deepEqual(out.frameProblems, []);
    assert.deepEqual(out.converterProblems, []);
    assert.deepEqual(out.definition.electricityMeter, {cluster: "both", producedEnergy: true, power: {cluster: "metering"}, powerFactor: true});
    assert.equal(out.definition.configure.ok, true);
    assert.deepEqual(out.readings[0].attributes.seMetering, {currentSummDelivered: 12937, currentSummReceived: 0, instantaneousDemand: 0, status: 0});
    assert.deepEqual(out.readings[0].z2m, {
        power: 0,
        energy: 12.94, // 12.937 kWh, rounded by z2m's default energy precision of 2
        produced_energy: 0,
        current: 0,
        current_phase_b: 0,
        current_phase_c: 0,
        voltage: 233.7,
        voltage_phase_b: 0,
        voltage_phase_c: 0,
        power_factor: 1,
    });
    assert.equal(out.readings[0].external, null);
    assert.equal(out.readings[1].z2m.power, 436);
    assert.equal(out.readings[1].z2m.voltage, 233.7, "state carries over between readings");
});

test("full 3-phase table through the sample converter: every key, unit and device class", () => {
    const {status, out} = check(fixture("t210d_full_input.json"));
    assert.equal(status, 0);
    assert.deepEqual([...out.tableProblems, ...out.frameProblems, ...out.converterProblems], []);
    assert.equal(out.definition.external.configure.ok, true);
    for (const e of out.definition.external.exposes) assert.ok(e.ha.device_class, `${e.property} has a device class`);
    assert.deepEqual(out.readings[0].external, {
        energy: 12.94,
        produced_energy: 5.021,
        energy_tier_1: 8,
        energy_tier_2: 4.937,
        produced_energy_tier_1: 5.021,
        produced_energy_tier_2: 0,
        power: -1520,
        power_phase_a: -702,
        power_phase_b: -410,
        power_phase_c: -408,
        voltage: 233.7,
        voltage_phase_b: 235.1,
        voltage_phase_c: 232.9,
        current: 3.12,
        current_phase_b: 1.05,
        current_phase_c: 0.98,
        ac_frequency: 49.98,
        power_factor: 97,
    });
    assert.equal(out.readings[1].external.power, -1488);
    // The stock definition's `power` is whichever of instantaneousDemand / activePower came last.
    assert.equal(out.readings[0].z2m.power, -702);
    assert.ok(out.notes.some((n) => n.includes("flips")));
});

test("problems are named", () => {
    const {status, out} = check(fixture("problems_input.json"));
    assert.equal(status, 0);
    const expectTable = [
        "divisor: type 0x21 (UINT16), herdsman's 'divisor' is 0x22 (UINT24)",
        "has no attribute 'instantDemand' (0x0401 is 'currentDayConsumpDelivered')",
        "herdsman names cluster 0x0b04 'haElectricalMeasurement'",
        "acCurrentDivisor: value 0 is below herdsman's min 1",
        "configure fails",
    ];
    const expectFrame = [
        "zcl[0]: herdsman cannot parse the frame, Zigbee2MQTT drops it",
        "1 trailing bytes",
        "zcl[1] attribute 0x0505 rmsVoltage: value is the ZCL non-value",
        "zcl[1] powerFactor: value 120 is outside herdsman's range",
        "zcl[2]: sequence number 24 repeats",
        "zcl[3] attribute 0x0400 instantaneousDemand: type 0x2b (INT32), herdsman defines 0x2a (INT24)",
        "zcl[4]: frame control 0x08 is not 0x18 (default response enabled)",
    ];
    for (const s of expectTable) assert.ok(out.tableProblems.some((p) => p.includes(s)), `tableProblems name: ${s}`);
    for (const s of expectFrame) assert.ok(out.frameProblems.some((p) => p.includes(s)), `frameProblems name: ${s}`);
    assert.equal(out.readings[0].z2m.voltage, null, "NaN voltage is published as null");
});

test("harness failures exit 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meterspec-z2m-test-"));
    try {
        assert.equal(check(path.join(dir, "missing.json")).status, 2);
        fs.writeFileSync(path.join(dir, "bad.json"), "{");
        assert.equal(check(path.join(dir, "bad.json")).status, 2);
        fs.writeFileSync(path.join(dir, "noreadings.json"), JSON.stringify({table: {endpoints: []}, converter: null}));
        assert.equal(check(path.join(dir, "noreadings.json")).status, 2);
    } finally {
        fs.rmSync(dir, {recursive: true, force: true});
    }
});

const zigpy = spawnSync("/usr/bin/python3", ["-c", "import zigpy.zcl"], {encoding: "utf8"}).status === 0;
test("zigpy parses the fixture frames to the values herdsman does", {skip: !zigpy && "no python3-zigpy"}, () => {
    const input = JSON.parse(fs.readFileSync(fixture("t210d_full_input.json"), "utf8"));
    const {out} = check(fixture("t210d_full_input.json"));
    const frames = input.readings.flatMap((r) => r.zcl);
    const r = spawnSync("/usr/bin/python3", [path.join(HERE, "zigpy_parse.py")], {input: frames.map((z) => `${z.cluster} ${z.frame}\n`).join(""), encoding: "utf8"});
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, frames.length);
    const first = Object.values(out.readings[0].attributes).flatMap((a) => Object.values(a));
    const zig = lines.slice(0, 2).flatMap((l) => l.records.map((x) => x.value));
    assert.deepEqual(zig, first);
    for (const l of lines) for (const rec of l.records) assert.equal(rec.type, rec.defType, `${rec.name} type`);
});
