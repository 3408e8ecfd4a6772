from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE "gk_audit_log" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "actor_id" BIGINT,
    "action" VARCHAR(32) NOT NULL,
    "target" VARCHAR(200) NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX "idx_gk_audit_lo_guild_i_6ca585" ON "gk_audit_log" ("guild_id");
COMMENT ON COLUMN "gk_audit_log"."before" IS 'JSON text, like SettingValue.value.';
COMMENT ON TABLE "gk_audit_log" IS 'Append-only record of every flag and settings change. Rows are never updated or deleted.';
CREATE TABLE "gk_feature_flag" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "enabled" BOOL NOT NULL,
    "changed_by" BIGINT,
    "changed_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_gk_feature__guild_i_99a7e3" UNIQUE ("guild_id", "name")
);
COMMENT ON TABLE "gk_feature_flag" IS 'Whether a plugin (``leveling``) or sub-feature (``leveling.voice_xp``) is on in a guild.';
CREATE TABLE "gk_setting_value" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL,
    "plugin" VARCHAR(64) NOT NULL,
    "key" VARCHAR(64) NOT NULL,
    "channel_id" BIGINT NOT NULL,
    "value" TEXT NOT NULL,
    "changed_by" BIGINT,
    "changed_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_gk_setting__guild_i_bf12be" UNIQUE ("guild_id", "plugin", "key", "channel_id")
);
COMMENT ON TABLE "gk_setting_value" IS 'A guild''s (channel_id = 0) or a channel''s override of one plugin setting.';
CREATE TABLE "gk_user" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "display_name" VARCHAR(100) NOT NULL,
    "first_seen" TIMESTAMPTZ NOT NULL,
    "last_seen" TIMESTAMPTZ NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "locale" VARCHAR(16) NOT NULL
);
COMMENT ON TABLE "gk_user" IS 'The core user registry: who a user is and the preferences several plugins share.';
CREATE TABLE "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztWm1T2zgQ/iuafDk6AxkIELjO3IdAacsNJJ0S2k5fxlHiteOJIqWyDOR6/PdbyXb8ks"
    "Q4DORCmi8Qr/aR5Gfl9bOSf1V6QkK1EdieuhBu5TX5VeF0CPgj17JNKnQ0iu36UtEuM47u"
    "wKLazWKRX9dXkvYUtjmU+YAmG/ye9EbKE1wjGqMRcHtHcDYmErBDmwiHwA3IMXEYdQnlNv"
    "FBKY+7Pun1KXehSj6KW59QCYRrTxKMbKoAkZLYwAB/VvXotujh8Ah87oEC7v0MwFLCBdUH"
    "icN9+4Fmj9twB358ORpYjgfMzlDr2boDY7fUeGRsJ557ztVb46tvo2v1BAuGPPEfjVVf8A"
    "nA40pbXeAg9fzQpmSg2eYBY1Fw4gCEk01cwlmmMDY4NGA6ZhodTiCxVSyr2WpbV2dty6pM"
    "xTNGpJiPTD3B9VrAqfqGAFdPYefPWm1//6i2u18/Pjw4Ojo83j1GXzPf6aaj+3AyCVthV4"
    "az83fnzbaekMAFF65Gbbg3GKpoiDLBSNh3Aw97WjQGadTDkYh5LwpFbFj/WCTcY1oQcmHu"
    "06hHcR8RW0B9kqnWmXs9zynmT/tUzuU9QuRYx5t5mhW/XNqH9M5iwF3Vx8v9WgGjnxofT9"
    "83Pm7t115laW1GLTXTlCVYUYnvgkUIThBrSHBtd7cEw+g1l2LTluW4C06kP7Ict+FuTvJI"
    "EI/ieDmpo/L3VatJFN7ENmHeAMhVKEo+URZA9cb8nVI3JTG5IBXEpH32xWSRoe//ZOlQbF"
    "02vpgoDcdRy0Wr+S52T4Xu9KJ1kk87jgK5SMAmgBWOV+lHYulsz8g/b5At5Q1hDt2z8o8d"
    "QarxjxeYjYqoP788u2o3Lj9k+H/TaJ/pllqG+9i6Vc/lqUkn5PN5+z3Rl+Rrq3lm6BS+cq"
    "UZMfFrf63oOdFACYuLW4vaaU5ic2y61+WDM0hJWG3o0t7glkrbmmoRNTHPd7ppWBvmLZRT"
    "1wRJs3m/HRWAb4GqQMJbLJYqU9VhunG7sEB0Qk/LiV0frBE/901ZRSgZscD1ONnqdBjWYw"
    "xD3um80tWYH3R3oo7TrdUb4fXAuhtpN88nghOEU2IU/HQWfa6BvvPvvCmIFLdkCJT7BEch"
    "0SInjhRD0hWqqsQQly4gBaY9nMIfPjr2GJagdoyYV3J+yxQmJjo/NmXo6sjvl1iG/ga1kP"
    "m/gFCP/ddQpu+Vkul7BTJ9b1qmA9f3PmttC8EwG85mOYXKEd1F2AtkumidtloXGfVxcp6X"
    "d9eXJ2fIvOEdnTw1ZzGH+5a21R0vlkuyuM3GymOTSczj4to7i9xo8I0Gn6XB03X9tAjPtB"
    "ar8Oikw7qZ+D58VBOqWVSkW3qxcmAoPshfZNcIY0oiI7aLG5DSs0GfsAgeS9n4dGXG2cxT"
    "9ayFtrn78NBmsitCgPeEjRK6OzbaenLO44O8QeH+mrSFVMLzAcfQKPOMEkUHuifSxc6+80"
    "4HZ9zpEEfPiUmg9ngn7ldjtokv0NmMFw0QbsZ0Ou+BMYHQWxFgt1worAUCbu8gA6Nycj68"
    "Uf1rACZHJ0RtVP4qvQs2Kn+FgpGQnzw/ZXV+glhDpV8/KCH06wdzdb5uyhIcpaWy7EbuG2"
    "pLUJtK9QuL+gS3vOSxu1aZY6KQyh5aTABrsbiXfWqxqWA3FewLfBQ2FWzJCvYaS64PUjge"
    "m1HAphu3C+vXwA8Phh8uW9tY7+keiIYQCa6HiPFrctvX1Zoxer75+s+cukhwQGJZB7o4xG"
    "qTsqjIxGtUMzPO3p9jgBX8orDMA7qp8iq2548YHVuLHivkcWshHpZwvOB40leWDzCjuCt+"
    "X2WRm/fVyr2v0mFm9JFRzgA3QV7pIOsQ/CP4QnkzjVlezqxct08rS0maT7+dwESPsoU4Th"
    "BLZBj4zvXVcjjeq5d5L+WfjNRrqa45Xgl53QDp9frTyjqyF4hqmng8pKnn0/zEuvV3OZmo"
    "7R0cHRzv1w8mUnViKVKoD6tRrC/8Bb/0T0HWUIPWDg/LfIl+eDj/S3TdlvvSFh+pBRiO3N"
    "eQ3WdR+DiiAj5jO2pyUDu9FZVA8pLP6ynyL2FYo79AtgvI1WQUb8bm911zAk53cPJ/v8bu"
    "/wNSYo5E"
)
