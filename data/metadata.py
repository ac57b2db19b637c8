"""The store's one ``MetaData``: every table of data/schema*.py is declared on it, and the migrations' comparison
reads it. Apart from data/schema.py so that the tables kept in their own modules (schema_present, schema_screen)
import it without importing data/schema.py, which imports them to make the set complete.
"""

from __future__ import annotations

from sqlalchemy import MetaData

# constraint and index names fixed by convention, so that migrations name them the same on both engines
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
