from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "gk_permission_role" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "guild_id" BIGINT NOT NULL,
    "level" VARCHAR(32) NOT NULL,
    "role_id" BIGINT NOT NULL,
    "added_by" BIGINT,
    CONSTRAINT "uid_gk_permissi_guild_i_fd5e31" UNIQUE ("guild_id", "level", "role_id")
) /* A role a server attached to a permission level (moderator, dj...) with the permissions command. */;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "gk_permission_role";"""


MODELS_STATE = (
    "eJztXW1z2zYS/isYfYk9J2ts+S3ny2VOTp3GncTO2HLTadwhIRKSEFGACoCWda3/+y1AUi"
    "RFiRZ9lkIr/BKLwC4APksAzy6WzF81hwvSaPkuVR95r3aC/qoxPCTwY6amjmp4NIrK9aXC"
    "Hc8I9gYW1mKWF8p1pBLYUVDXxZ4kUOQS6Qg6UpQzrdEajQhzdzjzJkgQaNBFvIvIHRET1P"
    "VwD2HmIkmUoqwnkdPHrEca6IqPJcKCIKYlkT9ysSKgKZBLPAI/G7p3lzvQPSiuuiOf0T99"
    "YineI6pPBHT39Q8opswl90RGl6OB1aXEc1PQUlc3YMotNRmZslPaO2fqvZHVt9GxHO75Qx"
    "bLjyaqz9lUgTKlS3uEEaHHB2VK+Bpt5nteaJzIAMFgY5FglAkdl3Sx72mbae1gAHFZzbIu"
    "LtvW9VnbsmoZe0YaCeTDIocz/SzAUKUBoKeHsPPPZnN//7i5u3/0+vDg+Pjw9e5rkDXjzV"
    "YdPwSDidEKmjKYnf98ftHWA+LwwAVPoy54MDpY4UDLGCNGv+dTaKmoDZJaj1siwj3PFFHB"
    "5tsixh6WBS4KY5/UehL2IbA50Mcr1SZjr8eZQf5dH4uFuIcaM6jDzTzPE79e2If43vII66"
    "k+XO43cxD9tXX17kPramu/uZ2G9SKsaZqqNMAKC9gLigAca2wgwM3d3SUQBqmFEJu6NMYd"
    "0g35RxrjNrlfsHjEGk/CeD1LR+2X68sLpOAm6sijA4KuA1LyK/Z80rgz/2bYzZI6M0bKsU"
    "n77Dezigyl/NNLmmLrU+s3Y6XhJKz5eHnxcySeMN27j5ens8tOVxFRxGBThRLba+kpsXa0"
    "56w/PwFaig7JArjnrT9uqNKIfrzA1SgP+vNPZ9ft1qfPKfx/arXPdE0zhX1UunU0s05NG0"
    "FfztsfkL5Ev19enBk4uVQ9YXqM5dq/1/SYsK+4xfjYwm4Sk6g4KnrQ7kN3kKCwuqCDncEY"
    "C9fK1PAmXySbrRo2h7MlmOGeMZJG86EeOoDv+BBq3BuJDWeZcQ9TtfVcF9EJRC1/Kvuom3"
    "jJCArVkC/JCRr3Max1Y/C2iP7DzW9WR30+Rh5nPXOtnTFEFRpzMQBXDX0RVCnCEGWog5XT"
    "JzK7kq60p8cdxa96EkLZ15SXocsqF7KULmT4rBShegmVDeR6e0txvb0crreX5Xojz+/RQg"
    "5LrLGBGB8dLAHx0cFChHVVGuDvFAkpGUX7Pt44bDPFAyEJpVXFoH4A6CuOvDEcOWlWD2Bn"
    "zsQayqx5F86otNImTarm3sHxwev9o4PpXJqW5E2h7HSRvuMQOQfUU849gtl8YBNaM6h2QO"
    "0Fwpq37FxefkzNktPzWVf95tPpGRAgMz1AiKrE2lQKR+89wcoX5L2H5xwDJivruW5eN5C0"
    "upHoo17el9CRwihgb2jLtj1yRzwwhm1v62M36Xd2woaTtY07Th1i3Y+0GJWIG9cLI0NQsk"
    "7eqjq6ZbfsgiMBruEQpoNE0AsKHz/UFXyIOlw1FB/CQ0UAAlMfDOGVBEHHw4K4kcYilzHt"
    "Gxrr/FGdN5aHXrzE88YfgOuZvxngF3uQkfwG+o8r8dEJ0/c+79nOIwcJrYoc5JODJNhBgo"
    "prdSbF1pK0XuWzP3UxiXAs7kCmNStHsnSOZCk4+GcihlRKgP6Ke3OOW2bq85n4aCpsiUj6"
    "8cw8pGWB2koidO4bVgo7fWCnimvePG0SGWqMtobc1U8pF3Xkfms0GttoTFU/YLhTYRmdrc"
    "xJ0Ft9f49yadO0/qGHossqXl2i1bfi1SUyRiLYFk2aZYn1VGEDmfXzp5JFS1GhRzuhVD3Z"
    "Tz8dcN0nUOykVkWwi2BfCuZ1rUmHDy7pL7yT5V2p2nzW9S2UeDzsycUgEYrkwpAY3eQ2kl"
    "F/J0j4TMcbHcNvEHccXwgCl3UkfXFH74hEwHwVFmpOWssK+tDBTtuGC+VL2z5B+v0K6A3t"
    "vNXNMP1zy/EwODFuQM0wUDcsoUOQcDkj6G9AhEK/8EMO6GhE3H8h2+6DkWz7lo37UGeGCU"
    "i+ktHYqUQulSZooEOvVMkw+IquiB6u7hcUoJQj/Txo/hgNLWKIt4yRewV9uUAHsbJt8/aH"
    "bcc3DEX/QHtLJ+0EKBjUTYtBCk+cg5CkGqFsldBTTi5ZpZqsONVkQIulS0XyFbhVHk8JV5"
    "LEyoEnHsdzoF+c4J5QKfPjHb9fgLYkSb9egLpAJsb9CWJcIS1n7nQ75x2FYm185yz6cD/P"
    "2DQ/yBtrVQHe0gV4UxktU+K27HYUa6xvxtZCAltby660d7TM4eCs1RJng0ezuxJWigxHqk"
    "g2VlJlfSGM3dVuSM+WiBU7KgUgTStVoGYCmVgqiwjBC72jltaqXlQrvsWaqIDFx2zey4F5"
    "YeSU2iYgv2rvIIDMZ4rOCdjnM5oZ1WegNSXDfpNYzYDMiVnneNhkXrD6aTNoFRGkWrtPpl"
    "FK8Uoi6gI34CZdG8HgT6JKHeNTY+qQINKnY4xQjYZ4QKS5+sY7Wcfk2Vtf/7vwgizmA4vt"
    "ntYq8QJauwB46+i2Zr7Xc/JGEoDYlW9vazpV97bmCM5O3pD7Ecwhfez/9j9vzlsXLfRfUA"
    "OhrMmfob18Ct1cKsGumZNg18wY2RFEG+IpOUcpzcolLfXi3aWMyv6T7DyjWm3SZbNzOU44"
    "E5G3WvaEM1lbzz3hDD+XZt1NZZfIKjOxZthlt3QiJCOeRV30b7RrXrrAKCyEeg5Ls4CtWH"
    "+mTW+u4fFf2Oe8/LFnalmfa5q7D778FoctYaPkLnFRZ2JOJacfi9MJa8AKTlCbC8WpJNDH"
    "NIiJlKEHGHWgseDAVNi2CXhiD5Zld7ITtat16kjqdDfTX9hB8EUX2/5API+D6pj70KyOlA"
    "ruM3cHEBgtl94WH1SFjC8Gqsp0K9OZQpXpViJjVEfD6zsaXp/f+qNBm1jqCy0dab2NCRqv"
    "eeWYMqRlo8pThY14uNcdUa7ejqrejnqBU6HyYJf0YG/A5foseJfOezUqWVnP9V/1N3SWc1"
    "vbYbKs/iScQIL0KGhM9MfhtLdmCqk0SaTm/SNBusTEVbVzCN4m9kInE66Bzcz5gOcqOijh"
    "Z8mXmaCVl1dzqRx5eGIVfWV9Vm8jyMMaXl3vUiGVJQmZ49w9FnFNalb7Ven2q0yCx1OsnF"
    "KsjFxqI2sT6HO6IutmUmeNWX037Xe1tSyaK8gk4Q72CmEca6wRYcJ2bq7Xg/HzZE2Wgl63"
    "iKBOP8usw/IcUo1jicc49WKYn5m3/ignE/9nHuRiNgr+hSz434UkVDaQgzYPD5dJ4Tk8XJ"
    "zCo+tmcqRhShVAOBTfQHRXwvChR0XYnHDU9KA2G4qKVWYpH3UU+ht54KO/QLRzwNVg5Adj"
    "Z+OuMwRON3D6vbexh/8BuL0pFQ=="
)
