"""Coaching sessions."""

from moulin.participants import forms
from moulin.participants.models import CoachingSession
from moulin.participants.views.base import ChildCreate, ChildUpdate


class SessionCreate(ChildCreate):
    model = CoachingSession
    form_class = forms.SessionForm


class SessionUpdate(ChildUpdate):
    model = CoachingSession
    form_class = forms.SessionForm
