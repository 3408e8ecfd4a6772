"""Equalizer presets: 15 Lavalink bands (25 Hz .. 16 kHz), gains -0.25 .. 1.0, and votes to skip."""

from __future__ import annotations

import math

BANDS = 15

#: Each preset names a gain for every one of the 15 bands, lowest frequency first.
PRESETS: dict[str, tuple[float, ...]] = {
    "flat": (0.0,) * BANDS,
    "bass_boost": (0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "treble_boost": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.25, 0.25),
    "vocal": (-0.1, -0.1, -0.05, 0.0, 0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.0, -0.05, -0.05, -0.1, -0.1),
    "pop": (-0.05, 0.0, 0.05, 0.1, 0.15, 0.1, 0.05, 0.0, -0.05, -0.05, 0.0, 0.05, 0.05, 0.05, 0.05),
    "rock": (0.2, 0.15, 0.1, 0.05, -0.05, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.15, 0.15, 0.15, 0.15),
    "soft": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.05, -0.1, -0.15, -0.2, -0.2, -0.25, -0.25),
}
PRESET_NAMES = tuple(PRESETS)


def bands(preset: str) -> list[tuple[int, float]]:
    """The (band, gain) pairs lavalink.py's Equalizer takes."""
    return list(enumerate(PRESETS[preset]))


def votes_needed(listeners: int, share: float) -> int:
    """Votes that skip the track: ``share`` of the listening members, at least one."""
    return max(1, math.ceil(listeners * share - 1e-9))
