// The page of `wijkbalans serve`: the wijken coloured by signal, a click tests a proposed site
// (POST /api/test-site, the document of `test-site --json`) and shows the verdict with its
// reasons. No framework, no requests to anything but this server.
"use strict";

const VERDICT_TEXT = {
  past: "Past", past_onder_voorwaarden: "Past onder voorwaarden", past_niet: "Past niet",
};

/** A number in Dutch notation (decimal comma, a true minus sign as in the report), or "-"
 * when missing. */
function nl(v, decimals) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  return Number(v).toLocaleString("nl-NL", {
    minimumFractionDigits: decimals, maximumFractionDigits: decimals,
  }).replace("-", "−");
}

/** An element with text (never HTML: names and messages come from data). */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** The answer to `path`, or an Error with a Dutch message: the browser's own messages (a
 * stopped server, an answer that is not JSON) are English, so they are not shown. */
async function answer(path, options) {
  try {
    return await fetch(path, options);
  } catch (_) {
    throw new Error("de server is niet bereikbaar (gestopt?); start wijkbalans serve opnieuw");
  }
}

/** The error of a refused answer `r`: the server's message (and its `candidates`, for an
 * address), or its status when the answer holds none. */
async function refusal(r) {
  let body = {};
  try { body = await r.json(); } catch (_) { /* not JSON: the status says it */ }
  const e = new Error(body.error || ("de server weigerde de vraag (fout " + r.status + ")"));
  e.candidates = body.candidates || [];
  return e;
}

/** The JSON of `path`; an error answer throws an Error with the server's message. */
async function getJson(path, options) {
  const r = await answer(path, options);
  if (!r.ok) throw await refusal(r);
  const body = await r.json();
  const lonlat = r.headers.get("x-wijkbalans-lonlat");
  if (lonlat) body.lonlat = lonlat;
  return body;
}

/** The key numbers of a wijk for its hover box (an element: names are data, never HTML). */
function keyNumbers(p) {
  const box = el("div");
  box.appendChild(el("strong", p.name + " (" + p.code + ")"));
  const lines = [
    "Signaal: " + p.signal + "; saldo " + nl(p.saldo, 2),
    "Draagkracht " + nl(p.draagkracht, 2) + ", draaglast " + nl(p.draaglast, 2),
    "Inwoners: " + nl(p.population, 0),
    "Zorgplaatsen: " + nl(p.care_units, 0) + " (" + nl(p.care_units_per_1000, 2) + " per 1.000)",
    "Eerlijk-aandeelratio: " + nl(p.fair_share_ratio, 2),
  ];
  if (p.lisa_label !== undefined) lines.push("LISA: " + (p.lisa_label || "-"));
  const s = wb.scenarioAreas && wb.scenarioAreas[p.code];
  if (s) {
    lines.push("Na het scenario: signaal " + s.signal_after + "; saldo " + nl(s.saldo_after, 2) +
      "; zorgeenheden " + nl(s.care_units_after, 0) + " (" + nl(s.care_units_per_1000_after, 2) +
      " per 1.000); eerlijk-aandeelratio " + nl(s.fair_share_ratio_after, 2));
  }
  for (const t of lines) box.appendChild(el("div", t));
  return box;
}

const map = L.map("map", { zoomSnap: 0.25 });
/** What other scripts of the page share: the map and the small helpers. */
window.wb = { map, el, nl, getJson, answer, refusal, ready: false, timings: [] };
/** The wijken after the kept changes of the scenario panel (code → row of the `areas` of
 * POST /api/scenario), or null without a scenario: the map is coloured by them (recolour). */
wb.scenarioAreas = null;
let marker = null;
/** The facilities layer (toggled) and the rings drawn around the last proposal. */
let facilitiesLayer = null;
const rings = L.layerGroup();
let ringsByGroup = {};
/** A colour per facility category, in the order first met. */
const FACILITY_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
const facilityColour = {};
wb.rings = rings;
/** Dutch label of every group id, from /api/groups. */
const groupLabels = {};

