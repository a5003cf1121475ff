// The result layers of `wijkbalans serve`: suggest and allocate run from the page
// (POST /api/suggest, exactly the suggestions.geojson of `wijkbalans suggest`; POST
// /api/allocate, the answer of `wijkbalans allocate` for the same group and number of places),
// shown as numbered points and as places per wijk, each with a legend and a toggle.
"use strict";

(function () {
  const { map, el, nl, getJson } = window.wb;
  /** Classes of places per wijk: [from, colour]; 0 is drawn without fill. */
  const CLASSES = [[1, "#c6dbef"], [3, "#6baed6"], [6, "#2171b5"], [11, "#08306b"]];
  const section = document.getElementById("layers");
  const layer = L.layerGroup();
  let areasGeo = null;

  function colour(n) {
    let c = null;
    for (const [from, col] of CLASSES) if (n >= from) c = col;
    return c;
  }

  function field(labelText, input) {
    const label = el("label", labelText);
    label.htmlFor = input.id;
    return [label, input];
  }

  /** An element with an id (and, for inputs, a type). */
  function make(tag, id, type, text) {
    const e = el(tag, text);
    e.id = id;
    if (type) e.type = type;
    return e;
  }

  function numberInput(id, value) {
    const e = make("input", id, "number");
    e.min = "1";
    e.step = "1";
    e.value = value;
    return e;
  }

  /** A checkbox with its label after it; the label holds the box. */
  function checkbox(id, text, checked, onChange) {
    const box = make("input", id, "checkbox");
    box.checked = checked;
    box.style.width = "auto";
    const label = el("label", " " + text);
    label.prepend(box);
    if (onChange) box.addEventListener("change", () => onChange(box.checked));
    return [box, label];
  }

  /** A layer shown while its checkbox is ticked. */
  function toggle(id, text, layerGroup) {
    return checkbox(id, text, true, (on) => {
      if (on) layerGroup.addTo(map); else layerGroup.remove();
    });
  }

  const group = make("select", "allocate-group");
  const places = numberInput("allocate-places", "40");
  const [noOranje, oranje] = checkbox("allocate-no-oranje", "ook geen wijk naar oranje (--no-oranje)", false);
  const run = make("button", "allocate-run", "button", "Verdeel");
  const [show, showLabel] = toggle("allocate-show", "verdeling op de kaart tonen", layer);
  const out = make("div", "allocate-result");
  section.append(
    el("h2", "Verdelen (allocate)"),
    el("p", "Verdeel plaatsen van een doelgroep over de wijken naar hun tekort aan eerlijk " +
      "aandeel, nooit waar test-site zou weigeren: hetzelfde als wijkbalans allocate."),
    ...field("Doelgroep", group), ...field("Aantal plaatsen", places), oranje, run, showLabel, out,
  );

  function legend() {
    const box = el("div", "", "legend");
    box.appendChild(el("div", "Plaatsen per wijk:"));
    CLASSES.forEach(([from, col], k) => {
      const next = CLASSES[k + 1];
      const span = el("span");
      span.style.background = col;
      const row = el("div");
      row.append(span, next ? from + "–" + (next[0] - 1) : from + " of meer");
      box.appendChild(row);
    });
    return box;
  }

  run.addEventListener("click", async () => {
    out.replaceChildren(el("p", "Bezig met verdelen…"));
    try {
      if (!areasGeo) areasGeo = await getJson("/api/areas");
      const doc = await getJson("/api/allocate", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          group: group.value, places: parseInt(places.value, 10), no_oranje: noOranje.checked,
        }),
      });
      const byCode = {};
      for (const a of doc.areas) byCode[a.code] = a;
      layer.clearLayers();
      L.geoJSON(areasGeo, {
        interactive: false,
        style: (f) => {
          const a = byCode[f.properties.code];
          const c = a ? colour(a.allocated) : null;
          return { color: "#08306b", weight: c ? 2 : 0, fillOpacity: c ? 0.75 : 0, fillColor: c || "#fff" };
        },
        onEachFeature: (f, l) => {
          const a = byCode[f.properties.code];
          if (a && a.allocated > 0) {
            l.bindTooltip(String(a.allocated), { permanent: true, direction: "center", className: "allocate-label" });
          }
        },
      }).addTo(layer);
      if (show.checked) layer.addTo(map);
      const s = doc.allocation;
      const parts = [
        el("p", s.placed + " van " + s.places + " plaatsen " + s.group + " toegewezen" +
          (s.shortfall ? "; " + s.shortfall + " passen nergens meer binnen de regels" : "") +
          ". Te verplaatsen aandeel " + nl(s.fair_share_dissimilarity_before, 4) + " → " +
          nl(s.fair_share_dissimilarity_after, 4) + "."),
        legend(),
      ];
      const list = el("ul");
      for (const a of doc.areas) {
        if (a.allocated > 0) list.appendChild(el("li", a.name + ": " + a.allocated));
      }
      parts.push(list);
      out.replaceChildren(...parts);
    } catch (e) {
      out.replaceChildren(el("p", e.message, "error"));
    }
  });

  // Suggest: the best places on the grid, as numbered points.
  const VERDICT_COLOURS = { past: "#1a9641", past_onder_voorwaarden: "#fdae61", past_niet: "#d7191c" };
  const VERDICT_TEXT = { past: "past", past_onder_voorwaarden: "past onder voorwaarden", past_niet: "past niet" };
  const suggestLayer = L.layerGroup();
  const sGroup = make("select", "suggest-group");
  const sUnits = numberInput("suggest-units", "12");
  const sRun = make("button", "suggest-run", "button", "Zoek plekken");
  const [sShow, sShowLabel] = toggle("suggest-show", "voorstellen op de kaart tonen", suggestLayer);
  const sOut = make("div", "suggest-result");
  const suggestSection = el("div");
  suggestSection.append(
    el("h2", "Plekken zoeken (suggest)"),
    el("p", "Toetst elke cel van 250 m met woningen als kwamen de plaatsen daar, en toont de tien " +
      "beste plekken: hetzelfde als wijkbalans suggest."),
    ...field("Doelgroep", sGroup), ...field("Aantal plaatsen", sUnits), sRun, sShowLabel, sOut,
  );
  section.prepend(suggestSection);

  sRun.addEventListener("click", async () => {
    sOut.replaceChildren(el("p", "Bezig met zoeken…"));
    try {
      const doc = await getJson("/api/suggest", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ group: sGroup.value, units: parseInt(sUnits.value, 10) }),
      });
      suggestLayer.clearLayers();
      const list = el("ol");
      for (const f of doc.features) {
        const p = f.properties;
        const [lon, lat] = f.geometry.coordinates;
        // The icon's HTML holds only a whole number and a colour of the list above.
        const html = '<div style="background:' + (VERDICT_COLOURS[p.verdict] || "#888") + '">' +
          Number(p.rank) + "</div>";
        L.marker([lat, lon], {
          icon: L.divIcon({ className: "suggest-mark", html, iconSize: [18, 18] }),
        }).bindTooltip("#" + p.rank + " " + p.area_name + ": score " + nl(p.score, 1) + ", " +
          (VERDICT_TEXT[p.verdict] || p.verdict)).addTo(suggestLayer);
        list.appendChild(el("li", p.area_name + ": score " + nl(p.score, 1) + ", " +
          (VERDICT_TEXT[p.verdict] || p.verdict) +
          (p.failed_rules ? " (niet gehaald: " + p.failed_rules.split(",").join(", ") + ")" : "")));
      }
      if (sShow.checked) suggestLayer.addTo(map);
      const key = el("div", "", "legend");
      key.appendChild(el("div", "Nummer = rang; kleur = oordeel:"));
      for (const [v, col] of Object.entries(VERDICT_COLOURS)) {
        const span = el("span");
        span.style.background = col;
        const row = el("div");
        row.append(span, VERDICT_TEXT[v]);
        key.appendChild(row);
      }
      // Equal scores (as shown, one decimal): the order is then the tie rule's, as
      // `wijkbalans suggest` says on the terminal.
      const shown = doc.features.map((f) => nl(f.properties.score, 1));
      const tied = shown.length > 1 && shown.every((t) => t === shown[0]);
      const tie = tied ? [el("p", "Let op: deze " + shown.length + " voorstellen hebben " +
        "dezelfde score, dus hun volgorde is die bij gelijke score (eerst het westen, dan het " +
        "zuiden) en zegt niets over geschiktheid.", "suggest-tie")] : [];
      sOut.replaceChildren(
        doc.features.length ? list : el("p", "Geen plek gevonden."), ...tie, key);
    } catch (e) {
      sOut.replaceChildren(el("p", e.message, "error"));
    }
  });

  // The two result layers, for the page's tests (what is drawn is read from them).
  wb.layers = { allocate: layer, suggest: suggestLayer };

  getJson("/api/groups").then((meta) => {
    for (const g of meta.groups) {
      for (const select of [group, sGroup]) {
        const o = el("option", g.label + " (" + g.id + ")");
        o.value = g.id;
        select.appendChild(o);
      }
    }
  }).catch((e) => out.replaceChildren(el("p", e.message, "error")));
})();
