from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "music_daily_listener" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "user_id" BIGINT NOT NULL,
    "plays" INT NOT NULL,
    CONSTRAINT "uid_music_daily_guild_i_1e8b9c" UNIQUE ("guild_id", "day", "user_id")
);
CREATE INDEX "idx_music_daily_user_id_394326" ON "music_daily_listener" ("user_id");
COMMENT ON TABLE "music_daily_listener" IS 'Plays per requester per day in the rollup, so unique listeners over a range stay exact.';
CREATE TABLE "music_daily_stats" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "total_tracks" INT NOT NULL,
    "completed_tracks" INT NOT NULL,
    "total_duration_ms" BIGINT NOT NULL,
    "unique_users" INT NOT NULL,
    "plays_by_hour" TEXT NOT NULL,
    CONSTRAINT "uid_music_daily_guild_i_3bbe01" UNIQUE ("guild_id", "day")
);
COMMENT ON COLUMN "music_daily_stats"."total_duration_ms" IS 'Listened time (ms) summed.';
COMMENT ON COLUMN "music_daily_stats"."unique_users" IS 'Distinct requesters that day (counted from MusicDailyListener).';
COMMENT ON COLUMN "music_daily_stats"."plays_by_hour" IS 'JSON list of 24 play counts by UTC hour.';
COMMENT ON TABLE "music_daily_stats" IS 'Per-guild daily rollup (seed 000''s queue_stats), written by retention''s aggregate action';
CREATE TABLE "music_daily_track" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "plays" INT NOT NULL,
    CONSTRAINT "uid_music_daily_guild_i_621a61" UNIQUE ("guild_id", "day", "title", "artist")
);
COMMENT ON TABLE "music_daily_track" IS 'Plays per track per day in the rollup, so top tracks over a range stay exact.';
CREATE TABLE "music_favorite" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "uri" VARCHAR(500),
    "added_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_music_favor_user_id_fb8e17" UNIQUE ("user_id", "title", "artist")
);
COMMENT ON TABLE "music_favorite" IS 'A member''s favorite track; unique per member, title and artist (seed 000).';
CREATE TABLE "music_play" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "album" VARCHAR(200),
    "duration_ms" INT NOT NULL,
    "source" VARCHAR(32) NOT NULL,
    "uri" VARCHAR(500),
    "played_at" TIMESTAMPTZ NOT NULL,
    "played_hour" SMALLINT NOT NULL,
    "listened_ms" INT NOT NULL,
    "completed" BOOL NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "ended_by" BIGINT,
    "end_reason" VARCHAR(200)
);
CREATE INDEX "idx_music_play_guild_i_d8b3b9" ON "music_play" ("guild_id", "played_at", "id", "played_hour", "user_id", "title", "artist");
CREATE INDEX "idx_music_play_user_id_60d5b9" ON "music_play" ("user_id", "guild_id", "artist", "completed", "duration_ms");
COMMENT ON COLUMN "music_play"."user_id" IS 'Who asked for the track.';
COMMENT ON COLUMN "music_play"."played_hour" IS 'UTC hour of ``played_at`` (0-23), so peak hours group in SQL on both databases.';
COMMENT ON COLUMN "music_play"."listened_ms" IS 'How long it was heard (ms) before it ended.';
COMMENT ON COLUMN "music_play"."ended_by" IS 'Who skipped or stopped it (None: the bot, e.g. a failed or stuck track).';
COMMENT ON COLUMN "music_play"."end_reason" IS 'Why it did not complete: \"vote\", \"requester\", \"dj\", \"stuck\", a load error...';
COMMENT ON TABLE "music_play" IS 'One track played in a guild (seed 000''s play_history): completed, or skipped with who and why.';
CREATE TABLE "music_player" (
    "guild_id" BIGINT NOT NULL PRIMARY KEY,
    "voice_channel_id" BIGINT NOT NULL,
    "text_channel_id" BIGINT,
    "current" TEXT,
    "current_requester" BIGINT,
    "position_ms" INT NOT NULL,
    "paused" BOOL NOT NULL,
    "volume" INT NOT NULL,
    "eq_preset" VARCHAR(32) NOT NULL,
    "loop" INT NOT NULL,
    "node" VARCHAR(64),
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON COLUMN "music_player"."current" IS 'The current track (Lavalink''s encoded string) and who asked for it.';
COMMENT ON COLUMN "music_player"."loop" IS '0 off, 1 track, 2 queue (lavalink.py''s DefaultPlayer.loop).';
COMMENT ON TABLE "music_player" IS 'The live player of a guild (seed 003''s Queue), written as it changes so a restarted bot';
CREATE TABLE "music_preference" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "volume" INT,
    "eq_preset" VARCHAR(32),
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_music_prefe_guild_i_6c0d09" UNIQUE ("guild_id", "user_id")
);
CREATE INDEX "idx_music_prefe_user_id_e220f1" ON "music_preference" ("user_id");
COMMENT ON TABLE "music_preference" IS 'A member''s preferences in one guild, applied when they start playback.';
CREATE TABLE "music_queue_item" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "slot" INT NOT NULL,
    "encoded" TEXT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "duration_ms" INT NOT NULL,
    "uri" VARCHAR(500),
    "requester_id" BIGINT NOT NULL,
    "added_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_music_queue_guild_i_fef4ec" ON "music_queue_item" ("guild_id", "slot");
