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
COMMENT ON COLUMN "reminders_reminder"."is_timer" IS 'A countdown set with the timer command (same delivery).';
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
COMMENT ON COLUMN "reminders_log"."user_id" IS 'The owner of a personal reminder (for privacy export and delete); None for watches.';
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
    "eJztXG1T4zgS/isqf9lQxU2xgYE5dveqAmRuuIVwBZmdrZ26shVbSbQ4dsaSyeT2+O/XLd"
    "vxa0JsEjDgb4msR5L7kVqt7pb/0jw24Y7FPPHuOvylHZO/NIdOGPwoerxLNDqdph5imaQD"
    "Ow3RvSRkIKRHTQk1htQWDIosJkyPTyV3HcR1yIRNBsz7QZAIeExcx4SqrgdFpu953BmRwZ"
    "xwRzLvjtr4wKQ2cywKNXybwRPCpSDuzCH/dR32Dru2XBP6BuhWe/Ed/s1nunRHTI6VFL/+"
    "B4qxh+9M4N+v2sjntqVzC+sLSaUvNKjzVfMF8zLFiJ3e6kPObCvFSFBNletyPlVlJ3x07s"
    "iPqi6+8EA3XdufOHH96VyOXWcBgFfD0hFzmEclwx6k5yMpjm/bIZMRT8GbxVWCV0pgLDak"
    "vo3UIjoYQFym6Xrvqq/fdPu6ruVojxAJjsIi03VwysBQhRLACIfwt7+32/v7R+29/cMP7w"
    "+Ojt5/2PsAddV484+O7oPBxNIKmlIyO//nea+PA3JhXgZTFwvuFYZKGqAUc7H0kwyuz0ES"
    "9TATkdxXUREVvH4uYtknVsn6ok+AGslXlbw5po7D7NLCT+MqyT8U7grxx9tJdflrX0Blg1"
    "6XhAtiMZvfwV/rJ9ID7R79F7gnnF3mt5SS2FowOmFCUOg5R+fpmHrFZCYgGSbhdTazkjZB"
    "5fpLaUK/67Crj+QY/v74fm9vhVR/61yffupct7DaTlq4vfBZO3yYFjTaB2WkHNWvs4i180"
    "6voywfAqYOkRymBqGOpf4FJhQDi4pQWBaS3jKwlpz8sqnayEoaDw/WIPHwYCmF+ChNYDyU"
    "MjSmUZXIfCLNp9RUCy3gnV1iGAy01fz4pnt61Tu7MQy0fQ3DQ6v3+Pr680UXilppY1hINp"
    "0yC41iw0A+DWMnz/b2ulk5H9prrer2ikXdzq/pmFxdsu+y2rxYQOs8OfqwFqdjj4pgkQZH"
    "J4JDtchQcaaINIxdIsZ4HBpQ8xYpsrmQIj8LNtDeai2+nhJfpcPzdA+5J6ROC3g+A4JQcR"
    "VzncRlSLZC4LvoR42U+0ccNnHNaKIeK6qoY46BIHdIaOYw3ALronv9W+filzYxXR94IUPP"
    "nYBBVKAGNt14ZjasIL9/ftm96Xcu/42wiRDfbMVgp9/FJ21VOs+Utg4z82TRCPly3v9E8C"
    "/546rXVRS7Qo481WNcr/+HhmOivnR1x53p1EryFBVHRalp54B+qDDrErANTLqn0TNr22yv"
    "iV+YzNwuy+4C1HBbZ25jBZcneOlpOQ3alrciz+leyQ3iNNDD4dGWg9neQrtd3PKp2PlJKf"
    "RbNkdtjj+noM3RofqnO4CN3LR9aA3Ud35r2FyzxSfs9o8HRwcf9g8PFgfrRcmq83T+7By6"
    "aEtYfTHi6Y51GjUlCFJ7mtPz4TpmV3ZFJqyuw5zRRbnte0z3GBUwshLCziNrbGFXlPf+Wn"
    "bu/go7dz9v59oUzNWFA6uC6VHYQLNR1XmjGnKHi3EltjPQhuc688yFjiR4Bf5717UZdZYE"
    "DxOwDMEDwG1r71qUlLBKOsH50EKvgWCSzLgcLzyLHjycTNCcaAmQSGRkzAtOqI9oZ/35c3"
    "J1dZGaOifnGZd97/PlSRf2TDVnoBKXy2IzsM/JSgs4jXw5Hoo3s4AxB2B4m4hDYwF6xGbU"
    "s/TcE7ftLqubfzRpT7Il1KEjRRJKE8eZT/64cEfa6vQQrLG7doaIHdZ+MDmkS83xYrURKi"
    "WbTGXgMJpRCc+iNtGTTOF04IHtR+1Ejkd4YNiFRe1IrIV2IrPyCmC7XT2cJtJkfjSZH03+"
    "QSbgEiyt0uLPALeUgfD6CXiW1JsnEbwKSYGtx8LwQ06dkxYGpqYev6PmnLDvU9eTKk4NWw"
    "STbCdM9MBKantgS8JeW+ijFlPjNbs6y67KzbkYgWPLtyuZ9VlsY9jXzrBPUQ02YhWWY1jj"
    "eak1vy8jWhCeWV5quIB5nlvg3Fou5AWgCQ6sFRwIUnUETHPJodkCU3DpZl8Ebbb87JZvw3"
    "vrgkEvVoG2WCrcLKy2gtU+uTOCo1XO1IV/ZUbFLiZ4ha9AWnQowSBG9yvuXQUO2ke0s2UK"
    "49DXHadllFEOWGOlpBlGmNaPWXqGYU2C9M1e4XWrhyo/8TbROMvfhM2lDsml/RVJVI3vqt"
    "TQVZQLVGSoyPPw0fUYHzm/srni4hwGTou9AXGI4UvU1Mui4T6aZ1FpPESPzhZ+/tT0g/cP"
    "XD/4AAZAep8vLrT7Z4v/BKIvjvwsaFkz5rOYEetcCQ7cXRYJLx+RlmDwb2+v/YMIksUdaR"
    "g7x2EmuSCzsUvG9I4RMDYJqGwTZgkZMRm52griPdvqpIn01Fhj7TaRnhpxUYubpnUzyJ71"
    "YmhpAtK4zRDwZnRRLH7JpV3qouECUOcLoxUdWVu5vBd91UOHrdqXrIyvpQj6mlTNxhwhHv"
    "vmc3RnsIn7Jy8Q8b9urnrLIvY5aPawzU1J/qduBG7NG/7z0HdMlCIZwLYuuSPeYX//KOke"
    "V++pRoqBX/VGeIcBvVMEBmS6FgtKd4MLsCi/Y24Zhgr1UmL6QroT4joYAsY0pDn5hVBnnj"
    "dit9nR+o4CHEXKRxCtxNZl5/fsIj29uDrJHv6xgZPsZHLt8ttRAtQc5atuRlPqiyJP/8qU"
    "4RhU74ThTTjGNpjG+0LChOqoXD5OqBlGhAwcwaY7maJ/A+/5qyvfmN8SHqV3Ah0FGgkv/B"
    "tGkVf5ka09k9t5MC95qknhGkVW+VTZuP3fgttf3T9bpHxWvL+WwTfJNXVmPNTqVfKnUsiG"
    "5Tqz7GFM3+TV0iFz4BfDNX5YzgnMGCgQZIafmUMdhWVW8Gkc9TGUMy5M17NIK3pXThFRkD"
    "uxkRZf2UwrccsqsdUEF5cyplwI+vjrNbOVwFbGMzNXpmox5x4d1cws3HCmPVpWKsh4HTb3"
    "cs2svLieInC7kNuKAG5StmUCubqXBD4Y0b1yWPIDzAE0uGOLZ7bAcwUlNBuUzeuyxzVVEJ"
    "39GicrJK6uqHaC7zE3odt6HOyWh26bTwQ/1xE7WCY5ua9IwI4ArzBwtZXPEIb+rEomcBLZ"
    "ODFqZ4LWIHexbpS+1eTFuvHw6OzF087Naees+7TJi/f/ByYuKr0="
)
