"""Pages of the worker pathway, one module per use case, all derived from the scoped generic views (so
``tests/test_scope.py`` walks them). Every read of a participant's record writes an AuditEvent
(``services.view_record``). The URLs name the views through this package."""

from moulin.participants.views.base import (
    PEOPLE_CRUMB,
    POLICY,
    ChildCreate,
    ChildMixin,
    ChildUpdate,
    OneToOneEdit,
    ParticipantDocument,
    ParticipantObjectMixin,
    pathway_records,
)
from moulin.participants.views.coaching import (
    SessionCreate,
    SessionUpdate,
)
from moulin.participants.views.contracts import (
    ContractCreate,
    ContractEnd,
    ContractFormMixin,
    ContractRenew,
    ContractUpdate,
)
from moulin.participants.views.exit import (
    ExitCreate,
    ExitFormMixin,
    ExitSummaryPdf,
    ExitUpdate,
    FollowUpList,
    FollowUpRecord,
)
from moulin.participants.views.figures import (
    AGE_BANDS,
    PathwayFigures,
)
from moulin.participants.views.gdpr import (
    CONTRACT_FIELDS,
    ENTRY_FIELDS,
    AccessExportJson,
    AccessExportPdf,
    ParticipantErase,
    ParticipantMerge,
    SensitiveDataEdit,
    export_data,
)
from moulin.participants.views.intake import (
    EntryDataEdit,
    IntakeCreate,
)
from moulin.participants.views.lists import (
    ContractList,
    ParticipantList,
    WaitingList,
)
from moulin.participants.views.plan import (
    ActionCreate,
    ActionUpdate,
    GoalCreate,
    GoalUpdate,
    ObstacleCreate,
    ObstacleUpdate,
    ReviewCreate,
)
from moulin.participants.views.record import (
    ParticipantDetail,
    ParticipantUpdate,
)
from moulin.participants.views.referral import (
    ReferralCreate,
)
from moulin.participants.views.settings import (
    MeasureList,
    MeasureUpdate,
    PathwaySettingsView,
)

__all__ = [
    "PEOPLE_CRUMB",
    "POLICY",
    "pathway_records",
    "ParticipantObjectMixin",
    "ChildMixin",
    "ChildCreate",
    "ChildUpdate",
    "OneToOneEdit",
    "ParticipantDocument",
    "ParticipantList",
    "WaitingList",
    "ContractList",
    "ParticipantDetail",
    "ParticipantUpdate",
    "ReferralCreate",
    "IntakeCreate",
    "EntryDataEdit",
    "ContractFormMixin",
    "ContractCreate",
    "ContractUpdate",
    "ContractRenew",
    "ContractEnd",
    "ObstacleCreate",
    "ObstacleUpdate",
    "GoalCreate",
    "GoalUpdate",
    "ActionCreate",
    "ActionUpdate",
    "ReviewCreate",
    "SessionCreate",
    "SessionUpdate",
    "FollowUpList",
    "ExitFormMixin",
    "ExitCreate",
    "ExitUpdate",
    "FollowUpRecord",
    "ExitSummaryPdf",
    "SensitiveDataEdit",
    "CONTRACT_FIELDS",
    "ENTRY_FIELDS",
    "export_data",
    "AccessExportJson",
    "AccessExportPdf",
    "ParticipantErase",
    "ParticipantMerge",
    "MeasureList",
    "MeasureUpdate",
    "PathwaySettingsView",
    "AGE_BANDS",
    "PathwayFigures",
]
