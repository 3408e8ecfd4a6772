from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "gk_command_sync" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" BIGINT NOT NULL UNIQUE,
    "quota_day" DATE NOT NULL,
    "creates" INT NOT NULL,
    "pending" TEXT NOT NULL,
    "retry_at" TIMESTAMPTZ,
    "reason" TEXT,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON COLUMN "gk_command_sync"."quota_day" IS 'The UTC day ``creates`` counts; a new day starts from zero.';
COMMENT ON COLUMN "gk_command_sync"."pending" IS 'Comma-separated plugin names whose commands wait for a sync; empty when in sync.';
COMMENT ON COLUMN "gk_command_sync"."reason" IS 'Why the last sync could not finish, as the admin reads it.';
COMMENT ON TABLE "gk_command_sync" IS 'Per guild: the application command creates spent today, and any sync still waiting.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "gk_command_sync";"""


MODELS_STATE = (
    "eJztXeFz07gS/1c0+UKZl3ZKaAtXeMwrpRy9gZah6XFz9MZRbCUxcaQgyU1zd/zvb1e2Yz"
    "t23Lg0wQR/obG0K8m/tVa7q5X4p2ELyXaOfMfVb0W/cUj+aXA6YvBjrqZJGnQ8jsrxUdOu"
    "Zwj7Q4simeWFdF2lJbU11PWopxgUOUzZ0h1rV3DkOBqPGXe2BfemRDJo0CGiR9g1k1PS82"
    "ifUO4QxbR2eV8Re0B5n+2QD2KiCJWMcKQk/tihmgGnJA7zGPzcwd4dYUP3wLjqjnzufvGZ"
    "pUWf6QGT0N2nv6DY5Q67YSp6HA+tnss8JwWt62ADptzS07Epe+n2T7l+bWjxNbqWLTx/xG"
    "P68VQPBJ8xuFxjaZ9xJnF8UKalj2hz3/NC4UQCCAYbkwSjTPA4rEd9D2WG3MEA4rKGZZ2d"
    "t62Lk7ZlNTLyjDgSyIdFtuD4LcBQlQGgj0PY/qXVevz4SWv38cHT/b0nT/af7j4FWjPebN"
    "WTr8FgYrSCpgxmp7+enrVxQAI+uOBrxIKvhodqGnAZYcTo930XWiorgyTX7ZKIcC8SRVSw"
    "+bKIsQe1IGRp7JNcd8I+BLYA+lhTbTL2OM4M8scDKhfiHnLMoQ4vcz9f/HphH9Eby2O8rw"
    "fw+LhVgOjvRx+O3xx92HrcepiG9SysaZmqNMCaSlgLygAcc2wgwK3d3SUQBqqFEJu6NMZd"
    "1gvtjzTGbXazQHnEHHfCeD2qo/HbxfkZ0fASTeK5Q0YuAqPkd+r5bOfa/JuxbpbkmRNSgU"
    "zaJ38YLTJS6ouXFMXWu6M/jJRG07Dm7fnZrxF5QnTHb89fzqudnmayjMBmDBWW19JTYu1o"
    "5+ifV4CWdkdsAdx5+scJWXaiHz+gNiqC/vTdyUX76N37FP6vjtonWNNKYR+Vbh3M6alZI+"
    "TjafsNwUfy5/nZiYFTKN2XpseYrv1nA8dEfS0sLiYWdZKYRMVR0Vd0H3rDhAmLBV1qDydU"
    "OlamRrTEItps1ag1mi+hnPaNkBDNr83QATwWI6hxLqbcvtAg+0bGRcxQNAtdRTsgtxTQL+"
    "ctvgcfzFjfMLkHjEDbnmtTrCVhY8SWDHpWRIG7p4kWDp02jW9H+ZRgT0Rp1/PIhLqoIbOq"
    "dAV9XPEr/spVxumknoc+Jaxns2bGUY/mFzT2zPRsCx9aV768dq+BCj4hsBE09CpMdVfowC"
    "u94go8W3BTSdf3hkRA0US6mgEV1WQifGiY3dgM/FZX75BOBx1hGFanQ1B6yrQ29vy+y1XA"
    "gw4vvG7X11d8MhCKRW+uSPQajgBGDkMY0GtGpkw/g/5RyOSz6MJYAU4ggLY6HXyYWlR3Or"
    "WzXH0nofrO8k8jihj6L74AoYBmyF/R85FPMRUt6tVZ0BttUEWX7WNUgqA5QgUJisroQoU6"
    "hrOJqQ2VYU+KEfmbSZFV5N/Y1vImBJoFcwILe8uKa+E8SXCsKqaUldDuamdJ69Hek72njw"
    "/2ZpNjVlI0J7Lff7hilXEdEizrc6gbjZLfu7GYthUbUzOUcBkO1+W5pRetCQIOLHy4aGM8"
    "I2w01lOgYpwAD5ZlJ8EqOvjOfk1kT5T1bpJ89+Dj/EDe5Y/g4qQlTFVeeHLxbI85KhwpaH"
    "wcTI2x7VGlAz/BNtY52tE9l7tqAG5EYI9TZwRTDl4L5iVY7Zl5/W1NfecZHG6j3WEOpznr"
    "SEXlpnGVIhWXivYXRymC2uZSEQp/RntriOKcz1ZU4it2CMsn1U1cRCXDP8L85k0yEBPiCd"
    "43z+gJw+QEb10OmbNDPoIDr4Nlt0u1PWAqqwJW2tPtXvonDBdC2aeUi4dltf9eSf89/FbK"
    "bEolWDZwV+rRUrtSjwp2pR5ld6UCA7sMyDHHBmJ8sLcExAd7CxHGqjTA3ykMVTFz//vEoW"
    "CZKZ+ykWBaX2Rj46Cvd/M2xkZOitUD2Lk9tUZlYoVppk2aVPcWMVS+bTOVA+pLITxGeT6w"
    "Ca45VLvA9gPCWqR2zs/fpmbJy9N51/3y3csTMIDM9AAiVyd0UyUcvdeMal+y1x7NSVhOVj"
    "YL3bxeQGn1ItJbvbyPoSNFo4DqVqfjsWvmmX3Vh5ggrPzudthwsnbnWrg2s27GSOYq3GcF"
    "dhpsAOfFeVbTEW5JnwkiwTUcwXQIIkXh5xdshHSF3tFiBB8VAwgSm8QPFBDaHpXMiTgWuY"
    "xp39BI5696s7c65kX1N3ursSyt2dYzfzPAL/YgI/oN9B9X4qMzju+e920XGQcJrto4KDYO"
    "Ulvh5iiNY3VzkheKdEmar/bZ76pMIhzLO5BpztqRrJwjWQkb/D2TI1cpgP6D8HK2W+bqiy"
    "3x8YzYkhH17WcICdJi1gKTeEqPak3tAVinWqDdPGuSGNOYbI2Eg1+pkE3ifN7Z2XlIJq4e"
    "BBbujFhFeys5RwlX39+ttrRpGn/gULCstqsrpH1ru7pCwkgE26JJs6xhPWPYQMv6/g+9Ra"
    "qo1KedYKq/7LvvDjjOHUzsJFdtYJfBvhKW1wUaHT64pL+JbtbuStUWW12fQ4rbw55CDhOh"
    "SCHDgyqSPSQq6u+QSJ9jvNE29g0Rtu1LyeCxmT3NkhPxvP8+MNjZ6cCD9lWnc0jC3GCy/Q"
    "Kb4fhzy/YoODFOYJpRMN2ogg6BwhGckX8BERf6hR9q6I7HzHlGOp0BCKnTwTMyUGeGCUg+"
    "UNHYXUUcV5mgAYZeXa3C4Cv5wHC42C8wQKkg+D2g/RgNLbIQrzhnN3iKxgFzEM/QmHNGnU"
    "78wlD0H/Jo6aSdAAWDumkxSOGJcxCSpkZIWyf0VNOWrFNNVpxqMnTLpUtF9DW4dR5PBTVJ"
    "QnPQqSdoDvQF52lilip/3vFNCGRLsfRFCOZsy2QwNUnySGfe9GHBbQrl2vjOWfXhep6RaX"
    "GQN+aqA7yVC/CmMlpmhtuyy1HMscYTcIlzd2vYHTxYZnNwXmqJvcGD+VWJao2n3spkYyVZ"
    "6qOb80tN7KiUgDTNVIOaCWRSpS0mpSh1m06aq8IH5e5Fv69iiTVRAUtMeN41RkVh5BTbJi"
    "C/au8ggMzn2s0J2BdbNHOs9VHfKls1Q5YTsy7wsFlesPpuM2gVESRz6UQUpZQPFHEdsA2E"
    "SdcmMPjDqBJjfHri2iyI9GGMEarJiA6ZMk+fRTf/Sot7bX39t/ZJttgeWCz3NFeFFWjjDO"
    "BtkquGuVn48LliALGjXlw1MFX3qmFLwQ+fs5sxzCHc9n/xv+enR2dH5G9gA6KsyO+hvWIT"
    "urVUgl2rIMGulRFycJnJnXKOUpy1S1pp5R1cNHAnOc+x1ot01eRcjR3OROStkd3hTNY2C3"
    "c4w4vdresZ7RJZZSbWDKvsFiZCcuZZrkP+S3bNoQtKwkKoxxv3JCzFeKE8Lq7h9l/YZ17+"
    "2D21jPua5u2DO+rjsCUslMJhDukGl4TMrrXHhDWwCg5JW0gtXMWgj1kQk2hjHlDShcaCDV"
    "PZ6QQXAnl4fch0O2oXeZp4ESEN+gs7CO6e7XTeMM8TwDqZXUkihc+dbUBgvFx6W7xRFVp8"
    "MVB1pluV9hTqTLcKCaPeGl7f1vD6/NafDdqEqi+lOtJ8GxM0XrPmmFlIy0aVZwwb8XGvO6"
    "Jcn46qT0f9gFOh9mCX9GAvweV6L0XPzTsalaxsFvqveIfOcm5rO0yWxSvhJJGs7wLHFC+H"
    "Q2/NFLrKJJGa80eS9ZiJq6JzCN4m9WZXwSuwZnL+q5FVdFDBO+GXmaC1l9dwXDX26NQqe2"
    "R9nm8jjIc1HF3vuVJpSzGW49zdFnFNctbrVeXWq0yCx12knGKshVxpIaMIcJ+ujN5M8qwx"
    "q++yfdxYi9JcQSaJsKlXCuOYY40IM759ebEejO8na7IS5vURk649yFrWYXmBUU1jitts6s"
    "Uw37Pd+rPsTHxjHuRiaxT8C1XyPzZNsGygDdra318mhWd/f3EKD9bN5UjDlCqBcEi+geiu"
    "xMKHHjXjOeGo2UZtNhQVs8ybfK6tyb/EAx/9B0S7AFwEozgYOx93nTPgsIGX33sZ+/p/2E"
    "SPIQ=="
)