function showError(message, candidates) {
  const out = document.getElementById("result");
  const parts = [el("p", message, "error")];
  if (candidates && candidates.length) {
    // An address with several matches or none: each candidate tests itself when chosen.
    const list = el("div", undefined, "candidates");
    for (const c of candidates) {
      const b = el("button", c);
      b.type = "button";
      b.addEventListener("click", () => {
        document.getElementById("address").value = c;
        testAddress(c);
      });
      list.appendChild(b);
    }
    parts.push(list);
  }
  out.replaceChildren(...parts);
}

/** The wijk's page of the report, in a new tab. */
function openProfile(code) {
  window.open(profileUrl(code), "_blank", "noopener");
}

function profileUrl(code) {
  return "/profiel/" + encodeURIComponent(code);
}

function showVerdict(doc) {
  const out = document.getElementById("result");
  const parts = [];
  const group = groupLabels[doc.change.group] || doc.change.group;
  parts.push(el("h2", doc.change.units + " plaatsen " + group + " in " +
    doc.area.name + " (" + doc.area.code + ")"));
  parts.push(el("div", VERDICT_TEXT[doc.verdict] || doc.verdict, "verdict " + doc.verdict));
  const link = el("a", "Wijkprofiel van " + doc.area.name);
  link.href = profileUrl(doc.area.code);
  link.target = "_blank";
  link.rel = "noopener";
  link.className = "profile";
  parts.push(link);
  const reasons = el("ul");
  for (const r of doc.reasons) {
    reasons.appendChild(el("li", r.explanation, r.passed ? "" : "failed"));
  }
  parts.push(el("h3", "Redenen"));
  parts.push(reasons);
  const b = doc.before, a = doc.after;
  parts.push(el("h3", "Voor en na in de wijk"));
  // Without a sites layer the care already there is unknown (null), not 0.
  parts.push(el("p", "Zorgplaatsen per 1.000 inwoners: " + (b.care_units === null
    ? "onbekend (er is geen zorglocatielaag)"
    : nl(b.care_units_per_1000, 2) + " → " + nl(a.care_units_per_1000, 2))));
  parts.push(el("p", "Saldo: " + nl(b.saldo, 2) + " → " + nl(a.saldo, 2) +
    "; signaal: " + b.signal + " → " + a.signal));
  const fits = doc.what_fits;
  if (fits) {
    parts.push(el("h3", "Wat past wel"));
    // The sentence of `test-site` ("Wat past wel"), from the same numbers.
    const max = fits.searched_up_to;
    const past = fits.largest_past === null ? "geen enkel aantal plaatsen krijgt ‘past’"
      : fits.largest_past >= max ? "zelfs " + nl(max, 0) + " plaatsen (de grens van het zoeken) krijgen nog ‘past’"
      : "hoogstens " + nl(fits.largest_past, 0) + " plaatsen krijgen ‘past’";
    const notRefused = fits.largest_not_past_niet === null
      ? "al 1 plaats krijgt ‘past niet’ (een blokkerende regel)"
      : fits.largest_not_past_niet >= max ? "zelfs " + nl(max, 0) + " krijgen nog ‘past onder voorwaarden’ of beter"
      : "hoogstens " + nl(fits.largest_not_past_niet, 0) + " ‘past onder voorwaarden’ of beter";
    parts.push(el("p", "Op deze plek: " + past + "; " + notRefused + "."));
    if (fits.nearest_areas && fits.nearest_areas.length) {
      // As `test-site` says it: each wijk with its verdict on the wijk's rules, and the caveat.
      const onlyOnConditions = fits.nearest_areas.every((a) => a.verdict_area_rules !== "past");
      parts.push(el("p", "Dichtstbijzijnde wijken waar " + nl(doc.change.units, 0) +
        " plaatsen naar de wijkregels " + (onlyOnConditions ? "alleen onder voorwaarden " : "") +
        "passen: " + fits.nearest_areas.map((a) =>
          a.code + " " + a.name + " (" + nl(a.distance_m, 0) + " m, " +
          a.verdict_area_rules.replaceAll("_", " ") + ")").join("; ") +
        ". Afstand en voorzieningen hangen af van de plek in die wijk: klik daar een plek aan."));
    }
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
  drawRings(latlng, group);
  document.getElementById("result").replaceChildren(el("p", "Bezig met toetsen…"));
  try {
    const doc = await getJson("/api/test-site", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ x: latlng.lng, y: latlng.lat, crs: "EPSG:4326", units, group }),
    });
    delete doc.lonlat;
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

