from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "gk_audit_log" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "actor_id" BIGINT,
    "action" VARCHAR(32) NOT NULL,
    "target" VARCHAR(200) NOT NULL,
    "before" JSON,
    "after" JSON,
    "at" TIMESTAMP NOT NULL
) /* Append-only record of every flag and settings change. Rows are never updated or deleted. */;
CREATE INDEX "idx_gk_audit_lo_guild_i_6ca585" ON "gk_audit_log" ("guild_id");
CREATE TABLE "gk_feature_flag" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "enabled" INT NOT NULL,
    "changed_by" BIGINT,
    "changed_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_gk_feature__guild_i_99a7e3" UNIQUE ("guild_id", "name")
) /* Whether a plugin (``leveling``) or sub-feature (``leveling.voice_xp``) is on in a guild. */;
CREATE TABLE "gk_setting_value" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "plugin" VARCHAR(64) NOT NULL,
    "key" VARCHAR(64) NOT NULL,
    "channel_id" BIGINT NOT NULL,
    "value" JSON NOT NULL,
    "changed_by" BIGINT,
    "changed_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_gk_setting__guild_i_bf12be" UNIQUE ("guild_id", "plugin", "key", "channel_id")
) /* A guild's (channel_id = 0) or a channel's override of one plugin setting, JSON-encoded. */;
CREATE TABLE "gk_user" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "display_name" VARCHAR(100) NOT NULL,
    "first_seen" TIMESTAMP NOT NULL,
    "last_seen" TIMESTAMP NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "locale" VARCHAR(16) NOT NULL
) /* The core user registry: who a user is and the preferences several plugins share. */;
CREATE TABLE "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztWltT2zgU/iuavCydASbkBtuZfQgUttmB0IHQ7vQyRrGPHQ+KlMoykO3y31eS7fiSxI"
    "kpyYbUT7GPzicp35GPvyP5R8VkHPbbvuWKc+ZU3qIfFYqHIC8yLbuogkejyK5uBe4T7ejc"
    "GVi5GST063uCY1PINhsTD6TJAs/k7ki4jCpEezQCau0xSsaIg+zQQsxGcA98jGyCHYSphT"
    "wQwqWOh8wBpg7soyv24CHMAVHlifyRhQVIJEcWEJCX+2p0i5lyeAlc9UA+db/7YAjmgBgA"
    "l8N9+SbNLrXgEbzodnRn2C4QK0Wta6kOtN0Q45G2HbtOh4oz7av+Rt8wGfGHNPYfjcWA0Q"
    "nApUJZHaDA1fykTXBfsU19QsLgRAEIJhu7BLNMYCywsU9UzBQ6mEBsqxhG97JnXJ/2DKMy"
    "Fc8IkWA+NJmMqrUgp+ppAhw1hb3fa7V6/bBWrbeOmo3Dw+ZR9Uj66vlONx0+BZOJ2Qq60p"
    "x1/ux0e2pCTC64YDUqw5PGYIEDlA5GzL7ju7KnojFIohZHIuI9LxSRYftjEXMv0wLjhblP"
    "op7FfUhsDvVxptpm7tU8p5g/GWA+l/cQkWFd/pmXWfHrpX2IHw0C1BEDeVuv5TD6sX118r"
    "59tVOvvUnT2g1baropTbDAXL4LihAcI7aQ4Fq1ugTD0msuxbotzXEf7FB/pDn+6/qyO5vj"
    "GJHh2HJNgf5FxPVeYQrJYVZRoXoeet53kiR056L9d5brk/PLY80N84TDdS+6g+Ns8rAF8C"
    "K0TwAl6z/B+oxs8k6yJdwhzKF9VjaxQsh+dPEKc0sO9b3Oxel1r33xIcX/u3bvVLXUtHWc"
    "se60MjGZdII+dXrvkbpFny+7p9kwTfx6nytqTtgXzKDswcBWkpPIHJmeVDFg3yUEqTL0sX"
    "n3gLllTLWwGpvnO900rA2zFkyxo4Ok2HzaDcu5M8DC53AmS5/KVK2XbNzNLffswNOwI9eF"
    "Fd+ngS6SEEYj4jsuRTu3t0RWV0SG/Pb2jaqtPL+/F3acbN2/Z64JxuNIubkeYhRJOEZaj0"
    "9XfKsa6Cv9SrsMcfaAhoCph+QoKFzkyOZsiPpM7As2lEsXJAW6PZjCb550NIksKK0IMa+A"
    "/JIqM3R0vpVF5eaI6ddYVP4ClY3+LSC7I/8tFN0HS4nugxzRfTAtuoGq/z5rbTNGZDaczX"
    "IClSG6L2GvkOm8dXp5eZ5SH8edzKrt3lwcn0rmNe/SyRVzFnOwC2kZ/XGxXJLGldskz00m"
    "EY/FtXcaWWrwUoPP0uDXwXHDR0x0SDMiPNWar8LDcwvjfuK7+OAlULNSke6oxUqBSPGB/k"
    "BVLYwxCo2ynd0D564F6ryE0UjKRmclu0hVq3tATWbNPHdZ3TgLVXPQg7q6A50K4xmUYnqT"
    "Um4ppjcoGDH58fOzrJyOEVsoqFuNJfR0qzFXTqumNMFhWlqW3dC9pHYJahOpvrB2jnHrSx"
    "7VrcocEyGy7BnBBPBTZwSbtsjXfUhQFoxlwfj6HoWyYFy2YLzxgH/gzHbJjHox2bibWy76"
    "XnAeu7hK7A0AqR6QgiAOjszDfPwWPQyYrN200fX0p3P6kIODDVyWaODJsk2Wc5iEVZy8l6"
    "oGpsvDVQywgZ/jLfOAltWefNt7I4LHRtFd/CxuCxXySnbzbZd7wvAAZhR5+e+rNLJ8X23c"
    "+yoZZoKfGeUUsAzyRgdZheAfRgvlzSRmfTmzctM7qawlab78tgJhJiaFOI4Ra2QY6N7N9X"
    "o4Pmgt817KPhmJ11JLcbwR8roN3DUH08o6tOeIahx7LNLU82l+Yd36q5xQ1A4ah42jeqsx"
    "kaoTS55CXaxGZX3hFfxMPgHZQg1aazaX+Yy72Zz/Gbdqy3zYKh+pAgyH7lvI7koUvhxRAJ"
    "2xHTV/KzYBKTdjC27G/q+vsaf/AJP4R9w="
)
