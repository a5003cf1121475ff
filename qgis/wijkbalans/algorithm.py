"""One generic Processing algorithm, built from one command of `wijkbalans describe --json`.

Every parameter of the command becomes a Processing parameter of its described type (layer,
field, number, integer, enum, bool, file, folder, point, text, crs); the layer-name and CRS
flags of a layer are filled in by the plugin. A run builds the argument list (never a shell
command), exports project layers that are not plain files to a temporary GeoPackage, runs the
program with its progress lines on, honours cancel by killing it, and loads the layers it
wrote with their embedded styles.
"""

import json
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputFile,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterPoint,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from . import binary

#: The CRS the plugin hands points to wijkbalans in (RD New, the compute CRS).
RD = "EPSG:28992"

#: Flags the plugin sets itself: `--quiet` (the plugin shows every line) and `--json` (the
#: plugin reads the JSON of commands that print one).
HIDDEN = {"quiet", "json"}

#: Parameters under "Advanced parameters" in the dialog.
ADVANCED = {
    "config",
    "crs",
    "repair_geometry",
    "seed",
    "metrics",
    "permutations",
    "alpha",
    "weights",
    "threads",
    "overwrite",
    "csv",
    "min_count",
    "timings",
    "strict",
    "network",
    "regular_units",
}

#: Files QGIS can hand to wijkbalans as they are; anything else is exported to a GeoPackage.
PLAIN_EXTENSIONS = {".gpkg", ".geojson", ".json", ".shp", ".fgb"}

#: Processing layer types of the described geometries.
GEOMETRY_TYPES = {
    "polygon": [QgsProcessing.TypeVectorPolygon],
    "point": [QgsProcessing.TypeVectorPoint],
    "line": [QgsProcessing.TypeVectorLine],
    "any": [QgsProcessing.TypeVectorAnyGeometry],
}

#: The point layer a command that prints JSON about a point writes (test-site).
SINK = "OUTPUT"


def short_label(param):
    """The dialog label: the Dutch help up to its first colon, bracket or full stop, and the
    flag, e.g. `Gebieden (--areas)`."""
    text = param["help"]["nl"]
    for stop in (": ", " (", ". ", ", `"):
        k = text.find(stop)
        if k > 0:
            text = text[:k]
    text = text.rstrip(".").replace("`", "")
    if len(text) > 70:
        text = text[:67].rstrip() + "…"
    shown = param["flag"] or "<{}>".format(param["value_name"])
    return "{} ({})".format(text, shown)


def flatten(value, prefix=""):
    """A JSON object as flat (name, value) pairs: nested keys joined with `_`, lists as JSON
    text."""
    if isinstance(value, dict):
        pairs = []
        for k, v in value.items():
            pairs.extend(flatten(v, "{}_{}".format(prefix, k) if prefix else k))
        return pairs
    if isinstance(value, list):
        return [(prefix, json.dumps(value, ensure_ascii=False))]
    return [(prefix, value)]


def field_type(value):
    """The QGIS field type of a JSON value."""
    if isinstance(value, bool):
        return QVariant.Bool
    if isinstance(value, int):
        return QVariant.LongLong
    if isinstance(value, float):
        return QVariant.Double
    return QVariant.String


def plain_file(layer):
    """(path, layer name) when wijkbalans can read `layer` as the file it is, else None."""
    if layer.providerType() != "ogr" or layer.subsetString():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if os.path.splitext(path)[1].lower() not in PLAIN_EXTENSIONS or not os.path.isfile(path):
        return None
    if parts.get("layerId") not in (None, "", -1) and not parts.get("layerName"):
        return None
    return path, parts.get("layerName") or None


class DefaultStyle(QgsProcessingLayerPostProcessorInterface):
    """Gives a loaded output layer the default style wijkbalans wrote: the `.qml` next to a
    GeoJSON file, or the default in a GeoPackage's `layer_styles` (Processing itself loads
    output layers without it)."""

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        message, ok = layer.loadDefaultStyle()
        if not ok:
            feedback.pushWarning(
                "Laag {} heeft geen eigen stijl geladen: {}".format(layer.name(), message)
            )
        layer.triggerRepaint()


#: Processing keeps only a pointer to a post-processor; Python must keep the object alive.
_POST_PROCESSORS = []


