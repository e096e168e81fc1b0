"""The catalogue's figures read for a page's rows only (``training.models.add_figures``) are those of
``with_figures``, for every course, and the list shows them whichever column it is sorted on."""

import pytest
from django.urls import reverse

from moulin.training.models import Course, add_figures
from moulin.training.views.courses import CourseList

FIGURES = ("n_sessions", "n_capacity", "n_enrolled", "n_finished", "n_completed")


def test_figures_read_for_the_rows_are_those_of_the_statement(django_assert_num_queries):
    expected = {c.pk: tuple(getattr(c, f) for f in FIGURES) for c in Course.objects.with_figures()}
    courses = list(Course.objects.order_by("pk"))
    with django_assert_num_queries(2):
        add_figures(courses)
    assert {c.pk: tuple(getattr(c, f) for f in FIGURES) for c in courses} == expected
    assert any(figures[2] for figures in expected.values())  # the demo enrols people
    assert any(figures[4] for figures in expected.values())  # and some complete


def test_courses_read_with_their_figures_keep_them(django_assert_num_queries):
    courses = list(Course.objects.with_figures()[:5])
    with django_assert_num_queries(0):
        add_figures(courses)


@pytest.mark.parametrize("sort", ["", "-n_sessions", "title", "-hours"])
def test_the_list_shows_each_courses_rates_whatever_the_sort(client_as, sort):
    page = client_as("admin").get(reverse("training:course_list"), {"sort": sort} if sort else {})
    assert page.status_code == 200
    html = page.content.decode()
    fill = next(c for c in CourseList.columns if c.key == "fill")
    completion = next(c for c in CourseList.columns if c.key == "completion")
    shown = page.context["page"].object_list
    assert len(shown) > 0
    for course in Course.objects.with_figures().filter(pk__in=[c.pk for c in shown]):
        row = html.split(f'href="{course.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]
        assert f">{fill.display(course)}<" in row and f">{completion.display(course)}<" in row, course
