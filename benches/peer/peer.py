#!/usr/bin/env python3
"""The wijkbalans analysis written the way an analyst would with GeoPandas + PySAL.

This is the peer of `wijkbalans analyse --areas A --dwellings D --sites S --permutations N
--timings T.json --out OUT`: same inputs, same stages, and a timings JSON with the same keys
(read_s, assign_s, indicators_s, spreading_s, write_s, total_s). Each stage is timed with
time.perf_counter(); the imports of geopandas/PySAL happen before the clock starts (the
process wall clock that compare.sh records includes them).

Stages:
  read        geopandas.read_file(..., engine="pyogrio") for wijken, dwellings, sites
  assign      geopandas.sjoin(points, wijken, predicate="within"), groupby counts / sums
  indicators  population- (or dwelling-) weighted z-scores within all wijken, clipped at +-3,
              draagkracht, draaglast, saldo (the wijkbalans default indicator set for the
              columns present: DL2, DL7, DK1, DK2, DK3)
  spreading   segregation.singlegroup indices, libpysal Queen weights, esda Moran,
              Moran_Local, G, G_Local with N permutations
  write       to_file GeoJSON (WGS84) and a CSV of the wijken with the computed columns

Usage:
  peer.py --areas A --dwellings D --sites S --out OUT --timings T.json
          [--permutations 999] [--seed 1] [--sample-every K] [--no-warm]
          [--check WB_OUT/areas.csv]

--sample-every K reads every K-th dwelling only (pyogrio skips the others) and multiplies the
counts by K; meant for a machine that cannot hold all dwellings in memory. Not used by default.
After total_s the spreading stage runs once more in the same process and its time is written as
spreading_warm_s (not part of total_s): the first pass includes numba's just-in-time compilation
of the esda/segregation kernels, which every fresh Python process pays (--no-warm skips it).
--check compares the saldo and the counts with the areas.csv of a wijkbalans run (after the
clock has stopped; not part of any stage).
"""

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from esda import G, G_Local, Moran, Moran_Local
from libpysal.weights import Queen
from segregation.singlegroup import (
    Atkinson,
    Dissim,
    Entropy,
    Gini,
    Interaction,
    Isolation,
    SpatialDissim,
)

