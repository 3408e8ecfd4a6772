from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "reminders_reminder" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "channel_id" BIGINT,
    "message" VARCHAR(1500) NOT NULL,
    "zone" VARCHAR(64) NOT NULL,
    "recurrence" VARCHAR(200),
    "recurrence_text" VARCHAR(100),
    "first_at" TIMESTAMPTZ NOT NULL,
    "next_at" TIMESTAMPTZ,
    "until" TIMESTAMPTZ,
    "occurrence" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "failure_reason" VARCHAR(300),
    "last_delivered_at" TIMESTAMPTZ,
    "finished_at" TIMESTAMPTZ,
    "is_timer" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_reminders_r_guild_i_68116d" ON "reminders_reminder" ("guild_id");
CREATE INDEX "idx_reminders_r_user_id_f2682d" ON "reminders_reminder" ("user_id");
CREATE INDEX "idx_reminders_r_guild_i_c62396" ON "reminders_reminder" ("guild_id", "status");
CREATE INDEX "idx_reminders_r_user_id_b241d6" ON "reminders_reminder" ("user_id", "status");
COMMENT ON COLUMN "reminders_reminder"."channel_id" IS 'Where it is delivered; None delivers by DM.';
COMMENT ON COLUMN "reminders_reminder"."zone" IS 'IANA zone the times and the recurrence are taken in.';
COMMENT ON COLUMN "reminders_reminder"."recurrence" IS 'None (once), ``every:SECONDS`` or ``rrule:RRULE`` (calendar rule stepped in ``zone``).';
COMMENT ON COLUMN "reminders_reminder"."recurrence_text" IS 'The phrase the member typed for ``every``, shown back in lists.';
COMMENT ON COLUMN "reminders_reminder"."first_at" IS 'First occurrence: the anchor of a calendar rule (INTERVAL=2 counts from it).';
COMMENT ON COLUMN "reminders_reminder"."occurrence" IS 'Counts deliveries (and skips); the key of the pending job includes it.';
COMMENT ON COLUMN "reminders_reminder"."is_timer" IS 'A /timer countdown (shown differently; same delivery).';
COMMENT ON TABLE "reminders_reminder" IS 'A member''s reminder: once, or recurring by interval or calendar rule in its own zone.';
CREATE TABLE "reminders_watch" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "channel_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "interval_minutes" INT NOT NULL,
    "required_emojis" JSONB NOT NULL,
    "role_id" BIGINT,
    "paused" BOOL NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "created_by" BIGINT,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_reminder_at" TIMESTAMPTZ,
    "stopped_at" TIMESTAMPTZ,
    "reconciled_at" TIMESTAMPTZ
);
CREATE INDEX "idx_reminders_w_guild_i_d08d35" ON "reminders_watch" ("guild_id");
COMMENT ON COLUMN "reminders_watch"."required_emojis" IS 'JSON list of emoji keys (a unicode emoji, or ``name:id`` for a custom one); empty = any.';
COMMENT ON COLUMN "reminders_watch"."status" IS '``watching``, ``complete`` (everyone reacted) or ``stopped``.';
COMMENT ON COLUMN "reminders_watch"."reconciled_at" IS 'When reactions were last read back from Discord (reconciliation).';
COMMENT ON TABLE "reminders_watch" IS 'A watched message (seed 002''s ``event``): members who have not reacted get reminded.';
CREATE TABLE "reminders_log" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "reminder_id" BIGINT,
    "user_id" BIGINT,
    "occurrence" INT NOT NULL,
    "scheduled_at" TIMESTAMPTZ NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "status" VARCHAR(16) NOT NULL,
    "error" VARCHAR(300),
    "members_notified" INT NOT NULL,
    "late_seconds" INT NOT NULL,
    "delivered_via" VARCHAR(16),
    "created_at" TIMESTAMPTZ NOT NULL,
    "watch_id" BIGINT REFERENCES "reminders_watch" ("id") ON DELETE SET NULL
);
CREATE INDEX "idx_reminders_l_guild_i_555c38" ON "reminders_log" ("guild_id");
CREATE INDEX "idx_reminders_l_reminde_070974" ON "reminders_log" ("reminder_id");
CREATE INDEX "idx_reminders_l_user_id_4a1dab" ON "reminders_log" ("user_id");
COMMENT ON COLUMN "reminders_log"."user_id" IS 'The owner of a personal reminder (privacy export/delete); None for watches.';
COMMENT ON COLUMN "reminders_log"."late_seconds" IS 'How late the delivery was, in seconds (after downtime).';
COMMENT ON COLUMN "reminders_log"."delivered_via" IS '``channel``, ``dm`` or None.';
COMMENT ON TABLE "reminders_log" IS 'Each delivery attempt of a watch reminder or a personal reminder: pending, sent or failed.';
CREATE TABLE "reminders_watch_reaction" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "user_id" BIGINT NOT NULL,
    "emoji" VARCHAR(100) NOT NULL,
    "reacted_at" TIMESTAMPTZ NOT NULL,
    "watch_id" BIGINT NOT NULL REFERENCES "reminders_watch" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_reminders_w_watch_i_d8f625" UNIQUE ("watch_id", "user_id", "emoji")
);
CREATE INDEX "idx_reminders_w_user_id_62e5a3" ON "reminders_watch_reaction" ("user_id");
COMMENT ON TABLE "reminders_watch_reaction" IS 'One member''s reaction with one emoji on a watched message.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXP9T47YS/1c0/qVhhl5p4OAe176ZALkerxA6wPU6vXljK7aSqDh2zpLJ5fXxv3dXtu"
    "OvCbFJwIB/S2R9JHk/0mq1u/LfmsfG3LGYJ95chr+0Q/K35tAxgx9Fj7eJRieT1EMsk7Rv"
    "pyG6l4T0hfSoKaHGgNqCQZHFhOnxieSug7gOGbNxn3nfCRIBD4nrmFDV9aDI9D2PO0PSnx"
    "HuSObdUhsfmNRmjkWhhm8zeEK4FMSdOuR/rsPeYNeWa0LfAN1oL77Dv/pMl+6QyZGS4pf/"
    "QjH28I0J/PtFG/rctnRuYX0hqfSFBnW+aL5gXqYYsZMbfcCZbaUYCaqpcl3OJqrsiA9PHf"
    "lB1cUX7uuma/tjJ64/mcmR68wB8GpYOmQO86hk2IP0fCTF8W07ZDLiKXizuErwSgmMxQbU"
    "t5FaRAcDiMs0Xe9dXOtX3Wtd13K0R4gER2GR6To4ZWCoQglgiEP4/l/t9u7uQXtnd//d27"
    "2Dg7fvdt5BXTXe/KODu2AwsbSCppTMTn857V3jgFyYl8HUxYI7haGSBijFXCz9JIOrc5BE"
    "3c9EJPdlVEQFL5+LWPaJVbK66BOgRvJVJW+OqOMwu7Tw07hK8g+Fu0T88XZSXf7aZ1DZoN"
    "cl4YJYzOa38Nd6T3qg3aP/AveEk/P8llISWwtGx0wICj3n6DweUa+YzAQkwyS8znpW0jqo"
    "XH0pjek3HXb1oRzB3x/f7uwskervncvjj53LFlbbSgu3Fz5rhw/Tgkb7oIyUo/p1FrF22u"
    "l1lOVDwNQhksPUINSx1L/AhGJgUREKy0LSGwbWkpNfNlUbWUrj/t4KJO7vLaQQH6UJjIdS"
    "hsY0qhKZj6T5lJpqoQW8tU0Mg4G2mh1edY8veidXhoG2r2F4aPUeXl5+OutCUSttDAvJJh"
    "NmoVFsGMinYWzl2d5cN0vnQ3ulVd1esqjb+TUdk6tL9k1WmxdzaJ0nxzWsxcnIoyJYpMHR"
    "ieBQLTJQnCkiDWObiBEeh/rUvEGKbC6kyM+CNbS3XIuvpsSX6fA83QPuCanTAp5PgCBUXM"
    "VcJ3EZkq0Q+Cb6USPl/gGHTVwzmqiHiirqmCMgyB0QmjkMt8C66F7+3jn7uU1M1wdeyMBz"
    "x2AQFaiBdTeemQ1LyL8+Pe9eXXfOf0PYWIivtmKwc93FJ21VOsuUtvYz82TeCPl8ev2R4F"
    "/y50Wvqyh2hRx6qse43vWfGo6J+tLVHXeqUyvJU1QcFaWmnQP6ocKsS8DWMOkeR8+sbLO9"
    "JH5hMnO7LLtzUMNtnbmNFVye4IWn5TRoU96KPKc7JTeI40APh0dbDmZ7C+12ccMnYuu9Uu"
    "g3bIbaHH9OQJujQ/Uvtw8buWn70Bqo7/zWsL5mi0/Y7R/3Dvbe7e7vzQ/W85Jl5+n82Tl0"
    "0Zaw+mLE4x3rNGpKEKT2OKfn/VXMruyKTFhd+zmji3Lb95juMSpgZCWEnUfW2MKuKO/dle"
    "zc3SV27m7ezrUpmKtzB1YF06OwgWajqvNGNeAOF6NKbGegDc915pkLHUnwCvz3rmsz6iwI"
    "HiZgGYL7gNvU3jUvKWGVdMgPaqjBMdFC50Er8CFYfDAAheRIe/aeCBBIZGPMCg6o1ZtZff"
    "YcXVycpSbO0WnGYd/7dH7UhR1TzRioxOWiyAzscrLS8k0jn49/4tUsX8wAGNwkotBYgP6w"
    "KfUsPffEbbuL6uYfjdvjbAl16FCRhNLEceZTP87cobY8OQRrbK+cH2KHte9NDelSczRfbY"
    "RKycYTGbiLplTCs6hN9CNTOBt4YPlRO5HhER4XtomABYy10EpkVn79b7ar+5NEmryPJu+j"
    "yT7IhFuCpVVa/BnghvIPXj4BT5J48yiCVwEpMO5YGHzIqXPSmnj8lpozwr5NXE/+AFsDk2"
    "wrTO/AmJXaFtiCYNca267FVHjJjs2yq3B9DkXg2PLtSmZ8FtsY8rUz5FNUg01YheUY1vhZ"
    "as3v84gNhGeU5xocYJ7nFriyFgt5DmhCASuFAoLEHAHTXHJotsD0W7jZF0GbLT+75dvw3r"
    "pg0ItVoC0WCjcLq61gtY/ulOBoVbB27k+ZUrGN6VzhK5AWHUgwhNHNintXgT/2Ae1smMI4"
    "0HXLaRlllAPWWClphhEm8WNOnmFY4yBZs1d4ueq+yo+8TTTO8Vdhc6lDcmn/RBJV45spNX"
    "QN5QITGSryPHxwPcaHzq9sprg4hYHTYm9AHFL4HDX1vGi4i+ZZVBoP0aPTuV8/Nf3g/QPX"
    "Dz6AAZDep7Mz7e7J4j2B6IsjPXNaVozxzGfEKheAA3eXRcKrRqQlGPzb2Wl/J4LUcEcaxt"
    "ZhmDcuyHTkkhG9ZQSMTQIq24RZQoZMRi62gvjOpjppIjs11ljbTWSnRlzU4l5p3QyyJ70G"
    "WpqANG49BLwaXRSLX3Jpl7pWOAfU+XpoRUfWRq7qRd/w0GGr9iUr42spgr4kVbM2R4jHvv"
    "oc3Rls7P7FC0T8n6uL3qIIfQ6aPWxzU5L/q/t/G/OG/zTwHROlSPqwrUvuiDfY379LusfV"
    "e6qRYsBXvRHeWEDvFIEBma7FgtLt4Loryu+QW4ahQr2UmL6Q7pi4DoaAMe1oRn4m1Jnljd"
    "hNdrS6owBHkfIRRCuxdd75I7tIj88ujrKHf2zgKDuZXLv8dpQANUf5qpvRhPqiyNO/NEE4"
    "BtU7PXgdjrE1pu0+kzChOiqXjxNqhhEhA0ew6Y4n6N/AW/3qgjfmt4RH6a1AR4FGwuv9hl"
    "HkVX5ga0/kdu7PSp5qUrhGkVU+VTZu/9fg9le3zeYpnhVvq2XwTXJNnRkPtXqV/KkUsmG5"
    "zix7GNM3ebV0yBz42XCNn5FzAjMGCgSZ4kflUEdhmRV8CEd9+uSEC9P1LNKK3pVTRBTkTq"
    "ylxRc200rcqkpsNcFFpYwpF4I+/HrJbCWwpfHMzBWpWsy5B0c1Mws3nGkPlpUKMl6GzT1f"
    "MysvrscI3M7ltiSAm5RtmUCu7iWB90Z0LxyW/NxyACVTLkfofAo9V1BCs0HZvC57WFMF0d"
    "kvcbJC4qqKaif4+nITuq3HwW5x6Lb5IPBTHbGDZZKT+5IE7AjwAgNXG/noYOjPqmQCJ5GN"
    "E6N2JmgNchfrRulrTV6sGw8Pzl487lwdd066j5u8ePcPnTclAQ=="
)
