"""Choices of the worker pathway (referral to follow-up), with ESF+ categories where the regulation names them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")


class PathwayStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    WAITING = "waiting", _("On the waiting list")
    REDIRECTED = "redirected", _("Redirected")
    HIRED = "hired", _("In employment with the network")
    EXITED = "exited", _("Left")


class ReferralSource(models.TextChoices):
    PES = "pes", _("Public employment service (ADEM)")
    SOCIAL_OFFICE = "social_office", _("Social office")
    SELF = "self", _("Self-referred")
    OTHER = "other", _("Other")


class IntakeOutcome(models.TextChoices):
    HIRE = "hire", _("Hire")
    WAITING_LIST = "waiting_list", _("Waiting list")
    REDIRECT = "redirect", _("Redirect elsewhere")


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("Fixed-term (CDD)")
    OPEN_ENDED = "open_ended", _("Open-ended (CDI)")


class EndReason(models.TextChoices):
    EXPIRY = "expiry", _("Reached its planned end")
    RESIGNATION = "resignation", _("Resignation")
    DISMISSAL = "dismissal", _("Dismissal")
    MUTUAL = "mutual", _("Mutual agreement")
    JOB_FOUND = "job_found", _("Job found elsewhere")
    OTHER = "other", _("Other")


class LabourMarketStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed, including self-employed")
    UNEMPLOYED = "unemployed", _("Unemployed")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Long-term unemployed")
    INACTIVE = "inactive", _("Inactive")
    INACTIVE_NEET = "inactive_neet", _("Inactive, not in education or training")


class Isced(models.TextChoices):
    ISCED0 = "0", _("ISCED 0 — early childhood / no formal education")
    ISCED1 = "1", _("ISCED 1 — primary")
    ISCED2 = "2", _("ISCED 2 — lower secondary")
    ISCED3 = "3", _("ISCED 3 — upper secondary")
    ISCED4 = "4", _("ISCED 4 — post-secondary non-tertiary")
    ISCED5 = "5", _("ISCED 5 — short-cycle tertiary")
    ISCED6 = "6", _("ISCED 6 — bachelor or equivalent")
    ISCED7 = "7", _("ISCED 7 — master or equivalent")
    ISCED8 = "8", _("ISCED 8 — doctorate")


class Household(models.TextChoices):
    ALONE = "alone", _("Lives alone")
    SINGLE_ADULT_CHILDREN = "single_adult_children", _("Single adult with dependent children")
    COUPLE = "couple", _("Couple without dependent children")
    COUPLE_CHILDREN = "couple_children", _("Couple with dependent children")
    JOBLESS = "jobless", _("Jobless household")
    OTHER = "other", _("Other")


class Sensitive(models.TextChoices):
    """Answer to one sensitive ESF+ category: never guessed, 'refused' is an answer."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    REFUSED = "refused", _("Declined to answer")


class Obstacle(models.TextChoices):
    MOBILITY = "mobility", _("Mobility")
    LANGUAGE = "language", _("Language")
    CHILDCARE = "childcare", _("Childcare")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    QUALIFICATION = "qualification", _("Qualification")
    DIGITAL = "digital", _("Digital skills")
    DEBT = "debt", _("Debt")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class SessionKind(models.TextChoices):
    CAREERS = "careers", _("Careers advice")
    SOCIAL = "social", _("Social follow-up")
    TECHNICAL = "technical", _("Technical guidance")
    JOB_SEARCH = "job_search", _("Job search")


class ExitReason(models.TextChoices):
    CONTRACT_END = "contract_end", _("End of contract")
    JOB_FOUND = "job_found", _("Found a job")
    TRAINING = "training", _("Started education or training")
    HEALTH = "health", _("Health")
    RESIGNATION = "resignation", _("Resignation")
    DISMISSAL = "dismissal", _("Dismissal")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class Situation(models.TextChoices):
    """Situation upon leaving (ESF+: within four weeks of exit) and at the six-month follow-up."""

    EMPLOYED_OPEN_ENDED = "employed_open_ended", _("Employed on the open labour market — open-ended")
    EMPLOYED_FIXED_TERM = "employed_fixed_term", _("Employed on the open labour market — fixed-term")
    EMPLOYED_AGENCY = "employed_agency", _("Employed on the open labour market — temporary agency")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    EDUCATION = "education", _("In education or training")
    QUALIFICATION = "qualification", _("Gained a qualification")
    JOB_SEARCHING = "job_searching", _("Job searching")
    INACTIVE = "inactive", _("Inactive")
    OTHER = "other", _("Other")


EMPLOYED_SITUATIONS = frozenset(
    {
        Situation.EMPLOYED_OPEN_ENDED,
        Situation.EMPLOYED_FIXED_TERM,
        Situation.EMPLOYED_AGENCY,
        Situation.SELF_EMPLOYED,
    }
)
