from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "leveling_achievement" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(300) NOT NULL,
    "requirement" VARCHAR(20) NOT NULL,
    "requirement_value" BIGINT NOT NULL,
    "reward_xp" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_leveling_ac_guild_i_82c0b3" ON "leveling_achievement" ("guild_id");
COMMENT ON COLUMN "leveling_achievement"."requirement" IS 'a counter from COUNTERS, or \"level\"';
CREATE TABLE "leveling_earned_achievement" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "achievement_id" BIGINT NOT NULL,
    "earned_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_leveling_ea_achieve_309aab" UNIQUE ("achievement_id", "user_id")
);
CREATE INDEX "idx_leveling_ea_user_id_cf4acd" ON "leveling_earned_achievement" ("user_id");
CREATE TABLE "leveling_global_xp" (
    "user_id" BIGINT NOT NULL PRIMARY KEY,
    "xp" BIGINT NOT NULL
);
COMMENT ON TABLE "leveling_global_xp" IS 'XP across every guild (seed 001 ``users.global_xp``).';
CREATE TABLE "leveling_level_role" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    "level" INT NOT NULL,
    "stacked" BOOL NOT NULL,
    CONSTRAINT "uid_leveling_le_guild_i_aa0018" UNIQUE ("guild_id", "role_id")
);
CREATE INDEX "idx_leveling_le_guild_i_b955e4" ON "leveling_level_role" ("guild_id");
COMMENT ON COLUMN "leveling_level_role"."stacked" IS 'True: kept when a higher level role is reached; False: replaced by it.';
CREATE TABLE "leveling_member" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "xp" BIGINT NOT NULL,
    "level" INT NOT NULL,
    "messages" BIGINT NOT NULL,
    "reactions" BIGINT NOT NULL,
    "voice_seconds" BIGINT NOT NULL,
    "commands_used" BIGINT NOT NULL,
    "boost" DOUBLE PRECISION NOT NULL,
    "boost_until" TIMESTAMPTZ,
    "left_at" TIMESTAMPTZ,
    CONSTRAINT "uid_leveling_me_guild_i_90a347" UNIQUE ("guild_id", "user_id")
);
CREATE INDEX "idx_leveling_me_left_at_30afe4" ON "leveling_member" ("left_at");
CREATE INDEX "idx_leveling_me_guild_i_7833a2" ON "leveling_member" ("guild_id", "xp");
COMMENT ON COLUMN "leveling_member"."left_at" IS 'Set when the member leaves; retention deletes the row some time after.';
COMMENT ON TABLE "leveling_member" IS 'A member''s XP, level and activity counters in one guild (seed 004 ``levels``, seed 001';
CREATE TABLE "leveling_quest" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(300) NOT NULL,
    "cycle" VARCHAR(10) NOT NULL,
    "requirement" VARCHAR(20) NOT NULL,
    "requirement_value" BIGINT NOT NULL,
    "reward_xp" INT NOT NULL,
    "reward_multiplier" DOUBLE PRECISION NOT NULL,
    "multiplier_minutes" INT NOT NULL,
    "active" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_leveling_qu_guild_i_93b01c" ON "leveling_quest" ("guild_id");
