"""org: the org's own field configuration, read from the API (``importer org pull``) and
checked against the mapping before a run's first add. The checks themselves are pure and live
in ``mapping`` (``with_org``); this stage only reads the endpoints and keeps the answers."""

from importer.org._pull import (
    OrgUnread,
    default_org_path,
    org_for_run,
    org_of_run,
    pull_org,
    save_org,
)

__all__ = ["OrgUnread", "default_org_path", "org_for_run", "org_of_run", "pull_org", "save_org"]
