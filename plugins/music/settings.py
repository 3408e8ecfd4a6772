"""Per-server music settings (``/config set music KEY VALUE``); every one can be overridden per
channel with the core's channel-level settings (seed 003's ChannelConfiguration)."""

from pydantic import BaseModel, ConfigDict, Field


class MusicSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    music_enabled: bool = Field(True, description="Whether /play works here (turn off per channel)")
    dj_only: bool = Field(False, description="Only DJs may add tracks and control playback")
    vote_skip_share: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of listening members (not deafened, not bots) who must vote to skip"
    )
    max_queue_size: int = Field(100, ge=1, le=1000, description="Tracks waiting in the queue at most")
    max_track_minutes: int = Field(0, ge=0, le=1440, description="Longest track /play accepts, 0 for any length")
    allow_duplicates: bool = Field(True, description="Whether a track already queued may be queued again")
    default_volume: int = Field(100, ge=0, le=1000, description="Volume a new player starts with")
    volume_limit: int = Field(150, ge=1, le=1000, description="Highest volume /volume allows")
    announce_songs: bool = Field(True, description="Post 'Now playing' in the channel /play was used in")
    auto_disconnect_minutes: int = Field(
        5, ge=0, le=1440, description="Leave voice after this long alone or idle, 0 never (24/7 mode)"
    )
