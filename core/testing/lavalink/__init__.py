"""A Lavalink v4 node emulator for tests: the real lavalink.py client connects to it.

```python
node = await LavalinkNodeEmulator(name="main").start()
client.add_node(node.host, node.port, node.password, "us", name=node.name)
node.faults.stuck.add("some-song-2")          # that track freezes; TrackStuckEvent after 10 s
await node.restart()                          # every session and player is lost
```
"""

from __future__ import annotations

from .node import EmulatedPlayer, LavalinkNodeEmulator, NodeFaults, Session
from .tracks import PLAYLIST_URL, SEARCH_RESULTS, TRACK_URL, Catalog, FakeTrack

__all__ = [
    "PLAYLIST_URL",
    "SEARCH_RESULTS",
    "TRACK_URL",
    "Catalog",
    "EmulatedPlayer",
    "FakeTrack",
    "LavalinkNodeEmulator",
    "NodeFaults",
    "Session",
]
