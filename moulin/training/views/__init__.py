"""Pages of training, one module per use case: the catalogue, sessions, attendance, enrolments,
certificates and skills. The URLs name the views through this package."""

from moulin.training.views.attendance import (
    AttendanceView,
)
from moulin.training.views.base import (
    COURSES_CRUMB,
    certificate_number,
    certificate_of,
    with_certificate,
)
from moulin.training.views.certificates import (
    CertificatePdf,
)
from moulin.training.views.courses import (
    CourseCreate,
    CourseDelete,
    CourseDetail,
    CourseList,
    CourseUpdate,
)
from moulin.training.views.enrolments import (
    EnrolmentAction,
    EnrolmentCancel,
    EnrolmentComplete,
    EnrolmentCreate,
    EnrolmentList,
    PublicEnrolmentCreate,
)
from moulin.training.views.sessions import (
    SessionComplete,
    SessionCreate,
    SessionDelete,
    SessionDetail,
    SessionList,
    SessionUpdate,
)
from moulin.training.views.skills import (
    ParticipantSkillCreate,
    ParticipantSkillDelete,
    SkillCreate,
    SkillList,
    WorkerTraining,
    worker_url,
)

__all__ = [
    "COURSES_CRUMB",
    "certificate_of",
    "with_certificate",
    "certificate_number",
    "CourseList",
    "CourseDetail",
    "CourseCreate",
    "CourseUpdate",
    "CourseDelete",
    "SessionList",
    "SessionCreate",
    "SessionUpdate",
    "SessionDelete",
    "SessionDetail",
    "SessionComplete",
    "AttendanceView",
    "EnrolmentCreate",
    "PublicEnrolmentCreate",
    "EnrolmentList",
    "EnrolmentAction",
    "EnrolmentComplete",
    "EnrolmentCancel",
    "CertificatePdf",
    "SkillList",
    "SkillCreate",
    "WorkerTraining",
    "worker_url",
    "ParticipantSkillCreate",
    "ParticipantSkillDelete",
]
