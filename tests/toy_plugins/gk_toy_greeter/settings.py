from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GreeterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    greeting: str = Field("Hello", max_length=50, description="Word used to greet")
    max_greetings: int = Field(10, ge=1, le=100, description="Greetings per member")
    style: Literal["plain", "fancy"] = Field("plain", description="How greetings look")
