from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "music_daily_stats" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "total_tracks" INT NOT NULL,
    "completed_tracks" INT NOT NULL,
    "total_duration_ms" BIGINT NOT NULL,
    "unique_users" INT NOT NULL,
    CONSTRAINT "uid_music_daily_guild_i_3bbe01" UNIQUE ("guild_id", "day")
) /* Per-guild daily rollup (seed 000's queue_stats), written by retention before history goes. */;
CREATE TABLE "music_favorite" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "uri" VARCHAR(500),
    "added_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_music_favor_user_id_fb8e17" UNIQUE ("user_id", "title", "artist")
) /* A member's favorite track; unique per member, title and artist (seed 000). */;
CREATE TABLE "music_play" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL /* Who asked for the track. */,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "album" VARCHAR(200),
    "duration_ms" INT NOT NULL,
    "source" VARCHAR(32) NOT NULL,
    "uri" VARCHAR(500),
    "played_at" TIMESTAMP NOT NULL,
    "listened_ms" INT NOT NULL /* How long it was heard (ms) before it ended. */,
    "completed" INT NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "ended_by" BIGINT /* Who skipped or stopped it (None: the bot, e.g. a failed or stuck track). */,
    "end_reason" VARCHAR(200) /* Why it did not complete: "vote", "requester", "dj", "stuck", a load error... */
) /* One track played in a guild (seed 000's play_history): completed, or skipped with who and why. */;
CREATE INDEX "idx_music_play_guild_i_0d0a98" ON "music_play" ("guild_id", "played_at");
CREATE INDEX "idx_music_play_user_id_69d202" ON "music_play" ("user_id", "played_at");
CREATE TABLE "music_player" (
    "guild_id" BIGINT NOT NULL PRIMARY KEY,
    "voice_channel_id" BIGINT NOT NULL,
    "text_channel_id" BIGINT,
    "current" TEXT /* The current track (Lavalink's encoded string) and who asked for it. */,
    "current_requester" BIGINT,
    "position_ms" INT NOT NULL,
    "paused" INT NOT NULL,
    "volume" INT NOT NULL,
    "eq_preset" VARCHAR(32) NOT NULL,
    "loop" INT NOT NULL /* 0 off, 1 track, 2 queue (lavalink.py's DefaultPlayer.loop). */,
    "node" VARCHAR(64),
    "updated_at" TIMESTAMP NOT NULL
) /* The live player of a guild (seed 003's Queue), written as it changes so a restarted bot */;
CREATE TABLE "music_preference" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "volume" INT,
    "eq_preset" VARCHAR(32),
    "updated_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_music_prefe_guild_i_6c0d09" UNIQUE ("guild_id", "user_id")
) /* A member's preferences in one guild, applied when they start playback. */;
CREATE INDEX "idx_music_prefe_user_id_e220f1" ON "music_preference" ("user_id");
CREATE TABLE "music_queue_item" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "slot" INT NOT NULL,
    "encoded" TEXT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "duration_ms" INT NOT NULL,
    "uri" VARCHAR(500),
    "requester_id" BIGINT NOT NULL,
    "added_at" TIMESTAMP NOT NULL
) /* A track waiting in a guild's queue (seed 003's QueueItem), in ``slot`` order. */;
CREATE INDEX "idx_music_queue_guild_i_fef4ec" ON "music_queue_item" ("guild_id", "slot");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXG1z2jgQ/isafzmYoQwhr5f7lDRpm5km6bXctdOm4wosQI0tubIcynX6328l2dhg8+"
    "IUqMP4S2KkXVk8u1rti8QPywsD2mteq78XmLrjdxLLwDpFPyyGPQIPcygayMK+P+lXnyXu"
    "ugmH7ShiO5hQdwMpcE8CQR+7AYEmhwQ9QX1JOVNsb4h4Ngip6yDNigR33dBHtYAQB7VarT"
    "8C9C0kITFj1htoJKiUhKEu0BJ4UAOhLulzQdCQBpKLMRpwEjTV+x3egwlQNtj8q0JGgduW"
    "fEDkkAh44adPln6dTR09Fzy2Pn+GB8oc8p0ovD+pj/693afEdabwNyy63ZZjX7ed08EVky"
    "80rRqva/e4G3osoffHcsjZhIEyqVoHhBGBJVFvkCJUQmCh60aCi+Vi5p+QmFmmeBzSx6Gr"
    "RKm4zQSSNsu2b2479rvLjm1bGTHHHClxRE09zpSKwFSNAg7UFJ792W7v7x+3W/tHJ4cHx8"
    "eHJ60ToNXzzXYd/zSTSdAyQ2nMrl5e3XTUhDjoodFU1fBT82CJDZcWRoJ+WmyryyDNtVwS"
    "Me6LRBE3JLJIVtGOCSMBX62TDO4XgFo+6hH5DOAgWiKpR5rq4QlCvwDFi7PO5Qxkkkvs2s"
    "rS3gdZ7OYq7Czb9pS2tVmNbe8dHB+c7B8dTBR10rJIP7O62OOe74Lpd4qDm8daATwLsFFB"
    "J4TvDzOxvRyEF5ncXPadQXnLhjfyYMKAiCKKPsu2M/D/kpIrz65/n/IuVEMXDMEIC8fO9P"
    "A2n0eb7fLa3mwLZnigUVLfSE0u5cC/wA8cPFlizXHwJ/3L3ft+mnSpb3+GPOJ1iQDHOmZE"
    "2hj+hYyckU9ERNNAkkqXIMwchIUE7zpxzOtZX369Q+f67kqhI29O8+vvrNkrN75MBqxy40"
    "skjNRukiyf1bFPMVXQPxr6ibmaBv75EIs5blTMMAM6fJWnCLqHv9suYQM5VHt2q7UA0H/P"
    "3j5/dfa2BlT1aVhvoq626ZtGONoHCkCccFQYr4ZxKGgRgCPyR6EbbY3lBPdwJXAPF4B7mK"
    "PAjgORKc5R4YsoczJHjVN8i1Iu6uEJqvUCoDtX15fvOmfXb9TwXhB8c60oGaN62rp1PNNa"
    "O5qRyWQQ9P6q8wqpj+jj7c2lhpMHciD0GxO6zkdLzQmHktuMj2zAP4VJ3Bw3lSnqeOPisT"
    "Un4tB9y6MNPyZbGmncssj9R4oHXHvKEEYm2Z/O76teO0rd10/RJEfTQFyg4J76PpCOqByi"
    "0ZDrgGE0HGejj82/LicimYk5posLZh5qYQLZVOyS6qnClCpMKa/trcKUdUNvvVdWJbgHI9"
    "MHgwOGxFitrEFbRFgKMVUhTRXS7ADGbjf0CkEcM+xeWLMRgBcWkuaa899WP9r8brq2Ql3A"
    "Q9ErZIETjh00D/vtFZR3vz1Xd1VXle7YWrojCYIyEC/Od0wxVgmP0iU80kJ2wRsB9J1ixn"
    "+Gq7TVa+sVHyGXswGiEo1wgIYECwfVvKAen0mEDgIvdLL+fUHebZ2qyYm6OHcJZkuO1OQI"
    "qguMm5JUnJLY7vo7v719PbX0zq9mwqSbf67PL9/W9vSaAyJT488BnIcSsCu0e6dYtrd9T0"
    "t483vN3tEKW83erE1LdhrVNY20XkN2N+cE46J8QprrUQZoOzu6ThPEaUuVwZRcP4LtqN1w"
    "Rk515qDLZQOR5qCJMLyVujFt2Ls3WYWc4xzrHLgU+QqQqC0IDgC3AotumqvEvh0IbKyk41"
    "AHMS4nme1TdGc9cEnugOXOEgTmALurMB+dr+a/lph6xLAnYQcRIbhoNvO0YjMv2U5cWrJa"
    "jC4izK3GELFiPSYiXFqR6cCCdekDMRUSgXg/UyHZ/yNAf6sLF6mrFuCbgMR7Q8wGJEABBy"
    "bwECUWoPDKAGR0ZEPvuWOCfOWUBboqAwojKQM1O0W9UAjCZFT+UZ1UBghcWapvh9T6gnvo"
    "NX7ALmX3UQkIphX6KkgI6o079qCWOyAGegtE/0GnD68mYNtczn3kcYc00QXR2yAaDWGykf"
    "FD4Bk9wGwfOO2RFatEc0s+ZSk6VPUfS8vTVrrIiFtYJHncu5TB2nahgXyXj5ZFDnOJ3bmS"
    "SyKytFkJdADlOQFiwlJm50ntWdP7SC21YxDWgy3AQUYo9ehYQLo+R2XWV1rTmAXSQ5cfOl"
    "PhaewA1a7PPtSnskOvb29exuQph+n569vzfJnbE6eu2PrLZa9W4GNXYOzVFEuozXCVNqH2"
    "20opPg6DwrmvhGmLia9Jy5PNfBlnu4D2JgzbU9y91lNRXfLNNsFKoaxGmmmLycS+a8o2T7"
    "EaqELBIkWMiLy0xtZqQWTeb6A945w0UNv81gKquZGX0vTH4KhcmPFMSqKpvlZOtvAXx9rw"
    "GmHgaRVZHjF9iT3WRy6Lo4MVlsXRwdxlobpmiuQ6jfKYQu40Z1XJLV0lt0zpUkH6BAKJHr"
    "HmpUwTisbytOk0cZFrswlroM6Yc0ZMbrOB4J0uTSUIx0hnL3W+sZt7xnN9wy79qZv4fGx1"
    "T7ZEcV11AL1Ewij/AfRdXQa/LzYsm6+2G7Fh2VDd9DHRygOuPOCNe8C6XH4liTfPAU4Ilv"
    "u/5kcVaUy8gv9rChgjTCVVZxYnlyvjX2jMlvbVVOoNRfrlS+By+eUL4sKBsD/HDV7z6EWv"
    "aqoBqruYlStcZlP6exwyvTJWd8di8l1CfH3emKn4ZuGcXz1PsezEjZ1tF6+rO6rVHdWnj3"
    "F1hXJTJrm64bfBG36TIz+FnbdZzl3S3S07cNWvSlWJiXUnJn7+D/PGO/Q="
)
