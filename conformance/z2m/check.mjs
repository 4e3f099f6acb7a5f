#!/usr/bin/env node
// Proves a meterspec ZCL table, the Report Attributes frames made from it and (optionally) a generated
// Zigbee2MQTT external converter against zigbee-herdsman's and zigbee-herdsman-converters' own code.
//
//   node check.mjs INPUT.json   -> one JSON object on stdout, exit 0 (problems are inside the JSON)
//                                  exit 2 with a message on stderr when the input cannot be used
//
// INPUT.json: {"table": TABLE, "converter": "/abs/path.mjs" | null, "readings": [{"zcl": [{"endpoint": 1,
// "cluster": "0x0702", "frame": "<hex>"}, ...]}, ...]}; a relative converter path is taken from the
// input file's folder. README.md describes the output.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import url from "node:url";

// Both libraries log through console.debug/info (stdout) until given a logger: keep stdout for the JSON.
const log = [];
const collect = (level) => (message, namespace) => {
    if (level === "debug") return;
    const text = typeof message === "function" ? message() : message;
    log.push(`${level} ${namespace ?? ""}: ${text}`);
};
const quietLogger = {debug: collect("debug"), info: collect("info"), warning: collect("warning"), error: collect("error")};
for (const name of ["log", "info", "debug"]) console[name] = (...args) => process.stderr.write(`${args.join(" ")}\n`);

const HERE = path.dirname(url.fileURLToPath(import.meta.url));

function fail(message) {
    process.stderr.write(`check.mjs: ${message}\n`);
    process.exit(2);
}

let herdsman;
let zhc;
let modernExtend;
let frameConverter;
let INVALID_BY_TYPE;
try {
    herdsman = await import("zigbee-herdsman");
    herdsman.setLogger(quietLogger);
    zhc = await import("zigbee-herdsman-converters");
    zhc.setLogger(quietLogger);
    modernExtend = await import("zigbee-herdsman-converters/lib/modernExtend");
    // The function herdsman's controller uses to turn a report's records into {attributeName: value}.
    frameConverter = await import("zigbee-herdsman/dist/controller/helpers/zclFrameConverter.js");
    // The ZCL non-value of each type, as herdsman's Zcl.Utils.processAttributePostRead turns it into NaN.
    ({ZCL_TYPE_INVALID_BY_TYPE: INVALID_BY_TYPE} = await import("zigbee-herdsman/dist/zspec/zcl/definition/datatypes.js"));
} catch (e) {
    fail(`cannot load zigbee-herdsman(-converters), run 'npm ci' in ${HERE}: ${e.message}`);
}
const {Zcl} = herdsman;
const {DataType, FrameType, Direction, Status} = Zcl;

// ---------------------------------------------------------------------------------------------------------
// Input

const inputPath = process.argv[2];
if (!inputPath || process.argv.length > 3) fail("usage: node check.mjs INPUT.json");
let input;
try {
    input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
} catch (e) {
    fail(`cannot read ${inputPath}: ${e.message}`);
}
if (!input || typeof input !== "object" || Array.isArray(input)) fail("input must be a JSON object");
const table = input.table;
if (!table || typeof table !== "object" || !Array.isArray(table.endpoints)) fail("input.table must be an object with an 'endpoints' array");
for (const ep of table.endpoints) {
    if (!ep || typeof ep !== "object" || !Array.isArray(ep.clusters)) fail("every table endpoint needs a 'clusters' array");
    for (const cl of ep.clusters) {
        if (!cl || typeof cl !== "object" || !Array.isArray(cl.attributes)) fail("every table cluster needs an 'attributes' array");
        for (const at of cl.attributes) if (!at || typeof at !== "object") fail("every table attribute must be an object");
    }
}
if (!Array.isArray(input.readings)) fail("input.readings must be an array");
for (const [i, reading] of input.readings.entries()) {
    if (!reading || !Array.isArray(reading.zcl)) fail(`readings[${i}] needs a 'zcl' array`);
    for (const [j, z] of reading.zcl.entries()) {
        if (!z || typeof z !== "object" || z.endpoint === undefined || z.cluster === undefined || typeof z.frame !== "string") {
            fail(`readings[${i}].zcl[${j}] needs endpoint, cluster and frame`);
        }
    }
}
let converterPath = input.converter ?? null;
if (converterPath !== null) {
    if (typeof converterPath !== "string") fail("input.converter must be a path or null");
    converterPath = path.resolve(path.dirname(path.resolve(inputPath)), converterPath);
    if (!fs.existsSync(converterPath)) fail(`converter ${converterPath} does not exist`);
}

const tableProblems = [];
const frameProblems = [];
const converterProblems = [];
const notes = [];

// ---------------------------------------------------------------------------------------------------------
// Helpers

const hex = (n, width) => `0x${n.toString(16).padStart(width, "0")}`;

/** "0x0702", "1794" or 1794 -> 1794; undefined when it is none of these. */
function num(v) {
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v !== "string") return undefined;
    const s = v.trim();
    if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s.slice(2), 16);
    if (/^[0-9]+$/.test(s)) return Number.parseInt(s, 10);
    return undefined;
}

const TYPE_NAME = Object.fromEntries(Object.entries(DataType).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]));
const typeLabel = (t) => `${hex(t, 2)} (${TYPE_NAME[t] ?? "unknown"})`;

