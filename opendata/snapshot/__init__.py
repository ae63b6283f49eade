"""Versioned JSON snapshots of all published data, and loading one into an empty site.

`snapshot_export()` (exporting.py) gathers the framework (phases, factors with their phase
and phase history, criteria), domains, the organizations that published evidence names
(public names only), and published evidence of every kind — never drafts, submissions under
review, rejected, withdrawn or hidden items. People appear only as their public credit:
never an email; a pseudonymous key links the items of a person credited by name, and
nothing identifies an author who chose role or anonymous credit. The activity measures'
people are carried as times only (opendata/carried.py).

`snapshot_import()` (importing.py) loads such a snapshot in one transaction so that the
public pages read the same as on the site it came from. What both sides agree on (the
format, its version, how a file is checked) is in format.py.
"""

from .exporting import snapshot_export
from .format import FORMAT, VERSION, SnapshotError, snapshot_validate
from .importing import ImportReport, site_is_empty, snapshot_import

__all__ = [
    "FORMAT",
    "VERSION",
    "ImportReport",
    "SnapshotError",
    "site_is_empty",
    "snapshot_export",
    "snapshot_import",
    "snapshot_validate",
]
