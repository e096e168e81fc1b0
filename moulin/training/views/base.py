"""What the training pages share: the catalogue crumb and reading an enrolment's certificate."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from moulin.training.models import Certificate

COURSES_CRUMB = (gettext_lazy("Training"), reverse_lazy("training:course_list"))


def certificate_of(enrolment):
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None


def with_certificate(enrolment):
    enrolment.cert = certificate_of(enrolment)
    return enrolment


def certificate_number(enrolment):
    certificate = certificate_of(enrolment)
    return certificate.number if certificate else None
