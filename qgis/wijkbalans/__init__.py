"""wijkbalans in QGIS: a Processing provider that runs the wijkbalans program.

QGIS calls classFactory when it loads the plugin; the provider is registered in initProcessing,
so the algorithms are there for qgis_process and headless use too.
"""


def classFactory(iface):  # noqa: N802 (the name QGIS looks for)
    """The plugin object QGIS asks for."""
    from .plugin import WijkbalansPlugin

    return WijkbalansPlugin(iface)