# wijkbalans' min_denominator: smaller areas are scored but do not shape mean and sd
MIN_POPULATION = 50
CLIP = 3.0  # wijkbalans' winsorise_at
COUNTED_STATUS = "existing"  # wijkbalans' default count_status
SEGREGATION_KEYS = [
    "dissimilarity",
    "gini",
    "theil_h",
    "isolation",
    "exposure",
    "atkinson",
    "spatial_dissimilarity",
]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--areas", required=True)
    p.add_argument("--dwellings", required=True)
    p.add_argument("--sites", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timings", required=True)
    p.add_argument("--permutations", type=int, default=999)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sample-every", type=int, default=1)
    p.add_argument(
        "--no-warm",
        dest="warm",
        action="store_false",
        help="skip the second, untimed-in-total spreading pass (spreading_warm_s)",
    )
    p.add_argument("--check", help="areas.csv of a wijkbalans run, to compare saldo and counts")
    return p.parse_args(argv)


def weighted_z(values, weights, population):
    """z = clip((v - mean) / sd, -3, 3), mean and sd weighted, over areas with >= 50 inhabitants."""
    ref = (population >= MIN_POPULATION) & values.notna() & (weights > 0)
    v = values[ref].to_numpy(dtype=float)
    a = weights[ref].to_numpy(dtype=float)
    mean = np.average(v, weights=a)
    sd = np.sqrt(np.average((v - mean) ** 2, weights=a))
    return ((values - mean) / sd).clip(-CLIP, CLIP), {
        "mean": mean,
        "sd": sd,
        "n_reference": int(ref.sum()),
    }


def moran_family(gdf, column, permutations, seed):
    """Global and local Moran's I of one column, on the areas where it is defined."""
    sub = gdf[gdf[column].notna()].reset_index(drop=True)
    w = Queen.from_dataframe(sub, use_index=False, silence_warnings=True)
    y = sub[column].to_numpy(dtype=float)
    mi = Moran(y, w, permutations=permutations)
    lisa = Moran_Local(y, w, permutations=permutations, seed=seed)
    return sub, w, y, mi, lisa


def spreading(wijken, permutations, seed):
    """Segregation indices, Queen weights, Moran/LISA on the care rate and the saldo, G and Gi*."""
    study = {}
    with warnings.catch_warnings():
        # islands (Wadden wijken) and disconnected components: expected, not news
        warnings.simplefilter("ignore")
        w_all = Queen.from_dataframe(wijken, use_index=False, silence_warnings=True)
        seg_data = wijken[["care_units", "population", "geometry"]]
        for name, cls in [
            ("dissimilarity", Dissim),
            ("gini", Gini),
            ("theil_h", Entropy),
            ("isolation", Isolation),
            ("exposure", Interaction),
            ("atkinson", Atkinson),
        ]:
            study[name] = float(cls(seg_data, "care_units", "population").statistic)
        study["spatial_dissimilarity"] = float(
            SpatialDissim(seg_data, "care_units", "population", w=w_all).statistic
        )

        populated = wijken[wijken["population"] > 0]
        rate_sub, w_rate, y_rate, mi_rate, lisa_rate = moran_family(
            populated, "care_units_per_1000", permutations, seed
        )
        saldo_sub, _, _, mi_saldo, lisa_saldo = moran_family(wijken, "saldo", permutations, seed)
        g = G(y_rate, w_rate, permutations=permutations)
        gi = G_Local(y_rate, w_rate, transform="B", star=True, permutations=permutations, seed=seed)

    for label, mi in [("care_units_per_1000", mi_rate), ("saldo", mi_saldo)]:
        study[f"morans_i_{label}"] = {
            "I": float(mi.I),
            "EI": float(mi.EI),
            "z_norm": float(mi.z_norm),
            "p_norm": float(mi.p_norm),
            "p_sim": float(mi.p_sim),
        }
    study["getis_ord_g"] = {"G": float(g.G), "EG": float(g.EG), "p_sim": float(g.p_sim)}
    study["islands"] = len(w_all.islands)

    rate_local = pd.DataFrame(
        {
            "code": rate_sub["code"],
            "local_moran_i": lisa_rate.Is,
            "lisa_quadrant": lisa_rate.q,
            "lisa_p": lisa_rate.p_sim,
            "gi_star": gi.Gs,
            "gi_star_z": gi.Zs,
            "gi_star_p": gi.p_sim,
        }
    )
    saldo_local = pd.DataFrame(
        {
            "code": saldo_sub["code"],
            "saldo_local_moran_i": lisa_saldo.Is,
            "saldo_lisa_quadrant": lisa_saldo.q,
            "saldo_lisa_p": lisa_saldo.p_sim,
        }
    )
    wijken = wijken.merge(rate_local, on="code", how="left").merge(
        saldo_local, on="code", how="left"
    )
    return wijken, study


def main(argv):
    args = parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    t_start = time.perf_counter()

    # ---- read -------------------------------------------------------------------------------
    t = time.perf_counter()
    wijken = gpd.read_file(args.areas, engine="pyogrio")
    if args.sample_every > 1:
        n_all = pyogrio.read_info(args.dwellings)["features"]
        dwellings = gpd.read_file(
            args.dwellings, engine="pyogrio", fids=np.arange(0, n_all, args.sample_every)
        )
    else:
        dwellings = gpd.read_file(args.dwellings, engine="pyogrio")
    sites = gpd.read_file(args.sites, engine="pyogrio")
    # one compute CRS, as wijkbalans does (all three are EPSG:28992 here: a no-op)
    if dwellings.crs != wijken.crs:
        dwellings = dwellings.to_crs(wijken.crs)
    if sites.crs != wijken.crs:
        sites = sites.to_crs(wijken.crs)
    timings["read_s"] = time.perf_counter() - t

    # ---- assign -----------------------------------------------------------------------------
    t = time.perf_counter()
    areas = wijken[["code", "geometry"]]
    joined = gpd.sjoin(dwellings, areas, how="inner", predicate="within")
    dwelling_points = joined.groupby("code").size() * args.sample_every
    n_dwellings_assigned = len(joined) * args.sample_every
    n_dwellings = len(dwellings) * args.sample_every
    del joined

    joined_sites = gpd.sjoin(sites, areas, how="inner", predicate="within")
    joined_sites["units"] = joined_sites["units"].astype(int)
    counted = joined_sites[joined_sites["status"].fillna(COUNTED_STATUS) == COUNTED_STATUS]
    care_units = counted.groupby("code")["units"].sum()
    care_sites = counted.groupby("code").size()

    wijken["dwelling_points"] = wijken["code"].map(dwelling_points).fillna(0).astype(int)
    wijken["care_sites"] = wijken["code"].map(care_sites).fillna(0).astype(int)
    wijken["care_units"] = wijken["code"].map(care_units).fillna(0).astype(int)
    timings["assign_s"] = time.perf_counter() - t

    # ---- indicators -------------------------------------------------------------------------
    t = time.perf_counter()
    pop = wijken["population"].astype(float)
    dwell = wijken["dwelling_total"].astype(float)
    wijken["care_units_per_1000"] = (1000 * wijken["care_units"] / pop).where(pop > 0)
    wijken["dl2_value"] = wijken["income_low"]
    wijken["dl7_value"] = wijken["care_units_per_1000"]
    wijken["dk1_value"] = wijken["dwelling_ownership"]
    wijken["dk2_value"] = np.log(wijken["dwelling_value"].where(wijken["dwelling_value"] > 0))
    wijken["dk3_value"] = wijken["employment_rate"]
    params = {}
    for ind, weights in [
        ("dl2", pop),
        ("dl7", pop),
        ("dk1", dwell),
        ("dk2", dwell),
        ("dk3", pop),
    ]:
        wijken[f"{ind}_z"], params[ind.upper()] = weighted_z(wijken[f"{ind}_value"], weights, pop)
    wijken["draagkracht"] = wijken[["dk1_z", "dk2_z", "dk3_z"]].mean(axis=1)
    wijken["draaglast"] = wijken[["dl2_z", "dl7_z"]].mean(axis=1)
    wijken["saldo"] = wijken["draagkracht"] - wijken["draaglast"]
    timings["indicators_s"] = time.perf_counter() - t

    # ---- spreading --------------------------------------------------------------------------
    t = time.perf_counter()
    before_spreading = wijken
    wijken, study = spreading(wijken, args.permutations, args.seed)
    timings["spreading_s"] = time.perf_counter() - t

    # ---- write ------------------------------------------------------------------------------
    t = time.perf_counter()
    wijken = wijken.sort_values("code")
    wijken.to_crs(4326).to_file(out / "areas.geojson", driver="GeoJSON", engine="pyogrio")
    pd.DataFrame(wijken.drop(columns="geometry")).to_csv(out / "areas.csv", index=False)
    timings["write_s"] = time.perf_counter() - t

    timings["total_s"] = time.perf_counter() - t_start

    # Outside the total: the spreading stage once more in the same process. The first call pays
    # numba's just-in-time compilation of the esda/segregation kernels (every fresh process does;
    # a notebook session pays it once), the second shows the warm cost.
    if args.warm:
        t = time.perf_counter()
        spreading(before_spreading, args.permutations, args.seed)
        timings["spreading_warm_s"] = time.perf_counter() - t
    Path(args.timings).write_text(json.dumps(timings, indent=2) + "\n")

    run = {
        "dwellings_read": len(dwellings),
        "dwellings_represented": n_dwellings,
        "dwellings_assigned": n_dwellings_assigned,
        "sample_every": args.sample_every,
        "sites_assigned": len(joined_sites),
        "permutations": args.permutations,
        "normalisation": params,
        "study": study,
        "versions": versions(),
    }
    if args.check and not Path(args.check).is_file():
        print(f"peer check skipped: {args.check} not found", file=sys.stderr)
    elif args.check:
        run["check"] = check(wijken, study, args.check, args.sample_every)
        print(
            "peer check vs wijkbalans: max |saldo diff| = {saldo_max_abs_diff:.2e} "
            "over {saldo_compared} wijken; dwelling_points differ in {dwelling_points_differ} "
            "wijken; care_units differ in {care_units_differ} wijken; study statistics "
            "(D, Gini, H, xPx, xPy, A, SD, Moran's I x2, G) max relative diff "
            "{study_max_rel_diff}".format(**run["check"]),
            file=sys.stderr,
        )
    (out / "peer_run.json").write_text(json.dumps(run, indent=2, default=float) + "\n")
    return 0


def check(wijken, study, wb_csv, sample_every):
    wb = pd.read_csv(wb_csv, usecols=["code", "saldo", "dwelling_points", "care_units"])
    both = wijken[["code", "saldo", "dwelling_points", "care_units"]].merge(
        wb, on="code", suffixes=("_peer", "_wb")
    )
    ok = both["saldo_peer"].notna() & both["saldo_wb"].notna()
    diff = (both.loc[ok, "saldo_peer"] - both.loc[ok, "saldo_wb"]).abs()
    return {
        "saldo_compared": int(ok.sum()),
        "saldo_max_abs_diff": float(diff.max()),
        "saldo_null_mismatch": int((both["saldo_peer"].isna() != both["saldo_wb"].isna()).sum()),
        "dwelling_points_differ": int(
            (both["dwelling_points_peer"] != both["dwelling_points_wb"].fillna(0)).sum()
        )
        if sample_every == 1
        else None,
        "care_units_differ": int(
            (both["care_units_peer"] != both["care_units_wb"].fillna(0)).sum()
        ),
        "study_max_rel_diff": study_diff(study, Path(wb_csv).with_name("summary.json")),
    }


def study_diff(study, wb_summary):
    """Largest relative difference of the study-level statistics from wijkbalans' summary.json."""
    if not wb_summary.is_file():
        return None
    m = json.loads(wb_summary.read_text())["spreading"]["metrics"]
    pairs = [(study[k], m[k]["value"]) for k in SEGREGATION_KEYS]
    for label in ("care_units_per_1000", "saldo"):
        pairs.append((study[f"morans_i_{label}"]["I"], m["morans_i"][label]["I"]))
    pairs.append((study["getis_ord_g"]["G"], m["getis_ord_g"]["G"]))
    return max(abs(a - b) / max(abs(b), 1e-300) for a, b in pairs if b is not None)


def versions():
    import esda
    import libpysal
    import segregation
    import shapely

    return {
        "python": sys.version.split()[0],
        "geopandas": gpd.__version__,
        "pyogrio": pyogrio.__version__,
        "gdal (pyogrio)": pyogrio.__gdal_version_string__,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "libpysal": libpysal.__version__,
        "esda": esda.__version__,
        "segregation": segregation.__version__,
        "NUMBA_NUM_THREADS": os.environ.get("NUMBA_NUM_THREADS", "default"),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
