"""Per-server economy settings (``/config set economy KEY VALUE``)."""

from pydantic import BaseModel, ConfigDict, Field

#: The largest balance the database can hold with room for arithmetic (BIGINT is 2^63-1).
HARD_MAX = 4_000_000_000_000_000_000


class EconomySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency_name: str = Field("coins", min_length=1, max_length=30, description="Name of the currency")
    currency_symbol: str = Field("🪙", min_length=1, max_length=30, description="Symbol shown before amounts")
    starting_balance: int = Field(100, ge=0, le=HARD_MAX, description="Wallet of a new account")
    max_balance: int = Field(
        1_000_000_000_000, ge=1, le=HARD_MAX, description="Most a member may hold, wallet and bank together"
    )
    daily_amount: int = Field(100, ge=0, le=HARD_MAX, description="Paid by /daily")
    daily_streak_bonus: int = Field(10, ge=0, le=HARD_MAX, description="Extra per day of streak on /daily")
    daily_streak_cap: int = Field(7, ge=0, le=365, description="Streak days that add a bonus, at most")
    daily_grace_days: int = Field(
        1, ge=0, le=30, description="Calendar days a member may miss without losing the streak"
    )
    work_min: int = Field(50, ge=0, le=HARD_MAX, description="Least /work pays (if above work_max, the two swap)")
    work_max: int = Field(150, ge=0, le=HARD_MAX, description="Most /work pays")
    work_cooldown_minutes: int = Field(60, ge=0, le=10080, description="Minutes between two /work")
    game_min_bet: int = Field(10, ge=1, le=HARD_MAX, description="Smallest /coinflip bet")
    game_max_bet: int = Field(1000, ge=1, le=HARD_MAX, description="Largest /coinflip bet")
    game_cooldown_seconds: int = Field(10, ge=0, le=86400, description="Seconds between two /coinflip")
    coins_per_level_up: int = Field(0, ge=0, le=HARD_MAX, description="Paid per level gained (0 = off)")
    leaderboard_page_size: int = Field(10, ge=3, le=25, description="Members per leaderboard page")
