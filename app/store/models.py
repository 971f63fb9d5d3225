"""The tables. Alembic's revisions under ``migrations/versions`` build them; this module is what code reads."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

ID_LENGTH = 32  # room for secrets.token_urlsafe(16) (22 characters, 128 bits) and a longer id later
NAME_LENGTH = 200
NOTE_LENGTH = 4000
OWNER_HASH_LENGTH = 64  # SHA-256, hex


class Base(DeclarativeBase):
    pass


class Run(Base):
    """One saved run. What the list and compare views need is in columns; the arrays (weights, optimizer
    slots, points, loss history, boundary) are one compressed blob, loaded only when asked for."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    owner_hash: Mapped[str] = mapped_column(String(OWNER_HASH_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dataset: Mapped[str] = mapped_column(String(64))
    problem: Mapped[str] = mapped_column(String(32))
    network: Mapped[list[int]] = mapped_column(JSON)  # hidden layer sizes
    epoch: Mapped[int] = mapped_column(Integer)
    train_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    test_loss: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"train": {...}, "test": {...}}
    state: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    size_bytes: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_runs_created_at", "created_at"),
        Index("ix_runs_owner_hash", "owner_hash"),
    )

    def __repr__(self) -> str:
        return f"Run(id={self.id!r}, name={self.name!r}, dataset={self.dataset!r}, epoch={self.epoch})"
