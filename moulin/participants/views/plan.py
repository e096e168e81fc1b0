"""The pathway plan: obstacles, goals, actions and reviews."""

from moulin.participants import forms
from moulin.participants.models import PlanAction, PlanGoal, PlanObstacle, PlanReview
from moulin.participants.views.base import ChildCreate, ChildUpdate


class ObstacleCreate(ChildCreate):
    model = PlanObstacle
    form_class = forms.ObstacleForm


class ObstacleUpdate(ChildUpdate):
    model = PlanObstacle
    form_class = forms.ObstacleForm


class GoalCreate(ChildCreate):
    model = PlanGoal
    form_class = forms.GoalForm


class GoalUpdate(ChildUpdate):
    model = PlanGoal
    form_class = forms.GoalForm


class ActionCreate(ChildCreate):
    model = PlanAction
    form_class = forms.ActionForm


class ActionUpdate(ChildUpdate):
    model = PlanAction
    form_class = forms.ActionForm


class ReviewCreate(ChildCreate):
    model = PlanReview
    form_class = forms.ReviewForm