/** Integer data types: width in bytes and signedness. */
const INTEGER_TYPES = {};
for (let w = 1; w <= 8; w++) {
    INTEGER_TYPES[DataType.UINT8 + w - 1] = {width: w, signed: false};
    INTEGER_TYPES[DataType.INT8 + w - 1] = {width: w, signed: true};
    INTEGER_TYPES[DataType.BITMAP8 + w - 1] = {width: w, signed: false, bits: true};
    INTEGER_TYPES[DataType.DATA8 + w - 1] = {width: w, signed: false, bits: true};
}
INTEGER_TYPES[DataType.ENUM8] = {width: 1, signed: false};
INTEGER_TYPES[DataType.ENUM16] = {width: 2, signed: false};
INTEGER_TYPES[DataType.BOOLEAN] = {width: 1, signed: false};
const FIXED_WIDTH = {
    ...Object.fromEntries(Object.entries(INTEGER_TYPES).map(([k, v]) => [k, v.width])),
    [DataType.SEMI_PREC]: 2,
    [DataType.SINGLE_PREC]: 4,
    [DataType.DOUBLE_PREC]: 8,
    [DataType.TOD]: 4,
    [DataType.DATE]: 4,
    [DataType.UTC]: 4,
    [DataType.CLUSTER_ID]: 2,
    [DataType.ATTR_ID]: 2,
    [DataType.BAC_OID]: 4,
    [DataType.IEEE_ADDR]: 8,
    [DataType.SEC_KEY]: 16,
    [DataType.NO_DATA]: 0,
};

/** The byte length of one record's value at buf[pos], or undefined for types this walker does not size. */
function valueLength(type, buf, pos) {
    if (type in FIXED_WIDTH) return FIXED_WIDTH[type];
    if (type === DataType.OCTET_STR || type === DataType.CHAR_STR) {
        if (pos >= buf.length) return 1;
        return 1 + (buf[pos] === 0xff ? 0 : buf[pos]);
    }
    if (type === DataType.LONG_OCTET_STR || type === DataType.LONG_CHAR_STR) {
        if (pos + 1 >= buf.length) return 2;
        const n = buf.readUInt16LE(pos);
        return 2 + (n === 0xffff ? 0 : n);
    }
    return undefined;
}

/** Our own walk over a Report Attributes payload, to name trailing bytes exactly. */
function walkReport(buf, start) {
    const records = [];
    let pos = start;
    while (pos < buf.length) {
        if (pos + 3 > buf.length) return {records, trailing: buf.length - pos};
        const id = buf.readUInt16LE(pos);
        const type = buf[pos + 2];
        const len = valueLength(type, buf, pos + 3);
        if (len === undefined) return {records, unsized: type};
        if (pos + 3 + len > buf.length) return {records, trailing: buf.length - pos};
        records.push({id, type, offset: pos, length: 3 + len});
        pos += 3 + len;
    }
    return {records, trailing: 0};
}

function clusterDef(id) {
    return Object.values(Zcl.Clusters).find((c) => c.ID === id);
}

function jsonable(v) {
    if (typeof v === "bigint") return v.toString();
    if (Buffer.isBuffer(v)) return v.toString("hex");
    if (Array.isArray(v)) return v.map(jsonable);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]));
    return v;
}

// ---------------------------------------------------------------------------------------------------------
// The table against herdsman's cluster definitions

/** endpoint id -> {profile, device, clusters: Map(clusterId -> {def, name, attrs: Map(attrId -> entry)})} */
const endpoints = new Map();

const STRING_TYPES = [DataType.OCTET_STR, DataType.CHAR_STR, DataType.LONG_OCTET_STR, DataType.LONG_CHAR_STR];

function parseTableValue(entry, type, where) {
    if (entry.value === undefined || entry.value === null) return undefined;
    const raw = String(entry.value);
    // `meterspec zcl --json` prints "" for a string attribute: its bytes come from the telegram, not the table.
    if (raw === "" && STRING_TYPES.includes(type)) return undefined;
    if (type === DataType.OCTET_STR || type === DataType.LONG_OCTET_STR) return Buffer.from(raw, "utf8");
    if (type === DataType.CHAR_STR || type === DataType.LONG_CHAR_STR) return raw;
    const it = INTEGER_TYPES[type];
    if (!it) return undefined;
    if (!/^-?[0-9]+$/.test(raw)) {
        tableProblems.push(`${where}: value "${raw}" is not a decimal integer`);
        return undefined;
    }
    const big = BigInt(raw);
    const bits = BigInt(it.width * 8);
    const lo = it.signed ? -(1n << (bits - 1n)) : 0n;
    const hi = it.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (big < lo || big > hi) {
        tableProblems.push(`${where}: value ${raw} does not fit ${typeLabel(type)}`);
        return undefined;
    }
    return it.width > 6 ? big : Number(big);
}

