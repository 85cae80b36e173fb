"""Every module that declares tables, imported so that the metadata is complete.

Alembic's autogeneration and ``alembic check`` compare the database with
``Base.metadata``; a module missing here would look like tables to drop.
"""

from twin import models  # noqa: F401
from twin import rasters as raster_models  # noqa: F401
from twin.auth import models as auth_models  # noqa: F401
from twin.inspections import tables as inspection_tables  # noqa: F401
from twin.jobs import tables as job_tables  # noqa: F401
from twin.live import models as live_models  # noqa: F401
from twin.maintenance import tables as maintenance_tables  # noqa: F401
from twin.photos import tables as photo_tables  # noqa: F401
from twin.simulation import tables as simulation_tables  # noqa: F401
from twin.zoning import tables as zoning_tables  # noqa: F401
