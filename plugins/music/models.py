"""The music plugin's tables: play history (seed 000), preferences, favorites, daily rollups, and the
live player (queue, current track, position, volume, filters, loop) kept for resuming after a crash."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

#: MusicPlay.outcome values: how a track's play ended.
COMPLETED, SKIPPED, STOPPED, FAILED, STUCK = "completed", "skipped", "stopped", "failed", "stuck"


class MusicPlay(Model):
    """One track played in a guild (seed 000's play_history): completed, or skipped with who and why."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    #: Who asked for the track.
    user_id = fields.BigIntField()
    title = fields.CharField(max_length=200)
    artist = fields.CharField(max_length=200)
    album = fields.CharField(max_length=200, null=True)
    duration_ms = fields.IntField()
    source = fields.CharField(max_length=32)
    uri = fields.CharField(max_length=500, null=True)
    played_at = fields.DatetimeField()
    #: UTC hour of ``played_at`` (0-23), so peak hours group in SQL on both databases.
    played_hour = fields.SmallIntField(default=0)
    #: How long it was heard (ms) before it ended.
    listened_ms = fields.IntField(default=0)
    completed = fields.BooleanField(default=True)
    outcome = fields.CharField(max_length=16, default=COMPLETED)
    #: Who skipped or stopped it (None: the bot, e.g. a failed or stuck track).
    ended_by = fields.BigIntField(null=True)
    #: Why it did not complete: "vote", "requester", "dj", "stuck", a load error...
    end_reason = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "music_play"
        # Both indexes cover their readers, so analytics read a guild's (or a member's) rows from
        # one stretch of the index instead of pages all over the table (at 10 million plays,
        # PostgreSQL's 90-day analytics took 205 ms from the table). The first also orders
        # history pages: played_at, then id for ties.
        indexes = (
            ("guild_id", "played_at", "id", "played_hour", "user_id", "title", "artist"),
            ("user_id", "guild_id", "artist", "completed", "duration_ms"),
        )


class MusicDailyStats(Model):
    """Per-guild daily rollup (seed 000's queue_stats), written by retention's aggregate action
    when history rows expire; analytics over any range read these plus the recent rows."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    day = fields.DateField()
    total_tracks = fields.IntField(default=0)
    completed_tracks = fields.IntField(default=0)
    #: Listened time (ms) summed.
    total_duration_ms = fields.BigIntField(default=0)
    #: Distinct requesters that day (counted from MusicDailyListener).
    unique_users = fields.IntField(default=0)
    #: JSON list of 24 play counts by UTC hour.
    plays_by_hour = fields.TextField(default="[]")

    class Meta:
        table = "music_daily_stats"
        unique_together = (("guild_id", "day"),)


class MusicDailyListener(Model):
    """Plays per requester per day in the rollup, so unique listeners over a range stay exact."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    day = fields.DateField()
    user_id = fields.BigIntField(db_index=True)
    plays = fields.IntField(default=0)

    class Meta:
        table = "music_daily_listener"
        unique_together = (("guild_id", "day", "user_id"),)


class MusicDailyTrack(Model):
    """Plays per track per day in the rollup, so top tracks over a range stay exact."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    day = fields.DateField()
    title = fields.CharField(max_length=200)
    artist = fields.CharField(max_length=200)
    plays = fields.IntField(default=0)

    class Meta:
        table = "music_daily_track"
        unique_together = (("guild_id", "day", "title", "artist"),)


class MusicPreference(Model):
    """A member's preferences in one guild, applied when they start playback."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField(db_index=True)
    volume = fields.IntField(null=True)
    eq_preset = fields.CharField(max_length=32, null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "music_preference"
        unique_together = (("guild_id", "user_id"),)


class MusicFavorite(Model):
    """A member's favorite track; unique per member, title and artist (seed 000)."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    user_id = fields.BigIntField()
    title = fields.CharField(max_length=200)
    artist = fields.CharField(max_length=200)
    uri = fields.CharField(max_length=500, null=True)
    added_at = fields.DatetimeField()

    class Meta:
        table = "music_favorite"
        unique_together = (("user_id", "title", "artist"),)


class MusicPlayer(Model):
    """The live player of a guild (seed 003's Queue), written as it changes so a restarted bot
    rejoins and continues: current track and its position (from Lavalink's player updates),
    volume, equalizer preset, loop mode. Deleted when the bot leaves voice."""

    guild_id = fields.BigIntField(primary_key=True, generated=False)
    voice_channel_id = fields.BigIntField()
    text_channel_id = fields.BigIntField(null=True)
    #: The current track (Lavalink's encoded string) and who asked for it.
    current = fields.TextField(null=True)
    current_requester = fields.BigIntField(null=True)
    position_ms = fields.IntField(default=0)
    paused = fields.BooleanField(default=False)
    volume = fields.IntField(default=100)
    eq_preset = fields.CharField(max_length=32, default="flat")
    #: 0 off, 1 track, 2 queue (lavalink.py's DefaultPlayer.loop).
    loop = fields.IntField(default=0)
    node = fields.CharField(max_length=64, null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "music_player"


class MusicQueueItem(Model):
    """A track waiting in a guild's queue (seed 003's QueueItem), in ``slot`` order."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    slot = fields.IntField()
    encoded = fields.TextField()
    title = fields.CharField(max_length=200)
    artist = fields.CharField(max_length=200)
    duration_ms = fields.IntField()
    uri = fields.CharField(max_length=500, null=True)
    requester_id = fields.BigIntField()
    added_at = fields.DatetimeField()

    class Meta:
        table = "music_queue_item"
        indexes = (("guild_id", "slot"),)
