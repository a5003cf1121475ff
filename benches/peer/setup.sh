#!/usr/bin/env bash
# Creates benches/peer/.venv with the pinned GeoPandas + PySAL stack that peer.py uses.
#
#   benches/peer/setup.sh            # PYTHON=python3.12 benches/peer/setup.sh for another interpreter
#
# Needs Python >= 3.11 (pandas 3) and PyPI. Every package is pinned, the dependencies too, so
# two machines measure the same code. The wheels of pyogrio, shapely and pyproj bundle their own
# GDAL, GEOS and PROJ: the system GDAL that wijkbalans links is not used by the peer.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

"$python" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"benches/peer needs Python >= 3.11, this is {sys.version.split()[0]}")
PY

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip

# The stack under test.
"$venv/bin/python" -m pip install --quiet \
    geopandas==1.2.0 \
    pyogrio==0.13.0 \
    shapely==2.2.0 \
    pyproj==3.7.2 \
    pandas==3.1.1 \
    numpy==2.4.6 \
    libpysal==4.14.1 \
    esda==2.9.0 \
    segregation==2.5.4 \
    scipy==1.17.1 \
    scikit-learn==1.9.1 \
    numba==0.68.1 \
    llvmlite==0.50.0 \
    mapclassify==2.10.0 \
    networkx==3.6.1 \
    joblib==1.6.0 \
    threadpoolctl==3.8.0 \
    deprecation==2.1.0 \
    seaborn==0.13.2 \
    matplotlib==3.11.2 \
    tqdm==4.70.1

"$venv/bin/python" - <<'PY'
import esda, geopandas, libpysal, numba, numpy, pandas, pyogrio, segregation, shapely
print(
    "benches/peer/.venv ready:",
    f"geopandas {geopandas.__version__}, pyogrio {pyogrio.__version__}",
    f"(GDAL {pyogrio.__gdal_version_string__}), shapely {shapely.__version__}",
    f"(GEOS {shapely.geos_version_string}), pandas {pandas.__version__},",
    f"numpy {numpy.__version__}, libpysal {libpysal.__version__}, esda {esda.__version__},",
    f"segregation {segregation.__version__}, numba {numba.__version__}",
)
PY