/** The colourings of /api/colourings and the one chosen. */
let colourings = null;
let colouring = null;

/** The colour of a wijk under colouring `c` (classes as docs/SERVE.md, "Colourings"): a
 * category by its value, a range the first whose max is above the value (or equal, when
 * inclusive); no value is `onbekend`. */
function colourOf(c, props) {
  const v = valueOf(c, props);
  if (v === null || v === undefined || v === "") return colourings.unknown.colour;
  if (c.categories) {
    const k = c.categories.find((k) => k.value === v);
    return k ? k.colour : colourings.unknown.colour;
  }
  const r = c.ranges.find((r) => r.max === null || v < r.max || (r.inclusive && v === r.max));
  return r.colour;
}

/** The value colouring `c` shows for a wijk: after the scenario's changes when the page holds
 * a scenario and the colouring has a value after (`scenario_field`; not LISA), else as loaded. */
function valueOf(c, props) {
  const s = wb.scenarioAreas && c.scenario_field ? wb.scenarioAreas[props.code] : null;
  return s ? s[c.scenario_field] : props[c.field];
}

/** The facility rings of the chosen group around `latlng` (the distances the access rules
 * use, docs/METHOD.md §4), each labelled, when the rings are switched on. */
function drawRings(latlng, group) {
  rings.clearLayers();
  if (!facilitiesLayer || !document.getElementById("show-rings").checked) return;
  for (const r of ringsByGroup[group] || []) {
    L.circle(latlng, { radius: r.radius_m, color: "#333", weight: 1, dashArray: "4 4", fill: false, interactive: false })
      .bindTooltip(r.label + ": " + nl(r.radius_m, 0) + " m", { sticky: true })
      .addTo(rings);
  }
}

/** Test a proposal at the address typed in the address box (looked up in the BAG file). */
async function testAddress(address) {
  const group = document.getElementById("group").value;
  const units = parseInt(document.getElementById("units").value, 10);
  if (marker) marker.remove();
  document.getElementById("result").replaceChildren(el("p", "Bezig met zoeken en toetsen…"));
  try {
    const doc = await getJson("/api/test-site", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ address, units, group }),
    });
    const ll = (doc.lonlat || "").split(",").map(Number);
    delete doc.lonlat;
    showVerdict(doc);
    if (ll.length === 2) {
      const latlng = L.latLng(ll[1], ll[0]);
      marker = L.circleMarker(latlng, { radius: 7, color: "#000", weight: 2, fillOpacity: 0.2 }).addTo(map);
      drawRings(latlng, group);
      map.panTo(latlng);
      document.dispatchEvent(new CustomEvent("wb:verdict", {
        detail: { proposal: { lon: ll[0], lat: ll[1], units, group, address }, result: doc },
      }));
    }
  } catch (e) {
    showError(e.message, e.candidates);
  }
}

/** How opaque the wijken are filled: the base map shows through. */
const FILL_OPACITY = 0.6;

function legend() {
  const box = document.getElementById("legend");
  const title = wb.scenarioAreas ? colouring.scenario_label : colouring.label;
  const rows = [el("div", title, "legend-title")];
  for (const k of (colouring.categories || colouring.ranges).concat([colourings.unknown])) {
    const span = el("span");
    span.style.background = k.colour;
    // As the map fills the wijken (recolour), so a swatch matches what it explains.
    span.style.opacity = FILL_OPACITY;
    const row = el("div");
    row.append(span, k.label);
    rows.push(row);
  }
  if (colouring.note) rows.push(el("div", colouring.note, "legend-note"));
  box.replaceChildren(...rows);
}

