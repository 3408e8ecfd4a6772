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
INSERT INTO "music_guild_track" (guild_id, title, artist, plays)
SELECT guild_id, title, artist, SUM(plays) FROM "music_daily_track" GROUP BY guild_id, title, artist;
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
        CREATE TABLE IF NOT EXISTS "music_guild_track" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "artist" VARCHAR(200) NOT NULL,
    "plays" INT NOT NULL,
    CONSTRAINT "uid_music_guild_guild_i_6749cd" UNIQUE ("guild_id", "title", "artist")
);
CREATE INDEX IF NOT EXISTS "idx_music_guild_guild_i_8b8986" ON "music_guild_track" ("guild_id", "plays");
COMMENT ON TABLE "music_guild_track" IS 'Plays per guild and track since the counters began, so top tracks over a range need only';
        CREATE INDEX IF NOT EXISTS "idx_music_daily_guild_i_18fab5" ON "music_daily_track" ("guild_id", "title", "artist", "day", "plays");
        CREATE INDEX IF NOT EXISTS "idx_music_play_guild_i_f90945" ON "music_play" ("guild_id", "played_at", "id", "title", "artist", "user_id", "outcome", "ended_by", "end_reason");
""" + BACKFILL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_music_play_guild_i_f90945";
        DROP INDEX IF EXISTS "idx_music_daily_guild_i_18fab5";
        DROP TABLE IF EXISTS "music_day_hours";
        DROP TABLE IF EXISTS "music_guild_track";
        DROP TABLE IF EXISTS "music_guild_listener";
        CREATE INDEX IF NOT EXISTS "idx_music_play_guild_i_d8b3b9" ON "music_play" ("guild_id", "played_at", "id", "played_hour", "user_id", "title", "artist");"""


