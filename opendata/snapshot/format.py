"""What the export and the import agree on: the format, its version, and how a file is checked."""

from datetime import datetime

from cases.kinds import KINDS

FORMAT = "agentops-web-snapshot"
VERSION = 1

# Kinds of evidence added after version 1: a snapshot made before them has none (an empty
# list is assumed), so it still loads.
LATER_KINDS = {"reference_implementations"}


class SnapshotError(Exception):
    """The snapshot cannot be loaded (wrong format, version, or a non-empty site)."""


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def snapshot_validate(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError(f"Not an agentops-web snapshot (expected format {FORMAT!r}).")
    if data.get("version") != VERSION:
        raise SnapshotError(
            f"Snapshot version {data.get('version')!r} is not supported (this site reads "
            f"version {VERSION})."
        )
    required = ("phases", "factors", "criteria", "domains", "organizations", "people",
                *(kind.plural_key for kind in KINDS.values() if kind.plural_key not in LATER_KINDS),
                "framework")  # fmt: skip
    missing = [key for key in required if key not in data]
    if missing:
        raise SnapshotError(f"The snapshot lacks: {', '.join(missing)}.")
