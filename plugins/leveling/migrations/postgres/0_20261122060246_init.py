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
CREATE TABLE "leveling_guild_state" (
    "guild_id" BIGINT NOT NULL PRIMARY KEY,
    "curve" VARCHAR(100) NOT NULL
);
COMMENT ON TABLE "leveling_guild_state" IS 'What the levels of a guild were last computed with, to notice a curve change.';
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
    "eJztXG1T27gW/isa3w+XzqQMBFrY9hOwaZc7kLCQ3jLbdhzFVhINtuVKMkmmw39fyY7fYi"
    "fYbhKcIL7gSHpk+Tl6OefoSL80Cz0iCzvD/TNjhMWzjRyufQC/NAfaSDzkF2gADbpuMlsm"
    "cdi3UhgdzmH6jFNoyBcMoMWQSDIRMyh2OSaOSHU8y5KJxBAFZa1Rkufgnx7SORkiPkJUZH"
    "z7IZKxY6IJYuFP90EfYGSZqS/Apny3n67zqeunnePhpcM/+WXlC/u6QSzPduLy7pSPiBMB"
    "cPAFQ+QgCjmSb+DUk18gGzj78PCjgsbGRYJWJjAmGkDP4okv7utxmqbr7U5Xv2t1dV0rwZ"
    "FBHMmvaCrzCRjKJrz9o9k8OjppHhy9P313fHLy7vTgtCFFJPKyWSdPQWNitoKqfM4uP1+2"
    "u7JBRAgxkLRMePIxkMMA5QsjZn/oYVFTWRkkUc9LIuR9mSjChN2XRcy9/z/D+8UI0nzWw/"
    "JzjIsPWQ3j8aDfBOU2nOgWcoZ8JH4eHhwsofP/Z7cXf53d7olSb9KktmdZzSAvzW+yZSVo"
    "noNtjm1N2wjXR4W4PlrC9VGWa4p+ephGS0lRrudgde7ZGgQG8RyOKBhQYoOLzpd2t3V71w"
    "CEgu/Bovo9EGFCIMVRS2XWLCKy5mKJNZcJTH+ElpczEy1bAXLh61oKNjsxvchaQNEYUlOf"
    "uFkxLJFBArM57g/WS3zz8Pjk+PTo/XHEd5SyjOYspQZF8st1mDMj/SlyOLZRPrFp5Byz5g"
    "y6Hz5sYR9fwmP38rp11z27vpHV24z9tHy+zrotmdP0U6dzqXvv5yaeqBLw9bL7F5A/wT+d"
    "dsunkzA+pP4b43LdfzTZJuhxojtkrEMzyUmYHCY9SWNi8JBQaGVCHxoP/oDI5JAmWVQ2m2"
    "U37fkU6MChLyTJ5lMjYXW1IHWQ+axxli3WKGiiIR+5Xkvtm5aofqbVewxR+fhDmXH1WS62"
    "0Yx7BWt3OFZKcZ8AKQu6KvPZeau4ALJYNQQqCyJcpkqrWimg0rSUprVI0/pskT607t18BS"
    "vKLapXDX3AzHZ6Vp3S7m8ANChhDIgK6BT4KyfYYwiZ4ODgEPR6cj5n+1G1vd6b/YwvoHIt"
    "v+Fer8fipFQ0Lc+0XyaDHTPrN8B+feYqOa7vuBDQgtkqzi88X/mqOoswz85YX0eQAzFZAL"
    "8KBsgAwNmEM0ZUJEPGgUFs1xPdCIwxHzUAJ8AhHBtIFDU8+oiAMYLOEGVnspXX/hszXF1s"
    "HzXHab5Yy/j/I0CdPf8vvadVm3ntSj7cEmvBtBZnF53V/AedhpAVe7WSQ1y+Q/mztmYiqc"
    "uc/hqdKuFQKUV9AqTcKJWp9+fDEjuAUfld4nxlG4BCWzYeUF5HJqK3Qief0wRqjtW+gK2L"
    "1nBaKRGP0BWQD+ABuRyMR8gRWvUID8XiF+jkQI5IgBmgCBojZH4En+RLP4jfrgUNoZX3pw"
    "DzrGq/umqLu8LOO52rlBfs/HJurLS/XJ+3hLbk60qiEOZ1NPyukd33tY8c7WiWV1Q1suPi"
    "z9p6ZyAo/V8G7m8aM0FBxwQChR8xn4YxKAxgBxAHzXmejkGvFxhyvV4DhO6oTM9Yz2u+O7"
    "1esHAHtTPp9AJfKeZc9D7Rm6SZ2Ydc9jYwsDwm+6K0KIHnMkQ5W2Q/phXARRua6VITNyig"
    "VEKlEtZ6kVRbnK+FeuU3Vhr4JglfmfptI8aEosTKdd8kamc43XgwqdTIREtK2vBJmOK+Gv"
    "ePBBtIZ0g0xizJfwaqZFBNBgaxhZFmMl1oICV1lgxUyaCaDPqEsJxooE8WgQuojxBzlA8k"
    "ZF2kH+6vi/YlDP7Z+XJ+1QI3t62Ly7vLTtt3fUShPn5m2s1x2zq7yuNXF+Y2zlFXlsdczU"
    "FXEHU1s0broqhve9BVWiEd8ApxdQnYRuS7An+EdodmLkfp8QmcQcBC8BGxj4AijhxZEJjI"
    "Es/ML0TJGDBiIyC/A8ABRzTr0FxdtTvWzWrjNv3bQ2zByYkgq1HQafozKq2OsisHYW0chL"
    "sqC3WUXR1l372j7MbUsMoFsYWAOvdmMW9ia9oAY4Qe5H+bOHxkTeUxdOIYKKM1PV/8mVFQ"
    "aBAsGQOv74aBioNA3Q2w44uruhtg5XsTM3ps0UjsWjgItCjsqcpFK69VAa9VTJluY8fjeb"
    "tDi7eGcsGqc2dPxXKcF4a/NOwtBtU66m0VHfk3o83UHSO/KwDlHSvtHbuhRH5QwGG+lywq"
    "0ijjLdPdJKxMqGEIFAaBH+znVxdG/rmIYmKCveC/PLhGOdjfB2jiCtWQiW6fcz521ZXnBg"
    "UGX50OCpRdJlGXOiVSJ0V4Gz1+r8AqqWtI4K4Og5j55AxWnPokSnX7yuSn1omSOt88Vml9"
    "tdP6UpfaROpEWUGnkduyAf8qhZxUf4tPpknUzjggNh+l58qYi0rW8xxWxTDVbYzVxny+hc"
    "7DhahHy7Wco9xGQaOZCoBuhIgy9rJEAokEoh8Tj7LUwTiZwXJvjapWReUDccrWVbZuffVL"
    "Zeu+hmGQVM+wDelU0kpyNukW7/tngBsMfvnPu9P37wZNbV2SSG3/L+M43P0/Wbj5fzK/9x"
    "8cP6lEeQ50k6Q3+03z6HArSedowsvznUZtkuqB/7eVVEu1ckiJ55jlCc/DbpL2Q3Q4aG7P"
    "tFIfE4BY6DoO1sg3BNJlCpsD8t6jdCBIodtkYwgYEDrT8BkYEcsU1QLo37PyERwAGz4gBj"
    "AXSQ55K5AyI/dq2RVUqa5R20ZtaRuNhl2VhbpGrQbUVwzre7l4vpfxI1YN6KvNun7vnoua"
    "vAV3wke5Rdfyiav3Y8Szq3jLv8M9cSVW4hbkBhiHF1ghsRijMP3tGJsIUMQQB4wALq9RFg"
    "uxAWVBIBRL4uQs7mt9kzrvVutZTS3u9ZHFtsZ9qr3hanvDcuhl5dtFkwVjKyxf50NG2v/u"
    "Om1gYcblIvJt5qRugIk7u9HxR2b5KYQo0Q1a991UDwjdBnvXZ/dvUr3gqtP+HBZPuBkurj"
    "rnL62HPP0LrV2myw=="
)
