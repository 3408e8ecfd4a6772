from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# Every per-command row becomes part of its hour's counts (guild 0 for direct messages) before the
# old table goes, so /stats shows the same figures right after upgrading. Users are not carried over.
COPY_USAGE = """
INSERT INTO "gk_command_usage_hour"
("hour", "guild_id", "command", "plugin", "uses", "failures", "latency_ms_total", "latency_ms_max")
SELECT date_trunc('hour', "at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', COALESCE("guild_id", 0), "command", MAX("plugin"), COUNT(*),
SUM(CASE WHEN "success" THEN 0 ELSE 1 END), SUM("latency_ms"), MAX("latency_ms")
FROM "gk_command_usage" GROUP BY 1, 2, 3;
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "gk_command_usage_hour" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "hour" TIMESTAMPTZ NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "command" VARCHAR(100) NOT NULL,
    "plugin" VARCHAR(64) NOT NULL,
    "uses" INT NOT NULL,
    "failures" INT NOT NULL,
    "latency_ms_total" BIGINT NOT NULL,
    "latency_ms_max" INT NOT NULL,
    CONSTRAINT "uid_gk_command__guild_i_680557" UNIQUE ("guild_id", "hour", "command")
);
CREATE INDEX IF NOT EXISTS "idx_gk_command__hour_49a0c6" ON "gk_command_usage_hour" ("hour");
COMMENT ON COLUMN "gk_command_usage_hour"."hour" IS 'The start of the UTC hour.';
COMMENT ON TABLE "gk_command_usage_hour" IS 'Uses of one command in one guild during one UTC hour: counts and answer times, no users.';
""" + COPY_USAGE + """
        DROP TABLE IF EXISTS "gk_command_usage";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    # The per-command table comes back empty: hourly counts cannot be split into uses again.
    return """
        CREATE TABLE IF NOT EXISTS "gk_command_usage" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "command" VARCHAR(100) NOT NULL,
    "plugin" VARCHAR(64) NOT NULL,
    "guild_id" BIGINT,
    "user_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "latency_ms" INT NOT NULL,
    "success" BOOL NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_gk_command__at_7fdd22" ON "gk_command_usage" ("at");
