from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

HOURS = [f"h{hour:02}" for hour in range(24)]
_COLUMNS = ", ".join(HOURS)
_FROM_ROLLUPS = ", ".join(f"COALESCE((plays_by_hour::json->>{h})::int, 0)" for h in range(24))
_FROM_PLAYS = ", ".join(f"SUM(CASE WHEN played_hour = {h} THEN 1 ELSE 0 END)" for h in range(24))
_ADD = ", ".join(f"{h} = music_day_hours.{h} + excluded.{h}" for h in HOURS)
# Counters for the history already stored (plays, and days retention already folded), so analytics
# read the same figures right after upgrading.
BACKFILL = f"""
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, day, {_FROM_ROLLUPS} FROM "music_daily_stats";
INSERT INTO "music_day_hours" (guild_id, day, {_COLUMNS})
SELECT guild_id, (played_at AT TIME ZONE 'UTC')::date, {_FROM_PLAYS} FROM "music_play" WHERE true GROUP BY 1, 2
ON CONFLICT (guild_id, day) DO UPDATE SET {_ADD};
INSERT INTO "music_guild_listener" (guild_id, user_id, last_played_at)
SELECT guild_id, user_id, MAX(day)::timestamp AT TIME ZONE 'UTC' FROM "music_daily_listener" GROUP BY guild_id, user_id;
INSERT INTO "music_guild_listener" (guild_id, user_id, last_played_at)
SELECT guild_id, user_id, MAX(played_at) FROM "music_play" WHERE true GROUP BY guild_id, user_id
ON CONFLICT (guild_id, user_id) DO UPDATE SET
last_played_at = GREATEST(music_guild_listener.last_played_at, excluded.last_played_at);
INSERT INTO "music_daily_track" (guild_id, day, title, artist, plays)
SELECT guild_id, (played_at AT TIME ZONE 'UTC')::date, title, artist, COUNT(*) FROM "music_play" WHERE true GROUP BY 1, 2, 3, 4
ON CONFLICT (guild_id, day, title, artist) DO UPDATE SET plays = music_daily_track.plays + excluded.plays;
"""




async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_music_play_guild_i_d8b3b9";
        CREATE TABLE IF NOT EXISTS "music_day_hours" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "day" DATE NOT NULL,
    "h00" INT NOT NULL,
    "h01" INT NOT NULL,
    "h02" INT NOT NULL,
    "h03" INT NOT NULL,
    "h04" INT NOT NULL,
    "h05" INT NOT NULL,
    "h06" INT NOT NULL,
    "h07" INT NOT NULL,
    "h08" INT NOT NULL,
    "h09" INT NOT NULL,
    "h10" INT NOT NULL,
    "h11" INT NOT NULL,
    "h12" INT NOT NULL,
    "h13" INT NOT NULL,
    "h14" INT NOT NULL,
    "h15" INT NOT NULL,
    "h16" INT NOT NULL,
    "h17" INT NOT NULL,
    "h18" INT NOT NULL,
    "h19" INT NOT NULL,
    "h20" INT NOT NULL,
    "h21" INT NOT NULL,
    "h22" INT NOT NULL,
    "h23" INT NOT NULL,
    CONSTRAINT "uid_music_day_h_guild_i_485f59" UNIQUE ("guild_id", "day")
);
COMMENT ON TABLE "music_day_hours" IS 'Plays per guild, UTC day and UTC hour, counted as plays are written (not at retention), so';
        CREATE TABLE IF NOT EXISTS "music_guild_listener" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "last_played_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_music_guild_guild_i_e6f1dd" UNIQUE ("guild_id", "user_id")
);
CREATE INDEX IF NOT EXISTS "idx_music_guild_guild_i_552537" ON "music_guild_listener" ("guild_id", "last_played_at");
COMMENT ON TABLE "music_guild_listener" IS 'When a member''s last track in a guild was played, so distinct listeners since any moment are';
        CREATE INDEX IF NOT EXISTS "idx_music_play_guild_i_f90945" ON "music_play" ("guild_id", "played_at", "id", "title", "artist", "user_id", "outcome", "ended_by", "end_reason");
""" + BACKFILL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_music_play_guild_i_f90945";
        DROP TABLE IF EXISTS "music_day_hours";
        DROP TABLE IF EXISTS "music_guild_listener";
        CREATE INDEX IF NOT EXISTS "idx_music_play_guild_i_d8b3b9" ON "music_play" ("guild_id", "played_at", "id", "played_hour", "user_id", "title", "artist");"""


