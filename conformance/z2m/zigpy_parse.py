#!/usr/bin/python3
"""Parse ZCL frames the way ZHA's zigpy does, one JSON line per frame.

stdin: one frame a line, "CLUSTER_HEX FRAME_HEX" (e.g. "0x0702 180a0a00002539320000000000");
blank lines and lines starting with '#' are skipped.
stdout: {"cluster": "0x0702", "clusterName": "smartenergy_metering", "tsn": 10, "frameControl": "0x18",
         "command": "0x0a", "records": [{"id": "0x0000", "name": "current_summ_delivered", "type": "0x25",
         "value": 12937, "defType": "0x25"}, ...]}
        or {"cluster": ..., "error": "..."} for a frame zigpy cannot take as a Report Attributes.
Runs with Debian's python3-zigpy (/usr/bin/python3), which the pyenv python3 may not have.
"""

import json
import sys

import zigpy.types as t
import zigpy.zcl
import zigpy.zcl.clusters  # noqa: F401  (registers every cluster class)
from zigpy.zcl import foundation


def json_value(value):
    """A zigpy value as JSON: integers and bitmaps as int, strings as str, byte strings as hex."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return repr(value)


def parse(cluster_id, frame):
    out = {"cluster": "0x%04x" % cluster_id}
    cluster_cls = zigpy.zcl.Cluster._registry.get(cluster_id)
    if cluster_cls is not None:
        out["clusterName"] = cluster_cls.ep_attribute
    hdr, rest = foundation.ZCLHeader.deserialize(frame)
    out["tsn"] = int(hdr.tsn)
    out["frameControl"] = "0x%02x" % int(hdr.frame_control.serialize()[0])
    out["command"] = "0x%02x" % int(hdr.command_id)
    if hdr.frame_control.frame_type != foundation.FrameType.GLOBAL_COMMAND:
        raise ValueError("not a global (profile-wide) command")
    if hdr.command_id != foundation.GeneralCommand.Report_Attributes:
        raise ValueError("command 0x%02x is not Report Attributes (0x0a)" % int(hdr.command_id))
    if hdr.frame_control.is_manufacturer_specific:
        out["manufacturer"] = "0x%04x" % int(hdr.manufacturer)
    schema = foundation.GENERAL_COMMANDS[foundation.GeneralCommand.Report_Attributes].schema
    report, remaining = schema.deserialize(rest)
    if remaining:
        raise ValueError("%d bytes left after the last record" % len(remaining))
    records = []
    for attr in report.attribute_reports:
        rec = {
            "id": "0x%04x" % int(attr.attrid),
            "type": "0x%02x" % int(attr.value.type),
            "value": json_value(attr.value.value),
        }
        definition = cluster_cls.attributes.get(attr.attrid) if cluster_cls is not None else None
        if definition is not None:
            rec["name"] = definition.name
            rec["defType"] = "0x%02x" % foundation.DATA_TYPES.pytype_to_datatype_id(definition.type)
            # ZHA's Cluster.handle_cluster_general_request normalises a reported value through the
            # attribute definition's type; a value that does not fit raises ValueError there.
            try:
                normalised = definition.type(attr.value.value)
                rec["normalised"] = json_value(normalised)
            except (ValueError, TypeError) as e:
                rec["normaliseError"] = str(e)
        records.append(rec)
    out["records"] = records
    return out


def main():
    for lineno, line in enumerate(sys.stdin, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            print(json.dumps({"line": lineno, "error": "expected 'CLUSTER_HEX FRAME_HEX'"}))
            continue
        try:
            cluster_id = int(parts[0], 16)
        except ValueError:
            print(json.dumps({"line": lineno, "error": "bad cluster id %r" % parts[0]}))
            continue
        try:
            frame = bytes.fromhex(parts[1])
        except ValueError:
            print(json.dumps({"line": lineno, "cluster": "0x%04x" % cluster_id, "error": "bad frame hex"}))
            continue
        try:
            print(json.dumps(parse(cluster_id, frame)))
        except KeyError as e:  # zigpy's DATA_TYPES has no such type id
            print(json.dumps({"line": lineno, "cluster": "0x%04x" % cluster_id,
                              "error": "unknown ZCL data type %s" % e}))
        except Exception as e:  # zigpy raises ValueError and struct errors on short or odd frames
            print(json.dumps({"line": lineno, "cluster": "0x%04x" % cluster_id,
                              "error": "%s: %s" % (type(e).__name__, e)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
