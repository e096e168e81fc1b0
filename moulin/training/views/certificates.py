"""The certificate of a completed course, as a PDF."""

from moulin.core.models import AuditEvent
from moulin.core.pdf import render_pdf
from moulin.core.services import audit
from moulin.core.views import ScopedDetailView
from moulin.training.enums import AttendanceStatus
from moulin.training.models import Certificate


class CertificatePdf(ScopedDetailView):
    """The certificate as a PDF, in the reader's language, for those who may see the enrolment."""

    model = Certificate

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .select_related(
                "enrolment__participant", "enrolment__session__course__organisation", "enrolment__session__place"
            )
        )

    def get(self, request, *args, **kwargs):
        certificate = self.get_object()
        enrolment = certificate.enrolment
        session = enrolment.session
        course = session.course
        present = enrolment.attendance.filter(status=AttendanceStatus.PRESENT).count()
        context = {
            "certificate": certificate,
            "enrolment": enrolment,
            "session": session,
            "course": course,
            "organisation": course.organisation,
            "skills": course.skills.all(),
            "hours_attended": session.hours_per_day * present,
        }
        response = render_pdf(request, "training/certificate.html", context, f"{certificate.number}.pdf", inline=True)
        audit(actor=request.user, action=AuditEvent.Action.VIEW, obj=certificate, detail={"file": "certificate"})
        return response
