// The scenario panel of `wijkbalans serve`: keep tested proposals, remove or move existing
// sites, and see the cumulative effect (POST /api/scenario, the answer of `wijkbalans scenario`
// for the same changes); undo, export the scenario file and the report. The server keeps no
// scenario: the page holds the list of changes and sends it whole with every request.
"use strict";

(function () {
  const { map, el, nl, getJson, answer, refusal } = window.wb;
  const VERDICT_TEXT = {
    past: "Past", past_onder_voorwaarden: "Past onder voorwaarden", past_niet: "Past niet",
  };
  const STUDY_LABELS = [
    ["care_units", "Zorgeenheden", 0], ["dissimilarity", "Dissimilariteit D", 4],
    ["gini", "Gini", 4], ["fair_share_dissimilarity", "Te verplaatsen aandeel (eerlijk deel)", 4],
    ["morans_i", "Moran's I (per 1.000)", 4],
  ];
  /** The steps of the scenario, in order: each `{label, changes: [scenario-file changes]}`
   * (a move is two changes: the site removed, the same units added at the new place). */
  const steps = [];
  /** The last verdict shown (the click that can be kept), and a pending move. */
  let last = null;
  let moving = null;
  /** Why the scenario in the address could not be read, shown until the first step. */
  let unreadable = "";
  const layer = L.layerGroup().addTo(map);
  const section = document.getElementById("scenario");

  /** The request body: the scenario file's keys, the page's points in WGS84. */
  function body(extra) {
    const name = document.getElementById("scenario-name").value.trim();
    const changes = steps.flatMap((s) => s.changes).concat(extra || []);
    return JSON.stringify({ name: name || undefined, crs: "EPSG:4326", changes });
  }

  async function post(path, extra) {
    const r = await answer(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: body(extra),
    });
    if (!r.ok) throw await refusal(r);
    return r;
  }

  function addChange(p, name) {
    return { action: "add", name, at: [p.lon, p.lat], units: p.units, group: p.group };
  }

  /** A file download of the server's answer to `path`. */
  async function download(path, file) {
    try {
      const blob = await (await post(path)).blob();
      const a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = file;
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      status(e.message, "error");
    }
  }

  function status(text, cls) {
    const box = document.getElementById("scenario-status");
    if (text) box.replaceChildren(el("p", text, cls));
    else box.replaceChildren();
  }

  function button(text, onClick, id) {
    const b = el("button", text);
    if (id) b.id = id;
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  /** After a verdict: offer to keep it, or finish a pending move; with kept steps, show how
   * the click is judged inside the scenario so far. */
  document.addEventListener("wb:verdict", async (ev) => {
    const { proposal, result } = ev.detail;
    const offer = document.getElementById("scenario-offer");
    if (moving) {
      const site = moving;
      moving = null;
      steps.push({
        label: site.name + " verplaatst naar " + result.area.name,
        changes: [
          { action: "remove", site: site.name },
          // The site's own units and group, whatever the form says by now.
          addChange({ ...proposal, units: site.wb_units, group: site.wb_target_group },
            site.name + " (verplaatst)"),
        ],
        marks: [[proposal.lat, proposal.lon]],
      });
      offer.replaceChildren();
      return refresh();
    }
    last = { proposal, result };
    // Words for people: the group's label (from /api/groups), as in the verdict box; the label
    // names the change in the downloaded scenario.toml and scenario.md.
    const label = proposal.units + " plaatsen " + (groupLabels[proposal.group] || proposal.group) +
      " in " + result.area.name;
    offer.replaceChildren(button("Voorstel bewaren", () => {
      steps.push({
        label,
        changes: [addChange(proposal, "voorstel " + (steps.length + 1) + ": " + label)],
        marks: [[proposal.lat, proposal.lon]],
      });
      last = null;
      offer.replaceChildren();
      refresh();
    }, "scenario-keep"));
    if (steps.length > 0) {
      try {
        const doc = await (await post("/api/scenario", [addChange(proposal, "klik")])).json();
        const e = doc.scenario.changes[doc.scenario.changes.length - 1];
        offer.appendChild(el("p", "Binnen het scenario tot nu toe: " +
          (VERDICT_TEXT[e.verdict] || e.verdict) + " (los getoetst: " +
          (VERDICT_TEXT[result.verdict] || result.verdict) + ")", "verdict " + e.verdict));
      } catch (e) {
        offer.appendChild(el("p", e.message, "error"));
      }
    }
  });

  /** A click on an existing site: remove it, or move it (the next click is the new place). */
  function sitePopup(p) {
    const box = el("div");
    box.appendChild(el("strong", p.name));
    box.appendChild(el("div", p.wb_units + " plaatsen " +
      (groupLabels[p.wb_target_group] || p.wb_target_group)));
    if (!p.wb_counted) {
      box.appendChild(el("div", "Telt niet mee in de huidige situatie (gepland of gesloten)."));
      return box;
    }
    box.append(
      button("Bestaande locatie verwijderen", () => {
        map.closePopup();
        steps.push({ label: p.name + " verwijderd", changes: [{ action: "remove", site: p.name }], marks: [] });
        refresh();
      }, "scenario-remove-site"),
      button("Verplaatsen", () => {
        map.closePopup();
        moving = p;
        // The next click tests the same units and group at the new place.
        document.getElementById("group").value = p.wb_target_group;
        document.getElementById("units").value = p.wb_units;
        status("Klik op de nieuwe plek voor " + p.name + ".");
      }, "scenario-move-site"),
    );
    return box;
  }

  /** The steps in the page address (`?scenario=…`, beside app.js's `#voorstel=`), so that a
   * reload or a shared link shows the same scenario. */
  function remember() {
    const query = steps.length
      ? "?scenario=" + encodeURIComponent(JSON.stringify({
        name: document.getElementById("scenario-name").value, steps,
      }))
      : location.pathname;
    history.replaceState(null, "", query + location.hash);
  }

  function restore() {
    const given = new URLSearchParams(location.search).get("scenario");
    if (!given) return;
    try {
      const saved = JSON.parse(given);
      document.getElementById("scenario-name").value = saved.name || "";
      for (const s of saved.steps) {
        if (typeof s.label !== "string" || !Array.isArray(s.changes) || !Array.isArray(s.marks)) {
          throw new Error("onbekende stap");
        }
        steps.push(s);
      }
    } catch (e) {
      steps.length = 0;
      // JSON.parse's own message is the browser's English.
      unreadable = "Het scenario in het adres is niet te lezen (" +
        (e instanceof SyntaxError ? "geen geldige JSON" : e.message) + ").";
    }
  }

  async function refresh() {
    if (steps.length) unreadable = "";
    remember();
    const list = el("ol");
    steps.forEach((s, k) => {
      const li = el("li", s.label + " ");
      li.appendChild(button("verwijderen", () => { steps.splice(k, 1); refresh(); }));
      li.id = "scenario-step-" + (k + 1);
      list.appendChild(li);
    });
    document.getElementById("scenario-list").replaceChildren(
      steps.length ? list : el("p", "Nog geen wijzigingen bewaard."));
    for (const id of ["scenario-undo", "scenario-toml", "scenario-report"]) {
      document.getElementById(id).disabled = steps.length === 0;
    }
    layer.clearLayers();
    steps.forEach((s, k) => {
      for (const m of s.marks) {
        L.marker(m, { interactive: false, icon: L.divIcon({ className: "scenario-mark", html: String(k + 1) }) })
          .addTo(layer);
      }
    });
    const out = document.getElementById("scenario-effect");
    if (!steps.length) {
      out.replaceChildren();
      status(unreadable, "error");
      onMap(null);
      return;
    }
    status("Bezig met doorrekenen…");
    try {
      const doc = await (await post("/api/scenario")).json();
      showEffect(doc, out);
      onMap(doc.areas);
      status("");
    } catch (e) {
      out.replaceChildren();
      onMap(null);
      status(e.message, "error");
    }
  }

  /** Colour the map by the wijken after the scenario (`areas` of /api/scenario), or as loaded
   * (null). */
  function onMap(areas) {
    wb.scenarioAreas = areas ? Object.fromEntries(areas.map((a) => [a.code, a])) : null;
    if (wb.recolour) wb.recolour();
  }

  /** Each change's verdict, every wijk that changes (before → after) and the study. */
  function showEffect(doc, out) {
    const parts = [el("h3", "Oordeel per wijziging (elk na de wijzigingen ervoor)")];
    const verdicts = el("ol");
    for (const e of doc.scenario.changes) {
      const failed = e.reasons.filter((r) => !r.passed).map((r) => r.label);
      verdicts.appendChild(el("li", e.change.name + " (" + nl(e.change.units, 0) + ", " +
        e.area.name + "): " + (VERDICT_TEXT[e.verdict] || e.verdict) +
        (failed.length ? "; niet gehaald: " + failed.join(", ") : ""), "verdict-line " + e.verdict));
    }
    parts.push(verdicts, el("h3", "Wijken die veranderen (voor → na)"));
    const table = el("table");
    const head = el("tr");
    for (const h of ["wijk", "zorg per 1.000", "saldo", "signaal"]) head.appendChild(el("th", h));
    table.appendChild(head);
    for (const a of doc.areas) {
      if (!a.care_units_delta && !a.signal_changed) continue;
      const tr = el("tr");
      tr.append(
        el("td", a.name),
        el("td", nl(a.care_units_per_1000_before, 2) + " → " + nl(a.care_units_per_1000_after, 2)),
        el("td", nl(a.saldo_before, 2) + " → " + nl(a.saldo_after, 2)),
        el("td", a.signal_before + " → " + a.signal_after),
      );
      table.appendChild(tr);
    }
    parts.push(table, el("h3", "Het hele gebied (voor → na)"));
    const study = el("ul");
    const s = doc.scenario.study;
    for (const [key, label, d] of STUDY_LABELS) {
      study.appendChild(el("li", label + ": " + nl(s.before[key], d) + " → " + nl(s.after[key], d)));
    }
    parts.push(study);
    out.replaceChildren(...parts);
  }

  section.append(
    el("h2", "Scenario"),
    el("p", "Bewaar getoetste voorstellen en verwijder of verplaats bestaande locaties (klik op een " +
      "locatie); het scenario rekent zoals wijkbalans scenario."),
  );
  const name = el("input");
  name.id = "scenario-name";
  name.placeholder = "Scenario van de kaart";
  const nameLabel = el("label", "Naam van het scenario");
  nameLabel.htmlFor = "scenario-name";
  section.append(nameLabel, name);
  const offer = el("div");
  offer.id = "scenario-offer";
  const list = el("div");
  list.id = "scenario-list";
  const tools = el("div");
  tools.append(
    button("Laatste stap ongedaan maken", () => { steps.pop(); refresh(); }, "scenario-undo"),
    button("Scenariobestand (TOML)", () => download("/api/scenario/toml", "scenario.toml"), "scenario-toml"),
    button("Rapport (scenario.md)", () => download("/api/scenario/report", "scenario.md"), "scenario-report"),
  );
  const st = el("div");
  st.id = "scenario-status";
  const effect = el("div");
  effect.id = "scenario-effect";
  section.append(offer, list, tools, st, effect);

  // The sites, clickable, in a pane of their own above the wijken: the wijken are added when
  // their layer has loaded, which may be after these, and would otherwise take the click.
  map.createPane("sites").style.zIndex = 450;
  getJson("/api/sites").then((sites) => {
    L.geoJSON(sites, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: 7, opacity: 0, fillOpacity: 0, pane: "sites",
      }).bindPopup(() => sitePopup(f.properties)),
    }).addTo(map);
  }).catch((e) => status("De locaties konden niet laden: " + e.message, "error"));
  name.addEventListener("change", remember);
  restore();
  refresh();
})();