for (const ep of table.endpoints) {
    const epId = num(ep.endpoint);
    if (epId === undefined || epId < 1 || epId > 240) {
        tableProblems.push(`endpoint ${JSON.stringify(ep.endpoint)}: not an application endpoint 1..240`);
        continue;
    }
    if (endpoints.has(epId)) tableProblems.push(`endpoint ${epId}: listed twice`);
    if (num(ep.profile) !== 0x0104) tableProblems.push(`endpoint ${epId}: profile ${ep.profile} is not Home Automation 0x0104`);
    if (num(ep.device) === undefined) tableProblems.push(`endpoint ${epId}: device id ${JSON.stringify(ep.device)} is not a number`);
    const epEntry = {id: epId, profile: num(ep.profile), device: num(ep.device), clusters: new Map()};
    endpoints.set(epId, epEntry);
    for (const cl of ep.clusters) {
        const clId = num(cl.cluster);
        const where = `endpoint ${epId} cluster ${cl.cluster} ${cl.name ?? ""}`.trim();
        if (clId === undefined) {
            tableProblems.push(`${where}: cluster id is not a number`);
            continue;
        }
        const def = clusterDef(clId);
        if (!def) {
            tableProblems.push(`${where}: herdsman knows no cluster ${hex(clId, 4)}`);
            continue;
        }
        if (cl.name !== def.name) {
            const byName = Zcl.Clusters[cl.name];
            tableProblems.push(
                `${where}: herdsman names cluster ${hex(clId, 4)} '${def.name}'` +
                    (byName ? `; '${cl.name}' is its cluster ${hex(byName.ID, 4)}` : `; it knows no cluster '${cl.name}'`),
            );
        }
        if (epEntry.clusters.has(clId)) tableProblems.push(`${where}: listed twice on the endpoint`);
        const clEntry = {def, name: def.name, attrs: new Map()};
        epEntry.clusters.set(clId, clEntry);
        for (const at of cl.attributes) {
            const atId = num(at.id);
            const atType = num(at.type);
            const aw = `${where} attribute ${at.id} ${at.name ?? ""}`.trim();
            if (atId === undefined || atId > 0xffff) {
                tableProblems.push(`${aw}: id is not a 16-bit number`);
                continue;
            }
            if (atType === undefined || atType > 0xff) {
                tableProblems.push(`${aw}: type is not an 8-bit number`);
                continue;
            }
            if (clEntry.attrs.has(atId)) tableProblems.push(`${aw}: id listed twice`);
            const access = typeof at.access === "string" ? at.access : "";
            if (!/^[rwp]*$/.test(access) || access === "") tableProblems.push(`${aw}: access "${at.access}" is not made of r, w, p`);
            const byName = def.attributes[at.name];
            const byId = Object.values(def.attributes).filter((a) => a.ID === atId && a.manufacturerCode === undefined);
            if (!byName) {
                tableProblems.push(
                    `${aw}: herdsman's ${def.name} has no attribute '${at.name}'` +
                        (byId.length ? ` (${hex(atId, 4)} is ${byId.map((a) => `'${a.name}'`).join(", ")})` : ""),
                );
            } else {
                if (byName.ID !== atId) tableProblems.push(`${aw}: herdsman's '${at.name}' has id ${hex(byName.ID, 4)}`);
                if (byName.type !== atType) tableProblems.push(`${aw}: type ${typeLabel(atType)}, herdsman's '${at.name}' is ${typeLabel(byName.type)}`);
                if (byId.length > 1) notes.push(`${aw}: herdsman defines ${byId.length} attributes with id ${hex(atId, 4)}: ${byId.map((a) => a.name).join(", ")}`);
            }
            const value = parseTableValue(at, atType, aw);
            // a reported attribute's value is its value before the first reading: the non-value says "none yet"
            const initialOnly = access.includes("p") && value === INVALID_BY_TYPE[atType];
            if (initialOnly) {
                notes.push(`${aw}: starts at the ZCL non-value ${at.value} until the first reading`);
            }
            if (byName && typeof value === "number" && !initialOnly) {
                const invalid = INVALID_BY_TYPE[atType];
                if (value === invalid && value !== byName.max && value !== byName.min) {
                    tableProblems.push(`${aw}: value ${at.value} is the ZCL non-value of ${typeLabel(atType)}; herdsman reads it as NaN`);
                }
                if (byName.min !== undefined && value < byName.min) tableProblems.push(`${aw}: value ${at.value} is below herdsman's min ${byName.min}; a read of it is dropped`);
                if (byName.max !== undefined && value > byName.max) tableProblems.push(`${aw}: value ${at.value} is above herdsman's max ${byName.max}; a read of it is dropped`);
            }
            if (at.report !== undefined) {
                if (!access.includes("p")) tableProblems.push(`${aw}: has a report configuration but its access lacks p`);
                const r = at.report;
                if (!r || typeof r !== "object" || !Number.isInteger(r.min) || !Number.isInteger(r.max) || r.min < 0 || r.max > 0xffff) {
                    tableProblems.push(`${aw}: report needs integer min and max in 0..65535`);
                } else if (r.max !== 0 && r.min > r.max) {
                    tableProblems.push(`${aw}: report min ${r.min} exceeds max ${r.max}`);
                }
            } else if (access.includes("p")) {
                tableProblems.push(`${aw}: reportable but has no report configuration`);
            }
            clEntry.attrs.set(atId, {id: atId, name: at.name, type: atType, access, value, def: byName, raw: at});
        }
        for (const a of Object.values(def.attributes)) {
            if (a.required && !clEntry.attrs.has(a.ID)) tableProblems.push(`${where}: herdsman marks '${a.name}' (${hex(a.ID, 4)}) required, the table lacks it`);
        }
    }
}

/** All attribute names the table has in a cluster, over every endpoint. */
function tableHas(clusterName, attrName) {
    for (const ep of endpoints.values()) {
        for (const cl of ep.clusters.values()) {
            if (cl.name !== clusterName) continue;
            for (const a of cl.attrs.values()) if (a.name === attrName) return true;
        }
    }
    return false;
}
const hasCluster = (name) => [...endpoints.values()].some((ep) => [...ep.clusters.values()].some((c) => c.name === name));

