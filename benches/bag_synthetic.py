#!/usr/bin/env python3
"""A SYNTHETIC BAG of N addresses (default 10,000,000) as CSV, for the address-index benchmark
(BENCHMARKS.md, "BAG address index"). Seeded: the same N and seed give the same file.

    benches/bag_synthetic.py OUT.csv [N] [SEED]

Columns as PDOK's BAG GeoPackage names them (x, y in RD New): identificatie,
openbare_ruimte_naam, huisnummer, huisletter, toevoeging, postcode, woonplaats_naam,
gebruiksdoel. Nothing here is real: 22 addresses per postcode on average (as nationally:
about 9.9 M addresses in about 460,000 postcodes), one street per two postcodes
("Synthetische straat 12345"), 2,500 woonplaatsen, every 10th number with a huisletter, every
15th with a toevoeging, 90 % woonfunctie, points uniform in the RD box of the Netherlands.
"""
import random
import sys


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20)
    letters = "ABCDEFGHJKLMNPRTVWXZ"
    written = 0
    postcode = 0
    with open(out, "w", buffering=1 << 24) as f:
        f.write("x,y,identificatie,openbare_ruimte_naam,huisnummer,huisletter,toevoeging,"
                "postcode,woonplaats_naam,gebruiksdoel\n")
        while written < n:
            digits = 1000 + postcode // 400
            pc = f"{digits}{letters[(postcode // 20) % 20]}{letters[postcode % 20]}"
            street = f"Synthetische straat {postcode // 2:06d}"
            place = f"Synthetisch dorp {(postcode // 200) % 2500:04d}"
            x0, y0 = rng.uniform(13_000, 278_000), rng.uniform(306_000, 619_000)
            for k in range(rng.randint(12, 32)):
                if written == n:
                    break
                number = 1 + k + 40 * (postcode % 2)
                letter = "A" if written % 10 == 9 else ""
                addition = "1" if written % 15 == 14 else ""
                use = "woonfunctie" if rng.random() < 0.9 else "kantoorfunctie"
                x = x0 + rng.uniform(-150, 150)
                y = y0 + rng.uniform(-150, 150)
                f.write(f"{x:.3f},{y:.3f},{363200000000000 + written:016d},{street},{number},"
                        f"{letter},{addition},{pc},{place},{use}\n")
                written += 1
            postcode += 1
    print(f"wrote {out}: {written} synthetic addresses in {postcode} postcodes", file=sys.stderr)


if __name__ == "__main__":
    main()