MODELS_STATE = (
    "eJztXVlz2zgS/isovUSuVVw6fMXz5MSexLs+ZmLNZmriFA2JsMQxSTAkaEU7lf++aICXeE"
    "iCI8m0gpdEJrsB8GscXzeufxpOGFjD3Uv49xRb9vTCChhxid84Rv80XOwQ/qNaqIUa2PMS"
    "Efib4YGdKhkmyBt2VmEQMB8PGZe5x3ZA+COTBEPf8phFXdD8zcbTAHnERz75GhKu6ou/TD"
    "xFlovYmCCf2nbotVBAUehaXAjFWQSIPnJZjHzsjggKGFci33h+u5C5SYc8d8sdrTkfKWww"
    "OiI8GUDz8+fGKLRs07BMURA8FXIB8eHJly/8D8s1yTcSgDD86T0Y9xaxzRlTSG3x3GBTTz"
    "x7a43OXfarkIWkB8aQ2qHjpvLelI2pmyhYLoOnI/gOzAjkwPwQLOGGth0ZMDaO/JRURJYy"
    "o2OSexzaYE/QlgVInzUM4+q6b9yc9Q2jUbB1rJExS/RoSF2oJ7yogQBgBEV4/abb7fUOu+"
    "3ewdH+3uHh/lH7iMuK8hZfHX6XhUnRkkkJzM7fn1/1oUCUV0ZZY+HBd6GDGZZawhgp+lkL"
    "Lm+DrNZiS8S4zzNF/CC1RdqUtswYKfhRk5nF/ZSjVo56JJ4DnJuWMMshu/DjBUI/B8XTk/"
    "5ZDrK4e1GqrhmlddXWbe05UuQ9GFuKuFeCnshvroNorxfwbmfvcO+od7CX4Jw8mQevhBLG"
    "v/uHTB8MDwZ4+DDBvmkU3tAurZItvnK6Tv4JdvFIoARfBIXLM54bhqOPq+JEUmJZQhQk0o"
    "vZEPFfixEECdWIkqBmQIiJ2u32qwBxm3OyIdLcaaGJbzFOUdCAyxL+AxLiQng08smI1yHE"
    "s4O0C3RoTRndupMxlxpz4kR9SHYScKbkWT75BXHg7SmzhjGbcqcRn/IJNoGBBQR5dhhIMk"
    "aGPBORwPIkSzOrGvWPmlnVyBiaWf0As2KUYduArvtBZZjPq+nRPl8Xh9TxbD6amOrglqlq"
    "gPMAyypohvz7eUkMpwTheV1uqXptUW5EoSrOJXjXhJpOsIOC0HGIWQwHzRetRUcdMR7w0F"
    "QaRl6tvuY65Taw3CFLI3JA/TATMbnmkIYuLx+696mDiuHInaJNV5DempujcPyMwdQY09Av"
    "2rRPvs3zGLOKOavyQq/Lqo3PXxqKhv33zfWViJ0ieo+6ewhKjwT+AfgPf/TfIfiOogVVFJ"
    "cf0ftnf4rG5gTBVxseXP335OO7Dycfm5cnf+6IN9PozcX11ftYPG2bV+8urt/W0FHtw8jX"
    "mOeoSonWko4qS6QVwvaClreEbaCdYZf3qZBOC8UtDgfCkNxZ9EnsR4ooO6OelJ2Nr8+J3a"
    "8+s1s3431GVa3J+wyHQi10YVZgIrIWuiJHnvOO+JHOAyB8LyYURM7S31WaGmAWs8V3Y5/x"
    "6l9wZGeV8tJpOjKy9EX7vdrvra/zpf3el+L3xv3MLGjvxtiv8Bdihc3Rk3XWUwd/M2zijt"
    "gYKF+7PQe9mFFwqZ0ceYhedeW7WYTTDnxZiFMNjfFyGOvZme2ZnZl+4PR/ztxM9H4Zwit9"
    "qWXnZeYx0NgtmU9CUdOlnCeydPpkB3ipGtn9oaxuXTnjk5uHuYLUub5potBDMfW9Qv9CHT"
    "l/k5QFWbx2AVvm3hmwZl5iRHgSU1GE3Vv3P8SLqTDM4ciC8V9OQOxHEjPjY14C6k4dGgYR"
    "49YzPC+SXGmmWyNjaKb7A0x33G4rMIRIWvODfM0btztKMHY0jOUwdpVg7GoYy2HsKcHY0z"
    "CWw7inBOOehrEcxn0lGPc1jOUwHijBeKBhLIfxUAnGQw1jOYxHSjAeaRjLYXyjBOMbDWMp"
    "jB0lL6ajvZgKGJW8mI72YipgVPJiOtqLqYBRyYvpaC+mAkYlL6ajvZgKGJW8mI72YipgVP"
    "JiOtqLqYBRyYvpaC+mAkYlL6ajvZgKGJW8mI72Ysph7Cp5MV3txVTAqOTFdLUXUwGjkhfT"
    "1V5MBYxKXkxXezEJjDVagPUrfqS+xUijYgFW8r61cAHWfVZ04fqrE+QQZ0D8VwGKFeWC/F"
    "/io3pgkZKUaSGxDFWsl5KrJdNt7SW7hlabdOkipswhG4sW+uv1THo9U30X1TzTRsiaHmzz"
    "E0CvdwDoHQAvH+PQt1QAjsSfhG40NNYT3P2lwN2fA+5+SQU2TWIauKQKn0ZLSCuqcUZv3t"
    "pT+PECq/W8/cjnl2c3/ZPL3yD5ZFMyrEqFN8KBTDYkx0+bBzmbJImgT+f9Dwj+RH9dX50J"
    "OGnARr7IMZXr/9WAMuGQUcOlE4Pjn8Ekfhw/qpPX8R5o1KKzSmeFFvsfkpupnVX6CY62wq"
    "m/YGPuAMh9wRa8kJskJtGWDGKKfcdmfCpBephowP8m4vwrhzpwyhX2i5ue15nZrQs7m8Xe"
    "i/gsLiTaCWrGOaKJxcY8G7EFX6bBxMleWOzosHxZoNzrOU5QlgxXnYQ6KwUZGPLjoJ/Qu5"
    "q1b1TjDl/7Rj8Z9LnuSZH+FLU1CdIkaAEJmnvgS0ZiWfrz9ANf0qNX0tE/2pPKOceAjPDc"
    "U1eQC1FT6trTAu9ZV0a3ruQ7oG9Hm1elwjEXFr9exXtpgWAlp5PCxtp4V6zFYhHIBNv2cn"
    "xH7XgXfYjL83fzmu7UyBg6HqnjkduEsT6RZFsmxIGsVPEx8W4xE/NisYUU7NqNZqajiE82"
    "DpQ9uB3eGtEJ7DvHKDkpt4Woj4IHy/O4qAjvTMZU8KvJeFqcGF9/diW8aSExStylyqPwMt"
    "4tDRkvjnhPXAg3D6bRb8MnOOCw8vxm5uez2aVJJt8kQMoch6tJmiZpdR7LdExqxdA3PkEf"
    "FjzAQcJUnnIk+shi9zlPsBZm0lxac+ktwNgehI4SxLHC9s3vrwXguZcHVHbnz3ZnwPpH05"
    "WtiQ5o6A+VeuBUYwu7h153icrb61bWXXil1/1sbN3Pk2e+9KRXvSe9Soxcfl3FjYNte27Q"
    "KqNa29BVIz5TFU41vbtLaufdHWq2X3d74uhU5BH8IKQCNPJp6EEw5Ob3C0RdNKBsjMATHe"
    "CABEVHYA3plw9Mve7hQTImwR/zhqOby5OLi5JJ7eheHLXRPqdVX1t/oBNkU3eELCaWTo0J"
    "9k15/c+AcD+NwAsRKiraUVF3U1dnlbjZlNoEu+WmmtHLGWrAFddlqTgGtdkO9+319cVMX/"
    "v2PH+3yx+Xb88+Njuik+VCcndTCeCZWOKyhCKjssH7emaDlWsnF52DJbhFJz+IpdQCXs0i"
    "nQ3VLh9Aymo9qQPaDIUTcaE4Kg4BckbFT953NK+oS45FqIj3+S1Edke7CPNcLTuWDYcPMo"
    "xUspFtlQnXIkCVCdMrNLpZrRqTeW6wKVjHtEwE57XH7fYY3TYeKSO3XOW2kdxlJv80/5b/"
    "C4vBT8zHJGwi4vvU390tqxXryWQzgYiaTfVVLz+P3raWmu5bdr15H5YqWY/yIH0iCGR+Aq"
    "73KkC/w0XNmSuaOTfhFh+OYfVSAOQSI+4SMOzDfQG8AyjUkTXlA1dr/U0tNxCTfrzCMMvl"
    "1ewYDUPfh5Xo6ZVaYl0VDSz4ctQUV/Rd4EdsW268KIsXK/TAKwx2WrfuIzR3jhivt1zof3"
    "D1Fs+a8L7NptRDDjXJLjolYhhE4kbqqPODpV9wE8EjtYaVV3Qtuye3LrNMesKvIexpQF10"
    "ia1skjLtbQpZbnpmiXxjT7ZFiXKN6VzNLRH1tEULVF81mlGpM3mCMWt2HGlmRgziDvkQAD"
    "c0glF2olUn2QlZixW50orSfIabSUtsbiSkTq39larrFvjUFhizGrWAWk6rtgG1Z5s783AY"
    "KMe+UqUNBr6SJy828iXJtkLtTRU2V3E77ZdSdclXQzorSlGNrNIGg4n3tpyne4nTv+AKqk"
    "xiROK17Wwbbe6Z37dQJ77zuou+gkuOmnbEUna9KScqpzI9GZLYhc8qiRb+YFprbiMuZ1oq"
    "zSOWrzFjfWKzONhbolkc7FU2C3iVWxUhwihPmbmf1dRT97Wbuq9TuNQn94Q7EkPSqAqZph"
    "KtxWHTWWGVAwNTVbGxE06+iG5W5XnaViZAOEUieinijYPSRb2rS/bJZ2ToHQe1DEDWJRb8"
    "3IOX3nHwEzSD5/MN68bVtsM3rBuq614XrBmwZsBrZ8BiuvycEaeKAKcCi/mvcM4NKxZegv"
    "/KCYwJthicdJLu3eXUNfL081P7UJSdFoje3QU2hRWq1De5219Cg1ecuupOYEhAb77VVLjO"
    "XenzEDLRMpanY7H4NiG+OjYmZ3yLcFbPnmdUtmKL1qYnr/WmZL0p+eVjrPfMrqtL1ls617"
    "ilM1nyo0ze8prbVHc3TOD0efo6MLHqwMT3/wPM+dkU"
)