COMMENT ON COLUMN "leveling_quest"."cycle" IS 'daily, weekly, monthly or once';
CREATE TABLE "leveling_quest_progress" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "quest_id" BIGINT NOT NULL,
    "period_start" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "progress" BIGINT NOT NULL,
    "completed_at" TIMESTAMPTZ,
    CONSTRAINT "uid_leveling_qu_quest_i_cb499b" UNIQUE ("quest_id", "user_id", "period_start")
);
CREATE INDEX "idx_leveling_qu_user_id_940d1b" ON "leveling_quest_progress" ("user_id");
CREATE INDEX "idx_leveling_qu_expires_62dad1" ON "leveling_quest_progress" ("expires_at");
COMMENT ON TABLE "leveling_quest_progress" IS 'A member''s progress on one quest in one period (period_start .. expires_at).';
CREATE TABLE "leveling_rank_card" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "primary_color" VARCHAR(7) NOT NULL,
    "secondary_color" VARCHAR(7) NOT NULL,
    "text_color" VARCHAR(7) NOT NULL,
    "background_color" VARCHAR(7) NOT NULL,
    CONSTRAINT "uid_leveling_ra_guild_i_261707" UNIQUE ("guild_id", "user_id")
);
CREATE INDEX "idx_leveling_ra_user_id_ed0570" ON "leveling_rank_card" ("user_id");
COMMENT ON TABLE "leveling_rank_card" IS 'A member''s rank card colours (seed 004 ``cards``).';
CREATE TABLE "leveling_role_multiplier" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    "multiplier" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "uid_leveling_ro_guild_i_d8af5e" UNIQUE ("guild_id", "role_id")
);
CREATE INDEX "idx_leveling_ro_guild_i_988139" ON "leveling_role_multiplier" ("guild_id");
COMMENT ON TABLE "leveling_role_multiplier" IS 'XP multiplier for members holding a role; 0 makes it a no-XP role.';
CREATE TABLE "leveling_xp_backup" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "data" TEXT NOT NULL
);
CREATE INDEX "idx_leveling_xp_guild_i_f57728" ON "leveling_xp_backup" ("guild_id");
CREATE INDEX "idx_leveling_xp_created_50c68c" ON "leveling_xp_backup" ("created_at");
COMMENT ON COLUMN "leveling_xp_backup"."data" IS 'JSON list of [user_id, xp, level]';
COMMENT ON TABLE "leveling_xp_backup" IS 'Every member''s XP of a guild, written before a guild-wide reset so that it can be undone.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXFtz2jgY/Ssa78OmMzSTQG7bPiUp7WYngWxCt5m2GSNsAZrYliPJAaaT/76SjcHGht"
    "guEEOUlxhJR5bPJ+m76PJLs9ATsrDT2z01+lg828jh2gfwS3OgjcRDeoEK0KDrRrNlEocd"
    "K4bR4QymwziFhnxBF1oMiSQTMYNil2PiiFTHsyyZSAxRUNY6SfIc/OghnZMe4n1ERcaPe5"
    "GMHRMNEQt/ug96FyPLjH0BNuW7/XSdj1w/7Qz3Lhz+2S8rX9jRDWJ5tjMt7454nzgTAA6+"
    "oIccRCFH8g2cevILZAPHHx5+VNDYaZGglRGMibrQs3jkizv6NE3T9Uazpd/WW7qu5eDIII"
    "7kVzSV+QT0ZBPe/1Wt1mrH1b3a0cnhwfHx4cneSUWKSOQls46fg8ZM2Qqq8jm7+HLRaMkG"
    "ESHEQNIy4dnHQA4DlC+MKfs9D4ua8soginpZEiHvi0QRJmy/LKbc+/8TvJ/3IU1nPSw/w7"
    "j4kOUwPh3066DchkPdQk6P98XP/b29BXT+d3pz/vfpzY4o9S5OamOcVQ3y4vxGW5aD5hnY"
    "+tjWtLVwXcvEdW0B17Uk1xQ9ephOVElWrmdgZe7ZGgQG8RyOKOhSYoPz5tdGq35zWwGEgp"
    "+BUv0ZiDAikOyohTKrZhFZdb7EqosEpj9By0uZiRZpgFT4qlTBeiemV9EFFA0gNfWhmxTD"
    "AhlEMOvjfm+1xFf3D44PTmpHBxO+JymLaE5SalAkv1yHKTPSJ5HDsY3SiY0jZ5g1x9Dd8G"
    "ED+/gCHlsXV/Xb1unVtazeZuzR8vk6bdVlTtVPHc2k7hzNTDyTSsC3i9bfQP4E35uNuk8n"
    "YbxH/TdOy7W+a7JN0ONEd8hAh2aUkzA5THqWzkT3IWLQyoQONB78AZHIIVUyr2wyy67asy"
    "nQgT1fSJLN50rE66pD6iDzRecsWayS0UVDPnK1ntoPLVL92Kr3GKLy8V65ceVRF5voxr0B"
    "3R2OlVzcR0DKgy7KfHLeyi6AJFYNgcKCCNVUblMrBlSWlrK05llaXyzSgdadm25gTXKz2l"
    "U9HzD2nV40p7S7awANShgDogI6Ar7mBDsMIRPs7e2DdlvO52x3Um27/W43EQsoXMtvhNfL"
    "oZyUiaalufaLZLBlbv0a2C/NXHUpH26I37aUyWqanXW28h90GkKW7P1F3QD5DuX3lapbL5"
    "pUyuv3bassIiHb8VDJRX0EpNyNwtT782GOSPmk/DZxvrRAOeNC76G0jkxEb4VOOqcR1Ayr"
    "HQFbFa3htJJj3a4lIB/AA3I5GPSRAyDo455QfsDvFUCOSIAZoAgafWR+BJ/lSz+I364FDW"
    "GZd0YA86Qxv7xqs7uMZ83mZcxbPLuYGSuNr1dn9Zudfd9NFIUwL6OBdIXsjm99pFhH47ys"
    "ppE9Lf6iF3cKgtJ/MnB3XRkLCjqm8Mo4fsJ8FK7VMoAdQBw046EdCA/NB7F2uwJCty3RM1"
    "bzmp9Oux0o7qB2Jp1D8I1izkXvE71JGHSgA7nsbaBreUz2xQHmfeC5wp3jbJ4nGTcA5wX+"
    "46WEc3KvTEJlEpZeSaqlgLdCvYqvKAt8nYQvzfy2EWPCUGL5um8UtTWcrn3TlbTIREty+v"
    "BRmOK+GPdPBBtIZ0g0xszJfwKqZFBMBgaxhZNmMl1YIDltlgRUyaCYDDqEsJRV888WgXOo"
    "nyBmKO9KyKpI399dFe0LGPzU/Hp2WQfXN/Xzi9uLZiO+JO5nxsMcN/XTyzR+deFu4xRzZf"
    "HehBnoEnYnjL3Rshjqm745IW6QdnmB/ScR2Frku4R4hHaLxiFHGfEJgkHAQvAJsY+AIo4c"
    "WRCYyBLPzC9EyQAwYiMgvwPALkc0GdBcXrVb1s1KEzb910Nszg7jIKuSMWj6OCmtjnyqAG"
    "FpAoTbKgt15FMd+dy+I5/GyLBydeYJoMy9Wcyb2BpVwAChB/nfJg7vWyN5XJM4BkpYTS8X"
    "f2EUZBoEC8bA2zuJW3AQqDO0W65c1Rnapa9NjOmxRSOxa+Fgo0XmSFUqWkWtMkStppTpNn"
    "Y8nrY6NH9pKBWsOnfy9BjHT2lz9qJtb1NQqXe9LaMj/+ZuM3UW/3cFoKJjuaNj15TIDwo4"
    "TI+STYpU8kTLdDcKy7PVMAQKh8Df7OdXF+78cxHFxAQ7wX+dcUg52N0FaOgK05CJbp9yjm"
    "zZladuCgy+Or4pUHaZSF3qlEiZDOFNjPi9Aa+krFsCt3UYTJmPzmDZqY+iVLcvTH5MT+S0"
    "+WaxyuorndUXu/xhYk7kFXQcuSkL8G9SyFHzN/tkGkVtTQBi/bv0XLnnopD3PINVe5jKNs"
    "ZK4z7fQOfhXNSjpXrOk9xKRqeZCoBuhIg8/rJEAokEoh8Tj7LYwTiZwVJvVylWReEDccrX"
    "Vb5uee1L5eu+hWEQNc+wDelI0kpSFunmr/sngGvc/PLH4cnRYbeqrUoSseX/RRyHq//Hcx"
    "f/j2fX/oPjJ4UoT4Guk/Rqp2rW9jeSdI6GPD/fcdQ6qe76fxtJtTQre5R4jpmf8DTsOmnf"
    "R/vd6uZMK+VxAYiFrqabNdIdgXiZzO6AvPcovhEk062LUwjoEjq28BnoE8sU1QLo37PyEe"
    "wBGz4gBjAXSQ55L5AyI/UKxiVUqa5R20RraROdhm2VhbpGrQTUF9zW93r7+V4njlh0Q19p"
    "9PqdeyZq8ubcnTzJzarLh67emSJe1OJ1/67jyJVYgHSFSvVnzwoYhBdYIaGMUZj+foBNBC"
    "hiiANGAO9DLhWxAWVBIAxL4qQo95W+SZ13K/WsppR7eWSxqfs+1dpwsbVhOfSS8m2h4Zyx"
    "FZYv8yEj7Z/bZgNYmHGpRH6Mg9QVMHTHNzreJ9RPJkSOblC/a8V6QBg22Lk6vXsX6wWXzc"
    "aXsHgkzHB+2Tx7bTvk+X812heu"
)