COMMENT ON TABLE "music_queue_item" IS 'A track waiting in a guild''s queue (seed 003''s QueueItem), in ``slot`` order.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXVtz27YS/isYvkSaUTSyfMtxn+zYbXzGlzZWTzuNMzQkQhJrkmAI0LJOJ//97AKkSE"
    "nUhY4o0zp8SURgFwB3gcW3uwD9j+GGwu41r/Hfc2o74ytbSOaxwDgh/xgedRn8WEzUIAb1"
    "/QkJPkvadRIm00J600kzdIUMaE8CTZ86gkGRxUQvsH1pcw85f3XoWBCfBSRg30IGrIF6su"
    "iY2B6RQ0YC7jih3yCCk9CzgYjEXQjCn4CWkoB6A0aEBCb2DP01sXOL96B32xsU3I8mNiUf"
    "MGgGpfnlizEIbccybUsNhI4VnWABlnz9Cg+2Z7FnJpAYH/1Hs28zx5pSheZW5aYc+6rszB"
    "5cevJnRYtNd80ed0LXS+j9sRxyb8JgexJLB/geVDLsQQYhasILHSdSYKwc/SoJiR5lisdi"
    "fRo6qE/k1gNIygzTvLntmHcXHdM05nQdc6TUEhX1uIfzBIYqlAAGOIT3/2q39/eP2639ow"
    "+HB8fHhx9aH4BWjXe+6vi7HkwiLd2UktnlL5c3HRwQh8moZywWfFc8VFLNpZSRSD+twfV1"
    "kOZarYlY7stUERckukiW0o4pIxF+tGSm5X4OUsuWekQ+I3BQLZO2y5r44w2KfokUz087Fz"
    "Mii81LrumaYipqtu6q5Ugk7+PeMi/3hUKf0G/PQLSKFXh77+D44MP+0cFEzpOSZeLVosT9"
    "r/+YssFY0KW9xxENLHOuhrf5Itr5KrftzpZQjw6UlPCNcHCziOdO0ujlFmEiTbEuIBIT6t"
    "VoiAXv1Q5CFGsESUhNMGaRVqv1ThDQOYAN1Wa9QUaBLQGikC7QMviBDQERHQwCNoA5RKA7"
    "bHsODhXU0b03GgLVEIATD7DZkQCk5NsB+4mA4J2xtHsxmvLGEZ4KGLUQgQlGfCcUGoyxHn"
    "SiGlgfZFXIqkT2sUJWJVJGhax+AFlJLqljoul+zLPNz7JVu/3sXOxx13dgN7HyCzeLtRLw"
    "rID1FLRCeH8YielmSHiZyc1kL62UjShUBVgCTBOpuaJOROi6zJoPBy0nLYWhjhAPemh5Fs"
    "YsW3nVdQ46sL2eTCJyCP2oVDG5Wo+HHoyP9APukvlwZH1epxtor+DlqBw/szs2hzwM5nXa"
    "Yc/LPMY044xWYdBFadX48tXIqdh/393eqNgp4X3SPiA4eqLkL9B/+L3zkeB7zGswD+P6O3"
    "rn4k+12FwhvjlYcPOf088fP51+rl2f/llXNeOo5ur25peYPFmbNx+vbs9K6Kh2cOczljmq"
    "mqKxpqMqJ9Q5wvaKaUkoXXJf07woWL+h1tcN0UtbOgrP0kDCNKwcyjL5MJVDWSJlVA7ljz"
    "iUsZmZFtrHIQ0WAPGYYXv7fpHz1KXPpsO8gRwilmq1lkgv3qqBqj6zK0dVbV03LeHIfucQ"
    "ccJRyXg9GVdpj11Je/xMn3hgS7YIS07qVyPJfpp0JYw8JS5zuyx4J0jMqOHcT/ERDIR+mq"
    "ZBlBUk1LOIXqxJuiLDG9xs05kAMpU8rYBjibFKBRxLpIzyH1j4PxB9BUArAPr2ZRwGdh4B"
    "R+Qvkm60NZZTuIdrCfdwiXAPMyawZTHLpBlT+Dzy1RdM4xTfMicff7zBab0sznx5fXHXOb"
    "3+dSrYjO4/1rSnAs1xae1oRieTRsgfl51PBB/JX7c3F0qcXMhBoHpM6Dp/GTgmGkpuenxk"
    "gvxTMomL46IyeR0Y5TUWeByqbrW34cdkKz2NW4/FwWTgAWhve4QSfQQqfeoJa83o+FL9hE"
    "zSzA3CAyIebd8H0pEth2Q05MphGA3H895H8d1leCQzPsd0hFuPI1qYU0VxTmmZO9MgU+5O"
    "uuFk35qMXokjlTX+Wrk/lftTXpteuT+bFr3xB1or8Yj5djBkmLRT1nDeUC4jLIWaKlepcp"
    "V2QMZON3RziThm2D13qRABLz1jt9Ccv9rRuuJ3040dmhIAT3u5LHDCsYPmYb+9xuTdby+c"
    "u1hVhVG2FkaZcrvyxFGmGKtASukCKRlKzj7VeedSx1maFE+xljY1bsSHL/Fo5sPDZHY+PJ"
    "Ba6317v66O4/mMPioqQQYBD30Me9z9dkW4R7pcDgl6ol0qmJh3BApoP3tj2m8fH032JHxY"
    "th3dXZ9eXc3vSdGHAax8u/0MV3l1/YmPiMO9AbElGVFBhowGlj4l32XgpzGsYNBhxsn6nL"
    "zbumGS4WZz7jDqrbhekqGoLjAWpak4BrVdg3t2e3s1ZWvPLmePQP9+fXbxubanjCwQ6cMi"
    "GQLnoQTZ5YJrKZYtHmufDlYWDi72jtbAFnuzm1gCLbBqWtJqDZndjMOXywJIaa4XGaDtQD"
    "gVF4rj3xgKl1z9BNtRu+EeO1GhIrD5DcKagyah0KvtxLRh71GHkTLOBW2y4VIEqECjZsCo"
    "0Le8111001wlBvOgsDFqx7It4nE5SZGckHvjiUt2Dyz3xuTKj360/tb/K43hTwp7ErUICw"
    "IeNJtZs6KYTrYTiChZUm/xF6Wi2sZaib11PyHVGeKXmp6YTrUpADmbatt/J8hv+D2D1JcM"
    "AJuAxntDvC8iEFxSAi6BpAHeEgMDMDdHCurn3gvY39z2hErvwYSRtgfT7IT0wiDAbyDoPC"
    "JW2lIQ8F1sfHNSUzfZrugTdWzvMcolwrBCH71CUW/ce0+43EFiMG+B6L/4ySvomoFtczj3"
    "icst1iTnTG2DRH24ITJ+BJDRE4z2ids9tma6cWGOryxZpirhZyh9mjgXPebkVkkW9y6FLL"
    "edWWLP8sW6yGAuMZwruSYiSzuvgcU3clMsZQZPuGdN7yO11I7BvB5sARbRSqlH50vSCVk7"
    "43bmhtp8hQu8GTo3J6Au3/rLZK9W4EtXYIxq8gXUZrhKG1B7tdyZT0ORO/aVMG0x8DUpeb"
    "ORLw22c8zehGF7E3ev9VamLvtmamclV1QjzbTFYGLf0Xm6t5j+RVcwTxIjIi+tsTVa4Jn3"
    "G2RPg5MGaetPGZKaE6GUpj8GoHKu29MhiSa+Vka08AfbKniNeIC08iyPmL7EiPWFy+LoYI"
    "1lcXSwcFlg1cypCBVGeUnmfpqzSt2XLnVfpnBpwPoMHIkeMxaFTBOKxuqw6TRxnvvXCavA"
    "rDr3mI5tNgj06dipAOGYqOilijd2Mw/1bq7ZlR/uqT6qX0K/rrpxUCJllP/Gwa4ug9fzDc"
    "uG1XbDNyybVIs+F1wh4AoBF46AVbr8UjJ3EQBOCFbjX/03C+yYeA38qxMYI2pLG88sTm7p"
    "xn8AYT61j0OpN5D04UE4HE+o8sBiGZ8z3Xjree/8YgPV5dsKCpfZlL4OIFMrY304FpPvks"
    "Q3h8Z0xndenIuz5ymWnbiite3kdXUpubqU/PZlXN2ZLcokV1c6C7zSOTnykxu8zXLu0tzd"
    "MoCrPk9WBSY2HZj4/j8hwgsH"
)
