"""Reading the bots' cProfile files: where each bot's event-loop thread spends CPU per interaction.

Used by ``slash_throughput.py --profile DIR``; also runs alone::

    python bench/_profile_report.py DIR/guildkit-ping.prof 3000 [DIR/bare-ping.prof 3000]

cProfile sees the event-loop thread only (aiosqlite's worker thread is not in it), and a coroutine
counts one "call" per resumption; per-interaction figures are totals divided by the interactions
measured while the profiler ran.
"""

from __future__ import annotations

import pstats
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Code that is guildkit's (the core and its built-in plugins), not the emulator's or the library's.
GUILDKIT_DIRS = (REPO / "core", REPO / "plugins")
EMULATOR_DIR = REPO / "core" / "testing"
BENCH_PLUGIN = REPO / "bench" / "bench_plugin.py"

Key = tuple[str, int, str]


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def _rows(path: Path) -> dict[Key, tuple[int, float, float]]:
    """function -> (calls, tottime, cumtime); built-ins are keyed without their memory address so
    that two processes' profiles line up."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    rows: dict[Key, tuple[int, float, float]] = {}
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.items():
        key = (file, line, _ADDRESS.sub("", func))
        before = rows.get(key, (0, 0.0, 0.0))
        rows[key] = (before[0] + nc, before[1] + tt, before[2] + ct)
    return rows


def _label(key: Key) -> str:
    file, line, func = key
    if file == "~":
        return func
    text = file
    for marker in ("site-packages/", str(REPO) + "/", "/lib/python3."):
        if marker in text:
            text = text.split(marker, 1)[1]
            if marker == "/lib/python3.":
                text = "stdlib/" + text.split("/", 1)[-1]
            break
    return f"{text}:{line}({func})"


def is_guildkit(key: Key) -> bool:
    file = Path(key[0])
    inside = any(file.is_relative_to(d) for d in GUILDKIT_DIRS)
    return (inside and not file.is_relative_to(EMULATOR_DIR)) or file == BENCH_PLUGIN


def total_us(path: Path, interactions: int) -> float:
    return sum(tt for _nc, tt, _ct in _rows(path).values()) / interactions * 1e6


def top_functions(path: Path, interactions: int, top: int = 15) -> str:
    rows = _rows(path)
    total = sum(tt for _nc, tt, _ct in rows.values())
    lines = [
        f"  event-loop CPU under the profiler: {total / interactions * 1e6:.0f} us per interaction",
        "    self us/int   cum us/int  calls/int  function",
    ]
    for key, (nc, tt, ct) in sorted(rows.items(), key=lambda item: -item[1][1])[:top]:
        self_us, cum_us, calls = tt / interactions * 1e6, ct / interactions * 1e6, nc / interactions
        lines.append(f"    {self_us:11.1f}  {cum_us:11.1f}  {calls:9.2f}  {_label(key)}")
    return "\n".join(lines)


def guildkit_functions(path: Path, interactions: int, top: int = 15) -> str:
    """guildkit's own functions (and the bench plugin) by cumulative time per interaction."""
    rows = {k: v for k, v in _rows(path).items() if is_guildkit(k)}
    own = sum(tt for _nc, tt, _ct in rows.values())
    lines = [
        f"  self time inside guildkit's own code: {own / interactions * 1e6:.1f} us per interaction",
        "    cum us/int  self us/int  calls/int  function",
    ]
    for key, (nc, tt, ct) in sorted(rows.items(), key=lambda item: -item[1][2])[:top]:
        cum_us, self_us, calls = ct / interactions * 1e6, tt / interactions * 1e6, nc / interactions
        lines.append(f"    {cum_us:10.1f}  {self_us:11.1f}  {calls:9.2f}  {_label(key)}")
    return "\n".join(lines)


def difference(base: Path, base_n: int, other: Path, other_n: int, top: int = 15) -> str:
    """Functions whose self time per interaction grew the most from ``base`` to ``other``."""
    a, b = _rows(base), _rows(other)
    keys = set(a) | set(b)

    def per(rows: dict[Key, tuple[int, float, float]], key: Key, n: int) -> tuple[float, float]:
        nc, tt, _ct = rows.get(key, (0, 0.0, 0.0))
        return tt / n * 1e6, nc / n

    deltas = []
    for key in keys:
        (ta, ca), (tb, cb) = per(a, key, base_n), per(b, key, other_n)
        deltas.append((tb - ta, ta, tb, cb - ca, key))
    deltas.sort(key=lambda item: -item[0])
    total_a = sum(tt for _nc, tt, _ct in a.values()) / base_n * 1e6
    total_b = sum(tt for _nc, tt, _ct in b.values()) / other_n * 1e6
    lines = [
        f"  total self time: {total_a:.0f} -> {total_b:.0f} us per interaction ({total_b - total_a:+.0f} us)",
        "    delta us  base us  this us  d calls/int  function",
    ]
    for delta, ta, tb, dcalls, key in deltas[:top]:
        lines.append(f"    {delta:+8.1f}  {ta:7.1f}  {tb:7.1f}  {dcalls:+11.2f}  {_label(key)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    path, n = Path(argv[0]), int(argv[1])
    print(top_functions(path, n))
    print(guildkit_functions(path, n))
    if len(argv) == 4:
        print(difference(Path(argv[2]), int(argv[3]), path, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