/** Colour the wijken by the colouring chosen in the list (after the scenario, when the page
 * holds one), and its legend. */
function recolour() {
  if (!colourings || !wb.areas) return;
  colouring = colourings.colourings.find((c) => c.id === document.getElementById("colouring").value);
  wb.areas.setStyle((f) => ({
    color: "#555", weight: 1, fillOpacity: FILL_OPACITY, fillColor: colourOf(colouring, f.properties),
  }));
  legend();
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
    const [meta, areas, sites, colours] = await Promise.all([
      getJson("/api/groups"), getJson("/api/areas"), getJson("/api/sites"),
      getJson("/api/colourings"),
    ]);
    colourings = colours;
    const choice = document.getElementById("colouring");
    for (const c of colourings.colourings) {
      const o = el("option", c.label);
      o.value = c.id;
      choice.appendChild(o);
    }
    choice.addEventListener("change", recolour);
    if (meta.basemap) {
      // Only with [serve] basemap in the config: tiles from that server, over the internet.
      const text = (meta.basemap.attribution || "").replace(/&/g, "&amp;").replace(/</g, "&lt;");
      L.tileLayer(meta.basemap.url, { attribution: text, maxZoom: 19 }).addTo(map);
    }
    ringsByGroup = meta.rings || {};
    rings.addTo(map);
    if (meta.facilities) {
      document.getElementById("facility-toggles").hidden = false;
      const facilities = await getJson("/api/facilities");
      facilitiesLayer = L.geoJSON(facilities, {
        pointToLayer: (f, latlng) => {
          const k = f.properties.kind;
          if (!(k in facilityColour)) {
            facilityColour[k] = FACILITY_COLOURS[Object.keys(facilityColour).length % FACILITY_COLOURS.length];
          }
          return L.circleMarker(latlng, {
            radius: 3, color: facilityColour[k], weight: 1, fillOpacity: 0.9, interactive: false,
          });
        },
      });
      const fl = document.getElementById("facility-legend");
      for (const [k, colour] of Object.entries(facilityColour)) {
        const span = el("span");
        span.style.background = colour;
        const row = el("div");
        row.append(span, k);
        fl.appendChild(row);
      }
      wb.facilities = facilitiesLayer;
      document.getElementById("show-facilities").addEventListener("change", (e) => {
        if (e.target.checked) facilitiesLayer.addTo(map); else facilitiesLayer.remove();
        fl.hidden = !e.target.checked;
      });
      document.getElementById("show-rings").addEventListener("change", (e) => {
        if (!e.target.checked) rings.clearLayers();
        else if (marker) drawRings(marker.getLatLng(), document.getElementById("group").value);
      });
    }
    if (meta.address_box) {
      const box = document.getElementById("address-box");
      box.hidden = false;
      box.addEventListener("submit", (e) => {
        e.preventDefault();
        testAddress(document.getElementById("address").value);
      });
    }
    const select = document.getElementById("group");
    for (const g of meta.groups) {
      groupLabels[g.id] = g.label;
      const o = el("option", g.label + " (" + g.id + ")");
      o.value = g.id;
      select.appendChild(o);
    }
    const layer = L.geoJSON(areas, {
      onEachFeature: (f, l) => {
        const p = f.properties;
        l.bindTooltip(() => keyNumbers(p), { sticky: true });
        l.on("click", (e) => {
          if (document.querySelector("input[name=mode]:checked").value === "profiel") {
            openProfile(p.code);
          } else {
            testSite(e.latlng, e.originalEvent.timeStamp);
          }
        });
      },
    }).addTo(map);
    wb.areas = layer;
    wb.recolour = recolour;
    recolour();
    L.geoJSON(sites, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: 4, color: "#222", weight: 1, fillColor: "#3b6fb6", fillOpacity: 0.9,
        interactive: false,
      }),
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    wb.ready = true;
    fromAddress();
  } catch (e) {
    showError("De kaart kon niet laden: " + e.message);
  }
}

start();
