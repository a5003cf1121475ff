"""The plugin in real, headless QGIS (run by tests/qgis.rs under QGIS's Python):

    python3 qgis/tests/test_plugin.py --zip PLUGIN.zip --binary WIJKBALANS --root REPO [--screenshot PNG]

Installs the plugin from the zip into a temporary folder, loads the provider, and checks:
test-site at a point inside Holtenbroek gives the output layer and verdict of `wijkbalans
test-site --json` with the same inputs (once with the point in RD New, once in WGS84, with a
project layer that is not a file and is exported to a GeoPackage); analyse loads its layers
with their default styles, from the GeoJSON files and from the GeoPackage; cancel kills the
run and nothing is written; a missing or too old program gives a clear message. Prints one
line per check and exits non-zero on the first failure.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import (  # noqa: E402
    NULL,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)

HOLTENBROEK = (202300.0, 504600.0)  # RD New, inside WK019330 Wijk 30 Holtenbroek
DATA = {
    "areas": "data/cbs-kwb-2022/wijken_zwolle.geojson",
    "dwellings": "data/synthetic/zwolle_woningen_synthetisch.geojson",
    "sites": "data/synthetic/zwolle_zorglocaties_illustratief.geojson",
    "facilities": "data/synthetic/zwolle_voorzieningen_synthetisch.geojson",
}


def check(condition, what):
    if not condition:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def memory_copy(layer):
    """The layer as a memory layer: a project layer that is no file."""
    uri = "{}?crs={}".format(
        {0: "Point", 1: "LineString", 2: "Polygon"}[layer.geometryType()],
        layer.crs().authid(),
    )
    copy = QgsVectorLayer(uri, layer.name() + " (geheugen)", "memory")
    copy.dataProvider().addAttributes(layer.fields().toList())
    copy.updateFields()
    features = []
    for f in layer.getFeatures():
        g = QgsFeature(copy.fields())
        g.setGeometry(f.geometry())
        g.setAttributes(f.attributes())
        features.append(g)
    copy.dataProvider().addFeatures(features)
    return copy


def cli_json(binary, root, at):
    args = [binary, "test-site", "--at", "{},{}".format(*at), "--units", "12",
            "--group", "beschermd_thuis", "--json"]
    for flag, path in DATA.items():
        args += ["--" + flag, os.path.join(root, path)]
    out = subprocess.run(args, capture_output=True, text=True, cwd=root, check=False)
    check(out.returncode == 0, "wijkbalans test-site --json runs ({})".format(out.stderr.strip()))
    return json.loads(out.stdout)


class Recording(QgsProcessingFeedback):
    """Keeps the stage texts and percentages the algorithm reports."""

    def __init__(self):
        super().__init__()
        self.texts, self.percents = [], []

    def setProgressText(self, text):  # noqa: N802 (QGIS API)
        super().setProgressText(text)
        self.texts.append(text)

    def setProgress(self, percent):  # noqa: N802 (QGIS API)
        super().setProgress(percent)
        self.percents.append(percent)


class CancelAtFirstStage(QgsProcessingFeedback):
    """Cancels the run when the program reports its first stage."""

    def setProgressText(self, text):  # noqa: N802 (QGIS API)
        super().setProgressText(text)
        self.cancel()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zip", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--screenshot")
    a = ap.parse_args()
    binary, root = os.path.abspath(a.binary), os.path.abspath(a.root)

    plugins = tempfile.mkdtemp()
    with zipfile.ZipFile(a.zip) as z:
        z.extractall(plugins)
    sys.path.insert(0, plugins)

    app = QgsApplication([], a.screenshot is not None)
    app.initQgis()
    from processing.core.Processing import Processing
    from processing.core.ProcessingConfig import ProcessingConfig
    import processing

    Processing.initialize()
    import wijkbalans
    from wijkbalans import binary as wb_binary
    from wijkbalans import provider as wb_provider

    plugin = wijkbalans.classFactory(None)
    plugin.initProcessing()
    registry = QgsApplication.processingRegistry()
    prov = registry.providerById("wijkbalans")
    check(prov is not None, "the provider is registered")
    names = sorted(alg.name() for alg in prov.algorithms())
    check(
        names == sorted(n.replace("-", "_") for n in wb_provider.EXPOSED),
        "the provider offers {}".format(", ".join(names)),
    )

    # The program: missing, then too old, then the one under test through the setting.
    setting = wb_provider.BINARY_SETTING
    not_a_program = os.path.join(plugins, "geen-wijkbalans")
    open(not_a_program, "w").close()
    ProcessingConfig.setSettingValue(setting, not_a_program)
    ok, message = registry.algorithmById("wijkbalans:analyse").canExecute()
    check(not ok and "niet gevonden op" in message, "a wrong setting is named: " + message)
    ProcessingConfig.setSettingValue(setting, "")
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = plugins
    ok, message = registry.algorithmById("wijkbalans:analyse").canExecute()
    check(not ok and "PATH" in message, "a program on no PATH is named: " + message)
    os.environ["PATH"] = os.path.dirname(binary) + os.pathsep + path
    ok, message = registry.algorithmById("wijkbalans:analyse").canExecute()
    check(ok, "without the setting, wijkbalans on PATH is used")
    os.environ["PATH"] = path
    old = wb_binary.check_version("0.0.9", prov.description["wijkbalans_version"])
    check(old is not None and "te oud" in old, "a program that is too old is named: " + old)
    check(wb_binary.check_version("9.0.0", "0.1.0") is None, "a newer program is accepted")
    ProcessingConfig.setSettingValue(setting, binary)
    ok, message = registry.algorithmById("wijkbalans:analyse").canExecute()
    check(ok, "the program in the setting runs ({})".format(message))
    check(
        wb_binary.version_of(binary) == prov.description["wijkbalans_version"],
        "the description is the program's version",
    )

    # A bounded number keeps the command's bounds: the dialog refuses a year the command would.
    year = registry.algorithmById("wijkbalans:analyse").parameterDefinition("year")
    check(
        (year.minimum(), year.maximum()) == (1900, 2100),
        "analyse's year takes 1900-2100 ({}-{})".format(year.minimum(), year.maximum()),
    )
    check(not year.checkValueIsAcceptable(22), "analyse's year refuses 22")

    layers = {k: QgsVectorLayer(os.path.join(root, p), k, "ogr") for k, p in DATA.items()}
    for k, layer in layers.items():
        check(layer.isValid(), "the shipped {} layer loads".format(k))
    sites_in_memory = memory_copy(layers["sites"])
    QgsProject.instance().addMapLayer(sites_in_memory)

    # test-site in RD New, with the sites from a memory layer (exported to a GeoPackage).
    expected = cli_json(binary, root, HOLTENBROEK)
    check(expected["area"]["code"] == "WK019330", "the point lies in Holtenbroek")
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    params = {
        "areas": layers["areas"],
        "dwellings": layers["dwellings"],
        "sites": sites_in_memory,
        "facilities": layers["facilities"],
        "at": "{},{} [EPSG:28992]".format(*HOLTENBROEK),
        "units": 12,
        "group": "beschermd_thuis",
        "OUTPUT": "TEMPORARY_OUTPUT",
    }
    result = processing.run("wijkbalans:test_site", params, context=context, feedback=feedback)
    check(result["VERDICT"] == expected["verdict"],
          "test-site's verdict is the command line's: " + result["VERDICT"])
    check(json.loads(result["JSON"]) == expected, "test-site's JSON is the command line's")
    out_layer = result["OUTPUT"]
    if not isinstance(out_layer, QgsVectorLayer):
        out_layer = QgsProcessingUtils.mapLayerFromString(out_layer, context)
    features = list(out_layer.getFeatures())
    check(len(features) == 1, "the output layer has one feature")
    f = features[0]
    check(f["verdict"] == expected["verdict"], "its verdict field is the command line's")
    check(f["area_code"] == "WK019330", "its area is Holtenbroek")
    for key in ("population", "care_units", "saldo", "signal", "typology", "fair_share_ratio"):
        for phase in ("before", "after"):
            field = "{}_{}".format(phase, key)
            check(f[field] == expected[phase][key],
                  "{} = {} as on the command line".format(field, f[field]))
    p = f.geometry().asPoint()
    check((p.x(), p.y()) == HOLTENBROEK, "the feature lies at the point")
    check(out_layer.crs().authid() == "EPSG:28992", "the output layer is in RD New")
    pairs = [(k, v) for k, v in wijkbalans.algorithm.flatten(expected) if k != "wijkbalans_version"]
    names_in_layer = out_layer.fields().names()
    differ = [
        (k, f[k], v) for k, v in pairs
        if k not in names_in_layer or (None if f[k] == NULL else f[k]) != v
    ]
    check(not differ and len(pairs) == len(names_in_layer),
          "all {} fields of the output layer equal the command line's JSON {}".format(
              len(pairs), differ[:3]))

    # The same point picked in WGS84 (as on a map canvas in another CRS) reaches RD New.
    to_wgs84 = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:28992"),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    ll = to_wgs84.transform(QgsPointXY(*HOLTENBROEK))
    params["at"] = "{!r},{!r} [EPSG:4326]".format(ll.x(), ll.y())
    result = processing.run("wijkbalans:test_site", params, context=context, feedback=feedback)
    doc = json.loads(result["JSON"])
    at = doc["change"]["at"]
    check(abs(at[0] - HOLTENBROEK[0]) < 0.01 and abs(at[1] - HOLTENBROEK[1]) < 0.01,
          "a WGS84 point reaches wijkbalans in RD New ({}, {})".format(*at))
    check(result["VERDICT"] == expected["verdict"], "and gets the same verdict")

    # analyse: the layers load with their default styles, from GeoJSON + .qml and from the
    # GeoPackage's layer_styles.
    expected_styles = {
        "areas": ("categorizedSymbol", "signal"),
        "sites": ("categorizedSymbol", "wb_target_group"),
        "facilities": ("categorizedSymbol", "wb_type"),
        "lisa": ("categorizedSymbol", "lisa_label"),
    }
    for fmt, label in (([0, 1], "GeoJSON"), ([2], "GeoPackage")):
        out = tempfile.mkdtemp()
        context, recording = QgsProcessingContext(), Recording()
        result = processing.run(
            "wijkbalans:analyse",
            {
                "areas": layers["areas"],
                "dwellings": layers["dwellings"],
                "sites": layers["sites"],
                "facilities": layers["facilities"],
                "permutations": 99,
                "format": fmt,
                "out": out,
            },
            context=context,
            feedback=recording,
        )
        check(result["out"] == out, "analyse wrote to the chosen folder")
        check(any("lezen" in t for t in recording.texts),
              "the stages reach the dialog: " + " / ".join(recording.texts))
        check(recording.percents and max(recording.percents) == 100,
              "the permutation tests' progress reaches 100 % ({} updates)".format(
                  len(recording.percents)))
        to_load = context.layersToLoadOnCompletion()
        loaded = {}
        for uri, details in to_load.items():
            # As Processing does when an algorithm finishes: load, then the post-processor.
            layer = QgsProcessingUtils.mapLayerFromString(uri, context)
            check(layer is not None and layer.isValid(), "{} loads ({})".format(details.name, label))
            check(details.postProcessor() is not None, "{} has a post-processor".format(details.name))
            details.postProcessor().postProcessLayer(layer, context, QgsProcessingFeedback())
            loaded[details.name] = layer
        check(set(expected_styles) <= set(loaded),
              "analyse loads {} ({})".format(", ".join(sorted(loaded)), label))
        for name, (renderer, field) in expected_styles.items():
            r = loaded[name].renderer()
            attr = r.classAttribute() if hasattr(r, "classAttribute") else None
            check(r.type() == renderer and attr == field,
                  "{} opens with its default style: {} on {} ({})".format(
                      name, r.type(), attr, label))
        check(loaded["areas"].featureCount() == 16, "areas has Zwolle's 16 wijken")
        check(result["LAYER_areas"] in to_load, "LAYER_areas names the loaded layer")

    # The other commands run from the toolbox and their described outputs come back.
    study = {"areas": layers["areas"], "dwellings": layers["dwellings"],
             "sites": layers["sites"], "permutations": 0}
    opgave = os.path.join(root, "data/opgave_zwolle_illustratief.toml")
    runs = {
        "scenario": dict(study, file=os.path.join(root, "data/scenario_zwolle_illustratief.toml")),
        "suggest": dict(study, units=12, group="beschermd_thuis", grid=500.0, top=5),
        "allocate": dict(study, places=50, group="beschermd_thuis"),
        "report": dict(study, opgave=opgave, year=2022),
        "monitor": dict(study, opgave=opgave, year=2022),
        "compare": {"before": layers["areas"],
                    "after": QgsVectorLayer(
                        os.path.join(root, "data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson"),
                        "after", "ogr")},
    }
    commands = {c["name"]: c for c in prov.description["commands"]}
    for name, params in runs.items():
        params["out"] = tempfile.mkdtemp()
        context = QgsProcessingContext()
        result = processing.run("wijkbalans:" + name, params, context=context,
                                feedback=QgsProcessingFeedback())
        described = [o for o in commands[name]["outputs"] if o.get("name") and not o["when"]]
        for o in described:
            key = ("LAYER_" if o["kind"] == "layer" else "FILE_") + o["name"].replace(".", "_")
            check(key in result, "{} returns {}".format(name, key))
        layer_uris = [result[k] for k in result if k.startswith("LAYER_")]
        check(sorted(layer_uris) == sorted(context.layersToLoadOnCompletion()),
              "{} loads {} layer(s)".format(name, len(layer_uris)))
        # Every layer described as styled opens with its style, not QGIS's single symbol.
        styled = {o["name"] for o in described if o["kind"] == "layer" and o["styled"]}
        for uri, details in context.layersToLoadOnCompletion().items():
            if details.name not in styled:
                continue
            layer = QgsProcessingUtils.mapLayerFromString(uri, context)
            details.postProcessor().postProcessLayer(layer, context, QgsProcessingFeedback())
            check(layer.renderer().type() != "singleSymbol",
                  "{} {} opens styled ({})".format(name, details.name, layer.renderer().type()))

    # Cancel: the run is killed at its first stage and nothing is written.
    out = tempfile.mkdtemp()
    start = time.time()
    try:
        processing.run(
            "wijkbalans:analyse",
            {"areas": layers["areas"], "dwellings": layers["dwellings"], "out": out},
            context=QgsProcessingContext(),
            feedback=CancelAtFirstStage(),
        )
        check(False, "a canceled run raises")
    except QgsProcessingException as e:
        check("afgebroken" in str(e), "a canceled run says so: {}".format(e))
    check(os.listdir(out) == [], "a canceled run writes nothing")
    print("ok: canceled after {:.1f} s".format(time.time() - start))

    if a.screenshot:
        for layer in layers.values():
            QgsProject.instance().addMapLayer(layer)
        screenshot(registry, a.screenshot, {
            "areas": layers["areas"].id(),
            "dwellings": layers["dwellings"].id(),
            "sites": layers["sites"].id(),
            "facilities": layers["facilities"].id(),
            "at": "{},{} [EPSG:28992]".format(*HOLTENBROEK),
            "units": 12,
            "group": "beschermd_thuis",
        })
    print("all plugin checks passed")
    sys.stdout.flush()
    # QGIS 3.22's Python bindings can crash while tearing down (QgsApplication.exitQgis with
    # Processing loaded); every check has run, so leave without the teardown.
    os._exit(0)


def screenshot(registry, path, values):
    """The dialog of test-site with `values` filled in, rendered offscreen."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    alg = registry.createAlgorithmById("wijkbalans:test_site")
    dialog = AlgorithmDialog(alg, False, None)
    dialog.setParameters(values)
    dialog.resize(900, 700)
    dialog.show()
    QgsApplication.processEvents()
    check(dialog.grab().save(path), "the dialog is saved to " + path)


if __name__ == "__main__":
    main()
