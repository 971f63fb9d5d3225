"""Settings, read once from the environment (prefix ``TP_``) so every limit lives in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    # Network size limits: enforced by the schemas and reported by /api/options.
    max_hidden_layers: int = Field(10, ge=0, le=32)
    max_units_per_layer: int = Field(64, ge=1, le=1024)
    max_parameters: int = Field(50_000, ge=1)
    max_samples: int = Field(2_000, ge=10)
    max_epochs_per_call: int = Field(5_000, ge=1)

    # Heatmap grids.
    default_resolution: int = Field(100, ge=2)
    neuron_resolution: int = Field(25, ge=2)
    max_resolution: int = Field(200, ge=2)

    # Session lifetime.
    max_sessions: int = Field(200, ge=1)
    session_ttl_seconds: float = Field(900.0, gt=0)
    reap_interval_seconds: float = Field(30.0, gt=0)

    # Requests.
    max_body_bytes: int = Field(1_000_000, ge=1024)

    # XLA makes training ~5x faster once compiled; turning it off helps debugging.
    jit_compile: bool = True
    # Compile the default network at start-up, in the background.
    prewarm: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()
