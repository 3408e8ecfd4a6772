"""Generated tracks for the Lavalink node emulator: searches, URLs and playlists answer the same
tracks every run, so tests can name what they expect to hear."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from lavalink.utils import encode_track

#: URLs the emulator understands: a single track, or a playlist of ``n`` tracks.
TRACK_URL = "https://music.example/track/"
PLAYLIST_URL = "https://music.example/playlist/"
SEARCH_PREFIXES = ("ytsearch:", "ytmsearch:", "scsearch:", "spsearch:")
#: How many results a search answers.
SEARCH_RESULTS = 5


@dataclass
class FakeTrack:
    identifier: str
    title: str
    author: str
    length: int  # ms
    source: str = "youtube"
    is_stream: bool = False
    encoded: str = field(init=False, default="")

    def __post_init__(self) -> None:
        _, self.encoded = encode_track(self.info())

    @property
    def uri(self) -> str:
        return TRACK_URL + self.identifier

    def info(self, position: int = 0) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "isSeekable": not self.is_stream,
            "author": self.author,
            "length": self.length,
            "isStream": self.is_stream,
            "position": position,
            "title": self.title,
            "uri": self.uri,
            "artworkUrl": None,
            "isrc": None,
            "sourceName": self.source,
        }

    def json(self, user_data: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"encoded": self.encoded, "info": self.info(), "pluginInfo": {}, "userData": user_data or {}}


def _length_for(key: str) -> int:
    """Two to five minutes, whole seconds, from the name: stable across runs."""
    digest = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    return (120 + digest % 180) * 1000


class Catalog:
    """Every track the node knows: generated on demand from what is asked, plus any a test adds."""

    def __init__(self) -> None:
        self.by_identifier: dict[str, FakeTrack] = {}
        self.by_encoded: dict[str, FakeTrack] = {}
        #: Searches that find nothing (a test adds to it; "nothing" always finds nothing).
        self.empty_queries: set[str] = {"nothing"}

    def add(self, identifier: str, title: str, author: str, length: int, *, is_stream: bool = False) -> FakeTrack:
        track = FakeTrack(identifier, title, author, length, is_stream=is_stream)
        self.by_identifier[identifier] = track
        self.by_encoded[track.encoded] = track
        return track

    def track(self, identifier: str) -> FakeTrack:
        if identifier not in self.by_identifier:
            title = identifier.replace("-", " ").title()
            self.add(identifier, title, "Artist " + title.split()[0], _length_for(identifier))
        return self.by_identifier[identifier]

    def search(self, terms: str) -> list[FakeTrack]:
        if terms.strip().lower() in self.empty_queries:
            return []
        # A test-added track whose title contains the terms comes first, as a real search would rank it.
        wanted = terms.lower()
        found = [t for t in self.by_identifier.values() if wanted in t.title.lower()]
        slug = "-".join(terms.lower().split()) or "silence"
        generated = [self.track(f"{slug}-{n}") for n in range(1, SEARCH_RESULTS + 1)]
        return (found + [t for t in generated if t not in found])[:SEARCH_RESULTS]

    def load(self, identifier: str) -> dict[str, Any]:
        """The ``/v4/loadtracks`` answer for ``identifier``."""
        for prefix in SEARCH_PREFIXES:
            if identifier.startswith(prefix):
                results = self.search(identifier[len(prefix) :])
                if not results:
                    return {"loadType": "empty", "data": {}}
                return {"loadType": "search", "data": [t.json() for t in results]}
        if identifier.startswith(TRACK_URL):
            return {"loadType": "track", "data": self.track(identifier[len(TRACK_URL) :]).json()}
        if identifier.startswith(PLAYLIST_URL):
            parsed = urlparse(identifier)
            name = parsed.path.rsplit("/", 1)[-1]
            size = int(parse_qs(parsed.query).get("n", ["3"])[0])
            tracks = [self.track(f"{name}-{n}") for n in range(1, size + 1)]
            return {
                "loadType": "playlist",
                "data": {
                    "info": {"name": name.replace("-", " ").title(), "selectedTrack": -1},
                    "pluginInfo": {},
                    "tracks": [t.json() for t in tracks],
                },
            }
        return {"loadType": "empty", "data": {}}

    def decode(self, encoded: str) -> FakeTrack | None:
        return self.by_encoded.get(encoded)