CREATE INDEX IF NOT EXISTS "idx_gk_command__guild_i_b18e20" ON "gk_command_usage" ("guild_id", "at");
COMMENT ON TABLE "gk_command_usage" IS 'One command use: what, where, who, when, how long, whether it worked. Written in batches.';
        DROP TABLE IF EXISTS "gk_command_usage_hour";"""


MODELS_STATE = (
    "eJztXeFz07gS/1c0+UKZl3ZKCoUrPOaVAkdvSsvQ9Lg5yjiKrSSmjhQkuWnu4H9/u7IdO7"
    "bjxqVJ3eAv0Ei7kvJbabW7Win/Nmwh2da+77j6SPQbe+TfBqdDBn+kapqkQUejqBw/atr1"
    "DGH/wqJIZnkhXVdpSW0NdT3qKQZFDlO2dEfaFRw59kcjxp1Nwb0JkQwadIjoEXbJ5IT0PN"
    "onlDtEMa1d3lfEHlDeZ1vkoxgrQiUjHCmJP3KoZsApicM8Bn9uYe+OsKF7YFx2Rz53v/nM"
    "0qLP9IBJ6O7zFyh2ucOumIo+ji6snss8ZwZa18EGTLmlJyNT9srtH3L91tDi1+hatvD8IY"
    "/pRxM9EHzK4HKNpX3GmcTxQZmWPqLNfc8LhRMJIBhsTBKMMsHjsB71PZQZcgcDiMsalnV8"
    "0rZO37Qtq5GRZ8SRQD4ssgXHuQBDVQaAPg5h87dWa2fnaWt7Z/fZk8dPnz55tv0MaM14s1"
    "VPfwSDidEKmjKYHf5+eNzGAQmYcMFsxIIfhodqGnAZYcTo930XWiorgyTX9ZKIcC8SRVSw"
    "/rKIsQe1IGRp7JNcN8I+BLYA+lhTrTP2OM4M8gcDKufiHnKkUIcvczszfrWwD+mV5THe1w"
    "P4uNMqQPTP/Y8H7/Y/buy0Hs7CehzWtEzVLMCaStgLygAcc6whwK3t7QUQBqq5EJu6WYy7"
    "rBfaH7MYt9nVHOURc9wI49WojsYfpyfHRMOXaBLPvWDkNDBK/qSez7Yuzb8Z62ZBnpSQCm"
    "TSfvOX0SJDpb55SVFsvN//y0hpOAlrjk6Of4/IE6I7ODp5lVY7Pc1kGYFNGSosr4WXxMrR"
    "ztE/rwEt7Q7ZHLjz9I8TsmxFf9xDbVQE/eH7N6ft/fcfZvB/vd9+gzWtGeyj0o3dlJ6aNk"
    "I+HbbfEfxI/j45fmPgFEr3pekxpmv/3cAxUV8Li4uxRZ0kJlFxVPQD3YfeRcKExYIutS/G"
    "VDpWpka0xDzabNWwNUyXUE77RkiI5o9m6AAeiCHUOKcTbp9qkH0j4yJmKJqFrqIdkFsK6B"
    "fzFj+AD2asb1jcA0agbc+1KdaSsDFiSwY9K6LA3dNEC4dOmsa3o3xCsCeitOt5ZExd1JBZ"
    "VbqEPs75OX/tKuN0Us9DnxL2s2kzo6hH8xc09tz0bAsfWle+vHQvgQqmENgIGnoVprordO"
    "CVnnMFni24qaTrexdEQNFYupoBFdVkLHxomF3ZDPxWV2+RTgcdYRhWp0NQesq0NvL8vstV"
    "wIMOL3zdrq/P+XggFIu+uSLR13AEMHIYwoBeMjJh+jn0j0ImX0UXxgpwAgG01engh4lFda"
    "dTO8vVdxKq7yz/MqKIof/mCxAKaIb8HT0f+Rmmok29Oht6ow2q6Kx9gEoQNEeoIEFRGV2o"
    "UMdwNja1oTLsSTEk/zApsor8J9ta3IRAsyAlsLC3rLjmrpMEx7JiSlkJbS93lbQePX76+N"
    "nO7uPp4piWFK2J7PwPd6wyrkOCZXUOdaNRcr4bi2lTsRE1Qwm34XBfTm29aE0QcGBh4qKN"
    "8Zyw4UhPgIpxAjxYll0Ey+jgjv2ayJ4o690k+W7Bx7lH3uV9cHFmJUxVXnhy/mqPOSocKW"
    "h8GkyMse1RpQM/wTbWOdrRPZe7agBuRGCPU2cISw6+FqxLsNoz6/rnmrrjFRweo91gDc9y"
    "1pGKyi3jKkUqzhRUvhO+bMyLVMQUzYUiFT7SW4OI4dp4xZmCXVb0wJmebrO4k+LHwOF3fJ"
    "wNpgBNVWx5LzRQw4CCGjNJcDKrJixu4ismVVYdLKsjjFx0OpEPB8azq8i2sREcVzJbEyBH"
    "TNQeOT47OlLhOTlM6p7nQjWMgZJgbZF4pjfDGMY590fQjQ6jDg4oKC2AQYpxGLdwuakPTH"
    "UcPKP2wIwSqzTotHkxhc8znmckshCbxpdUyOFzQPGlDj1UMvQQia/MVhHx3J9NwnisxhfF"
    "pawH8VLNd27nk67ZppK0HaoShbrr89U7iUNF6jOD/fxz7QTLGh5sP1roYPtRwcH2o+zBdu"
    "CjlwE55lhDjHcfLwDx7uO5CGNVyv9QpUJzEfk6KY5bC831qOv5shSeSZYa0xxMPfjq3J5Y"
    "QwUmraZeub0uj3udYF7xnpeAE9RSiWmeZVwnKfzUZK9ElOAtoxrU0FuP5mS7JyubhbGBXk"
    "Bp9SLSa6MCnwbGSwWvNozGb3Q6HvjNnjmUf4jZ5crvboYNJ2u3LoVrM+tqhGTgigseeNjG"
    "vM0LEi6nI4wKHAvjpg8Z5UGYMZxowSlaV+gtLYYwfRhAkMgweKCA0PaoZE7EsZgHb6STdt"
    "trd72S7nrto93hfmX+L+E7RPRr6DksxTtjHL973twWwgNtmI9ygisFdBfY7iHSRfP05ORo"
    "Jpz06jB9KHT2/tUbQN7gDkSunhdwMPewHKubk/lSpEtm+eqLIjcO+IQ4lj+pm+W8P0HY+q"
    "RulTb4ByaHrlIA/UdhvnbKDE/VF1vioymxJSPq6y+gEqTFlBcm8eiKak3tAVin5iQqbpIY"
    "05hsDIWDs1TIJnG+bm1tPSRjVw8CC3dKrKJDuJx7qMvv71pb2jSNf+BQsKy2qyukfWu7uk"
    "LCSMSBokWzqGE9ZVhDy/r2b0xGqqjU1E4w1TP75reBHecGJnaSqzawy2BfCcvrFI0OH1zS"
    "P0Q3a3fN1BZbXV9DiuvDnkJeJEKRQoa3nCR7SFTU3x6RPsd4o23sGyJs25eSwcdm9ipUTs"
    "Tz9vsIUqDgg/ZVp7NHwsRysvkSm+H454btUXBinMA0o2C6UQUdAoWDOUvfCZ54QfV3oi7c"
    "0Yg5z0mnMwAhdTp4wQrqzDAByQcqGruriOMqEzTA0KurVRh8JR8ZDhf7BQYoFQTnA9qP0d"
    "AiC/Gcc3aFV7AcMAfxApZJ9ep04i8MRf8hjxa8l/W5EaBgUDctNoDic+L0OWlqhLR1SlU1"
    "bck6yWDJSQYXbrlEmYi+BncBcO/IE/plTZaZ9CQ68QTNgb7gMlbMUuXpHT+jQTYUm31Fwy"
    "Q9jwcTc8MC6cw3fVjwFEe5Nu74Ska4n2dkWhzkjbnqAG/lArxJ8caG26LbUcyxwuuTiUub"
    "Kzgd3F3kcDAttcTZ4G56V6Ja45XJMrlwSZb63m96q4kdlRKQzjLVoGYT2pS2mJSi1FNMs1"
    "wVvmV5K/p9GVusiQpYYszz3sAqCiPPsK0D8sv2DgLIfK7dnIB9sUWTYq3viVfZqrlgOTHr"
    "Ag+b5QWrb7aClhFBCi51hVFK+UAR1wHbQJgsYgKD34sqMcanx67NgkgfxhihmgzpBd4C5S"
    "aSOOfK2G22vvonHyWbbw/Ml/ssV4UVaOMY4G2S84Z5lnrvhWIAsaNenjcwVfe8YUvB916w"
    "qxGsITz2f/m/F4f7x/vkH2ADoqzIb6G9YhO6tVCCXasgwa6VEXLwEs6Nco5mOGuXtNLKO3"
    "il4kZyTrHWm3TV5FyNE85E5K2RPeFM1jYLTzjDXwWwLqe0C2SVmVgz7LIbmAjJmWe5Dvkv"
    "2TaXLigJC6Een2uUsBVHrzeEx39hn3n5Y7fUMp5rmm8f/MBBHLaEjVI4zCHd4IWZ6W8iYM"
    "IaWAV7pC2kFq5i0Mc0iEm0MQ8o6UJjwYGp7HSC16Q8fHtmshm1izzmBQga9Bd2EDxc3Om8"
    "Y54ngHU8fc9GCp87m4DAaLH0tvigKrT4YqDqTLcqnSnUmW4VEkZ9NLy6o+HV+a2/GrQJVV"
    "9KdczyrU3QeMWaY2ohLRpVnjKsxeRedUS5vh1V3466h0uh9mAX9GDPwOX6IEXPzbsalaxs"
    "Fvqv+JTfYm5rO0yWNa//Ecn6LnBM9vChYHzHDwvd4L1Ac/9Ish4zcVV0DsHbpN70dwQUWD"
    "M5v1OzjA4q+IMCiyzQ2strOK4aeXRilb2ynuZbC+NhBVfXe65U2lKM5Th310Vck5z1flW5"
    "/SqT4HETKc8w1kKutJBRBHhOV0ZvJnlWmNV31j5orERpLiGTRNjUK4VxzLFChBnfPDtdDc"
    "a3kzVZCfN6n0nXHmQt67C8wKimMcV1NvV8mG/Zbv1VTiZ+Mg9yvjUK/oUq+au4CZY1tEFb"
    "T54sksLz5Mn8FB6sS+VIw5IqgXBIvoboLsXChx414znhqOlBbTYUFbOkTT58wf878cBHv4"
    "doF4CLYBQHY9Nx15QBhw28uutt7Mf/AZhZTzM="
)
