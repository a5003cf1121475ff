// The result layers of `wijkbalans serve`: allocate run from the page (POST /api/allocate, the
// answer of `wijkbalans allocate` for the same group and number of places) shown as places per
// wijk, with a legend and a toggle.
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

  const group = el("select");
  group.id = "allocate-group";
  const places = el("input");
  places.id = "allocate-places";
  places.type = "number";
  places.min = "1";
  places.step = "1";
  places.value = "40";
  const noOranje = el("input");
  noOranje.id = "allocate-no-oranje";
  noOranje.type = "checkbox";
  noOranje.style.width = "auto";
  const run = el("button", "Verdeel");
  run.id = "allocate-run";
  run.type = "button";
  const show = el("input");
  show.id = "allocate-show";
  show.type = "checkbox";
  show.checked = true;
  show.style.width = "auto";
  const showLabel = el("label", " verdeling op de kaart tonen");
  showLabel.prepend(show);
  const out = el("div");
  out.id = "allocate-result";
  section.append(
    el("h2", "Verdelen (allocate)"),
    el("p", "Verdeel plaatsen van een doelgroep over de wijken naar hun tekort aan eerlijk " +
      "aandeel, nooit waar test-site zou weigeren: hetzelfde als wijkbalans allocate."),
    ...field("Doelgroep", group), ...field("Aantal plaatsen", places),
  );
  const oranje = el("label", " ook geen wijk naar oranje (--no-oranje)");
  oranje.prepend(noOranje);
  section.append(oranje, run, showLabel, out);

  show.addEventListener("change", () => {
    if (show.checked) layer.addTo(map); else layer.remove();
  });

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

  getJson("/api/groups").then((meta) => {
    for (const g of meta.groups) {
      const o = el("option", g.label + " (" + g.id + ")");
      o.value = g.id;
      group.appendChild(o);
    }
  }).catch((e) => out.replaceChildren(el("p", e.message, "error")));
})();