{
    const meteringEndpoints = [...endpoints.values()].filter((ep) => [...ep.clusters.values()].some((c) => c.name === "seMetering"));
    if (meteringEndpoints.length > 1) notes.push("seMetering is on several endpoints: z2m's converters write the same state keys for each");
    for (const ep of endpoints.values()) {
        const m = [...ep.clusters.values()].find((c) => c.name === "seMetering");
        const uom = m && [...m.attrs.values()].find((a) => a.name === "unitOfMeasure");
        if (uom && uom.value !== undefined && uom.value !== 0) {
            tableProblems.push(`endpoint ${ep.id} seMetering unitOfMeasure ${uom.value}: z2m's electricityMeter takes summations as kWh and demand as kW (unitOfMeasure 0)`);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// A herdsman-like device: its endpoints answer reads from the table (through herdsman's own frame encoding
// and decoding) and keep the attribute cache the converters read multiplier/divisor from.

// zigbee-herdsman-converters tells endpoints and devices apart by constructor name (utils.isEndpoint/isDevice).
class Endpoint {
    constructor(device, ep) {
        this.ID = ep.id;
        this.profileID = ep.profile;
        this.deviceID = ep.device;
        this.inputClusters = [...ep.clusters.keys()];
        this.outputClusters = [];
        this.deviceIeeeAddress = device.ieeeAddr;
        this.deviceNetworkAddress = device.networkAddress;
        this.clusters = {};
        this.binds = [];
        this.configuredReportings = [];
        this.device = device;
        this.table = ep;
        this.calls = [];
    }
    getDevice() {
        return this.device;
    }
    getInputClusters() {
        return this.inputClusters.map((id) => Zcl.Utils.getCluster(id, undefined, this.device.customClusters));
    }
    getOutputClusters() {
        return [];
    }
    supportsInputCluster(key) {
        const c = Zcl.Utils.getCluster(key, undefined, this.device.customClusters);
        return this.inputClusters.includes(c.ID);
    }
    supportsOutputCluster() {
        return false;
    }
    saveClusterAttributeKeyValue(clusterKey, list) {
        const cluster = Zcl.Utils.getCluster(clusterKey, undefined, this.device.customClusters);
        this.clusters[cluster.name] ??= {attributes: {}};
        Object.assign(this.clusters[cluster.name].attributes, list);
    }
    getClusterAttributeValue(clusterKey, attributeKey) {
        const cluster = Zcl.Utils.getCluster(clusterKey, undefined, this.device.customClusters);
        const attribute = Zcl.Utils.getClusterAttribute(cluster, attributeKey, undefined);
        return attribute ? this.clusters[cluster.name]?.attributes?.[attribute.name] : undefined;
    }
    save() {}
    tableCluster(clusterKey) {
        const cluster = Zcl.Utils.getCluster(clusterKey, undefined, this.device.customClusters);
        return {cluster, entry: this.table.clusters.get(cluster.ID)};
    }
    tableAttribute(entry, cluster, attribute) {
        const def = typeof attribute === "number" ? undefined : Zcl.Utils.getClusterAttribute(cluster, attribute.ID ?? attribute, undefined);
        const id = typeof attribute === "number" ? attribute : (def?.ID ?? attribute.ID);
        return {id, def, row: entry?.attrs.get(id)};
    }
    async bind(clusterKey, target) {
        const {cluster} = this.tableCluster(clusterKey);
        this.calls.push({call: "bind", endpoint: this.ID, cluster: cluster.name});
        if (!this.inputClusters.includes(cluster.ID)) throw new Zcl.StatusError(Status.UNSUPPORTED_CLUSTER);
        this.binds.push({cluster, target});
    }
    async unbind() {}
    async configureReporting(clusterKey, items) {
        const {cluster, entry} = this.tableCluster(clusterKey);
        const failed = [];
        for (const item of items) {
            const {id, def, row} = this.tableAttribute(entry, cluster, item.attribute);
            const name = def?.name ?? (typeof item.attribute === "object" ? hex(item.attribute.ID, 4) : String(item.attribute));
            const rec = {call: "configureReporting", endpoint: this.ID, cluster: cluster.name, attribute: name,
                min: item.minimumReportInterval, max: item.maximumReportInterval, change: item.reportableChange};
            if (!row) {
                rec.status = "UNSUPPORTED_ATTRIBUTE";
                failed.push(Status.UNSUPPORTED_ATTRIBUTE);
            } else if (!row.access.includes("p")) {
                rec.status = "UNREPORTABLE_ATTRIBUTE";
                failed.push(Status.UNREPORTABLE_ATTRIBUTE);
            } else {
                rec.status = "SUCCESS";
                rec.table = row.raw.report ?? null;
                this.configuredReportings.push({cluster: cluster.name, attribute: name, id});
            }
            this.calls.push(rec);
        }
        // herdsman's Endpoint.configureReporting checks every record's status and throws on the first failure.
        if (failed.length) throw new Zcl.StatusError(failed[0]);
    }
    /** Answers as the meter would: a readRsp frame made and parsed by herdsman, then its controller's conversion. */
    async read(clusterKey, attributes) {
        const {cluster, entry} = this.tableCluster(clusterKey);
        const records = [];
        const names = [];
        for (const attribute of attributes) {
            const {id, def, row} = this.tableAttribute(entry, cluster, attribute);
            names.push(def?.name ?? String(attribute));
            if (row && row.access.includes("r") && row.value !== undefined) {
                records.push({attrId: id, status: Status.SUCCESS, dataType: row.type, attrData: row.value});
            } else {
                records.push({attrId: id, status: Status.UNSUPPORTED_ATTRIBUTE});
            }
        }
        this.calls.push({call: "read", endpoint: this.ID, cluster: cluster.name, attributes: names});
        const out = Zcl.Frame.create(FrameType.GLOBAL, Direction.SERVER_TO_CLIENT, true, undefined, 0, "readRsp", cluster.ID, records, this.device.customClusters);
        const buffer = out.toBuffer();
        const frame = Zcl.Frame.fromBuffer(cluster.ID, Zcl.Header.fromBuffer(buffer), buffer, this.device.customClusters);
        const data = frameConverter.attributeKeyValue(frame, this.device.manufacturerID, this.device.customClusters);
        this.saveClusterAttributeKeyValue(cluster.ID, data);
        const bad = records.find((r) => r.status !== Status.SUCCESS);
        if (bad) throw new Zcl.StatusError(bad.status);
        return data;
    }
    async write(clusterKey, payload) {
        this.calls.push({call: "write", endpoint: this.ID, cluster: String(clusterKey), payload: jsonable(payload)});
    }
    async command(clusterKey, command, payload) {
        this.calls.push({call: "command", endpoint: this.ID, cluster: String(clusterKey), command, payload: jsonable(payload)});
    }
    async defaultResponse() {}
    async writeStructured() {}
}

let ieeeCounter = 0;
class Device {
    constructor(modelID, manufacturerName) {
        ieeeCounter += 1;
        this.ieeeAddr = `0x00124b00000000${ieeeCounter.toString(16).padStart(2, "0")}`;
        this.networkAddress = 0x1000 + ieeeCounter;
        this.modelID = modelID;
        this.manufacturerName = manufacturerName;
        this.manufacturerID = undefined;
        this.type = "Router";
        this.powerSource = "Mains (single phase)";
        this.interviewed = true;
        this.interviewing = false;
        this.customClusters = {};
        this.meta = {};
        this.endpoints = [...endpoints.values()].map((ep) => new Endpoint(this, ep));
    }
    getEndpoint(id) {
        return this.endpoints.find((e) => e.ID === id);
    }
    save() {}
    async addCustomCluster() {}
}
const makeDevice = (modelID, manufacturerName) => new Device(modelID, manufacturerName);
const coordinatorEndpoint = {ID: 1, deviceIeeeAddress: "0x0000000000000000", deviceNetworkAddress: 0};

/** What Zigbee2MQTT's configure does to the device, and whether it would fail. */
async function runConfigure(definition, device, label, problems) {
    const result = {ok: true, calls: []};
    if (definition.configure) {
        try {
            await definition.configure(device, coordinatorEndpoint, definition);
        } catch (e) {
            result.ok = false;
            result.error = e.message;
            problems.push(`${label}: configure fails (Zigbee2MQTT logs "Failed to configure" and retries): ${e.message}`);
        }
    }
    for (const ep of device.endpoints) result.calls.push(...ep.calls);
    for (const c of result.calls) {
        if (c.call === "configureReporting" && c.status !== "SUCCESS") {
            problems.push(`${label}: configure sets up reporting of ${c.cluster}.${c.attribute} on endpoint ${c.endpoint}, the table's meter answers ${c.status}`);
        }
    }
    return result;
}

/** As herdsman keeps it after interview and configure: every table value in the cache, read through herdsman. */
async function seedCache(device) {
    for (const ep of device.endpoints) {
        for (const [clId, cl] of ep.table.clusters) {
            const readable = [...cl.attrs.values()].filter((a) => a.value !== undefined && a.def);
            for (const a of readable) {
                try {
                    const records = [{attrId: a.id, status: Status.SUCCESS, dataType: a.type, attrData: a.value}];
                    const out = Zcl.Frame.create(FrameType.GLOBAL, Direction.SERVER_TO_CLIENT, true, undefined, 0, "readRsp", clId, records, {});
                    const buffer = out.toBuffer();
                    const frame = Zcl.Frame.fromBuffer(clId, Zcl.Header.fromBuffer(buffer), buffer, {});
                    const data = frameConverter.attributeKeyValue(frame, undefined, {});
                    if (!(a.def.name in data)) tableProblems.push(`endpoint ${ep.ID} ${cl.name}.${a.name}: herdsman drops the value ${a.raw.value} when it reads it (outside its range)`);
                    ep.saveClusterAttributeKeyValue(clId, data);
                } catch (e) {
                    tableProblems.push(`endpoint ${ep.ID} ${cl.name}.${a.name}: herdsman cannot encode value ${a.raw.value} as ${typeLabel(a.type)}: ${e.message}`);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Home Assistant discovery as Zigbee2MQTT's homeassistant.ts derives it for a numeric sensor (only the
// electricity names; see /tmp/research/zcl-facts.md for the rules and their lines).

const HA_BY_NAME = {
    ac_frequency: {device_class: "frequency", state_class: "measurement"},
    current: {device_class: "current", state_class: "measurement"},
    current_phase_b: {device_class: "current", state_class: "measurement"},
    current_phase_c: {device_class: "current", state_class: "measurement"},
    energy: {device_class: "energy", state_class: "total_increasing"},
    power: {device_class: "power", state_class: "measurement"},
    power_phase_b: {device_class: "power", state_class: "measurement"},
    power_phase_c: {device_class: "power", state_class: "measurement"},
    power_factor: {device_class: "power_factor", state_class: "measurement", entity_category: "diagnostic", enabled_by_default: false},
    voltage: {device_class: "voltage", state_class: "measurement"},
    voltage_phase_b: {device_class: "voltage", state_class: "measurement"},
    voltage_phase_c: {device_class: "voltage", state_class: "measurement"},
};
function haOf(expose) {
    if (expose.type === "binary" && !(expose.access & 0b010)) {
        const ha = {component: "binary_sensor"};
        if (expose.category) ha.entity_category = expose.category;
        if (typeof expose.homeassistant?.deviceClass === "string") ha.device_class = expose.homeassistant.deviceClass;
        return ha;
    }
    if (expose.type !== "numeric") return {component: expose.type};
    if (expose.access & 0b010) return {component: "number", unit: expose.unit};
    const ha = {component: "sensor", unit: expose.unit, ...(HA_BY_NAME[expose.name] ?? {})};
    if (expose.unit === "Wh" || expose.unit === "kWh") Object.assign(ha, {device_class: "energy", state_class: "total_increasing"});
    else if (expose.unit === "A" || expose.unit === "mA") Object.assign(ha, {device_class: "current", state_class: "measurement"});
    else if (expose.unit === "mW" || expose.unit === "W" || expose.unit === "kW") Object.assign(ha, {device_class: "power", state_class: "measurement"});
    if (ha.device_class && !ha.unit) delete ha.device_class;
    // then the expose's category and its homeassistant metadata (applyHomeAssistantExposeMetadata), which win
    if (expose.category) ha.entity_category = expose.category;
    const meta = expose.homeassistant ?? {};
    if (typeof meta.entityCategory === "string") ha.entity_category = meta.entityCategory;
    if (typeof meta.deviceClass === "string") ha.device_class = meta.deviceClass;
    if (typeof meta.enabledByDefault === "boolean") ha.enabled_by_default = meta.enabledByDefault;
    return ha;
}
function describeExposes(definition, device) {
    let list;
    try {
        list = typeof definition.exposes === "function" ? definition.exposes(device, {}) : definition.exposes;
    } catch (e) {
        return [{error: e.message}];
    }
    const out = [];
    const walk = (e) => {
        if (e.features) for (const f of e.features) walk(f);
        else if (e.property) out.push({property: e.property, name: e.name, unit: e.unit ?? null, ha: haOf(e)});
    };
    for (const e of list) walk(e);
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Definitions

/** electricityMeter's options, chosen from what the table has. */
function chooseOptions() {
    const m = hasCluster("seMetering");
    const e = hasCluster("haElectricalMeasurement");
    if (!m && !e) return undefined;
    const E = (a) => e && tableHas("haElectricalMeasurement", a);
    const M = (a) => m && tableHas("seMetering", a);
    const opts = {cluster: m && e ? "both" : m ? "metering" : "electrical"};
    if (m && !M("currentSummDelivered")) opts.energy = false;
    if (M("currentSummReceived")) opts.producedEnergy = true;
    const tiers = ["currentTier1SummDelivered", "currentTier2SummDelivered", "currentTier1SummReceived", "currentTier2SummReceived"];
    if (tiers.every(M)) opts.tariffs = true;
    else if (tiers.some(M)) notes.push(`electricityMeter's tariffs option needs all of ${tiers.join(", ")}; left off, so no energy_tier exposes (fz.metering still converts the tier attributes)`);
    const active = E("activePower");
    const demand = M("instantaneousDemand");
    if (opts.cluster === "both") {
        if (!active && demand) opts.power = {cluster: "metering"};
        else if (!active) opts.power = false;
        if (active && demand) notes.push("z2m: both instantaneousDemand (total, via fz.metering) and activePower (phase A, via fz.electrical_measurement) write 'power'; the stock state flips between them");
    } else if (opts.cluster === "metering" && !demand) opts.power = false;
    else if (opts.cluster === "electrical" && !active) opts.power = false;
    if (e) {
        if (!E("rmsVoltage")) opts.voltage = false;
        if (!E("rmsCurrent")) opts.current = false;
        // threePhase configures PhB/PhC of every quantity still on (voltage, current, power): only take it when
        // the table has them all, else its configure fails on the first missing one.
        const quantities = [["voltage", "rmsVoltage"], ["current", "rmsCurrent"], ["power", "activePower"]];
        const phased = quantities.some(([, a]) => E(`${a}PhB`) || E(`${a}PhC`));
        const missing = quantities.filter(([k]) => opts[k] !== false).flatMap(([, a]) => [`${a}PhB`, `${a}PhC`]).filter((a) => !E(a));
        if (phased && missing.length === 0) opts.threePhase = true;
        else if (phased) notes.push(`electricityMeter's threePhase left off: it also configures ${missing.join(", ")}, which the table lacks; fz.electrical_measurement still converts the phase B/C attributes it gets`);
        if (E("acFrequency")) opts.acFrequency = true;
        if (E("powerFactor")) opts.powerFactor = true;
        if (E("apparentPower")) opts.apparentPower = true;
    }
    return opts;
}

async function stockDefinition(opts) {
    const raw = {
        zigbeeModel: ["meterspec.conformance"],
        model: "meterspec-conformance",
        vendor: "meterspec",
        description: "meterspec table through zigbee-herdsman-converters' electricityMeter",
        extend: [modernExtend.electricityMeter(opts)],
    };
    return zhc.prepareDefinition(raw);
}

/** Loads the converter as Zigbee2MQTT 2.x does (a temporary copy beside a node_modules, default export). */
async function externalDefinition(file) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meterspec-z2m-"));
    try {
        fs.symlinkSync(path.join(HERE, "node_modules"), path.join(dir, "node_modules"), "dir");
        const copy = path.join(dir, path.basename(file));
        fs.copyFileSync(file, copy);
        let mod;
        try {
            mod = await import(url.pathToFileURL(copy).href);
        } catch (e) {
            converterProblems.push(`cannot import ${file}: ${e.message}`);
            return undefined;
        }
        if (mod.default === undefined) {
            converterProblems.push(`${file} has no default export (Zigbee2MQTT loads 'mod.default')`);
            return undefined;
        }
        const definitions = Array.isArray(mod.default) ? mod.default : [mod.default];
        if (definitions.length === 0) {
            converterProblems.push(`${file}: default export is an empty array`);
            return undefined;
        }
        if (definitions.length > 1) notes.push(`${file} exports ${definitions.length} definitions; the first one's fingerprint is used`);
        const name = path.basename(file);
        try {
            for (const d of definitions) {
                d.externalConverterName = name;
                zhc.addExternalDefinition(d);
            }
        } catch (e) {
            converterProblems.push(`addExternalDefinition fails: ${e.message}`);
            return undefined;
        }
        const first = definitions[0];
        const modelID = first.zigbeeModel?.[0] ?? first.fingerprint?.[0]?.modelID;
        const manufacturerName = first.fingerprint?.[0]?.manufacturerName ?? "meterspec";
        if (!modelID) {
            converterProblems.push(`${file}: the definition has neither zigbeeModel nor fingerprint[].modelID`);
            return undefined;
        }
        if (first.vendor !== "meterspec") notes.push(`${file}: vendor is '${first.vendor}'`);
        let definition;
        try {
            definition = await zhc.findByDevice(makeDevice(modelID, manufacturerName));
        } catch (e) {
            converterProblems.push(`Zigbee2MQTT cannot prepare the definition: ${e.message}`);
            return undefined;
        }
        if (!definition || definition.model !== first.model) {
            converterProblems.push(`a device with modelID '${modelID}' does not resolve to the converter's definition (got ${definition?.model ?? "none"})`);
            return undefined;
        }
        return {definition, modelID, manufacturerName};
    } finally {
        fs.rmSync(dir, {recursive: true, force: true});
    }
}

// ---------------------------------------------------------------------------------------------------------
// One Zigbee2MQTT device: Receive extension semantics (lib/extension/receive.ts)

class Z2mDevice {
    constructor(definition, device, label) {
        this.definition = definition;
        this.device = device;
        this.label = label;
        this.state = {};
        this.options = {};
    }
    publish(payload) {
        zhc.postProcessConvertedFromZigbeeMessage(this.definition, payload, this.options, this.device);
        this.state = {...this.state, ...payload};
    }
    async message(msg, where) {
        const converters = this.definition.fromZigbee.filter((c) => {
            const type = Array.isArray(c.type) ? c.type.includes(msg.type) : c.type === msg.type;
            return c.cluster === msg.cluster && type;
        });
        if (converters.length === 0) {
            frameProblems.push(`${where}: ${this.label} has no fromZigbee converter for ${msg.cluster} ${msg.type}; the report is ignored`);
            return;
        }
        const meta = {device: this.device, logger: quietLogger, state: {...this.state}, deviceExposesChanged: () => {}};
        let payload = {};
        let converted = false;
        for (const converter of converters) {
            try {
                const out = await converter.convert(this.definition, {...msg, device: this.device}, (p) => this.publish(p), this.options, meta);
                if (out !== undefined) converted = true;
                if (out) payload = {...payload, ...out};
            } catch (e) {
                frameProblems.push(`${where}: ${this.label} fromZigbee converter for ${msg.cluster} throws (Zigbee2MQTT logs it and drops its part): ${e.message}`);
            }
        }
        if (!converted && Object.keys(msg.data).length) {
            notes.push(`${where}: ${this.label} converters returned nothing for ${Object.keys(msg.data).join(", ")}`);
        }
        if (Object.keys(payload).length) this.publish(payload);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Frames

const recentTsn = new Map(); // endpoint -> last 5 sequence numbers (utils.hasAlreadyProcessedMessage)

/** Parses one frame with herdsman as its controller does; returns the message z2m's Receive gets, or undefined. */
function parseFrame(z, where) {
    const epId = num(z.endpoint);
    const clId = num(z.cluster);
    if (epId === undefined) {
        frameProblems.push(`${where}: endpoint ${JSON.stringify(z.endpoint)} is not a number`);
        return undefined;
    }
    if (clId === undefined) {
        frameProblems.push(`${where}: cluster ${JSON.stringify(z.cluster)} is not a number`);
        return undefined;
    }
    const tep = endpoints.get(epId);
    const tcl = tep?.clusters.get(clId);
    if (!tep) frameProblems.push(`${where}: the table has no endpoint ${epId}`);
    else if (!tcl) frameProblems.push(`${where}: the table has no cluster ${hex(clId, 4)} on endpoint ${epId}`);
    if (!/^([0-9a-f]{2})*$/i.test(z.frame)) {
        frameProblems.push(`${where}: frame is not an even-length hex string`);
        return undefined;
    }
    const buffer = Buffer.from(z.frame, "hex");
    const header = Zcl.Header.fromBuffer(buffer);
    if (!header) {
        frameProblems.push(`${where}: herdsman cannot read a ZCL header from ${buffer.length} bytes`);
        return undefined;
    }
    const fc = buffer[0];
    if (fc !== 0x18) {
        const bits = [];
        if (header.frameControl.frameType !== FrameType.GLOBAL) bits.push("not a global command");
        if (header.frameControl.manufacturerSpecific) bits.push("manufacturer-specific");
        if (header.frameControl.direction !== Direction.SERVER_TO_CLIENT) bits.push("client-to-server");
        if (!header.frameControl.disableDefaultResponse) bits.push("default response enabled");
        if (header.frameControl.reservedBits) bits.push("reserved bits set");
        frameProblems.push(`${where}: frame control ${hex(fc, 2)} is not 0x18 (${bits.join(", ")})`);
    }
    if (!header.isGlobal || header.commandIdentifier !== 0x0a) {
        frameProblems.push(`${where}: command ${hex(header.commandIdentifier, 2)}${header.isGlobal ? "" : " (cluster-specific)"} is not the global Report Attributes 0x0a`);
    }
    let frame;
    try {
        frame = Zcl.Frame.fromBuffer(clId, header, buffer, {});
    } catch (e) {
        const walk = header.isGlobal && header.commandIdentifier === 0x0a ? walkReport(buffer, header.length) : undefined;
        const detail = walk?.trailing ? ` (${walk.trailing} trailing bytes after ${walk.records.length} complete records)` : "";
        frameProblems.push(`${where}: herdsman cannot parse the frame, Zigbee2MQTT drops it: ${e.message}${detail}`);
        return undefined;
    }
    if (frame.cluster.ID !== clId || /^\d+$/.test(frame.cluster.name)) frameProblems.push(`${where}: herdsman knows no cluster ${hex(clId, 4)}`);
    if (header.isGlobal && header.commandIdentifier === 0x0a) {
        const walk = walkReport(buffer, header.length);
        if (walk.trailing) frameProblems.push(`${where}: ${walk.trailing} trailing bytes after the last record`);
        if (buffer.length === header.length) frameProblems.push(`${where}: Report Attributes without records`);
        const seen = new Set();
        for (const rec of frame.payload) {
            const label = `${where} attribute ${hex(rec.attrId, 4)}`;
            if (seen.has(rec.attrId)) frameProblems.push(`${label}: reported twice in one frame`);
            seen.add(rec.attrId);
            const def = Zcl.Utils.getClusterAttribute(frame.cluster, rec.attrId, header.manufacturerCode);
            const row = tcl?.attrs.get(rec.attrId);
            const name = def?.name ?? row?.name ?? hex(rec.attrId, 4);
            if (!def) frameProblems.push(`${label}: herdsman's ${frame.cluster.name} has no such attribute; z2m gets it keyed '${rec.attrId}'`);
            else if (def.type !== rec.dataType) frameProblems.push(`${label} ${name}: type ${typeLabel(rec.dataType)}, herdsman defines ${typeLabel(def.type)}`);
            if (tcl && !row) frameProblems.push(`${label} ${name}: not in the table's ${tcl.name}`);
            else if (row) {
                if (row.type !== rec.dataType) frameProblems.push(`${label} ${name}: type ${typeLabel(rec.dataType)}, the table says ${typeLabel(row.type)}`);
                if (!row.access.includes("p")) frameProblems.push(`${label} ${name}: reported, but the table's access "${row.access}" lacks p`);
            }
            const invalid = INVALID_BY_TYPE[rec.dataType];
            if (invalid !== undefined && rec.attrData === invalid) {
                const keeps = def && (rec.attrData === def.max || rec.attrData === def.min);
                frameProblems.push(`${label} ${name}: value is the ZCL non-value of ${typeLabel(rec.dataType)}` + (keeps ? " (herdsman keeps it: it equals the attribute's min or max)" : "; herdsman gives NaN, z2m publishes null"));
            }
        }
    }
    const data = frameConverter.attributeKeyValue(frame, undefined, {});
    for (const rec of Array.isArray(frame.payload) ? frame.payload : []) {
        const def = Zcl.Utils.getClusterAttribute(frame.cluster, rec.attrId, header.manufacturerCode);
        if (def && !(def.name in data)) {
            frameProblems.push(`${where} ${def.name}: value ${rec.attrData} is outside herdsman's range for it (min ${def.min ?? "-"}, max ${def.max ?? "-"}); herdsman drops it`);
        }
    }
    const type = header.isGlobal && frame.command.name === "report" ? "attributeReport" : header.isGlobal && frame.command.name === "readRsp" ? "readResponse" : undefined;
    if (type) {
        const recent = recentTsn.get(epId) ?? [];
        if (recent.includes(header.transactionSequenceNumber)) {
            frameProblems.push(`${where}: sequence number ${header.transactionSequenceNumber} repeats one of the last 5 frames of endpoint ${epId}; zigbee-herdsman-converters' hasAlreadyProcessedMessage drops it (fz.metering, fz.electrical_measurement)`);
        }
        recentTsn.set(epId, [header.transactionSequenceNumber, ...recent].slice(0, 5));
    }
    return {
        epId,
        clusterName: frame.cluster.name,
        clusterId: frame.cluster.ID,
        type,
        data,
        meta: {zclTransactionSequenceNumber: header.transactionSequenceNumber, manufacturerCode: header.manufacturerCode, frameControl: header.frameControl, rawData: buffer},
    };
}

// ---------------------------------------------------------------------------------------------------------
// Run

const output = {tableProblems, frameProblems, converterProblems, notes, definition: {}, readings: []};

const devices = [];
const options = chooseOptions();
if (!options) {
    tableProblems.push("the table has neither seMetering nor haElectricalMeasurement: no electricityMeter definition");
} else {
    output.definition.electricityMeter = options;
    try {
        const definition = await stockDefinition(options);
        const device = makeDevice("meterspec.conformance", "meterspec");
        output.definition.configure = await runConfigure(definition, device, "z2m electricityMeter", tableProblems);
        await seedCache(device);
        output.definition.exposes = describeExposes(definition, device);
        devices.push({key: "z2m", z2m: new Z2mDevice(definition, device, "electricityMeter")});
    } catch (e) {
        tableProblems.push(`electricityMeter(${JSON.stringify(options)}) fails: ${e.message}`);
    }
}

if (converterPath) {
    const ext = await externalDefinition(converterPath);
    if (ext) {
        const device = makeDevice(ext.modelID, ext.manufacturerName);
        const problems = [];
        output.definition.external = {model: ext.definition.model, vendor: ext.definition.vendor, zigbeeModel: ext.modelID};
        output.definition.external.configure = await runConfigure(ext.definition, device, "external converter", problems);
        converterProblems.push(...problems);
        const before = tableProblems.length;
        await seedCache(device);
        tableProblems.splice(before); // the same table values, already judged for the stock device
        output.definition.external.exposes = describeExposes(ext.definition, device);
        for (const e of output.definition.external.exposes) {
            if (e.ha?.component === "sensor" && !e.ha.device_class) notes.push(`external converter: '${e.property}' gets no Home Assistant device_class`);
        }
        devices.push({key: "external", z2m: new Z2mDevice(ext.definition, device, "external converter")});
    }
}

for (const [i, reading] of input.readings.entries()) {
    const attributes = {};
    const messages = [];
    for (const [j, z] of reading.zcl.entries()) {
        const where = `readings[${i}].zcl[${j}]`;
        const parsed = parseFrame(z, where);
        if (!parsed) continue;
        attributes[parsed.clusterName] = {...(attributes[parsed.clusterName] ?? {}), ...parsed.data};
        if (parsed.type) messages.push({parsed, where});
    }
    const out = {attributes: jsonable(attributes), z2m: null, external: null};
    for (const {key, z2m} of devices) {
        for (const {parsed, where} of messages) {
            const endpoint = z2m.device.getEndpoint(parsed.epId);
            if (!endpoint) continue;
            // herdsman's controller saves a report's values in the endpoint's cache before it emits the message.
            endpoint.saveClusterAttributeKeyValue(parsed.clusterId, parsed.data);
            const msg = {type: parsed.type, device: z2m.device, endpoint, data: parsed.data, linkquality: 200, groupID: 0, cluster: parsed.clusterName, meta: parsed.meta};
            await z2m.message(msg, where);
        }
        out[key] = jsonable({...z2m.state});
    }
    output.readings.push(out);
}

output.log = log;
process.stdout.write(`${JSON.stringify(output, (k, v) => (typeof v === "bigint" ? v.toString() : v), 1)}\n`);
process.exit(0);
