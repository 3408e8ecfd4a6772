"""The Lavalink node emulator driven by the real lavalink.py client: loading, playback on the test
clock, events in Lavalink's order, faults, resuming and node failover."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import lavalink
import pytest
import pytest_asyncio
from lavalink import events

from guildkit.core.testing.harness import eventually
from guildkit.core.testing.lavalink import PLAYLIST_URL, TRACK_URL, LavalinkNodeEmulator

GUILD = 1111
BOT = 2222


class Recorder:
    def __init__(self, client: lavalink.Client) -> None:
        self.events: list[Any] = []
        client.add_event_hooks(self)

    @lavalink.listener()
    async def record(self, event: lavalink.Event) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def names(self, *kinds: type) -> list[str]:
        picked = [e for e in self.events if isinstance(e, kinds)]
        return [
            f"{type(e).__name__}:{getattr(e, 'reason', '') or ''}".rstrip(":")
            + (f":{e.track.identifier}" if getattr(e, "track", None) else "")
            for e in picked
        ]


@pytest_asyncio.fixture
async def node(gk_clock: Any) -> AsyncIterator[LavalinkNodeEmulator]:
    emulated = await LavalinkNodeEmulator(name="main").start()
    yield emulated
    await emulated.stop()


async def connect(*nodes: LavalinkNodeEmulator) -> tuple[lavalink.Client, Recorder]:
    client = lavalink.Client(user_id=BOT)
    recorder = Recorder(client)
    for node in nodes:
        client.add_node(node.host, node.port, node.password, "us", name=node.name)
    await eventually(lambda: _ready(client, len(nodes)))
    return client, recorder


async def _ready(client: lavalink.Client, count: int) -> bool:
    return len(client.node_manager.available_nodes) == count and all(
        n.session_id for n in client.node_manager.available_nodes
    )


async def join(client: lavalink.Client, channel_id: int = 3333) -> lavalink.DefaultPlayer:
    """What the bot forwards from Discord after gateway op 4: its voice state, then the voice server."""
    player = client.player_manager.create(GUILD)
    await client.voice_update_handler(
        {
            "t": "VOICE_STATE_UPDATE",
            "d": {"guild_id": str(GUILD), "user_id": str(BOT), "channel_id": str(channel_id), "session_id": "s1"},
        }
    )
    await client.voice_update_handler(
        {
            "t": "VOICE_SERVER_UPDATE",
            "d": {"guild_id": str(GUILD), "token": "tok", "endpoint": "us-east1.discord.media"},
        }
    )
    return player


async def until(predicate: Callable[[], bool]) -> None:
    async def check() -> bool:
        return predicate()

    await eventually(check)


async def test_loadtracks_answers_search_url_playlist_empty_and_error(node: LavalinkNodeEmulator) -> None:
    client, _ = await connect(node)
    try:
        search = await client.get_tracks("ytsearch:never gonna")
        assert search.load_type == lavalink.LoadType.SEARCH
        assert [t.title for t in search.tracks][:2] == ["Never Gonna 1", "Never Gonna 2"]
        assert all(120_000 <= t.duration <= 300_000 for t in search.tracks)

        single = await client.get_tracks(TRACK_URL + "lofi-beats")
        assert single.load_type == lavalink.LoadType.TRACK and single.tracks[0].title == "Lofi Beats"

        playlist = await client.get_tracks(PLAYLIST_URL + "road-trip?n=4")
        assert playlist.load_type == lavalink.LoadType.PLAYLIST
        assert playlist.playlist_info.name == "Road Trip" and len(playlist.tracks) == 4

        assert (await client.get_tracks("ytsearch:nothing")).load_type == lavalink.LoadType.EMPTY

        node.faults.load_errors.add("blocked")
        failed = await client.get_tracks("ytsearch:blocked song")
        assert failed.load_type == lavalink.LoadType.ERROR

        node_client = client.node_manager.nodes[0]
        decoded = await node_client.decode_track(single.tracks[0].track)
        assert decoded.identifier == "lofi-beats"
        with pytest.raises(lavalink.RequestError) as refused:
            await node_client.decode_track("not-a-track")
        assert refused.value.status == 400
    finally:
        await client.close()


async def test_a_track_plays_on_the_test_clock_and_the_next_starts(node: LavalinkNodeEmulator, gk_clock: Any) -> None:
    client, recorder = await connect(node)
    try:
        player = await join(client)
        first, second = (await client.get_tracks("ytsearch:morning")).tracks[:2]
        player.add(first, requester=1)
        player.add(second, requester=1)
        await player.play()
        await until(lambda: bool(recorder.of(events.TrackStartEvent)))
        assert node.position(GUILD) == 0

        gk_clock.advance(seconds=30)
        assert node.position(GUILD) == 30_000
        await until(lambda: abs(player.position - 30_000) < 1_000)  # from a playerUpdate

        await player.set_pause(True)
        gk_clock.advance(seconds=30)
        assert node.position(GUILD) == 30_000  # paused stops the clock for the track
        await player.set_pause(False)
        await player.seek(first.duration - 1_000)
        gk_clock.advance(seconds=2)
        await until(lambda: len(recorder.of(events.TrackStartEvent)) == 2)
        assert recorder.names(events.TrackStartEvent, events.TrackEndEvent) == [
            f"TrackStartEvent:{first.identifier}",
            f"TrackEndEvent:finished:{first.identifier}",
            f"TrackStartEvent:{second.identifier}",
        ]
        assert player.current is not None and player.current.identifier == second.identifier

        await player.play(first)  # replacing: TrackEnd(replaced) before the next TrackStart
        await until(lambda: len(recorder.of(events.TrackStartEvent)) == 3)
        assert recorder.names(events.TrackEndEvent)[-1] == f"TrackEndEvent:replaced:{second.identifier}"
        await player.stop()
        # lavalink.py forgets its current track before the event arrives, so the event carries none.
        await until(lambda: recorder.names(events.TrackEndEvent)[-1] == "TrackEndEvent:stopped")
        assert node.player(GUILD).track is None  # type: ignore[union-attr]
    finally:
        await client.close()


async def test_a_player_without_a_voice_connection_does_not_advance(node: LavalinkNodeEmulator, gk_clock: Any) -> None:
    client, _ = await connect(node)
    try:
        player = client.player_manager.create(GUILD)
        track = (await client.get_tracks("ytsearch:silent")).tracks[0]
        await player.play(track)
        gk_clock.advance(seconds=20)
        assert node.position(GUILD) == 0
        remote = await client.node_manager.nodes[0].get_player(GUILD)
        assert remote["state"]["connected"] is False
    finally:
        await client.close()


async def test_stuck_failed_and_throwing_tracks(node: LavalinkNodeEmulator, gk_clock: Any) -> None:
    client, recorder = await connect(node)
    try:
        player = await join(client)
        stuck, broken, throwing, fine = (await client.get_tracks("ytsearch:trouble")).tracks[:4]
        node.faults.stuck.add(stuck.identifier)
        node.faults.playback_failures.add(broken.identifier)
        node.faults.exceptions_at[throwing.identifier] = 5_000
        for track in (stuck, broken, throwing, fine):
            player.add(track, requester=1)
        await player.play()
        await until(lambda: bool(recorder.of(events.TrackStartEvent)))
        gk_clock.advance(seconds=11)  # the stuck threshold is 10 s; DefaultPlayer moves on by itself
        await until(lambda: bool(recorder.of(events.TrackStuckEvent)))
        # The broken track fails at once; the throwing one plays 5 s and throws.
        await until(lambda: any(e.track.identifier == throwing.identifier for e in recorder.of(events.TrackStartEvent)))
        gk_clock.advance(seconds=6)
        await until(lambda: player.current is not None and player.current.identifier == fine.identifier)
        exceptions = recorder.of(events.TrackExceptionEvent)
        assert [(e.track.identifier, e.severity) for e in exceptions] == [
            (broken.identifier, lavalink.Severity.COMMON),
            (throwing.identifier, lavalink.Severity.FAULT),
        ]
        ends = {e.track.identifier: e.reason for e in recorder.of(events.TrackEndEvent)}
        assert ends[broken.identifier] == lavalink.EndReason.LOAD_FAILED
        assert ends[throwing.identifier] == lavalink.EndReason.FINISHED
    finally:
        await client.close()


async def test_player_updates_and_stats_follow_the_clock(node: LavalinkNodeEmulator, gk_clock: Any) -> None:
    client, recorder = await connect(node)
    try:
        player = await join(client)
        await player.play((await client.get_tracks("ytsearch:updates")).tracks[0])
        await until(lambda: bool(recorder.of(events.TrackStartEvent)))
        before = len(recorder.of(events.PlayerUpdateEvent))
        gk_clock.advance(seconds=5)
        await until(lambda: len(recorder.of(events.PlayerUpdateEvent)) > before)
        assert recorder.of(events.PlayerUpdateEvent)[-1].position == 5_000
        gk_clock.advance(seconds=60)
        await until(lambda: client.node_manager.nodes[0].stats.players == 1)
        assert client.node_manager.nodes[0].stats.playing_players == 1
    finally:
        await client.close()


async def test_voice_websocket_closed_reaches_the_client(node: LavalinkNodeEmulator) -> None:
    client, recorder = await connect(node)
    try:
        await join(client)
        await until(lambda: node.player(GUILD) is not None and node.player(GUILD).connected)  # type: ignore[union-attr]
        node.close_voice(GUILD, 4014, "Disconnected.")
        await until(lambda: bool(recorder.of(events.WebSocketClosedEvent)))
        closed = recorder.of(events.WebSocketClosedEvent)[0]
        assert (closed.code, closed.by_remote) == (4014, True)
    finally:
        await client.close()


async def test_a_resuming_session_keeps_its_players_for_the_next_client(
    node: LavalinkNodeEmulator, gk_clock: Any
) -> None:
    """lavalink.py sends Session-Id only from ``add_node(session_id=...)``: a restarted bot resumes."""
    client, _ = await connect(node)
    lavalink_node = client.node_manager.nodes[0]
    await lavalink_node.update_session(resuming=True, timeout=60)
    session_id = lavalink_node.session_id
    player = await join(client)
    await player.play((await client.get_tracks("ytsearch:resume me")).tracks[0])
    gk_clock.advance(seconds=20)
    await client.close()
    await until(lambda: not node.connected_sessions)
    gk_clock.advance(seconds=5)  # it keeps playing while nobody listens
    assert node.position(GUILD) == 25_000

    successor = lavalink.Client(user_id=BOT)
    recorder = Recorder(successor)
    successor.add_node(node.host, node.port, node.password, "us", name=node.name, session_id=session_id)
    try:
        await until(lambda: bool(recorder.of(events.NodeReadyEvent)))
        assert recorder.of(events.NodeReadyEvent)[0].resumed
        remote = await successor.node_manager.nodes[0].get_player(GUILD)
        assert remote["state"]["position"] == 25_000
    finally:
        await successor.close()


async def test_a_session_without_resuming_is_gone_when_its_client_leaves(node: LavalinkNodeEmulator) -> None:
    client, _ = await connect(node)
    session_id = client.node_manager.nodes[0].session_id
    await join(client)
    await client.close()
    await until(lambda: not node.sessions)
    successor = lavalink.Client(user_id=BOT)
    recorder = Recorder(successor)
    successor.add_node(node.host, node.port, node.password, "us", name=node.name, session_id=session_id)
    try:
        await until(lambda: bool(recorder.of(events.NodeReadyEvent)))
        assert not recorder.of(events.NodeReadyEvent)[0].resumed
        assert node.player(GUILD) is None
    finally:
        await successor.close()


async def test_a_restarted_node_loses_its_players_and_the_client_rebuilds_them(
    node: LavalinkNodeEmulator, gk_clock: Any
) -> None:
    client, recorder = await connect(node)
    try:
        player = await join(client)
        await player.play((await client.get_tracks("ytsearch:restart")).tracks[0])
        gk_clock.advance(seconds=42)
        await until(lambda: abs(player.position - 42_000) < 1_000)
        await node.restart()
        assert node.player(GUILD) is None
        # lavalink.py reconnects (after its 1 s backoff) and re-sends the track at its position.
        await eventually(lambda: _has_player(node), within=10)
        assert abs((node.position(GUILD) or 0) - 42_000) < 1_500
        assert not recorder.of(events.NodeReadyEvent)[-1].resumed
    finally:
        await client.close()


async def _has_player(node: LavalinkNodeEmulator) -> bool:
    player = node.player(GUILD)
    return player is not None and player.track is not None


async def test_players_move_to_the_other_node_when_one_goes_away(gk_clock: Any) -> None:
    first = await LavalinkNodeEmulator(name="first").start()
    second = await LavalinkNodeEmulator(name="second").start()
    client, recorder = await connect(first, second)
    try:
        player = client.player_manager.create(GUILD, node=client.node_manager.nodes[0])
        await join(client)
        await player.play((await client.get_tracks("ytsearch:failover")).tracks[0])
        gk_clock.advance(seconds=15)
        await until(lambda: abs(player.position - 15_000) < 1_000)
        await first.stop()
        await eventually(lambda: _has_player(second))
        assert player.node.name == "second"
        assert abs((second.position(GUILD) or 0) - 15_000) < 1_500
        assert second.player(GUILD).connected  # type: ignore[union-attr]
        assert recorder.of(events.NodeChangedEvent)
    finally:
        await client.close()
        await first.stop()
        await second.stop()


async def test_rest_errors_carry_lavalink_s_fields(node: LavalinkNodeEmulator) -> None:
    client, _ = await connect(node)
    try:
        lavalink_node = client.node_manager.nodes[0]
        with pytest.raises(lavalink.RequestError) as missing:
            await lavalink_node.get_player(999)
        assert missing.value.status == 404
        assert missing.value.message == "Player not found"
        assert (await lavalink_node.get_version()) == "4.2.2"
        assert (await lavalink_node.get_info())["version"]["major"] == 4
        await asyncio.sleep(0)
    finally:
        await client.close()
