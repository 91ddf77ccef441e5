"""Imports every feature's tables so Base.metadata (and Alembic) sees the whole schema.

It knows every feature, so it sits at the top of the core; only Alembic's env.py imports it.
"""

from practice.billing import models as billing_models  # noqa: F401  (registers the billing tables)
from practice.bodymap import models as bodymap_models
from practice.clients import models as clients_models
from practice.plans import models as plans_models  # noqa: F401  (registers the plan tables)
from practice.schedule import models as schedule_models  # noqa: F401  (appointments)
from practice.store import audit, practitioners, staff  # staff: clinic logins, care teams
from practice.store.backups import models as backup_models  # noqa: F401  (backup settings)
from practice.store.seal import models as seal_models  # noqa: F401  (record seals)
from practice.summaries import models as summaries_models  # noqa: F401  (issued documents)
from practice.techniques import models as techniques_models  # noqa: F401  (the technique library)
from practice.visits import models as visits_models

__all__ = ["audit", "bodymap_models", "clients_models", "practitioners", "staff", "visits_models"]
