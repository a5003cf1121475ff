// The page of `wijkbalans serve`: the wijken coloured by signal, a click tests a proposed site
// (POST /api/test-site, the document of `test-site --json`) and shows the verdict with its
// reasons. No framework, no requests to anything but this server.
"use strict";

const SIGNAL_COLOURS = {
  rood: "#d7191c", oranje: "#fdae61", neutraal: "#ffffbf", ruimte: "#1a9641", onbekend: "#bdbdbd",
};
const VERDICT_TEXT = {
  past: "Past", past_onder_voorwaarden: "Past onder voorwaarden", past_niet: "Past niet",
};

/** A number in Dutch notation (decimal comma), or "-" when missing. */
function nl(v, decimals) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  return Number(v).toLocaleString("nl-NL", {
    minimumFractionDigits: decimals, maximumFractionDigits: decimals,
  });
}

/** An element with text (never HTML: names and messages come from data). */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function getJson(path, options) {
  const r = await fetch(path, options);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || ("fout " + r.status));
  return body;
}

const map = L.map("map", { zoomSnap: 0.25 });
/** What other scripts of the page share: the map and the small helpers. */
window.wb = { map, el, nl, getJson, ready: false, timings: [] };
let marker = null;
/** Dutch label of every group id, from /api/groups. */
const groupLabels = {};

function showError(message) {
  const out = document.getElementById("result");
  out.replaceChildren(el("p", message, "error"));
}

function showVerdict(doc) {
  const out = document.getElementById("result");
  const parts = [];
  const group = groupLabels[doc.change.group] || doc.change.group;
  parts.push(el("h2", doc.change.units + " plaatsen " + group + " in " +
    doc.area.name + " (" + doc.area.code + ")"));
  parts.push(el("div", VERDICT_TEXT[doc.verdict] || doc.verdict, "verdict " + doc.verdict));
  const reasons = el("ul");
  for (const r of doc.reasons) {
    reasons.appendChild(el("li", r.explanation, r.passed ? "" : "failed"));
  }
  parts.push(el("h3", "Redenen"));
  parts.push(reasons);
  const b = doc.before, a = doc.after;
  parts.push(el("h3", "Voor en na in de wijk"));
  parts.push(el("p", "Zorgplaatsen per 1.000 inwoners: " + nl(b.care_units_per_1000, 2) +
    " → " + nl(a.care_units_per_1000, 2)));
  parts.push(el("p", "Saldo: " + nl(b.saldo, 2) + " → " + nl(a.saldo, 2) +
    "; signaal: " + b.signal + " → " + a.signal));
  const fits = doc.what_fits;
  if (fits) {
    parts.push(el("h3", "Wat past hier"));
    parts.push(el("p", "Hoogstens " + nl(fits.largest_past, 0) + " plaatsen passen hier; " +
      nl(fits.largest_not_past_niet, 0) + " zonder ‘past niet’."));
  }
  out.replaceChildren(...parts);
}

/** Test a proposal at `latlng`. `t0` is the time of the click (the event's timeStamp, on the
 * clock of performance.now()); the time from it until the verdict is on screen (the frame
 * after it was put in the page) is kept in `wb.timings`, in milliseconds. */
async function testSite(latlng, t0) {
  const group = document.getElementById("group").value;
  const units = parseInt(document.getElementById("units").value, 10);
  // The proposal in the address, so that the link shows the same test to someone else.
  history.replaceState(null, "", "#voorstel=" + latlng.lng.toFixed(6) + "," +
    latlng.lat.toFixed(6) + "," + units + "," + group);
  if (marker) marker.remove();
  marker = L.circleMarker(latlng, { radius: 7, color: "#000", weight: 2, fillOpacity: 0.2 }).addTo(map);
  document.getElementById("result").replaceChildren(el("p", "Bezig met toetsen…"));
  try {
    const doc = await getJson("/api/test-site", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ x: latlng.lng, y: latlng.lat, crs: "EPSG:4326", units, group }),
    });
    showVerdict(doc);
    if (t0 !== undefined) {
      requestAnimationFrame(() => wb.timings.push(performance.now() - t0));
    }
    // Other parts of the page (the scenario panel) listen for each verdict shown.
    document.dispatchEvent(new CustomEvent("wb:verdict", {
      detail: { proposal: { lon: latlng.lng, lat: latlng.lat, units, group }, result: doc },
    }));
  } catch (e) {
    showError(e.message);
  }
}

function legend() {
  const box = document.getElementById("legend");
  for (const [name, colour] of Object.entries(SIGNAL_COLOURS)) {
    const span = el("span");
    span.style.background = colour;
    const row = el("div");
    row.append(span, name);
    box.appendChild(row);
  }
}

/** A proposal in the address (`#voorstel=lon,lat,units,group`, as testSite writes it) is
 * tested as if that point had been clicked. */
function fromAddress() {
  const m = /^#voorstel=(-?[\d.]+),(-?[\d.]+),(\d+),([\w-]+)$/.exec(location.hash);
  if (!m) return;
  document.getElementById("units").value = m[3];
  document.getElementById("group").value = m[4];
  testSite(L.latLng(parseFloat(m[2]), parseFloat(m[1])));
}

async function start() {
  try {
    const [meta, areas, sites] = await Promise.all([
      getJson("/api/groups"), getJson("/api/areas"), getJson("/api/sites"),
    ]);
    const select = document.getElementById("group");
    for (const g of meta.groups) {
      groupLabels[g.id] = g.label;
      const o = el("option", g.label + " (" + g.id + ")");
      o.value = g.id;
      select.appendChild(o);
    }
    const layer = L.geoJSON(areas, {
      style: (f) => ({
        color: "#555", weight: 1, fillOpacity: 0.6,
        fillColor: SIGNAL_COLOURS[f.properties.signal] || SIGNAL_COLOURS.onbekend,
      }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        l.bindTooltip(p.name + " (" + p.code + "): " + p.signal + ", saldo " + nl(p.saldo, 2) +
          ", " + nl(p.care_units_per_1000, 2) + " zorgplaatsen per 1.000");
        l.on("click", (e) => testSite(e.latlng, e.originalEvent.timeStamp));
      },
    }).addTo(map);
    L.geoJSON(sites, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: 4, color: "#222", weight: 1, fillColor: "#3b6fb6", fillOpacity: 0.9,
        interactive: false,
      }),
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    legend();
    wb.ready = true;
    fromAddress();
  } catch (e) {
    showError("De kaart kon niet laden: " + e.message);
  }
}

start();