class WijkbalansAlgorithm(QgsProcessingAlgorithm):
    """A wijkbalans command in the toolbox."""

    def __init__(self, command, description):
        super().__init__()
        self.command = command
        self.description = description
        self.params = {p["name"]: p for p in command["parameters"]}

    # --- identity -------------------------------------------------------------------------

    def createInstance(self):  # noqa: N802 (QGIS API)
        return WijkbalansAlgorithm(self.command, self.description)

    def name(self):
        return self.command["name"].replace("-", "_")

    def displayName(self):  # noqa: N802 (QGIS API)
        return self.command["name"]

    def group(self):
        return "wijkbalans"

    def groupId(self):  # noqa: N802 (QGIS API)
        return "wijkbalans"

    def shortHelpString(self):  # noqa: N802 (QGIS API)
        return "{}\n\n{}\n\n(wijkbalans {}; `wijkbalans {} --help`)".format(
            self.command["about"]["nl"],
            self.command["about"]["en"],
            self.description["wijkbalans_version"],
            self.command["name"],
        )

    def canExecute(self):  # noqa: N802 (QGIS API)
        from .provider import find_binary

        path, problem = find_binary(self.description)
        return path is not None, problem or ""

    # --- parameters -----------------------------------------------------------------------

    def _companion(self, name, key):
        """The parameter whose `key` (layer_of, crs_of) names parameter `name`."""
        for p in self.command["parameters"]:
            if p.get(key) == name:
                return p
        return None

    def _shown(self, p):
        """Whether the dialog shows parameter `p` (the plugin fills in the others)."""
        if p["name"] in HIDDEN:
            return False
        of = p.get("layer_of") or p.get("crs_of")
        return not (of and of in self.params)

    def _definition(self, p):
        name, label, typ = p["name"], short_label(p), p["type"]
        optional, default = p["optional"], p["default"]
        if typ == "layer":
            d = QgsProcessingParameterVectorLayer(
                name, label, GEOMETRY_TYPES[p["geometry"]], optional=optional
            )
        elif typ == "field":
            d = QgsProcessingParameterField(
                name, label, parentLayerParameterName=p["field_of"], optional=optional
            )
        elif typ == "point":
            d = QgsProcessingParameterPoint(name, label, optional=optional)
        elif typ == "crs":
            d = QgsProcessingParameterCrs(name, label, optional=True)
        elif typ == "folder":
            d = QgsProcessingParameterFolderDestination(name, label)
        elif typ == "file" and p.get("output"):
            d = QgsProcessingParameterFileDestination(
                name,
                label,
                fileFilter=";;".join("{0} (*.{0})".format(e) for e in p["extensions"]),
                optional=True,
                createByDefault=False,
            )
        elif typ == "file" and p["multiple"]:
            d = QgsProcessingParameterMultipleLayers(
                name, label, QgsProcessing.TypeFile, optional=True
            )
        elif typ == "file":
            d = QgsProcessingParameterFile(
                name,
                label,
                fileFilter=";;".join("{0} (*.{0})".format(e) for e in p["extensions"]),
                optional=optional,
            )
        elif typ == "enum":
            choices = p["choices"]
            if default is None:
                index = None
            elif p["multiple"]:
                index = [choices.index(c) for c in default.split(p.get("delimiter", ","))]
            else:
                index = choices.index(default)
            d = QgsProcessingParameterEnum(
                name,
                label,
                options=choices,
                allowMultiple=p["multiple"],
                defaultValue=index,
                optional=optional,
            )
        elif typ == "bool":
            d = QgsProcessingParameterBoolean(name, label, defaultValue=False, optional=True)
        elif typ in ("integer", "number"):
            kind = (
                QgsProcessingParameterNumber.Integer
                if typ == "integer"
                else QgsProcessingParameterNumber.Double
            )
            d = QgsProcessingParameterNumber(
                name, label, kind, defaultValue=default, optional=optional
            )
            # The bounds the command keeps (a year: 1900-2100), so the dialog refuses what the
            # command would.
            if "minimum" in p:
                d.setMinimum(p["minimum"])
            if "maximum" in p:
                d.setMaximum(p["maximum"])
        elif typ == "text":
            d = QgsProcessingParameterString(
                name, label, defaultValue=default, optional=optional
            )
        else:
            raise ValueError("{} {}: unknown type {}".format(self.command["name"], name, typ))
        d.setHelp("{}\n\n{}".format(p["help"]["nl"], p["help"]["en"]))
        if name in ADVANCED:
            d.setFlags(d.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        return d

    def _prints_json_about_a_point(self):
        points = any(p["type"] == "point" for p in self.command["parameters"])
        json_out = any(
            o["kind"] == "stdout" and o.get("format") == "json" for o in self.command["outputs"]
        )
        return points and json_out and "json" in self.params

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        for p in self.command["parameters"]:
            if self._shown(p):
                self.addParameter(self._definition(p))
        if self._prints_json_about_a_point():
            self.addParameter(
                QgsProcessingParameterFeatureSink(
                    SINK, "Uitkomst op de kaart", QgsProcessing.TypeVectorPoint
                )
            )
            self.addOutput(QgsProcessingOutputString("VERDICT", "Oordeel"))
            self.addOutput(QgsProcessingOutputString("JSON", "Uitkomst als JSON"))
        for o in self.command["outputs"]:
            if o["kind"] == "layer" and o["name"]:
                self.addOutput(
                    QgsProcessingOutputVectorLayer("LAYER_" + o["name"], "Laag " + o["name"])
                )
            elif o["kind"] == "file" and o.get("name"):
                key = "FILE_" + o["name"].replace(".", "_")
                self.addOutput(QgsProcessingOutputFile(key, o["name"]))
        if self.command["writes_layers"]:
            self.addOutput(QgsProcessingOutputMultipleLayers("OUTPUT_LAYERS", "Alle lagen"))

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS API)
        if "areas" in self.params and "config" in self.params:
            if not parameters.get("areas") and not parameters.get("config"):
                return False, (
                    "Kies een gebiedenlaag (--areas) of een configuratiebestand (--config): "
                    "zonder een van beide zoekt wijkbalans de meegeleverde Zwolse gegevens in "
                    "de projectmap."
                )
        return super().checkParameterValues(parameters, context)

    # --- running --------------------------------------------------------------------------

    @staticmethod
    def _given(parameters, name):
        value = parameters.get(name)
        return value is not None and value != "" and value != []

    def _layer_args(self, p, parameters, context, feedback, workdir):
        layer = self.parameterAsVectorLayer(parameters, p["name"], context)
        if layer is None:
            return []
        plain = plain_file(layer)
        if plain is None:
            target = os.path.join(workdir, "{}.gpkg".format(p["name"]))
            options = QgsVectorFileWriter.SaveVectorOptions()
            options.driverName = "GPKG"
            options.layerName = p["name"]
            result = QgsVectorFileWriter.writeAsVectorFormatV3(
                layer, target, context.transformContext(), options
            )
            if result[0] != QgsVectorFileWriter.NoError:
                raise QgsProcessingException(
                    "Laag '{}' kon niet naar een tijdelijke GeoPackage: {}".format(
                        layer.name(), result[1]
                    )
                )
            feedback.pushInfo(
                "Laag '{}' is geen los bestand; tijdelijk opgeslagen als {}".format(
                    layer.name(), target
                )
            )
            plain = (target, p["name"])
        path, layer_name = plain
        args = [p["flag"], path]
        companion = self._companion(p["name"], "layer_of")
        if layer_name and companion is not None:
            args += [companion["flag"], layer_name]
        return args

    def _arguments(self, parameters, context, feedback, workdir):
        """The argument list (after the command name), and the output folder if any."""
        args, positional, out = [], [], None
        for p in self.command["parameters"]:
            name, typ = p["name"], p["type"]
            if not self._shown(p):
                if name == "json":
                    args.append(p["flag"])
                continue
            words = []
            if typ == "layer":
                args += self._layer_args(p, parameters, context, feedback, workdir)
                continue
            if typ == "folder":
                out = self.parameterAsFileOutput(parameters, name, context)
                os.makedirs(out, exist_ok=True)
                words = [out]
            elif not self._given(parameters, name):
                continue
            elif typ == "point":
                rd = QgsCoordinateReferenceSystem(RD)
                pt = self.parameterAsPoint(parameters, name, context, rd)
                words = ["{!r},{!r}".format(pt.x(), pt.y())]
                crs_flag = self.params.get(p.get("crs_flag") or "")
                if crs_flag is not None:
                    args += [crs_flag["flag"], RD]
            elif typ == "crs":
                crs = self.parameterAsCrs(parameters, name, context)
                if not crs.isValid():
                    continue
                words = [crs.authid()]
            elif typ == "file" and p.get("output"):
                target = self.parameterAsFileOutput(parameters, name, context)
                if not target:
                    continue
                words = [target]
            elif typ == "file" and p["multiple"]:
                for f in self.parameterAsFileList(parameters, name, context):
                    args += [p["flag"], f]
                continue
            elif typ == "file":
                words = [self.parameterAsFile(parameters, name, context)]
            elif typ == "enum":
                if p["multiple"]:
                    chosen = self.parameterAsEnums(parameters, name, context)
                    words = [p.get("delimiter", ",").join(p["choices"][i] for i in chosen)]
                else:
                    words = [p["choices"][self.parameterAsEnum(parameters, name, context)]]
            elif typ == "bool":
                if self.parameterAsBoolean(parameters, name, context):
                    args.append(p["flag"])
                continue
            elif typ == "integer":
                words = [str(self.parameterAsInt(parameters, name, context))]
            elif typ == "number":
                words = [repr(self.parameterAsDouble(parameters, name, context))]
            elif typ == "field":
                words = [self.parameterAsString(parameters, name, context)]
            else:
                text = self.parameterAsString(parameters, name, context)
                if not text:
                    continue
                words = [text]
            if p["flag"] is None:
                positional.append((p.get("position") or 0, words))
            else:
                args += [p["flag"]] + words
        for _, words in sorted(positional, key=lambda x: x[0]):
            args += words
        return args, out

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        from .provider import find_binary

        program, problem = find_binary(self.description)
        if program is None:
            raise QgsProcessingException(problem)
        workdir = QgsProcessingUtils.tempFolder()
        args, out = self._arguments(parameters, context, feedback, workdir)
        argv = [program, self.command["name"]] + args
        feedback.pushCommandInfo(" ".join(_quoted(a) for a in argv))
        home = QgsProject.instance().homePath()
        cwd = home if home and os.path.isdir(home) else workdir

        def on_line(stream, line):
            if stream == "stdout" and self._prints_json_about_a_point():
                return
            if line.startswith("wijkbalans: fout: "):
                feedback.reportError(line)
            elif line.startswith("wijkbalans: waarschuwing: "):
                feedback.pushWarning(line)
            else:
                feedback.pushInfo(line)

        code, stdout, stderr, canceled = binary.run(
            argv,
            cwd,
            on_stage=feedback.setProgressText,
            on_progress=lambda percent, stage: feedback.setProgress(percent),
            on_line=on_line,
            is_canceled=feedback.isCanceled,
        )
        if canceled:
            raise QgsProcessingException("wijkbalans is afgebroken; er is niets geschreven.")
        if code == 2:
            raise QgsProcessingException(stderr or "wijkbalans stopte met code 2")
        if code not in (0, 1):
            raise QgsProcessingException(
                "wijkbalans stopte met code {}: {}".format(code, stderr)
            )
        if code == 1:
            feedback.pushWarning(
                "wijkbalans: klaar, maar met meldingen die --strict tot een fout maakt"
            )
        results = {}
        if self._prints_json_about_a_point():
            results.update(self._point_result(parameters, context, stdout))
        if out is not None:
            results["out"] = out
            results.update(self._load_outputs(out, context))
        return results

    def _point_result(self, parameters, context, stdout):
        doc = json.loads(stdout)
        pairs = [(k, v) for k, v in flatten(doc) if k not in ("wijkbalans_version",)]
        fields = QgsFields()
        for k, v in pairs:
            fields.append(QgsField(k, field_type(v)))
        sink, dest = self.parameterAsSink(
            parameters,
            SINK,
            context,
            fields,
            QgsWkbTypes.Point,
            QgsCoordinateReferenceSystem(RD),
        )
        feature = QgsFeature(fields)
        x, y = doc["change"]["at"]
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feature.setAttributes([v for _, v in pairs])
        sink.addFeature(feature, QgsFeatureSink.FastInsert)
        return {SINK: dest, "VERDICT": doc.get("verdict"), "JSON": stdout}

    def _load_outputs(self, out, context):
        """Load every layer the run wrote (run.json lists them), styled: from the GeoPackage
        when there is one (its default style is in `layer_styles`), else the GeoJSON files
        (their `.qml` next to them is the default style)."""
        run_json = os.path.join(out, self.description["run_record"])
        results = {}
        if not os.path.isfile(run_json):
            return results
        with open(run_json, encoding="utf-8") as f:
            written = json.load(f).get("outputs", [])
        gpkg = self.description["geopackage"]
        if gpkg in written:
            from osgeo import ogr

            ds = ogr.Open(os.path.join(out, gpkg))
            names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
            names = [n for n in names if n != "layer_styles"]
            ds = None
            uris = [(n, "{}|layername={}".format(os.path.join(out, gpkg), n)) for n in names]
        else:
            uris = [
                (n[: -len(".geojson")], os.path.join(out, n))
                for n in written
                if n.endswith(".geojson")
            ]
        layer_names = {n for n, _ in uris}
        for name in written:
            # A layer's own files (.geojson, .csv, its .qml styles) are the layer.
            stem, ext = os.path.splitext(name)
            own = ext in (".geojson", ".csv") and stem in layer_names
            style = ext == ".qml" and stem.split(".")[0] in layer_names
            if name == gpkg or own or style:
                continue
            results["FILE_" + name.replace(".", "_")] = os.path.join(out, name)
        for layer_name, uri in uris:
            details = QgsProcessingContext.LayerDetails(layer_name, context.project(), layer_name)
            post = DefaultStyle()
            _POST_PROCESSORS.append(post)
            details.setPostProcessor(post)
            context.addLayerToLoadOnCompletion(uri, details)
            results["LAYER_" + layer_name] = uri
        if self.command["writes_layers"]:
            results["OUTPUT_LAYERS"] = [uri for _, uri in uris]
        return results


def _quoted(word):
    """A word of the command as a reader can copy it to a terminal (the log only)."""
    return word if word and all(c.isalnum() or c in "-_./,:=" for c in word) else repr(word)
