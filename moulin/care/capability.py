from moulin.core.capabilities import Capability

CAPABILITY = Capability()