MODELS_STATE = (
    "eJztXdly27gS/RWUXiLVVVxavMXz5MSexPd6mYk1S02coiERkjgmCYYErehO5d+nGyRFii"
    "JlwbFkWsFLIhPdAHgay+nGwn9qThhYg50L/PeEWvb03AoEc5lfOyL/1FzqMPhRLtQkNep5"
    "MxH8W9C+nSoZJsobdlahHwifDgTIDKkdMHhksmDgW56wuIuav9h0GhCP+cRnX0IGqr78y6"
    "RTYrlEjBnxuW2HXpMEnISuBUIkKSIg/B5kKfGpO2IkEKDEvkJ5O1i4yQdQuuWO1lxOJGwI"
    "PmKQDaL56VNtFFq2aVimrAidSrmA+fjk82f4w3JN9pUFKIx/enfG0GK2OWeKSFs+N8TUk8"
    "/eWqMzV/wsZTHrvjHgdui4qbw3FWPuzhQsV+DTEb4HFQxLEH6IlnBD244NmBgnepVUJKpl"
    "RsdkQxraaE/UjiqQPqsZxuVVz7g+7RlGbcHWiUbGLPGjAXexnUBVAwnACKvw+k2n0+0edF"
    "rd/cO93YODvcPWIcjK+i4mHXyLKpOiFWUlMTt7f3bZwwpxaIxRi8UH36QOFTTSksZI0c9a"
    "cHUbZLUetkSC+zJTJA9SW6RdacuMkYIfd5l53E8AtWLUY/Ec4GBaJiyH7eCPFwj9EhRPjn"
    "unOciS4UWpuWaU1tVat3XkSJH3cG5ZxL0U9Jn85gaI1noB77R3D3YPu/u7M5xnT5bBG0GJ"
    "89/wLjMG44M+HdxNqG8aCym8w8tkF5OcjpN/Ql06kijhG2Hl8oznWtD45co4USSxKiEKZt"
    "IPsyHmv5YzCJGqMSUh9YAxk7RarVcBAZsD2ZB5Nppk4lsCKArpgyyDH5gRCNHRyGcjaEME"
    "isO8F+jQmgq6cSdjkBoDceI+ZjsJgCl5ls9+IgC8PRXWIGFT7jTmUz6jJjKwgBHPDoOIjL"
    "EBFCIzWJ1kaWZVofFRM6sKGUMzq+9gVoILahs4dN+pTPN5NT3b59vigDueDbOJqQ5ukaoG"
    "OA9w1ATNEN4famI4BQgvG3IL1SuLci0OVQGXgKGJ1J2gQYLQcZi5GA5aLlqJgTpmPOihqX"
    "SMvFp1zXUCNrDcgUgjckj9qJAxufqAhy7Ujwx97pDFcGRj0aZPkN+au6N0/Iz+1Bjz0F+0"
    "aY99XeYxZhVzVoVKr8uqtU+fa4qG/e/11aWMnRI+JJ1dgrUnEv8A/Yffeu8IvseiBVUUV5"
    "/Re6d/ys7mBMEXGx9c/n788d2H44/1i+M/GzJlGqecX12+T8TTvnn57vzqbQUd1R7OfLVl"
    "jmok0VzRURUzaYWwvaTlTWkb7GfUhTEV82mSpMfRQBoSnEWfJX6kjLIL7kWy8/H1JbH7py"
    "/sxs14n3FTq8OY4XBshS6uCkxk0VJXlgglN+SPdB2A0KFcUJAlR/6u0tKAsIQt35v6Apq/"
    "dmSr5DtpR7ZCxtCO7Pc4sskwMw/auzH1SxyARGFzfGOd7dShXw2buSMxRg7Xai1BL6EIIN"
    "XIsYE4qROlzSMcj98KEKcaGuPVMNbLLduz3DL9AHx+yWJLnL4Kg42co1UXWpZRysTPWM4q"
    "Sd3lQPxEuh7SQKKpxl6/q6gbN1rCyS2sXGLuoG+aJPRIwmUvyX9IO1qQmdWFWNC6kP6Cu4"
    "U0GGpMGGQxlVXYuXH/x7yE2+KiTFQx+OUEzL5nCdU9ghpwd+rwMIgptF6yeZHkSjPdChlD"
    "M93vYLrjVkuBIcTSmh/kW9641VaCsa1hLIaxowRjR8NYDGNXCcauhrEYxl0lGHc1jMUw7i"
    "nBuKdhLIZxXwnGfQ1jMYwHSjAeaBiLYTxUgvFQw1gM4xslGN9oGAthbCt5MW3txZTAqOTF"
    "tLUXUwKjkhfT1l5MCYxKXkxbezElMCp5MW3txZTAqOTFtLUXUwKjkhfT1l5MCYxKXkxbez"
    "ElMCp5MW3txZTAqOTFtLUXUwxjR8mL6WgvpgRGJS+mo72YEhiVvJiO9mJKYFTyYjrai5nB"
    "WKENWD/Te+5bgtVKNmDN0psPbsAaZkUf3H91TBzm9Jn/KiCJYrTD/qfk7h3cpBTJNInchi"
    "r3S0W7JdNz6gXHgJ4268JNTJlbM/TO/QpvodH7mSpkjOrfVPMDQK9PAOgTAC8f49C3VACO"
    "xR+Fbjw1VhPcvZXA3VsC7l5BAzZNZhq0oAmfxFtIS5pxRm/Z3lP88QKb9bIDxmcXp9e944"
    "tfMPvZKWPclYop0oGcnTBOntb3czaZZUL+OOt9IPgn+evq8lTCyQMx8mWJqVzvrxrWiYaC"
    "Gy6fGIB/BpPkcfKoSl7He6RRD10+Oi/0sP8RcTO1y0f/wLuqaOov2BQcgOigr4UJ0SGJSX"
    "wkg5nyILGZXDOQ3g4awN9MXmjlcAevraL+4inmdRZ24+JRZXn2Irlci8h+QupJiWRiiTEU"
    "I8/UR3kIeVUXlSc6LD+qUC55iROUJcNlV5vOS2EBRvRyOE581r6R9o2qO+Br3+gHgz43PC"
    "nSn0VtTYI0CSonQXgstIz7yLSHKY+XiD1IdK7cOAYac4ss48je+YmpRnx5Z+OIzC5ZaxLu"
    "k+DO8jwQlURiMuYyajoZTxdDsOsvroCRLKUecx2zOHLbnBtHeSigOjKduejY9Kfxb8NnNA"
    "BYoby5SHC2uDTL2TtJkDI3qWn2o9lPhUd6zX6eGnpwAGEMC+7wDjoenaeXY+Ti8LlMsBJm"
    "0lFkHUXeAoztfugoQZwobF8keS0AL713tnQ4f7brZtc/mz7Z7puAh/5AaQRONbZweOh2Vm"
    "i83U5p28UkvcK0sRWmR8dYdHil2uGVAiMX33R87VDbXnphW0a1srsGa8ntXXh/1u3trHXe"
    "3pJ663WnKy/pIh6jd1IqICOfhx4GQ65/PSfcJX0uxgQ90T4NWLDoCKwh/+KJqds52J/NSf"
    "jHsuno+uL4/LwgfBpfqa422+e0qmvrD3xCbO6OiCXkIt2YUd+Mbo7vM/DTGCbIUNGiHRV1"
    "N/XVhQI3m3ObUbfYVHN6OUP1QXFdlkpiUJsdcN9eXZ3PjbVvz/LXgv928fb0Y70tB1kQiv"
    "bRFgCeiSWuSigyKhu86n0+WLl2ctHeX4FbtPOTWEotMGke6WyodvUAUlbrUQPQZiicjAsl"
    "UXEMkAsuf8LYUb/kLjuSoSIY85uE7Yx2CIVSLTuRDQd3URipYMv0U2ZciQBVJkyv0OnmtS"
    "pM5sFgU7SOaZkEbwZN+u0Ruandc8FuQOWmNvsMRvSn+Xf0v7QY/qQwJ1GTMN/n/s5OUatY"
    "TyGbCURUbKmvfKNTnNpcablv1Z1NvTF+vfg+urKVSQKZX4DrvgrIr/iNv8zX/YCbgMUHY/"
    "wyQoDkkhJwCQT18WZaGAAW2siaysGvMvzNLTeQi37QYITlQjM7IoPQ93HPU/o1BksEBHwX"
    "C9+c1OXXXc7pPbUt9y5eYYRqhR56hUGjeePeY3cHxKDdgtD/8asNUDSDsc3m3CMON9kOOW"
    "FyGiTyY4bx4EeAGeGdt/fcGpR+3WHV0x9VWWXSC341aU8D26LLbGWTFGlvU8hy0ytL7Kt4"
    "tC0KlCtM5ypuiXikXbRA+VeqMipVJk84Z83PI/XMjMHcAUwB+HEfNEoj3nWSXZC1xCJXeq"
    "I8n+GjVgU2N2akTq3/FarrHvjYHpiwGrWAWk6rsgG1Z1s782gYKMe+UqUNBr5mT15s5Csi"
    "2wqtN1XYXMNtt15K02VfjMhZUYpqZJU2GEwc2tE63Utc/kVXUGURIxav7GBba4FnPmySdv"
    "K5xA75gi45qdsxS9nxpkBUTqL8opDEDr5WQbTwO/Nacx9xgWmpdI9EvsKM9ZHdYn93hW6x"
    "v1vaLTAptytChlEes3I/r6mX7iu3dF+lcKnPhgwciQGrlYVMU4nmw2HTeWGVq2lS1QBX1f"
    "GMZfwNLyjTtjIBwimR0UsZb+wXbup9umwffRpTnzioZACyKrHg55689ImDH6AbPJ9vWDWu"
    "th2+YdVQXfe+YM2ANQNeOwOWy+VngjllBDgVeJj/SufcsBLhFfhvtIAxoZbAD8KmZ3eBus"
    "aefn5pH6vSaKLo7W1gc9yhyn0T3P4CGvzEuaueBMYM9OFbTYWrPJQ+DyGTPWN1OpaIbxPi"
    "T8fGohXfRTjLV88zKltxRGvTi9f6ULI+lPzyMdZnZtc1JOsjnWs80jnb8qNM3vKa29R2N0"
    "zg9M2tOjDx1IGJb/8CouW7sQ=="
)
