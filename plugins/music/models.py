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
        # Both indexes cover their readers: history pages read a guild's newest rows (played_at,
        # then id for ties) from the index alone (half the time of visiting 50 table rows on
        # SQLite); member stats read one member's rows. Guild analytics never read this table:
        # they read the per-day counters written with each batch of plays (below).
        indexes = (
            ("guild_id", "played_at", "id", "title", "artist", "user_id", "outcome", "ended_by", "end_reason"),
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
    """Plays per guild, UTC day and track, counted as plays are written, so top tracks over a range
    read these counts (at most one row per track and day) and stay exact after plays expire."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    day = fields.DateField()
    title = fields.CharField(max_length=200)
    artist = fields.CharField(max_length=200)
    plays = fields.IntField(default=0)

    class Meta:
        table = "music_daily_track"
        unique_together = (("guild_id", "day", "title", "artist"),)
        # Both read from the index alone: one track's days (top tracks count their leading
        # candidates) and one guild's days (top tracks over a short range sum every track of it).
        indexes = (("guild_id", "title", "artist", "day", "plays"), ("guild_id", "day", "title", "artist", "plays"))


class MusicGuildTrack(Model):
    """Plays per guild and track since the counters began, so top tracks over a range need only
    count the leading tracks: a track's plays in any range are at most its plays overall."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    title = fields.CharField(max_length=200)
    artist = fields.CharField(max_length=200)
    plays = fields.IntField(default=0)

    class Meta:
        table = "music_guild_track"
        unique_together = (("guild_id", "title", "artist"),)
        indexes = (("guild_id", "plays"),)


class MusicDayHours(Model):
    """Plays per guild, UTC day and UTC hour, counted as plays are written (not at retention), so
    guild analytics over N days add up at most N + 1 rows per guild instead of reading every play.
    Kept after the plays themselves expire: anonymous counts."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    day = fields.DateField()
    h00 = fields.IntField(default=0)
    h01 = fields.IntField(default=0)
    h02 = fields.IntField(default=0)
    h03 = fields.IntField(default=0)
    h04 = fields.IntField(default=0)
    h05 = fields.IntField(default=0)
    h06 = fields.IntField(default=0)
    h07 = fields.IntField(default=0)
    h08 = fields.IntField(default=0)
    h09 = fields.IntField(default=0)
    h10 = fields.IntField(default=0)
    h11 = fields.IntField(default=0)
    h12 = fields.IntField(default=0)
    h13 = fields.IntField(default=0)
    h14 = fields.IntField(default=0)
    h15 = fields.IntField(default=0)
    h16 = fields.IntField(default=0)
    h17 = fields.IntField(default=0)
    h18 = fields.IntField(default=0)
    h19 = fields.IntField(default=0)
    h20 = fields.IntField(default=0)
    h21 = fields.IntField(default=0)
    h22 = fields.IntField(default=0)
    h23 = fields.IntField(default=0)
    #: Members whose last play in the guild is on this day: distinct listeners since any day are
    #: the sum over the days since (a member moves to the day of their newest play).
    last_listeners = fields.IntField(default=0)

    class Meta:
        table = "music_day_hours"
        unique_together = (("guild_id", "day"),)


class MusicGuildListener(Model):
    """When a member's last track in a guild was played: a member with a play since some day has
    their last play since then, so ``MusicDayHours.last_listeners`` summed over days counts
    distinct listeners exactly; this row says which day a member moves from."""

    id = fields.BigIntField(primary_key=True)
    guild_id = fields.BigIntField()
    # No index of its own: only /privacy delete looks rows up by member (as it does for
    # music_play.ended_by), while every batch of plays would pay for one.
    user_id = fields.BigIntField()
    last_played_at = fields.DatetimeField()

    class Meta:
        table = "music_guild_listener"
        unique_together = (("guild_id", "user_id"),)


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
