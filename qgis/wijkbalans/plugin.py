"""The plugin object: registers and removes the Processing provider."""

from qgis.core import QgsApplication

from .provider import WijkbalansProvider


class WijkbalansPlugin:
    """Adds the wijkbalans provider to the Processing toolbox."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS API)
        self.provider = WijkbalansProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS API)
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
