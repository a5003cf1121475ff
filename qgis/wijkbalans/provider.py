"""The Processing provider: reads the description shipped with the plugin and makes one
algorithm per exposed command. The program is found through a Processing setting, with PATH
as the fallback, and its version is checked against the description's."""

import json
import os

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider

from . import binary
from .algorithm import WijkbalansAlgorithm

#: The commands the toolbox shows, in this order.
EXPOSED = [
    "analyse",
    "test-site",
    "scenario",
    "suggest",
    "allocate",
    "report",
    "monitor",
    "compare",
]

#: The Processing setting that holds the path of the program.
BINARY_SETTING = "WIJKBALANS_BINARY"

#: The description `wijkbalans describe --json` printed when the plugin was built.
DESCRIPTION = os.path.join(os.path.dirname(__file__), "description.json")


def read_description(path=DESCRIPTION):
    """The description shipped with the plugin."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def configured_binary():
    """The path in the Processing setting ('' when unset)."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:
        return os.environ.get(BINARY_SETTING, "")
    value = ProcessingConfig.getSetting(BINARY_SETTING)
    return value or os.environ.get(BINARY_SETTING, "")


def find_binary(description):
    """The program to run, checked: (path, None), or (None, why it cannot run)."""
    try:
        path = binary.locate(configured_binary())
        problem = binary.check_version(
            binary.version_of(path), description["wijkbalans_version"]
        )
    except binary.BinaryProblem as e:
        return None, str(e)
    return (None, problem) if problem else (path, None)


class WijkbalansProvider(QgsProcessingProvider):
    """wijkbalans in the Processing toolbox."""

    def __init__(self):
        super().__init__()
        self.description = read_description()
        self._binary = None

    def id(self):
        return "wijkbalans"

    def name(self):
        return "wijkbalans"

    def longName(self):  # noqa: N802 (QGIS API)
        return "wijkbalans {}".format(self.description["wijkbalans_version"])

    def load(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig, Setting
        except ImportError:
            ProcessingConfig = None
        if ProcessingConfig is not None:
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(
                Setting(
                    self.name(),
                    BINARY_SETTING,
                    "wijkbalans-programma (leeg: zoeken op PATH)",
                    "",
                    valuetype=Setting.FILE,
                )
            )
            ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        _, problem = find_binary(self.description)
        if problem:
            QgsMessageLog.logMessage(problem, "wijkbalans", Qgis.Warning)
        return True

    def unload(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig
        except ImportError:
            return
        ProcessingConfig.removeSetting(BINARY_SETTING)

    def binary(self):
        """The program, checked each time (the setting may have changed): (path, problem)."""
        return find_binary(self.description)

    def loadAlgorithms(self):  # noqa: N802 (QGIS API)
        by_name = {c["name"]: c for c in self.description["commands"]}
        for name in EXPOSED:
            if name in by_name:
                self.addAlgorithm(WijkbalansAlgorithm(by_name[name], self.description))
