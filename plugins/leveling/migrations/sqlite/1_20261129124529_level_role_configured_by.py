from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "leveling_level_role" ADD "configured_by" BIGINT /* The member who attached the role: a role with dangerous permissions is granted only while */;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "leveling_level_role" DROP COLUMN "configured_by";"""


MODELS_STATE = (
    "eJztXVFz2rgW/isa34ebzlBuQtIm2z4lWdrNTgLZhG4z23aMsAVoYluuJAeYTv77lWQMNj"
    "bEZoEYUF9iJH2y/R3p6JyjY/WX4aAn5GCvVz23+lhcu8jjxgfwy/Cgi8RFdoMKMKDvx6tl"
    "EYcdJ4Ex4QymwziFlrxBFzoMiSIbMYtin2PiiVIvcBxZSCzRUPY6KQo8/DNAJic9xPuIio"
    "pvP0Qx9mw0RCz66T+aXYwcO/EG2Jb3VuUmH/mq7AL3rjz+SbWVN+yYFnEC15u290e8T7wJ"
    "AIdv0EMeopAjeQdOA/kG8gHHLx69VPiw0ybhU8YwNurCwOGxN+6Y0zLDNBvNlnlfb5mmUY"
    "Aji3iSX/GoTBHQk4/w9rda7fj4tHZ4/P7s3cnp6buzw7OKFJGoS1edPocPM2Ur7EpxdvX5"
    "qtGSD0SEEENJy4JnhYEchigljCn7vQCLnorKII56WRIR74tEERXsviym3Ku/Kd4v+5Bmsx"
    "61n2FcvMhqGJ9O+k1Q7sKh6SCvx/vi59Hh4QI6/z6/u/zj/O5AtHqTJLUxrqqFdUl+409W"
    "gOYZ2ObYNoyNcH2ci+vjBVwfp7mm6GeA6WQpycv1DKzMI9uAwCKBxxEFXUpccNn80mjV7+"
    "4rgFDwPVxUv4cijAkkP2qhzGp5RFabL7HaIoGZT9AJMjTRohUgE76upWCziulV1gKKBpDa"
    "5tBPi2GBDGKYzXF/uF7ia0cnpydnx+9PJnxPShbRnKbUoki+uQkzNNLvooZjF2UTm0TOMG"
    "uPodXoYgvH+AIeW1c39fvW+c2t7N5l7Kej+Dpv1WVNTZWOZkoP3s8onkkn4OtV6w8gf4J/"
    "mo26opMw3qPqjtN2rX8M+Uww4MT0yMCEdpyTqDgqepbORPcxZtDKgg60HtWESNWQGpnXNl"
    "3l1tzZEujBnhKSZPO5EvO66pB6yH7ROUs3q+R00ZBCrtdT+2bEuh9b9QFDVF7+0G5ceZaL"
    "bXTj9mDtjuZKIe5jIO1BL8t8Wm/lF0Aaq6fA0oKIlqnCplYCqC0tbWnNs7Q+O6QDnQc/28"
    "Ca1Oa1q3oKMPadXjSnjIdbAC1KGAOiAzoCauUEBwwhGxweHoF2W+pzVp10226/qaZiAUv3"
    "8i/C6+VYnLSJZmS59otksGNu/QbYL4+ukvP6ngsBzdFW0/rc+kqZ6myCeVFjfe1DDoSyAK"
    "oLBkgXwLHCGSAqiiHjwCKuH4hhBAaY9yuAE+ARji0kmloBfULA6kOvh9KabOW9/wsNVxbf"
    "R+s4Q4m1SPx/Aihz5P+197RKo9eu5cUdceaotWl1Xq2mLkwaQVYc1YpPcXkPHc/aGkVSFp"
    "2+j0GVaKoUoj4G0mGUpalX+rDADuCk/S5xvrINQGEtW48oayATMVqhl81pDDXDakfA1kVr"
    "pFYK5CO0BOQDeEQ+B4M+8oRV3cc9sfiFNjmQMxJgBiiCVh/ZH8EnedMP4rfvQEtY5Z0RwD"
    "xt2q+u2/yhsItm8zoRBbu4mpkrjS83F3VhLSlbSTTCfM4UEjft4l5AkW12RsV0WAq61Kwa"
    "S3Ld2Sgt4Xy5yO0IwQz6BEDOlTyUUyZl9EEITslKOl/Alo4WJQEDPqIuZkz0wqQYexR60k"
    "UjnjMSHeHQEksOiHXd6bsnuhgBxrHjgD5xZJeEoQTwwCIU/U92z6r+6E0VNIiHQJdQdUsW"
    "JtV0kCgQo1KMWMjU0M0af3sYiLhRYsu21sd1eU11d9r8xdjD+Xi8/JeBh9vKWHFAzwYChZ"
    "8wH0U5UWJgeEAKNBkJPQHtdhhYaLcrIAqPpgbmem7z3Wu3Q0My7J3JICz4SjHnQhsK7SbH"
    "fQdyNQe6TsCkblRDP/AZopzNi2ckHZJ5G+zJVkM/bKBdFO2ilNpo01vu+0K93sfQHuEmCV"
    "+ZO+gixoShxIoN3zhqZzjdeHKztMjEkxSMKcVhmvvluH8i2EImQ+Jh7IL8p6BaBsvJwCKu"
    "cNJsZgoLpKDNkoJqGSwngw4hLCM77ZND4BzqJ4gZyrsSsi7Sj6rron0Bg783v1xc18HtXf"
    "3y6v6q2VChuEnqmapMht3u6ufXWfyawt3GGebK4hzAGegKsgA3E4PbmyTApEHa5UvkecZg"
    "G5HvCuIRxj0ah8D5NALqIPiE2EdAEUeebAhs5IhrNg6HDgAjLgLyPQDsckTTAfbVdbtjw6"
    "w0YdO/AsTmfMkTVlVyBk1/TlrroxV0gLA0AcJdlYU+WkEfrbB7RytYI8spllQZAco8moXe"
    "xM6oAgYIPcq/LvF43xnJYxGIZ6V3oV9u/sIsyDUJFsyB/TvxYslJoM+q2PHFVZ9VsfK9iT"
    "E9rnhI7Ds4TLTIHanKROuoVY6o1ZQy08VewLN2h+ZvDWWC9eBOf6XNcdZnIQvTMKegUmdh"
    "rmIgrzL7UZ95s6tB2HJFx24pkS8UcpgdJZs0qRSJlpl+HFYk1TACCodAJfup7qLMPx9RTG"
    "xwEP6VH1JSDqpVgIa+MA2ZGPYZ32uvuvPMpMDwrZNJgXLIxPrSXy2VyRDexojfHnglZU0J"
    "3NVpMGU+rsHyUx9H6WG/NPmJdaKgzTeL1VZf6ay+xCFLE3OiqKCTyG3ZgN9LIcfN3/zKNI"
    "7amQDE5rP0fJlzsZT3PIPVOUxlm2OlcZ/voPd4KfoxMj3nSW0lp9NMBcC0IkQRf1kigUQC"
    "MY5JQFniwzhZwTJPMVuui6U/iNO+rvZ1y2tfal93H6ZB3DzDLqQjSSvJ2KSbv++fAm4w+e"
    "U/787ev+vWjHVJIrH9v4jjaPf/dO7m/+ns3n/4+clSlGdAN0l6rVOzj4+2knSOhrw430nU"
    "Jqnuqn9bSbU0K3uUBJ5dnPAs7CZpP0JH3dr2qJXyuADEQTfTZI1sRyDZJrc7IM/hSiaC5D"
    "rdeApRh6uMj75Qp7KIbscnvHwEh8CFj4jJo1Yg8MhbgZQVmUcdr6BLfazfNlpL2+g07Kos"
    "9LF+JaB+ybS+18vne5044rIJfaVZ1x/8C9FTMOf/KJjU5l3Lh77ZmSJeXMXr6v8UiB2JFT"
    "uVuwIG0QFW4Vlp4/K3A2wjQBFDHDACuDzWWyzEFpQNgTAsiZexuK/1Tvp7t1JrNb24l0cW"
    "25r3qfeGl9sbllMvLd8WGs6ZW1H7Mn9kZPx532wABzMuF5Fv4yB1BQz98YmOP1LLTy5EgW"
    "FQf2glRkAUNji4OX94kxgF183G56h5LMxwed28eG075Pn/BP+AVg=="
)
