#!/usr/bin/env python3
"""Convert the railway-station register (stations.json, CHB/DOVA, MIT) to a GeoJSON facilities
layer: one point per station (WGS84, RFC 7946), type "ov_station".

The input is a JSON list of stop places with `stopplacecode`, `publicname`, `town`,
`centroid_wgs84` ([lon, lat]) and `accessibility` (`wheelchairaccess`, `stepfreeaccess`).

    python3 scripts/convert_stations.py stations.json data/ov/stations.geojson
"""
import json
import sys

src, dst = sys.argv[1], sys.argv[2]
stations = json.load(open(src, encoding="utf-8"))
features = []
for s in sorted(stations, key=lambda s: s["stopplacecode"]):
    lon, lat = s["centroid_wgs84"]
    acc = s.get("accessibility") or {}
    features.append({
        "type": "Feature",
        "properties": {
            "type": "ov_station",
            "name": s["publicname"],
            "town": s.get("town"),
            "stopplacecode": s["stopplacecode"],
            "wheelchairaccess": acc.get("wheelchairaccess"),
            "stepfreeaccess": acc.get("stepfreeaccess"),
        },
        "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
    })
out = {"type": "FeatureCollection", "name": "ov_stations", "features": features}
with open(dst, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
print(f"{len(features)} stations written to {dst}")
