from moulin.core.admin_site import register_models
from moulin.sequences.models import Counter

# read-only: a counter moves only through sequences.services, inside the transaction issuing a document
register_models(Counter, read_only=(Counter,))
