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
CREATE INDEX "idx_music_play_guild_i_0d0a98" ON "music_play" ("guild_id", "played_at");
CREATE INDEX "idx_music_play_user_id_69d202" ON "music_play" ("user_id", "played_at");
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
    "eJztXVtz27YS/isYvkSaUTSyfMtxn+zYbXzGlzZWTzuNMzQkQhJqkmAI0LJOJ//9YAFSpE"
    "jqQkeUaR2+JCKwC4C7wOLbXYD+x3ACTgfta/j3HFN7ekW5IC7xjRP0j+Fih8gfi4layMCe"
    "NyOBZ4H7dsxkWkBv2kmGPhc+HghJM8Q2J7LIInzgU09Q5gLnrzaecuQRH/nkW0Akq6+eLD"
    "xF1EViTJDPbDvwWogzFLhUEqGoC47Yk6TFyMfuiCAuJBN5lv21oXOLDWTv1B2V3I8mNgUb"
    "EdkMSPPLF2MUUNsyqaUGgqeKjhMfSr5+lQ/Utcgz4UAMj96jOaTEtuZUoblVuSmmnio7o6"
    "NLV/ysaKHpvjlgduC4Mb03FWPmzhioK6B0BO+BBYEehB+AJtzAtkMFRsrRrxKT6FEmeCwy"
    "xIEN+gRuPYC4zDDNm9ueeXfRM00jo+uII6GWsGjAXJgncqhcCWAEQ3j/r253f/+429k/+n"
    "B4cHx8+KHzQdKq8Warjr/rwcTS0k0pmV3+cnnTgwExORn1jIWC74oHC6y5lDJi6Sc1uL4O"
    "klyrNRHJfZkqooJYF/FS2jFlxMIPl8y83M+l1PKlHpKnBC5VSwR1SBt+vEHRL5Hi+WnvIi"
    "WyyLwUmq4JprJm665ajljyHuwtWbkvFPqMfnsGolOuwLt7B8cHH/aPDmZynpUsE68WJex/"
    "w8eEDYaCPh48TrBvmZka1mWLaLNVTtdJl2AXj5SU4I1gcGnEcydw+HKLMJGmWBcQ8Rn1aj"
    "RE/PdqB0GKNYQkqMEJsVCn03nHkdS5BBuqzWYLTXwqJERBfUlL5A9oSBLh0cgnIzmHkOwO"
    "2s7AoZI6uncnY0k1lsCJ+dDshEuk5FGf/ISk4O2poIMITbnTEE/5BFuAwDhBnh1wDcbIQH"
    "aiGlgfZNXIqkL2sUZWFVJGjax+AFkJJrBtgul+LLLNp9nq3T49FwfM8Wy5m1jFhZvHWgs4"
    "LWA9Ba1Avr8cienkSHiZyc1lr6yUjTBUJbGENE2o4fAm4oHjECsbDlpOWglDHSIe8NCKLI"
    "w0W3XVdS51QN2BiCNyAP2wUDG5xoAFrhwfGvrMQdlwZDOr0w20V/JyVI6f2Z+aYxb4WZ32"
    "yPMyjzHJmNKqHHRZWjW+fDUKKvbfd7c3KnaK2BB1DxCMHin5c/Affu99RPAeWQ0WYVx/R+"
    "9d/KkWm8P5NxsKbv5z+vnjp9PPjevTP5uqZhrWXN3e/BKRx2vz5uPV7VkFHdUe7HzGMkdV"
    "U7TWdFTFjLpA2F4xLQmlC+ZpmhcF6zfU+rohekGFrfAs9oWchrVDWSUfpnYoK6SM2qH8EY"
    "cyMjPzQvs4xv4CIB4xbG/fL3OeOvjZtIk7EmPAUp3OEulFW7WkaqZ25bCqq+vmJRza7wIi"
    "jjlqGa8n4zrtsStpj5/xE/OpIIuw5Kx+NZIcJklXwshT5BCnT/x3HEWMGs79FB3BAOinaV"
    "pIWUGEXQvpxRqnK3K8wc02nQsgE8nTGjhWGKvUwLFCyqj+gYX/A9HXALQGoG9fxoFPiwg4"
    "JH+RdMOtsZrCPVxLuIdLhHuYM4Eti1gmzpnC56GvvmAaJ/iWOfnw4w1O62Vx5svri7ve6f"
    "Wvc8FmcP+hpjsXaI5KG0cpncwaQX9c9j4heER/3d5cKHEyLka+6jGm6/1lwJhwIJjpsokp"
    "5Z+QSVQcFVXJ64Aor7HA41B1q70NLyJb6WncuiQKJkseCe2pizDSR6CSp56g1gyPLzVP0C"
    "zN3ELMR/yRep4knVAxRpMxUw7DZDzNeh/ld5fjkaR8jvkItx4HLExJNue7JGpqN6V2U6pr"
    "e2s3ZdOiN/4Aq8IfIS8uDQ4k15TVyhq0ZYSVUFPt0tQuzQ7I2O4HTiERRwy759aUIuClZ+"
    "EWmvNXOwJX/m66scNNnAX+oJAFjjl20Dzsd9eYvPvdhXMXqupwx9bCHbETlBHx8njHHGMd"
    "8KhcwCNHyfmnL+8cbNtLk9cJ1sqmsI3okCQcoXx4mM3OhwfU6Lzv7jfVsTmP4EdFxdHIZ4"
    "EH4Ym7364Qc1GfiTECT7SPOeFZR6CE9vM3pv3u8dFsT4KHZdvR3fXp1VV2Twov8FvFdvsU"
    "V3V1/YlNkM3cEaICTTBHY4J9S59m7xPppxGoILLDnBPwBXm3dRMkx81mzCbYXXENJEdRfc"
    "lYlqaiGNR2De7Z7e3VnK09u0wfVf79+uzic2NPGVlJpA915AicBULKrhBcS7Bs8fj5nIbL"
    "Bxd7R2tgi730JhZDC6ial7RaQ2Y/55DksgBSkutFBmg7EE7FhaI4NYSsBVM/pe1o3DCXnK"
    "hQkbT5LUTaozbCsldqR7TB4FGHkXLO72yy4UoEqKRGTZ9grm9jr7vo5rkqDOalwqagHYta"
    "yGVilso4QffGExPkXrLcG7OrOfrR+lv/rzQGP7Hck7CFiO8zv93OmxXldLKdQETFkm+Lv/"
    "wU1rbWSsCt+6mn3hi+qPREdEpMAch0Smz/HUe/wXcHEl8ckNhEanwwhnsdHMAlRtIlENiH"
    "21zSAGTmSEn93Ls++ZtRl6s0nJwwgrpymp2gQeD78K0Cne+DSio4kr4LhTdHDXXj7Ao/YZ"
    "u6j2HOTw4r8MAr5M3WvfsEy11KTM5bSfRf+DSV7JpI22Yz5iGHWaSNzonaBpH6wEJo/JBE"
    "Rk9ytE+MDsiaacGFOb6qZJnqhJ+h9GnCXHSJXVgledy7FLLcdmaJPIsX6yKHucJwruKaCC"
    "1tVgOLb84mWKoMnmDPmt9HGokdg7gDuQVYSCulGZ4DSSZkac4tyg21+QoXbXN0bs5AXbH1"
    "l8ter8CXrsAI1RQLqKW4KhtQe7XcmYcDXjj2FTNtMfA1K3mzkS8NtgvM3phhexN3r/NWpi"
    "75ZmpnpVBUI8m0xWDi0NZ5ureY/gVXsEgSIySvrLE1OtIzH7bQngYnLdTVnxxEDTtEKW1v"
    "KoHKuW5PhyTa8Fo50cIfbKvkNeJKpFVkeUT0FUasL1wWRwdrLIujg4XLAqpSpyJUGOUlmf"
    "t5zjp1X7nUfZXCpT4ZEulIDIixKGQaU7RWh03niYvck45ZOWTVmUt0bLOFZJ82TQQIp0hF"
    "L1W8sZ97qHdzza78wE798fsK+nX1jYMKKaP6Nw52dRm8nm9YNay2G75h1aRa9rngGgHXCL"
    "h0BKzS5ZeCOIsAcEywGv/qvy1AI+I18K9OYEwwFRTOLM5u00Z/qCCb2oehNFtA+vDAbQYn"
    "VJlvkZzPjm689aJ3c6GB+vJtDYWrbEpfB5CplbE+HIvId0nim0NjOuObFefi7HmCZSeuaG"
    "07eV1fSq4vJb99Gdd3ZssyyfWVzhKvdM6O/BQGb2nOXZq7WwZw9WfE6sDEpgMT3/8HUXPu"
    "5A=="
)
